/* Tributary headline widget.
 *
 * <script src="https://feeds.example.org/embed/news.js" data-count="8"
 *         data-summary="60" data-target="news-box" data-lang="zh"
 *         data-theme="light" data-lines="1" data-show-source="false"
 *         data-date="short" data-more="https://www.example.edu.cn/news/"
 *         data-background="transparent" async></script>
 *
 * data-show-source="false" hides the source label; data-date is full (the
 * section page's date, the default), short (MM-DD in the section's zone)
 * or none; data-more sends "更多 »" to the host's own list page (http or
 * https only); data-background="transparent" paints no background in
 * either theme. A bad value is ignored with a console warning.
 *
 * Renders a section's headlines into a shadow root (the host page's styles
 * do not leak in, ours do not leak out). The host styles it through CSS
 * custom properties (--trib-fg, --trib-bg, --trib-link, --trib-muted,
 * --trib-rule, --trib-font, --trib-size, --trib-line-height), which cross
 * the shadow boundary, and through ::part(box|list|item|title|meta|source|
 * date|summary|more|empty|pin).
 *
 * Dates are the server's: each entry carries display_date, formatted in the
 * section's zone, so a visitor's own zone never moves an entry to another
 * day. The language is data-lang, else the host page's <html lang>, else
 * the section's. Feed text is only ever set with textContent and links must
 * be http(s), so a hostile title cannot run script. Everything lives inside
 * this function: no globals.
 */
(function () {
  'use strict';

  var script = document.currentScript;
  if (!script || !script.src) {
    return;
  }
  var src = new URL(script.src, document.baseURI);
  var match = /^(.*)\/embed\/([a-z0-9-]+)\.js$/.exec(src.pathname);
  if (!match) {
    return;
  }
  var data = script.dataset;
  var count = intOption(data.count, 1, 200, 10);
  var summary = intOption(data.summary, 0, 1000, 0);
  var theme = data.theme === 'dark' || data.theme === 'auto' ? data.theme : 'light';
  var oneLine = data.lines === '1';
  // "0" and "1" as the iframe's ?show_source takes them.
  var showSource = ['true', '1'].indexOf(choice('show-source', data.showSource, ['true', 'false', '1', '0'], 'true')) >= 0;
  var dateStyle = choice('date', data.date, ['full', 'short', 'none'], 'full');
  var transparent = choice('background', data.background, ['transparent'], '') === 'transparent';
  var texts = {
    en: { more: 'More »', empty: 'No entries yet.', failed: 'Headlines could not be loaded.', pinned: 'Pinned' },
    zh: { more: '更多 »', empty: '暂无内容。', failed: '内容加载失败。', pinned: '置顶' }
  };
  // data-lang wins; then the host page's language; the section's language
  // decides only when the host page declares none.
  var lang = data.lang === 'en' || data.lang === 'zh' ? data.lang : langOf(document.documentElement.lang);

  var dark = '--_fg: var(--trib-fg, #e8e8e8); --_bg: var(--trib-bg, #161718); --_link: var(--trib-link, #8ab4f8); ' +
    '--_muted: var(--trib-muted, #a0a4a8); --_rule: var(--trib-rule, #333); color-scheme: dark;';
  var css = [
    ':host { display: block; }',
    '.box { --_fg: var(--trib-fg, #1b1b1b); --_bg: var(--trib-bg, transparent); --_link: var(--trib-link, #0b57d0);',
    '  --_muted: var(--trib-muted, #5f6368); --_rule: var(--trib-rule, #e3e3e3);',
    '  color: var(--_fg); background: var(--_bg);',
    '  font-family: var(--trib-font, system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif);',
    '  font-size: var(--trib-size, 14px); line-height: var(--trib-line-height, 1.5); }',
    '.box.dark { ' + dark + ' }',
    '@media (prefers-color-scheme: dark) { .box.auto { ' + dark + ' } }',
    'ul { list-style: none; margin: 0; padding: 0; }',
    'li { display: flex; flex-wrap: wrap; justify-content: space-between; gap: 0 .75rem; padding: .35rem 0; border-bottom: 1px solid var(--_rule); }',
    'a { color: var(--_link); text-decoration: none; } a:hover, a:focus { text-decoration: underline; }',
    '.title { flex: 1 1 14rem; overflow-wrap: anywhere; }',
    '.meta { color: var(--_muted); font-size: .85em; white-space: nowrap; }',
    '.summary { flex-basis: 100%; margin: .15rem 0 0; color: var(--_muted); }',
    '.empty { color: var(--_muted); }',
    '.pin { flex: none; color: var(--_link); font-size: .85em; font-weight: 600; }',
    '.more { display: block; text-align: right; padding-top: .35rem; font-size: .85em; }',
    '.box.transparent { background: transparent; }',
    '.lines-1 li { flex-wrap: nowrap; align-items: baseline; }',
    '.lines-1 .title { flex: 1 1 auto; min-width: 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; overflow-wrap: normal; }'
  ].join('\n');

  var host = data.target ? document.getElementById(data.target) : null;
  if (!host) {
    host = document.createElement('div');
    script.parentNode.insertBefore(host, script.nextSibling);
  }
  var root = shadowOf(host);
  var moreURL = '';
  if (data.more) {
    moreURL = httpURL(data.more);
    if (!moreURL) {
      warn('data-more must be an absolute http:// or https:// URL; "更多" links to the section page');
    }
  }
  var api = src.origin + match[1] + '/api/v1/sections/' + match[2] + '/entries?limit=' + count;

  fetch(api, { mode: 'cors', credentials: 'omit' })
    .then(function (resp) {
      if (!resp.ok) {
        throw new Error('HTTP ' + resp.status);
      }
      return resp.json();
    })
    .then(render, function () {
      var box = clear(lang || 'zh');
      box.appendChild(el('p', 'summary', 'empty', text().failed));
      host.setAttribute('data-tributary-error', '1');
    });

  function text() {
    return texts[lang] || texts.zh;
  }

  function render(feed) {
    var section = feed.section || {};
    if (!lang) {
      lang = langOf(str(section.language)) || 'zh';
    }
    var box = clear(lang);
    var entries = Array.isArray(feed.entries) ? feed.entries : [];
    var list = el('ul', oneLine ? 'list lines-1' : 'list', 'list');
    entries.forEach(function (e) {
      list.appendChild(item(e, str(section.timezone)));
    });
    if (entries.length === 0) {
      list.appendChild(el('li', 'empty', 'empty', text().empty));
    }
    box.appendChild(list);
    var home = moreURL || safeURL(section.url);
    if (home) {
      var more = el('a', 'more', 'more', text().more);
      more.href = home;
      more.target = '_blank';
      more.rel = 'noopener';
      box.appendChild(more);
    }
    host.setAttribute('data-tributary-count', String(entries.length));
    host.dispatchEvent(new CustomEvent('tributary:rendered', { detail: { count: entries.length } }));
  }

  function item(e, zone) {
    var li = el('li', 'item', 'item');
    if (e.pinned === true) {
      li.appendChild(el('span', 'pin', 'pin', text().pinned));
    }
    var link = safeURL(e.url);
    var title = el(link ? 'a' : 'span', 'title', 'title', str(e.title));
    title.title = str(e.title);
    if (link) {
      title.href = link;
      title.target = '_blank';
      title.rel = 'noopener';
    }
    li.appendChild(title);
    var meta = el('span', 'meta', 'meta', '');
    var shown = dateOf(e, zone);
    if (showSource && e.source && e.source.title) {
      meta.appendChild(el('span', 'source', 'source', str(e.source.title) + (shown ? ' ' : '')));
    }
    if (shown) {
      var time = el('time', 'date', 'date', shown);
      time.setAttribute('datetime', str(e.date_published));
      meta.appendChild(time);
    }
    if (meta.firstChild) {
      li.appendChild(meta);
    }
    if (summary > 0 && e.summary) {
      li.appendChild(el('p', 'summary', 'summary', cut(str(e.summary), summary)));
    }
    return li;
  }

  function shadowOf(node) {
    var r = node.shadowRoot;
    if (!r) {
      try {
        r = node.attachShadow({ mode: 'open' });
      } catch (err) {
        r = node; // an element that cannot host a shadow root
      }
    }
    // Constructed sheets are not inline styles, so a strict host CSP
    // (style-src without 'unsafe-inline') still lets them apply.
    if (r !== node && 'adoptedStyleSheets' in r && typeof CSSStyleSheet === 'function') {
      try {
        var sheet = new CSSStyleSheet();
        sheet.replaceSync(css);
        r.adoptedStyleSheets = [sheet];
        return r;
      } catch (err) { /* fall back to a style element */ }
    }
    r.appendChild(el('style', '', '', css));
    return r;
  }

  // clear empties the root and returns a fresh box in the theme.
  function clear(boxLang) {
    Array.prototype.slice.call(root.childNodes).forEach(function (n) {
      if (n.nodeName !== 'STYLE') {
        root.removeChild(n);
      }
    });
    var box = el('div', 'box ' + theme + (transparent ? ' transparent' : ''), 'box', '');
    box.lang = boxLang === 'en' ? 'en' : 'zh-CN';
    root.appendChild(box);
    return box;
  }

  function el(tag, cls, part, content) {
    var node = document.createElement(tag);
    if (cls) {
      node.className = cls;
    }
    if (part) {
      node.setAttribute('part', part);
    }
    if (content) {
      node.textContent = content;
    }
    return node;
  }

  function safeURL(u) {
    if (typeof u !== 'string' || u === '') {
      return '';
    }
    try {
      var parsed = new URL(u, src);
      return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : '';
    } catch (err) {
      return '';
    }
  }

  // dateOf is the date an entry shows in the chosen style, always in the
  // section's zone: date_published carries the zone's offset, so its
  // month and day are the section's.
  function dateOf(e, zone) {
    if (dateStyle === 'none') {
      return '';
    }
    if (dateStyle === 'short') {
      var m = /^\d{4}-(\d{2})-(\d{2})T/.exec(str(e.date_published));
      if (m) {
        return m[1] + '-' + m[2];
      }
      return zoneDate(e.date_published, zone).slice(5);
    }
    return str(e.display_date) || zoneDate(e.date_published, zone);
  }

  // choice is data-NAME's value when it is one of allowed, else def (with
  // a warning when the page set something else).
  function choice(name, v, allowed, def) {
    if (v === undefined || v === '') {
      return def;
    }
    if (allowed.indexOf(v) >= 0) {
      return v;
    }
    warn('data-' + name + '="' + v + '" is not one of ' + allowed.join(', ') + '; ignored');
    return def;
  }

  // httpURL is u when it is an absolute http(s) URL, else ''.
  function httpURL(u) {
    try {
      var parsed = new URL(u);
      return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : '';
    } catch (err) {
      return '';
    }
  }

  function warn(msg) {
    if (typeof console !== 'undefined' && console.warn) {
      console.warn('Tributary widget: ' + msg);
    }
  }

  // zoneDate is the fallback for a server that sends no display_date: the
  // ISO date in the section's zone, never the visitor's.
  function zoneDate(iso, zone) {
    var d = new Date(str(iso));
    if (isNaN(d.getTime()) || !zone) {
      return '';
    }
    try {
      return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
    } catch (err) {
      return '';
    }
  }

  // langOf maps a BCP 47 tag to ours: zh* is Chinese, any other tag
  // English, no tag undecided.
  function langOf(tag) {
    if (!tag) {
      return '';
    }
    return /^zh\b/i.test(tag) ? 'zh' : 'en';
  }

  function cut(s, n) {
    var chars = Array.from(s);
    return chars.length <= n ? s : chars.slice(0, n).join('').trim() + '…';
  }

  function str(v) {
    return typeof v === 'string' ? v : '';
  }

  function intOption(v, lo, hi, def) {
    var n = parseInt(v, 10);
    return isNaN(n) ? def : Math.min(hi, Math.max(lo, n));
  }
}());
