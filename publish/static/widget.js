/* Tributary headline widget.
 *
 * <script src="https://feeds.example.org/embed/news.js" data-count="8"
 *         data-summary="60" data-target="news-box" data-lang="zh" async></script>
 *
 * Renders a section's headlines into a shadow root (the host page's styles
 * do not leak in, ours do not leak out). Feed text is only ever set with
 * textContent and links must be http(s), so a hostile title cannot run
 * script. Everything lives inside this function: no globals.
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
  var lang = data.lang === 'en' || data.lang === 'zh' ? data.lang :
    (/^en\b/i.test(navigator.language || '') ? 'en' : 'zh');
  var text = lang === 'en' ?
    { more: 'More »', empty: 'No entries yet.', failed: 'Headlines could not be loaded.' } :
    { more: '更多 »', empty: '暂无内容。', failed: '内容加载失败。' };

  var css = [
    ':host { display: block; font: 14px/1.5 system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; }',
    'ul { list-style: none; margin: 0; padding: 0; }',
    'li { display: flex; flex-wrap: wrap; justify-content: space-between; gap: 0 .75rem; padding: .35rem 0; border-bottom: 1px solid #e3e3e3; }',
    'a { color: #0b57d0; text-decoration: none; } a:hover, a:focus { text-decoration: underline; }',
    '.title { flex: 1 1 14rem; overflow-wrap: anywhere; }',
    '.meta { color: #5f6368; font-size: .85em; white-space: nowrap; }',
    '.summary { flex-basis: 100%; margin: .15rem 0 0; color: #5f6368; }',
    '.more { display: block; text-align: right; padding-top: .35rem; font-size: .85em; }'
  ].join('\n');

  var host = data.target ? document.getElementById(data.target) : null;
  if (!host) {
    host = document.createElement('div');
    script.parentNode.insertBefore(host, script.nextSibling);
  }
  var root = shadowOf(host);
  var api = src.origin + match[1] + '/api/v1/sections/' + match[2] + '/entries?limit=' + count;

  fetch(api, { mode: 'cors', credentials: 'omit' })
    .then(function (resp) {
      if (!resp.ok) {
        throw new Error('HTTP ' + resp.status);
      }
      return resp.json();
    })
    .then(render, function () {
      clear();
      root.appendChild(el('p', 'summary', text.failed));
      host.setAttribute('data-tributary-error', '1');
    });

  function render(feed) {
    clear();
    var entries = Array.isArray(feed.entries) ? feed.entries : [];
    var list = el('ul', 'list');
    entries.forEach(function (e) {
      list.appendChild(item(e));
    });
    if (entries.length === 0) {
      list.appendChild(el('li', 'meta', text.empty));
    }
    root.appendChild(list);
    var home = safeURL(feed.section && feed.section.url);
    if (home) {
      var more = el('a', 'more', text.more);
      more.href = home;
      more.target = '_blank';
      more.rel = 'noopener';
      root.appendChild(more);
    }
    host.setAttribute('data-tributary-count', String(entries.length));
    host.dispatchEvent(new CustomEvent('tributary:rendered', { detail: { count: entries.length } }));
  }

  function item(e) {
    var li = el('li', 'item');
    var link = safeURL(e.url);
    var title = el(link ? 'a' : 'span', 'title', str(e.title));
    if (link) {
      title.href = link;
      title.target = '_blank';
      title.rel = 'noopener';
    }
    li.appendChild(title);
    var meta = el('span', 'meta', '');
    if (e.source && e.source.title) {
      meta.appendChild(el('span', 'source', str(e.source.title) + ' '));
    }
    var date = new Date(e.date_published);
    if (!isNaN(date.getTime())) {
      var time = el('time', '', formatDate(date));
      time.dateTime = date.toISOString();
      meta.appendChild(time);
    }
    li.appendChild(meta);
    if (summary > 0 && e.summary) {
      li.appendChild(el('p', 'summary', cut(str(e.summary), summary)));
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
    r.appendChild(el('style', '', css));
    return r;
  }

  function clear() {
    Array.prototype.slice.call(root.childNodes).forEach(function (n) {
      if (n.nodeName !== 'STYLE') {
        root.removeChild(n);
      }
    });
  }

  function el(tag, cls, content) {
    var node = document.createElement(tag);
    if (cls) {
      node.className = cls;
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

  function formatDate(d) {
    if (lang === 'zh') {
      return (d.getMonth() + 1) + '月' + d.getDate() + '日';
    }
    return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate());
  }

  function pad(n) {
    return n < 10 ? '0' + n : String(n);
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
