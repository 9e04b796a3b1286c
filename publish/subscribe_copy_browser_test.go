package publish

import (
	"context"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/tributary-rss/tributary/aggregator/model"
)

// TestSubscribe_ChromiumCopy clicks the RSS copy button of the subscribe
// page, as served with its own policy, on a phone's viewport in headless
// Chromium: a real click lets the browser copy, and the status line says
// so with the address.
func TestSubscribe_ChromiumCopy(t *testing.T) {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium not installed (apt-get install chromium)")
	}
	sec := model.Section{ID: "news", Title: "资讯"}
	ts := newHTTPTest(t, NewServer(newFakeReader(fixture{}), Options{BaseURL: testBaseURL, Sections: []model.Section{sec}}))
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
		chromedp.Navigate(ts.URL+"/sections/news/subscribe?lang=zh"),
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
