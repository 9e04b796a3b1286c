package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkLoad_sources loads a config of 20,000 sources split over ten
// included files, the shape a large portal's config takes, and turns it
// into the daemon's sources and sections, as a start or a reload does.
func BenchmarkLoad_sources(b *testing.B) {
	const files, perFile = 10, 2000
	dir := b.TempDir()
	main := "defaults:\n  timezone: Asia/Shanghai\ninclude: [\"inc/*.yaml\"]\nsections:\n  - id: news\n    title: 资讯\n    sources: []\n"
	if err := os.WriteFile(filepath.Join(dir, "t.yaml"), []byte(main), 0o600); err != nil {
		b.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "inc"), 0o700); err != nil {
		b.Fatal(err)
	}
	for f := range files {
		var sb strings.Builder
		sb.WriteString("sections:\n  - id: news\n    sources:\n")
		for i := range perFile {
			fmt.Fprintf(&sb, "      - url: https://school%d.example.edu.cn/xwzx/list%d.htm\n        title: 示例学校 %d\n", f, i, i)
		}
		if err := os.WriteFile(filepath.Join(dir, "inc", fmt.Sprintf("s%d.yaml", f)), []byte(sb.String()), 0o600); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		cfg, err := Load(filepath.Join(dir, "t.yaml"), func(string) string { return "" })
		if err != nil {
			b.Fatal(err)
		}
		if n := len(cfg.Sources()); n != files*perFile {
			b.Fatalf("%d sources", n)
		}
		_ = cfg.Sections()
	}
}
