package preview

import (
	"errors"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/model"
)

func TestOverrides_Apply(t *testing.T) {
	str := func(s string) *string { return &s }
	no := false
	own := &model.Scrape{Items: "ul li", Date: ".date"}
	tests := []struct {
		name    string
		o       Overrides
		src     model.Source
		want    model.Source
		wantErr string // the invalid key
	}{
		{name: "nothing", src: model.Source{Scrape: own}, want: model.Source{Scrape: own}},
		{name: "one scrape key kept with the others", o: Overrides{Scrape: map[string]string{"date": ".time", "skip": ".top"}},
			src: model.Source{Scrape: own}, want: model.Source{Scrape: &model.Scrape{Items: "ul li", Date: ".time", Skip: ".top"}}},
		{name: "items cleared: detection", o: Overrides{Scrape: map[string]string{"items": ""}},
			src: model.Source{Scrape: own}, want: model.Source{Scrape: &model.Scrape{Date: ".date"}}},
		{name: "content selector turns fetch on", o: Overrides{ContentSelector: str(".body")},
			want: model.Source{Content: &model.Content{Selector: ".body", Fetch: true, MaxPerPoll: model.DefaultMaxPerPoll}}},
		{name: "content fetch off wins", o: Overrides{ContentSelector: str(".body"), ContentFetch: &no},
			want: model.Source{Content: &model.Content{Selector: ".body", MaxPerPoll: model.DefaultMaxPerPoll}}},
		{name: "bad selector", o: Overrides{Scrape: map[string]string{"title": "a[", "date_attr": "ok"}}, wantErr: "scrape.title"},
		{name: "bad attribute", o: Overrides{Scrape: map[string]string{"date_attr": "data time"}}, wantErr: "scrape.date_attr"},
		{name: "bad content selector", o: Overrides{ContentSelector: str("::")}, wantErr: "content.selector"},
		{name: "bad zone", o: Overrides{Timezone: str("Mars/Olympus")}, wantErr: "timezone"},
		{name: "empty zone", o: Overrides{Timezone: str("")}, wantErr: "timezone"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := tt.src
			err := tt.o.Apply(&src)
			var oe *OverrideError
			switch {
			case tt.wantErr != "":
				if !errors.As(err, &oe) || oe.Key != tt.wantErr {
					t.Fatalf("err = %v, want one of %s", err, tt.wantErr)
				}
				return
			case err != nil:
				t.Fatal(err)
			}
			if !src.Scrape.Equal(tt.want.Scrape) || (src.Content == nil) != (tt.want.Content == nil) ||
				(src.Content != nil && src.Content.Selector != tt.want.Content.Selector) ||
				(src.Content != nil && (src.Content.Fetch != tt.want.Content.Fetch || src.Content.MaxPerPoll != tt.want.Content.MaxPerPoll)) {
				t.Errorf("got scrape %+v content %+v, want %+v %+v", src.Scrape, src.Content, tt.want.Scrape, tt.want.Content)
			}
		})
	}
	if *own != (model.Scrape{Items: "ul li", Date: ".date"}) {
		t.Errorf("the source's own block changed: %+v", own)
	}
}

// A timezone override sets the source's zone.
func TestOverrides_ApplyTimezone(t *testing.T) {
	zone := "Europe/Paris"
	var src model.Source
	if err := (Overrides{Timezone: &zone}).Apply(&src); err != nil || src.Location == nil || src.Location.String() != zone {
		t.Errorf("Apply = %v, location %v", err, src.Location)
	}
}
