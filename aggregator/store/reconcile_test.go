package store

import (
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

func TestReconcile(t *testing.T) {
	first := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	later := first.Add(3 * time.Hour)
	pub := time.Date(2024, 4, 30, 8, 0, 0, 0, time.UTC)
	stored := model.Entry{ID: "e1", SourceID: "s", Title: "old", Link: "https://x/1",
		Published: pub, Updated: pub, FirstSeen: first}
	undated := model.Entry{ID: "e2", SourceID: "s", Title: "no date",
		Published: first, Updated: first, FirstSeen: first, NoDate: true}
	with := func(e model.Entry, f func(*model.Entry)) model.Entry { f(&e); return e }
	edited := with(stored, func(e *model.Entry) { e.Title = "new"; e.Updated = first.Add(time.Hour) })

	tests := []struct {
		name       string
		stored     *model.Entry
		in         model.Entry
		wantChange change
		want       model.Entry
	}{
		{"new id kept as given", nil, with(stored, func(e *model.Entry) { e.FirstSeen = later }),
			changeNew, with(stored, func(e *model.Entry) { e.FirstSeen = later })},
		{"same entry re-polled keeps FirstSeen", &stored, with(stored, func(e *model.Entry) { e.FirstSeen = later }),
			changeUnchanged, stored},
		{"same instant in another zone is unchanged", &stored,
			with(stored, func(e *model.Entry) { e.Published = pub.In(time.FixedZone("CST", 8*3600)) }),
			changeUnchanged, stored},
		{"title edit without new Updated gets Updated=now", &stored,
			with(stored, func(e *model.Entry) { e.Title = "new"; e.FirstSeen = later }),
			changeUpdated, with(stored, func(e *model.Entry) { e.Title = "new"; e.Updated = later })},
		{"content edit with source Updated keeps it", &stored,
			with(stored, func(e *model.Entry) { e.Content = "<p>x</p>"; e.Updated = pub.Add(time.Hour) }),
			changeUpdated, with(stored, func(e *model.Entry) { e.Content = "<p>x</p>"; e.Updated = pub.Add(time.Hour) })},
		{"category change is an update without Updated bump", &stored,
			with(stored, func(e *model.Entry) { e.Categories = []string{"a"} }),
			changeUpdated, with(stored, func(e *model.Entry) { e.Categories = []string{"a"} })},
		{"re-poll after a stamped edit keeps Updated", &edited,
			with(edited, func(e *model.Entry) { e.Updated = pub; e.FirstSeen = later }),
			changeUnchanged, edited},
		{"undated re-poll keeps Published and Updated", &undated,
			with(undated, func(e *model.Entry) { e.Published, e.Updated, e.FirstSeen = later, later, later }),
			changeUnchanged, undated},
		{"undated edit keeps Published, Updated=now", &undated,
			with(undated, func(e *model.Entry) { e.Summary = "s"; e.Published, e.Updated, e.FirstSeen = later, later, later }),
			changeUpdated, with(undated, func(e *model.Entry) { e.Summary = "s"; e.Updated = later })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, data, ch, err := reconcile(tt.stored, tt.in, later)
			if err != nil {
				t.Fatal(err)
			}
			if ch != tt.wantChange {
				t.Errorf("change = %v, want %v", ch, tt.wantChange)
			}
			gotJSON, _ := encodeEntry(got)
			wantJSON, _ := encodeEntry(tt.want)
			if string(gotJSON) != string(wantJSON) {
				t.Errorf("entry:\n got  %s\n want %s", gotJSON, wantJSON)
			}
			if string(data) != string(wantJSON) {
				t.Errorf("data:\n got  %s\n want %s", data, wantJSON)
			}
		})
	}
}

func TestSourceKeep(t *testing.T) {
	tests := []struct {
		name     string
		sections []model.Section
		batch    int
		want     int
	}{
		{"floor", []model.Section{{MaxItems: 10}}, 5, MinSourceEntries},
		{"largest section", []model.Section{{MaxItems: 10}, {MaxItems: 120}}, 5, 120},
		{"whole batch", []model.Section{{MaxItems: 10}}, 80, 80},
		{"unset MaxItems uses default", []model.Section{{}}, 5, model.DefaultSectionMaxItems},
		{"no sections", nil, 0, MinSourceEntries},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sourceKeep(tt.sections, tt.batch); got != tt.want {
				t.Errorf("got %d, want %d", got, tt.want)
			}
		})
	}
}
