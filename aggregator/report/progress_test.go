package report

import (
	"bytes"
	"strings"
	"testing"
)

func TestProgress_terminal(t *testing.T) {
	var buf bytes.Buffer
	p := &Progress{w: &buf, tty: true, total: 2}
	p.Report(Poll{URL: "https://a.example/feed", Status: 200, New: 2})
	p.Report(Poll{URL: "https://b.example/feed", Failed: true, Reason: "connection refused"})
	if failed := p.Finish(); failed != 1 {
		t.Errorf("finish = %d failed, want 1", failed)
	}
	out := buf.String()
	for _, want := range []string{
		"ok            https://a.example/feed: 2 new",
		"[###############               ] 1/2",
		"\r\033[KFAILED        https://b.example/feed: connection refused\n",
		"[##############################] 2/2\r\033[K2 sources: 1 ok, 0 not modified, 1 failed, 0 skipped\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("terminal output lacks %q:\n%q", want, out)
		}
	}
	if isTerminal(&buf) {
		t.Error("a buffer is not a terminal")
	}
}
