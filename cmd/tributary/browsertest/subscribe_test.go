package browsertest

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// TestSubscribe_ChromiumCopy clicks the RSS copy button of the subscribe
// page, as the daemon serves it with its own policy, on a phone's
// viewport in headless Chromium: a real click lets the browser copy, and
// the status line says so with the address.
func TestSubscribe_ChromiumCopy(t *testing.T) {
	chromium := needChromium(t, "the subscribe page's copy test needs it")
	alpha := serveFixture(t, "alpha.xml", "application/rss+xml; charset=utf-8", map[string]string{"{{TITLE}}": "Alpha 第三条"})
	d := startDaemon(t, daemonConfig{baseURL: "https://feeds.example.org", sources: []string{alpha.URL + "/feed.xml"}})
	ctx := newBrowser(t, chromium)
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
		chromedp.Navigate(d.base+"/sections/news/subscribe?lang=zh"),
		chromedp.WaitVisible(chromedp.CSS(`button[data-copy="feed-rss"]`)),
		chromedp.Click(chromedp.CSS(`button[data-copy="feed-rss"]`)),
	); err != nil {
		t.Fatalf("open the page and click copy: %v", err)
	}
	// The status line changes once the copy has succeeded or failed.
	status, err := chromedp.Run(ctx, chromedp.Evaluate[string](`new Promise(function (resolve) {
  var s = document.querySelector('.sub-status');
  if (s.textContent) { resolve(s.textContent); return; }
  new MutationObserver(function () { resolve(s.textContent); }).observe(s, {childList: true, characterData: true, subtree: true});
})`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("status line: %v", err)
	}
	if want := "已复制: https://feeds.example.org/sections/news.rss"; status != want {
		t.Errorf("after a click the status says %q, want %q", status, want)
	}
}
