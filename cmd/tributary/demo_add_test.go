package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// demoRun is a `tributary demo` started on a free port: its address, its
// sample server's origin and its admin token.
type demoRun struct {
	base, origin, token string
}

func startDemo(t *testing.T) demoRun {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() { done <- run(ctx, []string{"demo", "--listen", "127.0.0.1:0"}, &stdout, &stderr) }()
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != exitOK {
			t.Errorf("demo exited %d; stderr:\n%s", code, stderr.String())
		}
	})
	re := regexp.MustCompile(`(?s)sample sources at (http://127\.0\.0\.1:\d+)\n.*sections\s+(http://127\.0\.0\.1:\d+)/.*token (demo-[0-9a-f]{32});.*try\s+adding (\S+)/member-d\.xml`)
	var m []string
	waitFor(t, func() bool {
		m = re.FindStringSubmatch(stdout.String())
		return m != nil
	})
	if m[4] != m[1] {
		t.Errorf("the demo suggests adding from %s, its samples are at %s", m[4], m[1])
	}
	return demoRun{origin: m[1], base: m[2], token: m[3]}
}

// addSource adds url to news through the admin API, answering the
// status and body.
func (d demoRun) addSource(t *testing.T, url string) (int, string) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"url": url, "sections": []string{"news"}})
	req, _ := http.NewRequest("POST", d.base+"/api/v1/admin/sources", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+d.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestDemo_addsOwnSamples: the demo's admin API (and so its console) adds
// a feed of the demo's own sample server, which is then polled into the
// section; a feed on another loopback port, or another loopback address,
// is still refused as private.
func TestDemo_addsOwnSamples(t *testing.T) {
	d := startDemo(t)
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		io.WriteString(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>内网</title><link>http://x/1</link></item></channel></rss>`)
	}))
	t.Cleanup(other.Close)
	port := d.origin[strings.LastIndex(d.origin, ":"):]
	tests := []struct {
		name, url string
		added     bool
	}{
		{"the demo's own sample", d.origin + "/member-d.xml", true},
		{"another loopback port", other.URL + "/feed.xml", false},
		{"another loopback address, the same port", "http://127.0.0.2" + port + "/member-d.xml", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := d.addSource(t, tt.url)
			switch {
			case tt.added && code != http.StatusCreated && code != http.StatusOK:
				t.Errorf("add %s: %d %s, want it added", tt.url, code, body)
			case !tt.added && (code != http.StatusBadRequest || !strings.Contains(body, "loopback")):
				t.Errorf("add %s: %d %s, want 400 naming the loopback address", tt.url, code, body)
			}
		})
	}
	// Added is polled: its entries reach the section.
	waitFor(t, func() bool {
		resp, err := http.Get(d.base + "/sections/news.rss")
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return strings.Contains(string(b), "云溪外国语学校举行第十届英语戏剧节")
	})
}

// TestDemo_chinese: the demo's pages and console are in Chinese whatever
// language the browser prefers.
func TestDemo_chinese(t *testing.T) {
	d := startDemo(t)
	tests := []struct {
		path, want string
	}{
		{"/", `<html lang="zh`},
		{"/sections/news", `<html lang="zh`},
		{"/admin/signin", `<html lang="zh-CN">`},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			req, _ := http.NewRequest("GET", d.base+tt.path, nil)
			req.Header.Set("Accept-Language", "en-US,en;q=0.9")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), tt.want) {
				t.Errorf("GET %s with an English browser: %d, lacks %q:\n%.400s", tt.path, resp.StatusCode, tt.want, b)
			}
		})
	}
}

// TestDemo_auditNamesEntry: hiding an entry through the admin API leaves
// an audit record that names the entry by its title, read from the store
// when the action happened.
func TestDemo_auditNamesEntry(t *testing.T) {
	d := startDemo(t)
	var entry struct{ ID, Title string }
	waitFor(t, func() bool {
		resp, err := http.Get(d.base + "/api/v1/sections/news/entries")
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		var page struct {
			Entries []struct{ ID, Title string } `json:"entries"`
		}
		if json.NewDecoder(resp.Body).Decode(&page) != nil || len(page.Entries) == 0 {
			return false
		}
		entry = page.Entries[0]
		return true
	})
	do := func(method, path string) (int, []byte) {
		req, _ := http.NewRequest(method, d.base+path, nil)
		req.Header.Set("Authorization", "Bearer "+d.token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}
	if code, body := do("POST", "/api/v1/admin/sections/news/entries/"+entry.ID+"/hide"); code != http.StatusOK {
		t.Fatalf("hide: %d %s", code, body)
	}
	code, body := do("GET", "/admin/audit.json")
	var log struct {
		Records []struct{ Action, Target, Title string } `json:"records"`
	}
	if err := json.Unmarshal(body, &log); code != http.StatusOK || err != nil || len(log.Records) == 0 {
		t.Fatalf("audit.json: %d %v %s", code, err, body)
	}
	if r := log.Records[0]; r.Action != "entry.hide" || r.Target != "news/"+entry.ID || r.Title != entry.Title || r.Title == "" {
		t.Errorf("newest record %+v, want entry.hide of %q", r, entry.Title)
	}
}
