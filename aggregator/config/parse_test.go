package config

import (
	"errors"
	"strings"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// section is a valid sections block starting on the line after whatever a
// test case puts before it.
const section = `sections:
  - id: news
    sources:
      - url: https://example.com/feed.xml
`

func TestParse_Invalid(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want []string // "line: message" lines after "t.yaml:"
	}{
		{"empty file", "", []string{"1: no sections configured"}},
		{"only comments", "# nothing here\n", []string{"1: no sections configured"}},
		{"empty sections", "listen: 127.0.0.1:1\nsections: []\n", []string{"2: no sections configured"}},
		{"top level list", "- id: news\n", []string{"1: expected a mapping of settings at the top level, got a list"}},
		{"syntax error", "listen: 127.0.0.1:1\nsections: [\n", []string{"2: did not find expected node content"}},
		{"syntax error on line 1", "a: b: c\n", []string{"1: mapping values are not allowed in this context"}},
		{"tab indentation", "sections:\n\t- id: news\n", []string{"2: found character that cannot start any token"}},
		{"control character", "listen: 127.0.0.1:1\ntitle: a\x01b\n" + section, []string{"2: control characters are not allowed"}},
		{"two documents", "listen: 127.0.0.1:1\n---\n" + section, []string{"2: only one YAML document is allowed"}},
		{"two documents after an empty one", section + "---\n---\nlisten: 127.0.0.1:1\n", []string{"6: only one YAML document is allowed"}},
		{"alias", "listen: &l 127.0.0.1:1\nbase_url: *l\n" + section, []string{"2: YAML aliases are not allowed (*l): write the value out"}},
		{"unknown anchor", "listen: 127.0.0.1:1\nbase_url: *l\n" + section, []string{"2: unknown anchor 'l' referenced"}},
		{"unknown top-level key", "lisen: :8080\n" + section, []string{
			`1: unknown key "lisen" at the top level; allowed keys: listen, base_url, redis, storage, defaults, fetch, scheduler, http, ui, websub, site, log, admin, limits, metrics, alerts, freshness, include, sections`}},
		{"unknown nested key", "redis:\n  addr: localhost:6379\n" + section, []string{
			`2: unknown key "addr" in redis; allowed keys: url, prefix, addrs, master_name, cluster, username, password, sentinel_password, db, tls`}},
		{"unknown source key", "sections:\n  - id: news\n    sources:\n      - urls: https://example.com/a.xml\n", []string{
			`4: unknown key "urls" in source; allowed keys: id, url, title, schedule, timezone, headers, include, exclude, scrape, content, title_strip, stale_after, trusted`,
			`4: source has no url`}},
		{"unknown section key", "sections:\n  - id: news\n    limit: 5\n    sources:\n      - url: https://example.com/a.xml\n", []string{
			`3: unknown key "limit" in section; allowed keys: id, title, description, language, max_items, sources, include, exclude, max_age, dedup_titles, pins_in_feeds, review, timezone, stale_after, link_to`}},
		{"duplicate key", "listen: 127.0.0.1:1\nlisten: 127.0.0.1:2\n" + section, []string{`2: duplicate key "listen" (first at line 1)`}},
		{"word for integer", "defaults:\n  max_items: lots\n" + section, []string{`2: max_items: expected an integer, got "lots"`}},
		{"float for integer", "fetch:\n  concurrency: 1.5\n" + section, []string{`2: concurrency: expected an integer, got "1.5"`}},
		{"list for integer", "fetch:\n  max_body_bytes: [1]\n" + section, []string{`2: max_body_bytes: expected an integer, got a list`}},
		{"integer overflow", "fetch:\n  concurrency: 99999999999999999999\n" + section, []string{
			`2: concurrency: expected an integer, got "99999999999999999999"`}},
		{"scalar for mapping", "redis: localhost\n" + section, []string{`1: redis: expected a mapping, got "localhost"`}},
		{"mapping for string", "listen:\n  host: x\n" + section, []string{`2: listen: expected a string, got a mapping`}},
		{"scalar for list", "sections: news\n", []string{`1: sections: expected a list, got "news"`}},
		{"scalar in list", "sections:\n  - news\n", []string{`2: section: expected a mapping, got "news"`}},
		{"bare number duration", "fetch:\n  timeout: 30\n" + section, []string{
			`2: timeout: expected a duration like 90s, 15m, 1h30m or 14d, got "30"`}},
		{"zero duration", "fetch:\n  timeout: 0s\n" + section, []string{`2: timeout: must be more than zero, got 0s`}},
		{"negative snapshot interval", "storage:\n  snapshot_interval: -1m\n" + section, []string{
			`2: snapshot_interval: must be more than zero, got -1m0s`}},
		{"zero concurrency", "fetch:\n  concurrency: 0\n" + section, []string{`2: concurrency: must be at least 1, got 0`}},
		{"zero default max_items", "defaults:\n  max_items: 0\n" + section, []string{`2: max_items: must be at least 1, got 0`}},
		{"negative section max_items", "sections:\n  - id: news\n    max_items: -5\n    sources:\n      - url: https://example.com/a.xml\n", []string{
			`3: max_items: must be at least 1, got -5`}},
		{"bad listen", "listen: localhost\n" + section, []string{`1: listen: "localhost" is not host:port`}},
		{"bad listen port", "listen: localhost:99999\n" + section, []string{`1: listen: "localhost:99999" has no valid port number`}},
		{"relative base_url", "base_url: /feeds\n" + section, []string{`1: base_url: must be an absolute http or https URL, got "/feeds"`}},
		{"base_url with query", "base_url: https://x.example/?a=1\n" + section, []string{
			`1: base_url: must not have a query or fragment, got "https://x.example/?a=1"`}},
		{"redis url scheme", "redis:\n  url: http://:secret@cache:6379\n" + section, []string{`2: url: scheme must be redis or rediss, got "http"`}},
		{"redis url no host", "redis:\n  url: redis:///0\n" + section, []string{`2: url: missing host`}},
		{"bad default schedule", "defaults:\n  schedule: \"61 * * * *\"\n" + section, []string{
			`2: invalid schedule "61 * * * *": end of range (61) above maximum (59): 61`}},
		{"six-field schedule", "defaults:\n  schedule: \"0 0 * * * *\"\n" + section, []string{
			`2: invalid schedule "0 0 * * * *": expected exactly 5 fields, found 6: [0 0 * * * *]`}},
		{"sub-second every", "sections:\n  - id: news\n    sources:\n      - url: https://example.com/a.xml\n        schedule: \"@every 500ms\"\n", []string{
			`5: invalid schedule "@every 500ms": @every needs an interval of at least 1s`}},
		{"zone prefix without fields", "defaults:\n  schedule: \"TZ=0\"\n" + section, []string{
			`2: invalid schedule "TZ=0": a time zone prefix needs a schedule after it, e.g. "CRON_TZ=Asia/Shanghai 0 8 * * *"`}},
		{"unknown time zone", "defaults:\n  timezone: Mars/Olympus\n" + section, []string{`2: timezone: "Mars/Olympus" is not a known IANA time zone`}},
		{"bad language", "sections:\n  - id: news\n    language: not a tag\n    sources:\n      - url: https://example.com/a.xml\n", []string{
			`3: language: "not a tag" is not a BCP 47 language tag like zh-CN or en`}},
		{"section without id", "sections:\n  - title: News\n    sources:\n      - url: https://example.com/a.xml\n", []string{`2: section has no id`}},
		{"section id with capitals", "sections:\n  - id: News!\n    sources:\n      - url: https://example.com/a.xml\n", []string{
			`2: id: "News!" must be lower-case letters, digits and hyphens, starting with a letter or digit`}},
		{"section id leading hyphen", "sections:\n  - id: -news\n    sources:\n      - url: https://example.com/a.xml\n", []string{
			`2: id: "-news" must be lower-case letters, digits and hyphens, starting with a letter or digit`}},
		{"section id too long", "sections:\n  - id: " + strings.Repeat("a", 65) + "\n    sources:\n      - url: https://example.com/a.xml\n", []string{
			`2: id: "` + strings.Repeat("a", 65) + `" is longer than 64 characters`}},
		{"duplicate section id", section + section[len("sections:\n"):], []string{`5: id: duplicate section id "news" (first at line 2)`}},
		{"section without sources", "sections:\n  - id: news\n    title: News\n", []string{`2: section "news" has no sources`}},
		{"section with empty sources", "sections:\n  - id: news\n    sources: []\n", []string{`3: section "news" has no sources`}},
		{"ftp url", "sections:\n  - id: news\n    sources:\n      - url: ftp://example.com/a.xml\n", []string{
			`4: url: "ftp://example.com/a.xml" must be an absolute http or https URL with a host`}},
		{"relative url", "sections:\n  - id: news\n    sources:\n      - url: /a.xml\n", []string{
			`4: url: "/a.xml" must be an absolute http or https URL with a host`}},
		{"url without host", "sections:\n  - id: news\n    sources:\n      - url: \"http://:80/a.xml\"\n", []string{
			`4: url: "http://:80/a.xml" must be an absolute http or https URL with a host`}},
		{"url twice in a section", "sections:\n  - id: news\n    sources:\n      - url: https://example.com/a.xml\n      - url: https://example.com/a.xml\n", []string{
			`5: url: https://example.com/a.xml is listed twice in section "news" (first at line 4)`}},
		{"bad source id", "sections:\n  - id: news\n    sources:\n      - url: https://example.com/a.xml\n        id: A_1\n", []string{
			`5: id: "A_1" must be lower-case letters, digits and hyphens, starting with a letter or digit`}},
		{"duplicate source id", "sections:\n  - id: news\n    sources:\n      - url: https://example.com/a.xml\n        id: member\n      - url: https://example.com/b.xml\n        id: member\n", []string{
			`7: id: source id "member" is already used by https://example.com/a.xml (line 5)`}},
		{"source id equal to a derived id", "sections:\n  - id: news\n    sources:\n      - url: https://example.com/a.xml\n      - url: https://example.com/b.xml\n        id: " + model.SourceID("https://example.com/a.xml") + "\n", []string{
			`6: id: source id "` + model.SourceID("https://example.com/a.xml") + `" is already used by https://example.com/a.xml (line 4)`}},
		{"list item not a mapping", "sections:\n  - id: news\n    sources:\n      - https://example.com/a.xml\n", []string{
			`4: source: expected a mapping, got "https://example.com/a.xml"`}},
		{"one url two ids", "sections:\n  - id: news\n    sources:\n      - url: https://example.com/a.xml\n        id: one\n  - id: hot\n    sources:\n      - url: https://example.com/a.xml\n        id: two\n", []string{
			`9: id: "two" conflicts with "one" for the same url at line 5`}},
		{"one url two schedules", "sections:\n  - id: news\n    sources:\n      - url: https://example.com/a.xml\n        schedule: \"@every 5m\"\n  - id: hot\n    sources:\n      - url: https://example.com/a.xml\n        schedule: \"@every 10m\"\n", []string{
			`9: schedule: "@every 10m" conflicts with "@every 5m" for the same url at line 5`}},
		{"one url two time zones", "sections:\n  - id: news\n    sources:\n      - url: https://example.com/a.xml\n        timezone: UTC\n  - id: hot\n    sources:\n      - url: https://example.com/a.xml\n        timezone: Asia/Tokyo\n", []string{
			`9: timezone: "Asia/Tokyo" conflicts with "UTC" for the same url at line 5`}},
		{"problems sorted by line", "sections:\n  - id: Bad\n    sources:\n      - url: nope\nlisten: x\n", []string{
			`2: id: "Bad" must be lower-case letters, digits and hyphens, starting with a letter or digit`,
			`4: url: "nope" must be an absolute http or https URL with a host`,
			`5: listen: "x" is not host:port`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse("t.yaml", []byte(tt.yaml), nil)
			assertProblems(t, c, err, "t.yaml", tt.want)
		})
	}
}

// assertProblems checks err is an *Error rendering exactly want, each line
// prefixed with path and ":".
func assertProblems(t *testing.T, c *Config, err error, path string, want []string) {
	t.Helper()
	if err == nil {
		t.Fatalf("Parse succeeded (%d sections), want errors:\n%s", len(c.SectionConfigs), strings.Join(want, "\n"))
	}
	var cerr *Error
	if !errors.As(err, &cerr) {
		t.Fatalf("error is %T, want *Error: %v", err, err)
	}
	if c != nil {
		t.Errorf("Parse returned a config along with its error")
	}
	lines := make([]string, len(want))
	for i, w := range want {
		lines[i] = path + ":" + w
	}
	if got, want := err.Error(), strings.Join(lines, "\n"); got != want {
		t.Errorf("error mismatch\n got: %s\nwant: %s", got, want)
	}
	if len(cerr.Problems) != len(want) {
		t.Errorf("got %d problems, want %d", len(cerr.Problems), len(want))
	}
}
