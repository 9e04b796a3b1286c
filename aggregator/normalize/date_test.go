package normalize

import (
	"testing"
	"time"
)

func mustLoad(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("load location %s: %v", name, err)
	}
	return loc
}

func TestParseDate(t *testing.T) {
	shanghai := mustLoad(t, "Asia/Shanghai")
	chicago := mustLoad(t, "America/Chicago")
	tokyo := mustLoad(t, "Asia/Tokyo")
	tests := []struct {
		name string
		raw  string
		loc  *time.Location
		want string // RFC 3339 in UTC; "" means no parse
	}{
		{"iso zone-less space", "2026-10-17 10:30:00", shanghai, "2026-10-17T02:30:00Z"},
		{"iso zone-less T", "2026-10-17T10:30:00", shanghai, "2026-10-17T02:30:00Z"},
		{"iso no seconds", "2026-10-17 10:30", shanghai, "2026-10-17T02:30:00Z"},
		{"iso date only", "2026-10-17", shanghai, "2026-10-16T16:00:00Z"},
		{"slashes", "2026/10/17 10:30:00", shanghai, "2026-10-17T02:30:00Z"},
		{"slashes date only", "2026/10/17", shanghai, "2026-10-16T16:00:00Z"},
		{"chinese with time", "2026年10月17日 10:30", shanghai, "2026-10-17T02:30:00Z"},
		{"chinese no space seconds", "2026年10月17日10:30:15", shanghai, "2026-10-17T02:30:15Z"},
		{"chinese full-width colon", "2026年10月17日 10：30", shanghai, "2026-10-17T02:30:00Z"},
		{"chinese date only", "2026年10月17日", shanghai, "2026-10-16T16:00:00Z"},
		{"chinese single digits", "2026年1月2日", shanghai, "2026-01-01T16:00:00Z"},
		{"surrounding whitespace", " \n\t2026-10-17 10:30:00\u3000 ", shanghai, "2026-10-17T02:30:00Z"},
		{"rfc1123 gmt", "Sat, 17 Oct 2026 10:30:00 GMT", shanghai, "2026-10-17T10:30:00Z"},
		{"rfc1123 numeric", "Sat, 17 Oct 2026 10:30:00 +0800", time.UTC, "2026-10-17T02:30:00Z"},
		{"rfc1123 negative numeric", "Sat, 17 Oct 2026 10:30:00 -0430", time.UTC, "2026-10-17T15:00:00Z"},
		{"rfc1123 no seconds", "Sat, 17 Oct 2026 10:30 +0000", shanghai, "2026-10-17T10:30:00Z"},
		{"rfc822 no weekday", "17 Oct 2026 10:30:00 UTC", shanghai, "2026-10-17T10:30:00Z"},
		{"rfc822 two-digit year", "Sat, 17 Oct 26 10:30:00 Z", shanghai, "2026-10-17T10:30:00Z"},
		{"rfc822 single-digit day", "Fri, 2 Jan 2026 08:00:00 +0800", shanghai, "2026-01-02T00:00:00Z"},
		{"rfc822 full month", "Saturday, 17 October 2026 10:30:00 GMT", shanghai, "2026-10-17T10:30:00Z"},
		{"rfc822 date only", "Sat, 17 Oct 2026", shanghai, "2026-10-16T16:00:00Z"},
		{"rfc850", "Saturday, 17-Oct-26 10:30:00 GMT", shanghai, "2026-10-17T10:30:00Z"},
		{"rfc822 zone-less", "Sat, 17 Oct 2026 10:30:00", shanghai, "2026-10-17T02:30:00Z"},
		{"rfc822 comment", "Sat, 17 Oct 2026 10:30:00 +0800 (CST)", chicago, "2026-10-17T02:30:00Z"},
		{"cst on shanghai", "Sat, 17 Oct 2026 10:30:00 CST", shanghai, "2026-10-17T02:30:00Z"},
		{"cst on chicago", "Sat, 17 Oct 2026 10:30:00 CST", chicago, "2026-10-17T16:30:00Z"},
		{"cst on utc source", "Sat, 17 Oct 2026 10:30:00 CST", time.UTC, "2026-10-17T16:30:00Z"},
		{"cst iso on shanghai", "2026-10-17 10:30:00 CST", shanghai, "2026-10-17T02:30:00Z"},
		{"cdt from loc", "Sat, 17 Oct 2026 10:30:00 CDT", chicago, "2026-10-17T15:30:00Z"},
		{"jst table", "Sat, 17 Oct 2026 10:30:00 JST", shanghai, "2026-10-17T01:30:00Z"},
		{"jst from loc", "Sat, 17 Oct 2026 10:30:00 JST", tokyo, "2026-10-17T01:30:00Z"},
		{"est table", "Sat, 17 Oct 2026 10:30:00 EST", shanghai, "2026-10-17T15:30:00Z"},
		{"pdt table", "Sat, 17 Oct 2026 10:30:00 PDT", shanghai, "2026-10-17T17:30:00Z"},
		{"cest table", "Sat, 17 Oct 2026 10:30:00 CEST", shanghai, "2026-10-17T08:30:00Z"},
		{"unknown abbreviation is local", "Sat, 17 Oct 2026 10:30:00 XYZ", shanghai, "2026-10-17T02:30:00Z"},
		{"rfc3339", "2026-10-17T10:30:00+08:00", time.UTC, "2026-10-17T02:30:00Z"},
		{"rfc3339 z", "2026-10-17T10:30:00Z", shanghai, "2026-10-17T10:30:00Z"},
		{"rfc3339 fraction", "2026-10-17T10:30:00.123456789-05:00", time.UTC, "2026-10-17T15:30:00.123456789Z"},
		{"rfc3339 long fraction", "2026-10-17T10:30:00.1234567891Z", time.UTC, "2026-10-17T10:30:00.123456789Z"},
		{"iso compact offset", "2026-10-17 10:30:00 +0800", time.UTC, "2026-10-17T02:30:00Z"},
		{"gmt plus hours", "2026-10-17 10:30:00 GMT+8", time.UTC, "2026-10-17T02:30:00Z"},
		{"ansi c", "Sat Oct 17 10:30:00 2026", shanghai, "2026-10-17T02:30:00Z"},
		{"unix date", "Sat Oct 17 10:30:00 UTC 2026", shanghai, "2026-10-17T10:30:00Z"},
		{"nil loc is utc", "2026-10-17 10:30:00", nil, "2026-10-17T10:30:00Z"},
		{"empty", "", shanghai, ""},
		{"blank", "   ", shanghai, ""},
		{"garbage", "yesterday", shanghai, ""},
		{"feb 30", "2026-02-30 10:00:00", shanghai, ""},
		{"month 13", "2026-13-01", shanghai, ""},
		{"hour 25", "2026-10-17 25:00:00", shanghai, ""},
		{"offset too big", "2026-10-17T10:30:00+25:00", shanghai, ""},
		{"date before other text", "2026-10-17 10:30:00 hello world", shanghai, "2026-10-17T02:30:00Z"},
		{"bad month name", "Sat, 17 Foo 2026 10:30:00 GMT", shanghai, ""},
		{"compact digits", "20261017", shanghai, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseDate(tt.raw, tt.loc)
			if tt.want == "" {
				if ok {
					t.Fatalf("ParseDate(%q) = %v, want no parse", tt.raw, got)
				}
				return
			}
			if !ok {
				t.Fatalf("ParseDate(%q) failed, want %s", tt.raw, tt.want)
			}
			if got.Location() != time.UTC {
				t.Errorf("location = %v, want UTC", got.Location())
			}
			if s := got.Format(time.RFC3339Nano); s != tt.want {
				t.Errorf("ParseDate(%q) = %s, want %s", tt.raw, s, tt.want)
			}
		})
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{
		"2026-10-17 10:30:00", "Sat, 17 Oct 2026 10:30:00 CST", "2026年1月2日",
		"2026-10-17T10:30:00.5+08:00", "Sat Oct 17 10:30:00 UTC 2026", "17 Oct 26 10:30 GMT+8",
	} {
		f.Add(s)
	}
	shanghai := mustLoad(f, "Asia/Shanghai")
	f.Fuzz(func(t *testing.T, raw string) {
		got, ok := ParseDate(raw, shanghai)
		if !ok {
			return
		}
		if got.Location() != time.UTC {
			t.Fatalf("ParseDate(%q) location %v, want UTC", raw, got.Location())
		}
		if y := got.Year(); y < 999 || y > 10000 {
			t.Fatalf("ParseDate(%q) year %d out of range", raw, y)
		}
		if _, err := got.MarshalJSON(); err != nil {
			t.Fatalf("ParseDate(%q) = %v cannot be stored: %v", raw, got, err)
		}
	})
}
