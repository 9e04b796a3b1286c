package publish

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

func (a *countingAdmin) Discover(context.Context, string) (model.Discovery, error) {
	a.calls.Add(1)
	return model.Discovery{}, nil
}

func (a *countingAdmin) Preview(context.Context, model.AddRequest) (model.Preview, error) {
	a.calls.Add(1)
	return model.Preview{}, nil
}

// pageAdmin answers discover and preview with what a test sets and
// records the requests.
type pageAdmin struct {
	*countingAdmin
	pageAnswer
	gotURL string
	gotReq model.AddRequest
}

type pageAnswer struct {
	discovery model.Discovery
	preview   model.Preview
	err       error
}

func (a *pageAdmin) Discover(_ context.Context, url string) (model.Discovery, error) {
	a.gotURL = url
	return a.discovery, a.err
}

func (a *pageAdmin) Preview(_ context.Context, req model.AddRequest) (model.Preview, error) {
	a.gotReq = req
	return a.preview, a.err
}

func TestAdminAPI_discoverPreview(t *testing.T) {
	const token = "0123456789abcdef-token"
	published := time.Date(2026, 10, 17, 9, 30, 0, 0, time.FixedZone("CST", 8*3600))
	invalid := &model.RequestError{Kind: model.ErrInvalid, Field: "scrape.items", Msg: "scrape.items: expected identifier"}
	tests := []struct {
		name, path, body string
		answer           pageAnswer
		code             int
		want             []string
	}{
		{name: "feeds", path: "/api/v1/admin/discover", body: `{"url":"https://www.example.edu.cn/"}`,
			answer: pageAnswer{discovery: model.Discovery{URL: "https://www.example.edu.cn/",
				Feeds: []model.FeedLink{{URL: "https://www.example.edu.cn/rss.xml", Type: "rss", Title: "新闻"}}}},
			code: 200, want: []string{`"feeds": [`, `"url": "https://www.example.edu.cn/rss.xml"`, `"type": "rss"`, `"is_feed": false`}},
		{name: "no feed is 200 with a reason", path: "/api/v1/admin/discover", body: `{"url":"https://www.example.edu.cn/"}`,
			answer: pageAnswer{discovery: model.Discovery{URL: "https://www.example.edu.cn/", Reason: "HTML page advertises no feed", ReasonCode: model.MsgNoFeed}},
			code:   200, want: []string{`"feeds": []`, `"lists": []`, `"reason": "HTML page advertises no feed"`, `"reason_code": "no_feed"`}},
		{name: "discover refused", path: "/api/v1/admin/discover", body: `{"url":"http://127.0.0.1/"}`,
			answer: pageAnswer{err: &model.RequestError{Kind: model.ErrInvalid, Field: "url", Msg: "a loopback address"}},
			code:   400, want: []string{`"field":"url"`, "loopback"}},
		{name: "discover unknown field", path: "/api/v1/admin/discover", body: `{"link":"https://x.example/"}`,
			code: 400, want: []string{`unknown field \"link\"`}},
		{name: "preview", path: "/api/v1/admin/preview",
			body: `{"url":"https://x.example/list.htm","sections":["news"],"scrape":{"items":"li","date_attr":"data-date"},"content":{"fetch":true,"max_per_poll":3}}`,
			answer: pageAnswer{preview: model.Preview{URL: "https://x.example/list.htm", Kind: model.PreviewListPage,
				Entries: []model.PreviewEntry{{ID: "e1", Title: "运动会", Published: &published, ContentLength: 42}},
				Skipped: []model.PreviewSkip{{Position: 1, Title: "置顶", Reason: "matches scrape.skip"}}}},
			code: 200, want: []string{`"kind": "list_page"`, `"published": "2026-10-17T09:30:00+08:00"`, `"content_length": 42`,
				`"position": 1`, `"reason": "matches scrape.skip"`}},
		{name: "preview that failed is 200 with the error", path: "/api/v1/admin/preview", body: `{"url":"https://x.example/"}`,
			answer: pageAnswer{preview: model.Preview{URL: "https://x.example/", Error: "HTTP 404 Not Found", ErrorCode: model.MsgHTTPNotFound, ErrorArgs: []string{"404"}}},
			code:   200, want: []string{`"error": "HTTP 404 Not Found"`, `"error_code": "http_not_found"`, `"error_args": [`, `"entries": []`, `"skipped": []`, `"warnings": []`}},
		{name: "preview bad selector", path: "/api/v1/admin/preview", body: `{"url":"https://x.example/","scrape":{"items":"li["}}`,
			answer: pageAnswer{err: invalid}, code: 400, want: []string{`"field":"scrape.items"`}},
		{name: "preview unknown scrape key", path: "/api/v1/admin/preview", body: `{"url":"https://x.example/","scrape":{"item":"li"}}`,
			code: 400, want: []string{`unknown field \"item\"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			admin := &pageAdmin{countingAdmin: &countingAdmin{}, pageAnswer: tt.answer}
			ts := newHTTPTest(t, NewServer(nil, Options{BaseURL: testBaseURL, Admin: admin, AdminToken: token}))
			hdr := map[string]string{"Content-Type": "application/json"}
			resp, body := fetchBody(t, ts, "POST", tt.path, hdr, tt.body)
			if resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("without the token: %d %s", resp.StatusCode, body)
			}
			hdr["Authorization"] = "Bearer " + token
			resp, body = fetchBody(t, ts, "POST", tt.path, hdr, tt.body)
			if resp.StatusCode != tt.code {
				t.Fatalf("%d %s, want %d", resp.StatusCode, body, tt.code)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("Content-Type = %q", ct)
			}
			for _, w := range tt.want {
				if !strings.Contains(string(body), w) {
					t.Errorf("answer lacks %s:\n%s", w, body)
				}
			}
		})
	}
}

// TestAdminAPI_previewRequest: the preview body decodes into the add
// request, scrape and content blocks included, with their config names.
func TestAdminAPI_previewRequest(t *testing.T) {
	const token = "0123456789abcdef-token"
	admin := &pageAdmin{countingAdmin: &countingAdmin{}}
	ts := newHTTPTest(t, NewServer(nil, Options{BaseURL: testBaseURL, Admin: admin, AdminToken: token}))
	body := `{"url":"https://x.example/list.htm","title":"通知","timezone":"Asia/Shanghai",
		"scrape":{"items":"li","title":"a","link":"a","date":"span","date_attr":"data-d","summary":"p","image":"img","skip":".top"},
		"content":{"fetch":true,"selector":".body","remove":[".share"],"max_per_poll":3}}`
	hdr := map[string]string{"Content-Type": "application/json", "Authorization": "Bearer " + token}
	if resp, data := fetchBody(t, ts, "POST", "/api/v1/admin/preview", hdr, body); resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, data)
	}
	want := model.AddRequest{URL: "https://x.example/list.htm", Title: "通知", Timezone: "Asia/Shanghai",
		Scrape:  &model.Scrape{Items: "li", Title: "a", Link: "a", Date: "span", DateAttr: "data-d", Summary: "p", Image: "img", Skip: ".top"},
		Content: &model.Content{Fetch: true, Selector: ".body", Remove: []string{".share"}, MaxPerPoll: 3}}
	got, _ := json.Marshal(admin.gotReq)
	if w, _ := json.Marshal(want); string(got) != string(w) {
		t.Errorf("request = %s\nwant      %s", got, w)
	}
}
