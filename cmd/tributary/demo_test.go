package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for a writer and a reader goroutine.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestDemo runs `tributary demo` as a newcomer would and checks that the
// merged sections fill from the bundled sources, GBK ones included.
func TestDemo(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() { done <- run(ctx, []string{"demo", "--listen", "127.0.0.1:0"}, &stdout, &stderr) }()

	baseRe := regexp.MustCompile(`sections\s+(http://127\.0\.0\.1:\d+)/`)
	var base string
	waitFor(t, func() bool {
		m := baseRe.FindStringSubmatch(stdout.String())
		if m != nil {
			base = m[1]
		}
		return m != nil
	})
	want := []string{
		"青山职院召开2027届毕业生就业工作推进会",       // GBK, charset only in Content-Type
		"滨海师范大学举行第十二届教学技能大赛",          // GBK, declared in the prolog
		"我校举办2026年秋季学术交流周",            // UTF-8
		"示例实验中学举行2026年秋季田径运动会暨体育节开幕式", // a list page: the full title from its title attribute
	}
	var body string
	waitFor(t, func() bool {
		resp, err := http.Get(base + "/sections/news.rss")
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		body = string(b)
		for _, w := range want {
			if !strings.Contains(body, w) {
				return false
			}
		}
		return true
	})
	if strings.Index(body, want[0]) > strings.Index(body, want[2]) {
		t.Errorf("news.rss is not newest first:\n%s", body)
	}
	if strings.Contains(body, "关于规范学校网站信息发布的通知") {
		t.Errorf("the list page's pinned item was not skipped:\n%s", body)
	}
	// The list page's articles replace its entries' summaries, without the
	// page's navigation and share bar.
	waitFor(t, func() bool {
		resp, err := http.Get(base + "/sections/news.json")
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return strings.Contains(string(b), "本届运动会共设田赛、径赛等二十四个项目") && !strings.Contains(string(b), "分享到")
	})
	for _, path := range []string{"/", "/sections/hot.atom", "/sections/world.json"} {
		resp, err := http.Get(base + path)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %v %v", path, err, resp)
			continue
		}
		resp.Body.Close()
	}
	cancel()
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("demo exited %d, want 0; stderr:\n%s", code, stderr.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("demo did not stop within 20s of cancel")
	}
}

// TestDemo_console: the demo prints a console address and a token, and
// signing in with that token opens the console.
func TestDemo_console(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() { done <- run(ctx, []string{"demo", "--listen", "127.0.0.1:0"}, &stdout, &stderr) }()
	defer func() {
		cancel()
		<-done
	}()
	re := regexp.MustCompile(`console\s+(http://127\.0\.0\.1:\d+/admin)\s+\(sign in with the token (demo-[0-9a-f]{32});`)
	var m []string
	waitFor(t, func() bool {
		m = re.FindStringSubmatch(stdout.String())
		return m != nil
	})
	resp, err := http.Get(m[1] + "/signin")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s/signin: %d, want 200 (the console is on)", m[1], resp.StatusCode)
	}
	req, _ := http.NewRequest("GET", strings.TrimSuffix(m[1], "/admin")+"/api/v1/admin/sources", nil)
	req.Header.Set("Authorization", "Bearer "+m[2])
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("the printed token is refused by the admin API: %d", resp.StatusCode)
	}
}
