package publish

import (
	"bytes"
	"context"
	"testing"
)

// A failed version re-check means the store is down: renders that were
// trusted are served from then on with the stale Warning, and once the
// store answers again a fresh render replaces them.
func TestServer_RecheckStoreDown(t *testing.T) {
	fx := loadFixture(t)
	r := newFakeReader(fx)
	s, ts := newTestServer(t, r, fx)
	_, warm := get(t, ts, "/sections/news.atom")
	r.setErr(errStoreDown)
	if err := s.Recheck(context.Background()); err == nil {
		t.Fatal("Recheck succeeded with the store down")
	}
	resp, body := get(t, ts, "/sections/news.atom")
	if resp.StatusCode != 200 || !bytes.Equal(body, warm) || resp.Header.Get("Warning") == "" {
		t.Errorf("store down: status %d, same body %v, Warning %q; want 200, the cached feed and a Warning",
			resp.StatusCode, bytes.Equal(body, warm), resp.Header.Get("Warning"))
	}
	r.setErr(nil)
	if err := s.Recheck(context.Background()); err != nil {
		t.Fatal(err)
	}
	if resp, _ := get(t, ts, "/sections/news.atom"); resp.StatusCode != 200 || resp.Header.Get("Warning") != "" {
		t.Errorf("store back: status %d, Warning %q; want 200 without a Warning", resp.StatusCode, resp.Header.Get("Warning"))
	}
}
