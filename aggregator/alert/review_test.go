package alert

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

func TestNewPendingEvents(t *testing.T) {
	polled := time.Date(2026, 12, 7, 2, 0, 0, 0, time.UTC)
	src := model.Source{ID: "sx", Title: "实验小学", URL: "https://user:pw@sx.example.edu.cn/rss.xml?token=Q1w2e3", SectionIDs: []string{"news", "hot"}}
	many := make([]model.Entry, MaxPendingEntries+5)
	for i := range many {
		many[i] = model.Entry{ID: fmt.Sprintf("e%02d", i), Title: fmt.Sprintf("标题 %d", i), Link: "https://sx.example.edu.cn/show.asp?id=1"}
	}
	held := []model.ReviewHeld{
		{SectionID: "news", Entries: []model.Entry{{ID: "e1", Title: "澳门博彩", Link: "https://sx.example.edu.cn/show.asp?id=7&access_token=SeCrEt"}}},
		{SectionID: "empty"},
		{SectionID: "hot", Entries: many},
	}
	evs := NewPendingEvents(src, held, model.SourceState{LastStatus: 200}, polled, "host-a")
	tests := []struct {
		name    string
		i       int
		want    []string
		notWant []string
	}{
		{"one entry", 0, []string{`"event":"pending"`, `"section":"news"`, `"count":1`, `"title":"澳门博彩"`, `"id":"e1"`,
			`"link":"https://sx.example.edu.cn/show.asp?id=7`, `"instance":"host-a"`, `"time":"2026-12-07T02:00:00Z"`, `"title":"实验小学"`},
			[]string{"SeCrEt", "pw@", "Q1w2e3"}},
		{"many entries", 1, []string{`"section":"hot"`, fmt.Sprintf(`"count":%d`, MaxPendingEntries+5), `"id":"e19"`}, []string{`"id":"e20"`}},
	}
	if len(evs) != len(tests) {
		t.Fatalf("%d events, want %d: %+v", len(evs), len(tests), evs)
	}
	for _, tt := range tests {
		data, err := json.Marshal(evs[tt.i])
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range tt.want {
			if !strings.Contains(string(data), w) {
				t.Errorf("%s: payload lacks %s:\n%s", tt.name, w, data)
			}
		}
		for _, w := range tt.notWant {
			if strings.Contains(string(data), w) {
				t.Errorf("%s: payload holds %s:\n%s", tt.name, w, data)
			}
		}
	}
}
