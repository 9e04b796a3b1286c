// Command tributary-httpbench serves one 100-entry section from the render
// cache, for measuring the serving hot path against nginx (see run.sh).
// It also writes the exact bytes it serves, plain and gzip, to -out so
// nginx can serve the same bytes from static files.
//
// It is a load-test tool, not part of the daemon: no store, no polling.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/publish"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "tributary-httpbench:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("tributary-httpbench", flag.ContinueOnError)
	listen := fs.String("listen", "127.0.0.1:8089", "listen address")
	out := fs.String("out", "", "directory to write the served bytes to (news.rss, news.rss.gz)")
	entries := fs.Int("entries", 100, "entries in the section")
	slow := fs.Bool("nofast", false, "serve every request through net/http, without the fast path")
	if err := fs.Parse(args); err != nil {
		return err
	}
	sec := model.Section{ID: "news", Title: "资讯", Description: "成员单位新闻汇总", Language: "zh-CN", MaxItems: *entries}
	srv := publish.NewServer(newMemReader(*entries), publish.Options{
		BaseURL: "http://" + *listen, Sections: []model.Section{sec}, Version: "bench",
		Logger: slog.New(slog.NewTextHandler(os.Stderr, nil)),
	})
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 5 * time.Second, IdleTimeout: 120 * time.Second}
	var l net.Listener = ln
	if !*slow {
		// The daemon's path: cached feeds from the fast path (publish.FastListener).
		l = srv.FastListener(ln, publish.FastOptions{ReadHeaderTimeout: hs.ReadHeaderTimeout, IdleTimeout: hs.IdleTimeout})
	}
	go func() { _ = hs.Serve(l) }()
	path := fmt.Sprintf("/sections/news.rss?limit=%d", *entries)
	if *out != "" {
		if err := saveBodies(ln.Addr().String(), path, *out); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "serving http://%s%s\n", ln.Addr(), path)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	return hs.Close()
}

// saveBodies fetches the plain and gzip renderings, which also warms the
// cache, and writes them for nginx.
func saveBodies(addr, path, dir string) error {
	for _, v := range []struct{ enc, file string }{{"identity", "news.rss"}, {"gzip", "news.rss.gz"}} {
		req, _ := http.NewRequest(http.MethodGet, "http://"+addr+path, nil)
		req.Header.Set("Accept-Encoding", v.enc)
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			return err
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			return fmt.Errorf("warm %s: status %d, %v", v.enc, resp.StatusCode, err)
		}
		if err := os.WriteFile(filepath.Join(dir, v.file), body, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// memReader is a fixed section in memory.
type memReader struct {
	entries []model.Entry
	meta    model.SectionMeta
}

func newMemReader(n int) *memReader {
	base := time.Date(2026, 10, 17, 8, 0, 0, 0, time.UTC)
	r := &memReader{meta: model.SectionMeta{Version: 1, UpdatedAt: base}}
	for i := range n {
		t := base.Add(-time.Duration(i) * time.Hour)
		r.entries = append(r.entries, model.Entry{
			ID: fmt.Sprintf("%016x", i+1), SourceID: "a1b2c3d4e5f60718", SourceTitle: "示例学院",
			SourceURL: "https://example.edu.cn/rss.xml", SourceLink: "https://example.edu.cn/",
			Title:   fmt.Sprintf("第%d条：新图书馆正式开放，藏书一百二十万册", i+1),
			Link:    fmt.Sprintf("https://example.edu.cn/news/%d.html", i+1),
			Summary: "新图书馆于10月17日正式开放，藏书120万册，设有自习座位两千个。",
			Content: content(i),
			Author:  "张三", Categories: []string{"校园", "新闻"},
			Published: t, Updated: t, FirstSeen: t,
		})
	}
	return r
}

// phrases make varied content, so gzip compresses it about as well as
// real news (a repeated sentence would shrink to nothing).
var phrases = []string{
	"新图书馆于10月17日正式开放", "藏书<strong>120万册</strong>", "设有自习座位两千个", "物理系学术报告",
	"量子计算与未来", "报告人李四教授", "地点理科楼101", "欢迎师生参加", "校园开放日活动安排",
	"招生咨询会将在体育馆举行", "研究生院发布通知", "实验室安全检查", "学生社团招新", "国际交流项目申请",
}

func content(i int) string {
	var b strings.Builder
	b.WriteString("<p>")
	x := uint32(i*2654435761 + 12345)
	for range 24 {
		x = x*1664525 + 1013904223
		b.WriteString(phrases[int(x>>16)%len(phrases)])
		fmt.Fprintf(&b, "（%d）。", x%1000)
	}
	b.WriteString("</p>")
	return b.String()
}

func (r *memReader) SectionPage(_ context.Context, _ string, q model.PageQuery) (model.Page, error) {
	return model.Page{Entries: r.entries[:min(q.Limit, len(r.entries))]}, nil
}

func (r *memReader) SectionMeta(context.Context, string) (model.SectionMeta, error) {
	return r.meta, nil
}

func (r *memReader) SectionMetas(_ context.Context, ids []string) (map[string]model.SectionMeta, error) {
	out := make(map[string]model.SectionMeta, len(ids))
	for _, id := range ids {
		out[id] = r.meta
	}
	return out, nil
}
