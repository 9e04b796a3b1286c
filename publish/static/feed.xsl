<?xml version="1.0" encoding="utf-8"?>
<!--
  Shows a Tributary feed (RSS 2.0 or Atom) as a readable page when it is
  opened in a browser. Feed readers ignore the stylesheet. Every feed value
  is copied as text (xsl:value-of, never disable-output-escaping), and only
  http(s) links become links, so feed content cannot add markup or script.
  Dates are the feed's own, which Tributary writes in the section's zone.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom"
    exclude-result-prefixes="atom">
  <xsl:output method="html" encoding="utf-8" indent="no"
      doctype-system="about:legacy-compat"/>

  <xsl:variable name="lang">
    <xsl:choose>
      <xsl:when test="/rss/channel/language"><xsl:value-of select="/rss/channel/language"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="/atom:feed/@xml:lang"/></xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <xsl:variable name="zh" select="starts-with(translate($lang, 'ZH', 'zh'), 'zh')"/>
  <xsl:variable name="title" select="/rss/channel/title | /atom:feed/atom:title"/>
  <xsl:variable name="self" select="/rss/channel/atom:link[@rel='self']/@href | /atom:feed/atom:link[@rel='self']/@href"/>
  <xsl:variable name="home" select="/rss/channel/link | /atom:feed/atom:link[@rel='alternate']/@href"/>

  <xsl:template match="/">
    <html>
      <xsl:attribute name="lang"><xsl:choose><xsl:when test="$zh">zh-CN</xsl:when><xsl:otherwise>en</xsl:otherwise></xsl:choose></xsl:attribute>
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="$title"/></title>
        <!-- Feeds live at .../sections/{id}.{rss,atom}: this reaches our
             stylesheet behind any path prefix. -->
        <link rel="stylesheet" href="../static/style.css"/>
      </head>
      <body class="feed-preview">
        <header>
          <p class="crumb">
            <a href="../"><xsl:choose><xsl:when test="$zh">全部栏目</xsl:when><xsl:otherwise>All sections</xsl:otherwise></xsl:choose></a>
          </p>
          <h1><xsl:value-of select="$title"/></h1>
          <p class="feed-note" id="feed-note">
            <xsl:choose>
              <xsl:when test="$zh">这是一个订阅源（RSS/Atom）。把本页地址复制到阅读器（如 Feedly、Inoreader、NetNewsWire）中即可订阅，有新内容时阅读器会自动获取。</xsl:when>
              <xsl:otherwise>This is a feed (RSS/Atom). Copy this page's address into your feed reader (Feedly, Inoreader, NetNewsWire, …) to subscribe; the reader fetches new entries by itself.</xsl:otherwise>
            </xsl:choose>
          </p>
          <p class="feed-url"><code><xsl:value-of select="$self"/></code></p>
          <xsl:if test="starts-with($home, 'http://') or starts-with($home, 'https://')">
            <p><a href="{$home}"><xsl:choose><xsl:when test="$zh">在网页中浏览</xsl:when><xsl:otherwise>Read on the web</xsl:otherwise></xsl:choose></a></p>
          </xsl:if>
        </header>
        <main>
          <ol class="entries">
            <xsl:apply-templates select="/rss/channel/item | /atom:feed/atom:entry"/>
          </ol>
        </main>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="item | atom:entry">
    <xsl:variable name="link" select="link | atom:link[@rel='alternate']/@href"/>
    <li class="entry">
      <h2>
        <xsl:choose>
          <xsl:when test="starts-with($link, 'http://') or starts-with($link, 'https://')">
            <a href="{$link}"><xsl:value-of select="title | atom:title"/></a>
          </xsl:when>
          <xsl:otherwise><xsl:value-of select="title | atom:title"/></xsl:otherwise>
        </xsl:choose>
      </h2>
      <p class="meta">
        <xsl:variable name="source" select="source | atom:source/atom:title"/>
        <xsl:if test="string($source) != ''">
          <span class="source"><xsl:value-of select="$source"/></span>
          <xsl:text> · </xsl:text>
        </xsl:if>
        <time>
          <xsl:choose>
            <xsl:when test="pubDate"><xsl:call-template name="rfc822-date"><xsl:with-param name="d" select="pubDate"/></xsl:call-template></xsl:when>
            <xsl:when test="atom:published"><xsl:value-of select="substring(atom:published, 1, 10)"/></xsl:when>
            <xsl:otherwise><xsl:value-of select="substring(atom:updated, 1, 10)"/></xsl:otherwise>
          </xsl:choose>
        </time>
      </p>
    </li>
  </xsl:template>

  <!-- "Tue, 17 Nov 2026 00:00:00 +0800" (RFC 1123 with a numeric zone, as
       Tributary writes it) to 2026-11-17. -->
  <xsl:template name="rfc822-date">
    <xsl:param name="d"/>
    <xsl:variable name="mon" select="substring($d, 9, 3)"/>
    <xsl:variable name="m" select="(string-length(substring-before('JanFebMarAprMayJunJulAugSepOctNovDec', $mon)) div 3) + 1"/>
    <xsl:value-of select="concat(substring($d, 13, 4), '-', format-number($m, '00'), '-', substring($d, 6, 2))"/>
  </xsl:template>
</xsl:stylesheet>
