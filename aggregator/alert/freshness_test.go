package alert

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

func TestFreshnessKind(t *testing.T) {
	tests := []struct {
		c      *model.FreshnessCrossing
		want   Kind
		wantOK bool
	}{
		{nil, "", false},
		{&model.FreshnessCrossing{}, "", false},
		{&model.FreshnessCrossing{To: model.FreshnessStale}, Stale, true},
		{&model.FreshnessCrossing{To: model.FreshnessFresh}, Fresh, true},
	}
	for _, tt := range tests {
		if got, ok := FreshnessKind(tt.c); got != tt.want || ok != tt.wantOK {
			t.Errorf("FreshnessKind(%+v) = %q, %v; want %q, %v", tt.c, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestNewFreshnessEvent(t *testing.T) {
	polled := time.Date(2025, 4, 10, 2, 0, 0, 0, time.UTC)
	src := model.Source{ID: "sx", Title: "实验小学", URL: "https://user:pw@sx.example.edu.cn/rss.xml?token=Q1w2e3", SectionIDs: []string{"schools"}}
	c := model.FreshnessCrossing{To: model.FreshnessStale, LastEntry: polled.AddDate(0, 0, -40), StaleAfter: 14 * 24 * time.Hour}
	ev := NewFreshnessEvent(Stale, src, c, model.SourceState{LastStatus: 304}, polled, "host-a")
	data, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	got := string(data)
	for _, want := range []string{`"event":"stale"`, `"last_entry":"2025-03-01T02:00:00Z"`, `"days_since_last_entry":40`,
		`"stale_after":"14d"`, `"title":"实验小学"`, `"sections":["schools"]`, `"instance":"host-a"`, `"last_status":304`} {
		if !strings.Contains(got, want) {
			t.Errorf("payload %s lacks %s", got, want)
		}
	}
	for _, secret := range []string{"pw", "Q1w2e3"} {
		if strings.Contains(got, secret) {
			t.Errorf("payload %s holds the secret %q", got, secret)
		}
	}
	never := NewFreshnessEvent(Stale, src, model.FreshnessCrossing{To: model.FreshnessStale, StaleAfter: 36 * time.Hour}, model.SourceState{}, polled, "h")
	data, _ = json.Marshal(never)
	if s := string(data); strings.Contains(s, "last_entry") || strings.Contains(s, "days_since") || !strings.Contains(s, `"stale_after":"36h0m0s"`) {
		t.Errorf("a source that never published: %s", s)
	}
}
