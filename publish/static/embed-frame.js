/* Tributary iframe fragment: tells the host page how tall the fragment is,
 * on load and whenever it changes, so the host can size the iframe:
 *
 *   <iframe id="trib-news" src="https://feeds.example.org/embed/news.html" style="width:100%;border:0" title="News"></iframe>
 *   <script>addEventListener("message",function(e){if(e.origin==="https://feeds.example.org"&&e.data&&e.data.type==="tributary:height"&&e.data.section==="news")document.getElementById("trib-news").style.height=e.data.height+"px"})</script>
 *
 * The message carries only the section id and a number, so it is posted to
 * any origin: the host is whoever framed us.
 */
(function () {
  'use strict';

  if (window.parent === window) {
    return;
  }
  var root = document.documentElement;
  var section = root.getAttribute('data-section') || '';
  var last = -1;

  function report() {
    // The html element's own box, not scrollHeight, which never falls
    // below the frame's current height and so could only grow.
    var height = Math.ceil(root.getBoundingClientRect().height);
    if (height === last) {
      return;
    }
    last = height;
    window.parent.postMessage({ type: 'tributary:height', section: section, height: height }, '*');
  }

  if (typeof ResizeObserver === 'function') {
    new ResizeObserver(report).observe(root);
  }
  window.addEventListener('load', report);
  window.addEventListener('resize', report);
  report();
}());
