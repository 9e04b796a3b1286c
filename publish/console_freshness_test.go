package publish

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/tributary-rss/tributary/publish/i18n"
)

// TestConsole_freshness: the report page in the console, Chinese by
// default: stalest first with each school's newest entry, its silence, its
// entries and a sparkline, the summaries a bureau quotes, GET filters, and
// links to each source's page and to the exports.
func TestConsole_freshness(t *testing.T) {
	b := newBureau(t)
	srv, _ := b.server(t, nil)
	env := &consoleEnv{s: srv, ts: newHTTPTest(t, srv)}
	c := env.client(t)
	if resp, _ := c.get("/admin/freshness"); resp.StatusCode != http.StatusSeeOther ||
		resp.Header.Get("Location") != "/admin/signin?next=%2Fadmin%2Ffreshness" {
		t.Fatalf("signed out: %d to %q, want the sign-in page", resp.StatusCode, resp.Header.Get("Location"))
	}
	c.mustSignIn()
	_, overview := c.get("/admin/")
	for _, want := range []string{`<a href="/admin/freshness">更新情况</a>`, `<a href="/admin/freshness">网站更新情况：3 个来源超过期限未更新</a>`} {
		if !strings.Contains(overview, want) {
			t.Errorf("overview lacks %s", want)
		}
	}
	resp, page := c.get("/admin/freshness")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("report: %d %s", resp.StatusCode, page)
	}
	for _, want := range []string{
		`<h1>网站更新情况</h1>`, `日期为北京时间`,
		`<strong>共 6 个来源，其中 3 个超过各自的期限未更新</strong>`,
		`<span class="fresh-section">学校动态 (schools)</span> 共 5 个来源，其中 3 个超过各自的期限未更新`,
		`<span class="fresh-section">通知公告 (notices)</span> 共 2 个来源，其中 1 个超过 7 天未更新`,
		`<a href="/admin/sources/sx">实验小学</a>`, `<time datetime="2025-02-19">2025-02-19</time> · <span class="silence">40 天未更新</span>`,
		`<span class="silence">从未更新</span>`, `<span class="silence">1 天未更新</span>`,
		`<dt>近 30 天条目</dt><dd class="num">10 条</dd>`,
		`<a class="button" href="/admin/freshness.csv" download>`, `href="/admin/freshness.json"`,
		`<svg class="spark"`, `<title>近 30 天每天新增的条目，共 10 条</title>`,
		`<option value="notices">通知公告 (notices)</option>`, `<option value="30" selected>近 30 天</option>`,
		`=HYPERLINK(&#34;http://evil.example&#34;,&#34;教育局通知&#34;)`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("report lacks %s", want)
		}
	}
	if got := cardOrder(page); !slices.Equal(got, []string{"yey", "sx", "ez", "zx", "tz", "yz"}) {
		t.Errorf("cards %v, want the stalest first", got)
	}
	if n := strings.Count(page, `<svg class="spark"`); n != 6 {
		t.Errorf("%d sparklines, want 6", n)
	}
	_, page = c.get("/admin/freshness?section=notices&show=stale&days=7")
	if got := cardOrder(page); !slices.Equal(got, []string{"zx"}) || !strings.Contains(page, `<option value="notices" selected>`) ||
		!strings.Contains(page, `href="/admin/freshness.csv?days=7&amp;section=notices&amp;show=stale"`) ||
		!strings.Contains(page, `<dt>近 7 天条目</dt>`) {
		t.Errorf("filtered report: cards %v\n%s", got, page)
	}
	resp, doc := c.get("/admin/freshness.json?section=notices")
	if resp.StatusCode != http.StatusOK || !strings.Contains(doc, `"id": "zx"`) || strings.Contains(doc, `"id": "sx"`) {
		t.Errorf("the page's JSON to its session: %d %s", resp.StatusCode, doc)
	}
	_, page = c.get("/admin/freshness?show=fresh&section=notices")
	if got := cardOrder(page); !slices.Equal(got, []string{"tz"}) {
		t.Errorf("fresh notices: %v", got)
	}
	resp, page = c.get("/admin/freshness?days=365")
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, "from 1 to 90") {
		t.Errorf("?days=365: %d, want 400 saying the range", resp.StatusCode)
	}
	_, page = c.get("/admin/freshness?lang=en")
	for _, want := range []string{"Freshness report", "Dates in Beijing time", "40 days without an update", "never updated",
		"6 sources, 3 of them quiet for longer than their limit"} {
		if !strings.Contains(page, want) {
			t.Errorf("English report lacks %q", want)
		}
	}
	_, page = c.get("/admin/sources/sx?lang=zh")
	if !strings.Contains(page, `<span class="state state-stale">超期未更新</span>`) || !strings.Contains(page, "2025-02-19 · 40 天未更新") {
		t.Errorf("source page shows no staleness")
	}
}

var cardID = regexp.MustCompile(`<li class="source card fresh[^"]*" id="source-([a-z]+)">`)

func cardOrder(page string) []string {
	var ids []string
	for _, m := range cardID.FindAllStringSubmatch(page, -1) {
		ids = append(ids, m[1])
	}
	return ids
}

// readCSV reads a CSV file with Python's csv module, decoding it as Excel
// and most tools do a UTF-8 file with a BOM ("utf-8-sig"); it skips the
// test without python3.
func readCSV(t *testing.T, data []byte) [][]string {
	t.Helper()
	py := "/usr/bin/python3"
	if _, err := os.Stat(py); err != nil {
		t.Skip("python3 not installed at /usr/bin/python3: cannot check the CSV with Python's csv module")
	}
	path := filepath.Join(t.TempDir(), "网站更新情况.csv")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	script := `import csv, json, sys
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    print(json.dumps(list(csv.reader(f)), ensure_ascii=False))`
	out, err := exec.Command(py, "-c", script, path).Output()
	if err != nil {
		t.Fatalf("python csv: %v", err)
	}
	var rows [][]string
	if err := json.Unmarshal(out, &rows); err != nil {
		t.Fatalf("python csv output %s: %v", out, err)
	}
	return rows
}

// TestConsole_freshnessCSV: the report as CSV for Excel (a BOM, Chinese
// headers, stalest first, formulas kept as text), to a signed-in browser
// and to the admin token, read back by Python's csv module.
func TestConsole_freshnessCSV(t *testing.T) {
	b := newBureau(t)
	srv, _ := b.server(t, nil)
	env := &consoleEnv{s: srv, ts: newHTTPTest(t, srv)}
	auth := map[string]string{"Authorization": "Bearer " + consoleToken}
	resp, body := fetch(t, env.ts, "GET", "/admin/freshness.csv", auth)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/csv; charset=utf-8" {
		t.Fatalf("csv with the token: %d %s", resp.StatusCode, body)
	}
	if !bytes.HasPrefix(body, []byte("\xef\xbb\xbf")) {
		t.Errorf("the CSV starts with % x, not a UTF-8 BOM", body[:min(3, len(body))])
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, `filename="freshness-2025-03-31.csv"`) ||
		!strings.Contains(cd, "filename*=UTF-8''%E7%BD%91%E7%AB%99%E6%9B%B4%E6%96%B0%E6%83%85%E5%86%B5-2025-03-31.csv") {
		t.Errorf("Content-Disposition %q", cd)
	}
	if !bytes.Contains(body, []byte("\r\n")) {
		t.Error("the CSV's lines do not end with CRLF")
	}
	rows := readCSV(t, body)
	wantHeader := []string{"来源", "栏目", "最新条目日期", "未更新天数", "近30天条目数", "状态", "抓取状态", "链接"}
	if len(rows) != 7 || !slices.Equal(rows[0], wantHeader) {
		t.Fatalf("CSV rows %q, want the header %q and 6 sources", rows, wantHeader)
	}
	want := map[int][]string{
		1: {"阳光幼儿园", "学校动态", "", "", "0", "从未更新", "正常", "https://yey.example.edu.cn/rss.xml"},
		2: {"实验小学", "学校动态", "2025-02-19", "40", "0", "超过14天未更新", "正常", "https://sx.example.edu.cn/"},
		4: {"职业学校", "学校动态、通知公告", "2025-03-22", "9", "1", "超过7天未更新", "正常", "https://zx.example.edu.cn/rss.xml"},
		5: {`'=HYPERLINK("http://evil.example","教育局通知")`, "通知公告", "2025-03-29", "2", "1", "正常更新", "正常", "https://tz.example.edu.cn/rss.xml"},
		6: {"第一中学", "学校动态", "2025-03-30", "1", "10", "正常更新", "正常", "https://yz.example.edu.cn/xwzx/"},
	}
	for i, w := range want {
		if !slices.Equal(rows[i], w) {
			t.Errorf("row %d = %q, want %q", i, rows[i], w)
		}
	}
	// A signed-in browser downloads the same file, filtered as asked.
	c := env.client(t)
	c.mustSignIn()
	resp, text := c.get("/admin/freshness.csv?section=notices&days=7")
	rows = readCSV(t, []byte(text))
	if resp.StatusCode != http.StatusOK || len(rows) != 3 || rows[0][4] != "近7天条目数" || rows[1][0] != "职业学校" {
		t.Errorf("notices over 7 days: %d %q", resp.StatusCode, rows)
	}
	bad := []struct {
		path, auth string
		code       int
		msg        string
	}{
		{"/admin/freshness.csv?days=0", "Bearer " + consoleToken, http.StatusBadRequest, `invalid query parameter "days"`},
		{"/admin/freshness.csv?section=x", "Bearer " + consoleToken, http.StatusBadRequest, `"x" is not a configured section`},
		{"/admin/freshness.csv", "", http.StatusUnauthorized, "sign in"},
		{"/admin/freshness.csv", "Bearer wrong", http.StatusUnauthorized, "sign in"},
	}
	for _, tt := range bad {
		hdr := map[string]string{}
		if tt.auth != "" {
			hdr["Authorization"] = tt.auth
		}
		resp, body := fetch(t, env.ts, "GET", tt.path, hdr)
		if resp.StatusCode != tt.code || !strings.Contains(string(body), tt.msg) {
			t.Errorf("%s (%s): %d %s, want %d saying %q", tt.path, tt.auth, resp.StatusCode, body, tt.code, tt.msg)
		}
	}
}

// TestCSVCell: cells a spreadsheet would run as formulas stay text.
func TestCSVCell(t *testing.T) {
	for in, want := range map[string]string{
		"实验小学": "实验小学", "=1+1": "'=1+1", "+86 10": "'+86 10", "-x": "'-x", "@SUM(A1)": "'@SUM(A1)", "": "",
		"a=b": "a=b", "\tx": "'\tx",
	} {
		if got := csvCell(in); got != want {
			t.Errorf("csvCell(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestConsole_freshnessLayoutChromium lays the report out in headless
// Chromium at a phone's width (390 px): sources are cards that fit it,
// each sparkline inside its card, nothing overflowing sideways.
func TestConsole_freshnessLayoutChromium(t *testing.T) {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium not installed (apt-get install chromium)")
	}
	b := newBureau(t)
	srv, _ := b.server(t, nil)
	env := &consoleEnv{s: srv, ts: newHTTPTest(t, srv)}
	c := env.client(t)
	c.mustSignIn()
	_, page := c.get("/admin/freshness")
	mux := http.NewServeMux()
	mux.Handle("/admin/static/", srv)
	// The page as the console rendered it, with the measuring script its
	// own CSP would refuse, in a frame 390 px wide.
	mux.HandleFunc("GET /layout-host", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, strings.Replace(page, "</body>", freshnessLayoutScript+"</body>", 1))
	})
	mux.HandleFunc("GET /layout-frame", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!DOCTYPE html><html><head><meta charset="utf-8"><style>body{margin:0} iframe{border:0}</style></head>`+
			`<body><iframe src="/layout-host" width="390" height="900"></iframe></body></html>`)
	})
	host := newHTTPTest(t, mux)
	dom := chromiumDOM(t, chromium, host.URL+"/layout-frame")
	m := layoutResultRe.FindStringSubmatch(dom)
	if m == nil {
		t.Fatalf("no layout result in the DOM:\n%s", dom)
	}
	var got struct {
		Width, Overflow, Cards, SparksOutside, CardsTooWide, SparkWidth int
	}
	if err := json.Unmarshal([]byte(strings.ReplaceAll(m[1], "&#34;", `"`)), &got); err != nil {
		t.Fatalf("layout result %q: %v", m[1], err)
	}
	t.Logf("layout at %d px: %+v", got.Width, got)
	if got.Width != 390 || got.Cards != 6 {
		t.Fatalf("viewport %d px with %d cards, want 390 px and 6", got.Width, got.Cards)
	}
	if got.Overflow > 0 || got.CardsTooWide > 0 || got.SparksOutside > 0 || got.SparkWidth < 100 {
		t.Errorf("at 390 px: page overflow %d px, %d cards too wide, %d sparklines outside their card, sparkline %d px wide",
			got.Overflow, got.CardsTooWide, got.SparksOutside, got.SparkWidth)
	}
}

// freshnessLayoutScript measures the report as laid out and writes the
// findings into the parent page's #layout-result.
const freshnessLayoutScript = `<script>
window.addEventListener('load', function () {
  var root = document.documentElement, out = {Width: window.innerWidth, Overflow: root.scrollWidth - root.clientWidth,
    Cards: 0, SparksOutside: 0, CardsTooWide: 0, SparkWidth: 0};
  document.querySelectorAll('li.fresh').forEach(function (card) {
    out.Cards++;
    var c = card.getBoundingClientRect();
    if (c.right > window.innerWidth || c.left < 0) { out.CardsTooWide++; }
    var s = card.querySelector('svg.spark').getBoundingClientRect();
    out.SparkWidth = Math.round(s.width);
    if (s.left < c.left || s.right > c.right || s.height === 0) { out.SparksOutside++; }
  });
  var pre = window.parent.document.createElement('pre');
  pre.id = 'layout-result';
  pre.textContent = JSON.stringify(out);
  window.parent.document.body.appendChild(pre);
});
</script>`

func TestSilenceText(t *testing.T) {
	tests := []struct {
		row    freshnessRow
		zh, en string
	}{
		{freshnessRow{}, "从未更新", "never updated"},
		{freshnessRow{HasEntry: true}, "1 天内有更新", "updated within a day"},
		{freshnessRow{HasEntry: true, Days: 1}, "1 天未更新", "1 day without an update"},
		{freshnessRow{HasEntry: true, Days: 40}, "40 天未更新", "40 days without an update"},
	}
	for _, tt := range tests {
		if got := silenceText(i18n.Lang(i18n.ZH), tt.row); got != tt.zh {
			t.Errorf("zh %+v: %q, want %q", tt.row, got, tt.zh)
		}
		if got := silenceText(i18n.Lang(i18n.EN), tt.row); got != tt.en {
			t.Errorf("en %+v: %q, want %q", tt.row, got, tt.en)
		}
	}
}
