package publish

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// widgetHostPage is a Chinese portal page (no data-lang anywhere) with the
// widget twice: light and one-line, and dark with a host colour through a
// custom property. For each it writes into light DOM what a visitor sees
// and what the browser computed inside the shadow root.
const widgetHostPage = `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>portal</title>
<style>#dark { --trib-link: rgb(1, 2, 3); } .box { width: 220px; }</style></head>
<body>
<div id="light" class="box"></div>
<div id="dark" class="box"></div>
<div id="out"></div>
<script>
(function () {
  function report(id) {
    return function () {
      var root = this.shadowRoot;
      var title = root.querySelector('.title');
      var box = root.querySelector('.box');
      var date = root.querySelector('time');
      var more = root.querySelector('a.more');
      var cs = getComputedStyle(title);
      var line = [id,
        'DATE=' + date.textContent,
        'WS=' + cs.whiteSpace, 'TO=' + cs.textOverflow,
        'MORE=' + (more ? more.textContent : 'none'),
        'LANG=' + box.lang,
        'FG=' + getComputedStyle(box).color.replace(/ /g, ''),
        'LINK=' + cs.color.replace(/ /g, ''),
        'PARTS=' + [title, date, more, root.querySelector('ul'), root.querySelector('li')].map(function (n) { return n.getAttribute('part'); }).join(','),
        'TZ=' + Intl.DateTimeFormat().resolvedOptions().timeZone,
        'VISITORDAY=' + new Date(date.getAttribute('datetime')).getDate()
      ].join(' ');
      var p = document.createElement('p');
      p.textContent = 'REPORT ' + line;
      document.getElementById('out').appendChild(p);
    };
  }
  document.getElementById('light').addEventListener('tributary:rendered', report('light'));
  document.getElementById('dark').addEventListener('tributary:rendered', report('dark'));
}());
</script>
<script src="TRIB/embed/news.js" data-target="light" data-lines="1" data-count="3"></script>
<script src="TRIB/embed/news.js" data-target="dark" data-theme="dark" data-count="3"></script>
</body></html>`

// frameHostPage frames the fragment and sizes it with the two-line snippet
// of the documentation, then writes the height it received into the DOM.
const frameHostPage = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>portal</title></head>
<body>
<iframe id="trib-news" src="TRIB/embed/news.html?lines=1" style="width:100%;border:0" title="News"></iframe>
<script>addEventListener("message",function(e){if(e.origin==="TRIB"&&e.data&&e.data.type==="tributary:height"&&e.data.section==="news")document.getElementById("trib-news").style.height=e.data.height+"px"})</script>
<p id="got">none</p>
<script>addEventListener("message",function(e){if(e.data&&e.data.type==="tributary:height")document.getElementById("got").textContent="HEIGHT "+e.data.section+" "+e.data.height+" FROM "+e.origin})</script>
</body></html>`

// TestWidget_ChromiumVisitorZone loads host pages from one loopback origin
// embedding the widget and the iframe from another, in headless Chromium
// whose zone is America/Los_Angeles: the entry published at 2026-11-17
// 00:00 in the section's zone (16 November for the visitor) shows as
// 2026-11-17 in both themes; one-line mode ellipsizes; the language
// follows <html lang="zh-CN">; the iframe reports its height.
func TestWidget_ChromiumVisitorZone(t *testing.T) {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium not installed (apt-get install chromium)")
	}
	fx := visitorFixture(t)
	trib, _ := newVisitorServer(t, fx, Options{})
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		page := widgetHostPage
		if r.URL.Path == "/frame" {
			page = frameHostPage
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(strings.ReplaceAll(page, "TRIB", trib.URL)))
	}))
	defer host.Close()
	env := append(os.Environ(), "TZ=America/Los_Angeles")

	dom := dumpDOMEnv(t, chromium, host.URL+"/", env)
	reports := map[string]string{}
	for _, m := range regexp.MustCompile(`REPORT (\w+) ([^<]*)`).FindAllStringSubmatch(dom, -1) {
		reports[m[1]] = m[2]
	}
	tests := []struct {
		theme string
		want  []string
	}{
		{"light", []string{"DATE=2026-11-17 ", "WS=nowrap", "TO=ellipsis", "MORE=更多 »", "LANG=zh-CN", "FG=rgb(27,27,27)", "LINK=rgb(11,87,208)"}},
		{"dark", []string{"DATE=2026-11-17 ", "TO=clip", "MORE=更多 »", "LANG=zh-CN", "FG=rgb(232,232,232)", "LINK=rgb(1,2,3)"}},
	}
	for _, tt := range tests {
		t.Run(tt.theme, func(t *testing.T) {
			got, ok := reports[tt.theme]
			if !ok {
				t.Fatalf("the widget did not render:\n%s", dom)
			}
			// The visitor's zone really is Los Angeles, where the entry's
			// instant falls on the 16th.
			for _, w := range append(tt.want, "TZ=America/Los_Angeles", "VISITORDAY=16", "PARTS=title,date,more,list,item") {
				if !strings.Contains(got+" ", w) {
					t.Errorf("%s lacks %s", got, w)
				}
			}
		})
	}

	frame := dumpDOMEnv(t, chromium, host.URL+"/frame", env)
	m := regexp.MustCompile(`HEIGHT news (\d+) FROM (\S+)<`).FindStringSubmatch(frame)
	if m == nil {
		t.Fatalf("the host page got no height message:\n%s", frame)
	}
	if h, _ := strconv.Atoi(m[1]); h <= 0 || m[2] != trib.URL {
		t.Errorf("height %s from %s", m[1], m[2])
	}
	// The documented snippet sized the frame.
	if !strings.Contains(frame, "height: "+m[1]+"px") {
		t.Errorf("the snippet did not set the height:\n%s", frame)
	}
}

func dumpDOMEnv(t *testing.T, chromium, url string, env []string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-quic", "--no-first-run", "--user-data-dir="+t.TempDir(),
		"--virtual-time-budget=5000", "--dump-dom", url)
	cmd.Env = env
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	return string(out)
}
