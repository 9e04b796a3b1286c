package publish

import (
	"net/http"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// TestServer_ETagFollowsConfig: the section's version alone does not
// name a render's bytes. A restart with another footer or date layout,
// or a reload that retitles the section or moves its zone, serves new
// bytes under a new ETag, so a reader revalidating with the old tag gets
// them instead of a 304 for the old page.
func TestServer_ETagFollowsConfig(t *testing.T) {
	fx := loadFixture(t)
	base := Options{BaseURL: testBaseURL, Sections: []model.Section{fx.Section}}
	tagOf := func(s *Server, path string) (string, int) {
		t.Helper()
		ts := newHTTPTest(t, s)
		resp, _ := get(t, ts, path)
		return resp.Header.Get("ETag"), resp.StatusCode
	}
	first := NewServer(newFakeReader(fx), base)
	for _, path := range []string{"/sections/news", "/sections/news.rss", "/embed/news.html", "/sections/news.json"} {
		old, _ := tagOf(first, path)
		restarts := map[string]func(*Options){
			"footer":      func(o *Options) { o.Site.FooterText = "京ICP备00000000号" },
			"date layout": func(o *Options) { o.DateFormat = "2006年1月2日" },
			"site title":  func(o *Options) { o.Site.Title = "区域教育门户" },
		}
		for name, edit := range restarts {
			opts := base
			edit(&opts)
			s := NewServer(newFakeReader(fx), opts)
			if tag, _ := tagOf(s, path); tag == old {
				t.Errorf("%s after a restart with another %s: ETag %s unchanged", path, name, tag)
			}
			ts := newHTTPTest(t, s)
			if resp, _ := fetch(t, ts, http.MethodGet, path, map[string]string{"If-None-Match": old}); resp.StatusCode != http.StatusOK {
				t.Errorf("%s revalidated with the old tag after another %s: %d, want 200", path, name, resp.StatusCode)
			}
		}
		// Reloads: the same server, the section retitled or rezoned.
		s := NewServer(newFakeReader(fx), base)
		before, _ := tagOf(s, path)
		sec := fx.Section
		sec.Title = "新闻中心"
		if err := s.SetSections([]model.Section{sec}, nil); err != nil {
			t.Fatal(err)
		}
		retitled, _ := tagOf(s, path)
		sec.Location = time.FixedZone("UTC+9", 9*3600)
		if err := s.SetSections([]model.Section{sec}, nil); err != nil {
			t.Fatal(err)
		}
		rezoned, _ := tagOf(s, path)
		if before == retitled || retitled == rezoned {
			t.Errorf("%s ETags across reloads %s → %s → %s: want a new one for each", path, before, retitled, rezoned)
		}
		// The same config twice: the same tag, so nothing is re-sent.
		if again, _ := tagOf(NewServer(newFakeReader(fx), base), path); again != old {
			t.Errorf("%s: ETag %s from one server, %s from another with the same config", path, old, again)
		}
	}
}
