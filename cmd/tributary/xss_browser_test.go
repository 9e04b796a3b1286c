package main

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/normalize/xsstest"
)

// TestDaemon_XSSCorpus puts the OWASP corpus, adapted so that running
// makes itself seen, in every field of RSS, Atom and JSON Feed sources
// (escaped, CDATA and as escaped text), lets the daemon ingest them, and
// checks every output: feeds and API carry no script-capable markup, and
// no HTML output runs any of it in headless Chromium.
func TestDaemon_XSSCorpus(t *testing.T) {
	env := startXSSEnv(t)
	t.Run("feeds", func(t *testing.T) { testXSSFeeds(t, env) })
	t.Run("browser", func(t *testing.T) {
		chromium, err := exec.LookPath("chromium")
		if err != nil {
			t.Skip("chromium not installed (apt-get install chromium)")
		}
		b := &browser{chromium: chromium, canary: env.canary}
		// The control runs beside the pages, which load one at a time so
		// that a canary hit names its page.
		t.Run("control", func(t *testing.T) {
			t.Parallel()
			testXSSControl(t, env, b)
		})
		t.Run("pages", func(t *testing.T) {
			t.Parallel()
			testXSSPages(t, env, b)
		})
	})
}

// testXSSPages loads every HTML output of the daemon.
func testXSSPages(t *testing.T, env *xssEnv, b *browser) {
	t.Run("index", func(t *testing.T) {
		dom := b.load(t, env.d.base+"/")
		if !strings.Contains(dom, `href="/sections/all"`) {
			t.Errorf("index lists no section:\n%s", dom)
		}
	})
	t.Run("section pages", func(t *testing.T) { testXSSSectionPages(t, env, b) })
	t.Run("embed fragment", func(t *testing.T) {
		dom := b.load(t, env.d.base+"/embed/all.html?summary=1000&limit=1000")
		if n := strings.Count(dom, `<li class="trib-item">`); n != env.entries["all"] {
			t.Errorf("fragment shows %d entries, want %d", n, env.entries["all"])
		}
		wantText(t, dom, html.EscapeString("[atom-text #42] <svg/onload="), html.EscapeString("<SCRIPT/XSS SRC="))
	})
	t.Run("widget", func(t *testing.T) { testXSSWidget(t, env, b) })
	t.Run("status", func(t *testing.T) {
		dom := b.load(t, env.d.base+"/status")
		if n := strings.Count(dom, `<tr id="source-`); n != len(env.feeds) {
			t.Errorf("status lists %d sources, want %d", n, len(env.feeds))
		}
		wantText(t, dom, html.EscapeString("[rss-text feed 0] <SCRIPT SRC="))
	})
}

// testXSSControl proves the harness sees execution: a page the test serves
// without any defence, holding the adapted corpus raw (each vector in its
// own srcdoc frame, then all inline), must trip both detectors.
func testXSSControl(t *testing.T, env *xssEnv, b *browser) {
	kind := xsstest.Kind{Format: strings.TrimSuffix(controlTag, "-"), Variant: xsstest.Markup}
	var page strings.Builder
	page.WriteString("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>control</title></head><body>\n")
	for i, v := range xsstest.Vectors() {
		fmt.Fprintf(&page, "<iframe srcdoc=\"%s\"></iframe>\n", html.EscapeString(env.gen.Adapt(kind, "srcdoc", i+1, v)))
	}
	for i, v := range xsstest.Vectors() {
		fmt.Fprintf(&page, "<div>%s</div>\n", env.gen.Adapt(kind, "inline", i+1, v))
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(page.String()))
	}))
	defer srv.Close()

	mark := env.canary.mark()
	dom := b.dumpDOM(t, srv.URL+"/")
	if effects := pageEffects(dom); len(effects) == 0 {
		t.Errorf("the raw corpus ran no payload visibly: the detector is blind")
	}
	fired := map[string]bool{}
	for _, h := range env.canary.suspicious(mark, true) {
		if tag, ok := strings.CutPrefix(h.path, "/exec/"+kind.Name()+".srcdoc."); ok {
			fired[strings.TrimSuffix(tag, ".loaded")] = true
		}
	}
	t.Logf("unsanitized, %d of %d corpus vectors ran in Chromium", len(fired), len(xsstest.Vectors()))
	// The others need IE, Netscape, a click or a plugin; a dozen live
	// vectors show the adaptation kept them working.
	if len(fired) < 12 {
		t.Errorf("only %d vectors reached the canary unsanitized; the adaptation or the canary is broken", len(fired))
	}
}

// testXSSSectionPages follows the section's paging to its last page.
func testXSSSectionPages(t *testing.T, env *xssEnv, b *browser) {
	next := regexp.MustCompile(`<a rel="next" href="([^"]+)"`)
	path, pages, shown := "/sections/all?limit=250", 0, 0
	var all strings.Builder
	for path != "" {
		dom := b.load(t, env.d.base+path)
		all.WriteString(dom)
		pages++
		shown += strings.Count(dom, `<li class="entry">`)
		path = ""
		if m := next.FindStringSubmatch(dom); m != nil {
			path = html.UnescapeString(m[1])
		}
		if pages > 10 {
			t.Fatal("paging does not end")
		}
	}
	if pages < 3 || shown != env.entries["all"] {
		t.Errorf("%d pages showed %d entries, want at least 3 pages and %d entries", pages, shown, env.entries["all"])
	}
	wantText(t, all.String(),
		html.EscapeString("[rss-text #1] <SCRIPT SRC="),
		html.EscapeString("[json-text #45] <math><mtext>"),
		"[rss-markup #3]", "[atom-cdata #91]")
}

// widgetHost embeds every widget section from the daemon (TRIB) and copies
// what each rendered in its shadow root into light DOM for --dump-dom.
const widgetHost = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>host page</title></head>
<body>
<div class="box" id="w1"></div><div class="box" id="w2"></div><div class="box" id="w3"></div><div class="box" id="w4"></div>
<pre id="dump"></pre>
<script>
document.querySelectorAll('.box').forEach(function (box) {
  box.addEventListener('tributary:rendered', function (e) {
    var out = [];
    this.shadowRoot.querySelectorAll('li').forEach(function (li) {
      var a = li.querySelector('a.title');
      out.push('ITEM ' + li.textContent + ' HREF ' + (a ? a.getAttribute('href') : 'none'));
    });
    document.getElementById('dump').textContent += out.join('\n') + '\n';
    document.body.setAttribute('data-rendered-' + this.id, String(e.detail.count));
  });
});
</script>
<script src="TRIB/embed/w1.js" data-count="200" data-summary="1000" data-target="w1"></script>
<script src="TRIB/embed/w2.js" data-count="200" data-summary="1000" data-target="w2"></script>
<script src="TRIB/embed/w3.js" data-count="200" data-summary="1000" data-target="w3"></script>
<script src="TRIB/embed/w4.js" data-count="200" data-summary="1000" data-target="w4"></script>
</body></html>`

// testXSSWidget loads a page of another origin embedding the widgets.
func testXSSWidget(t *testing.T, env *xssEnv, b *browser) {
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(strings.ReplaceAll(widgetHost, "TRIB", env.d.base)))
	}))
	defer host.Close()
	dom := b.load(t, host.URL+"/")
	for _, id := range xssWidgetSections {
		want := fmt.Sprintf(`data-rendered-%s="%d"`, id, env.entries[id])
		if env.entries[id] == 0 || !strings.Contains(dom, want) {
			t.Errorf("widget %s did not render its %d entries (want %s)", id, env.entries[id], want)
		}
	}
	if n := strings.Count(dom, "ITEM ["); n != env.entries["all"] {
		t.Errorf("widgets show %d entries, want %d", n, env.entries["all"])
	}
	wantText(t, dom, html.EscapeString("ITEM [json-text #16] <img src=x onerror="), "HREF none")
}

// browser loads pages in headless Chromium and fails the test on any sign
// that a payload ran.
type browser struct {
	chromium string
	canary   *canary
}

// load returns the DOM of url after its scripts and timers ran, failing t
// if a payload retitled the page, added its element, or reached the canary.
func (b *browser) load(t *testing.T, url string) string {
	t.Helper()
	mark := b.canary.mark()
	dom := b.dumpDOM(t, url)
	for _, e := range pageEffects(dom) {
		t.Errorf("an XSS payload ran on %s: %s", url, e)
	}
	for _, h := range b.canary.suspicious(mark, false) {
		t.Errorf("an XSS payload ran on %s: the canary got %s", url, h)
	}
	return dom
}

func (b *browser) dumpDOM(t *testing.T, url string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, b.chromium,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-quic", "--no-first-run", "--user-data-dir="+t.TempDir(),
		"--virtual-time-budget=5000", "--dump-dom", url)
	out, err := cmd.Output()
	if ctx.Err() != nil {
		// Seen when a payload ran and kept the page busy.
		t.Fatalf("chromium did not finish %s within 90s", url)
	}
	if err != nil {
		t.Fatalf("chromium %s: %v", url, err)
	}
	return string(out)
}

// pageEffects lists the marks a payload leaves in a dumped DOM.
func pageEffects(dom string) []string {
	var out []string
	if strings.Contains(dom, "<"+xsstest.MarkerElement) {
		out = append(out, "a <"+xsstest.MarkerElement+"> element was added")
	}
	if strings.Contains(dom, xsstest.MarkerTitle+"</title>") {
		out = append(out, "the document was retitled "+xsstest.MarkerTitle)
	}
	return out
}

// wantText fails t for each of texts missing from dom: proof the page
// showed the hostile entries, as text.
func wantText(t *testing.T, dom string, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if !strings.Contains(dom, s) {
			t.Errorf("page lacks %q", s)
		}
	}
}
