package publish

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// TestConsole_auditNamesEntries: an entry action, through the console or
// the admin API, records the entry's title as it was then; the audit page
// words actions in the page's language, names entries by title (by id in
// records from before titles were kept), and shows times and a pin's
// expiry in the site's zone; the JSON keeps the machine names and adds the
// title.
func TestConsole_auditNamesEntries(t *testing.T) {
	const title = "示范学校开展ＡＩ教育周活动 " + xssTitle
	env := newConsoleEnv(t, testBaseURL, func(o *Options) {
		o.Admin = titledAdmin{consoleAdmin: o.Admin.(*consoleAdmin), titles: map[string]string{idOf(3): title}}
	})
	// A record written before titles were kept.
	env.admin.Audit(t.Context(), model.AuditRecord{Time: consoleNow.Add(-time.Hour), Action: "entry.unhide", Target: "news/00000000000000aa",
		Client: "192.0.2.9", Via: "console", Result: "ok"})
	b := env.client(t)
	csrf := b.mustSignIn()
	if resp, _ := b.do("POST", "/admin/sections/news/entries/"+idOf(3)+"/pin", url.Values{"csrf": {csrf}, "until": {"1d"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("pin: %d", resp.StatusCode)
	}
	req, _ := http.NewRequest("POST", env.ts.URL+"/api/v1/admin/sections/news/entries/"+idOf(3)+"/hide", nil)
	req.Header.Set("Authorization", "Bearer "+consoleToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("hide through the API: %d", resp.StatusCode)
	}
	byAction := map[string]model.AuditRecord{}
	for _, rec := range env.admin.records() {
		byAction[rec.Action] = rec
	}
	for _, a := range []string{"entry.pin", "entry.hide"} {
		if rec := byAction[a]; rec.Title != title || rec.Target != "news/"+idOf(3) {
			t.Errorf("%s recorded %+v, want the title", a, rec)
		}
	}

	tests := []struct {
		lang string
		want []string
	}{
		{"zh", []string{
			"<strong class=\"audit-action\">置顶</strong> · <span class=\"audit-entry\">示范学校开展ＡＩ教育周活动 &lt;script&gt;",
			"<strong class=\"audit-action\">下架</strong>", "<strong class=\"audit-action\">登录</strong>",
			"<strong class=\"audit-action\">恢复</strong> · 条目 <code>00000000000000aa</code>",
			"到期 <time datetime=\"2026-11-18T08:00:00Z\" title=\"2026-11-18 16:00\u00a0CST\">",
			"2026-11-17 16:00\u00a0CST", "2026-11-17 15:00\u00a0CST", "管理 API", "管理后台", "结果: 成功",
			`<a href="/admin/sections/news">news</a>`,
		}},
		{"en", []string{
			"<strong class=\"audit-action\">Pinned</strong> · <span class=\"audit-entry\">示范学校",
			"<strong class=\"audit-action\">Hidden</strong>", "<strong class=\"audit-action\">Unhidden</strong> · entry <code>00000000000000aa</code>",
			"until <time datetime=\"2026-11-18T08:00:00Z\"", "admin API",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			_, body := b.get("/admin/audit?lang=" + tt.lang)
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			checkNoMarkup(t, body)
		})
	}

	_, body := b.get("/admin/audit.json")
	var got struct {
		Records []map[string]any `json:"records"`
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatalf("%v\n%s", err, body)
	}
	var pin, old map[string]any
	for _, r := range got.Records {
		switch r["action"] {
		case "entry.pin":
			pin = r
		case "entry.unhide":
			old = r
		}
	}
	if pin == nil || pin["title"] != title || pin["target"] != "news/"+idOf(3) || pin["detail"] != "until 2026-11-18T08:00:00Z" {
		t.Errorf("JSON pin record %v", pin)
	}
	if _, has := old["title"]; old == nil || has {
		t.Errorf("JSON old record %v, want no title", old)
	}
}
