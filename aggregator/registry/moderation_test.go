package registry

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
	"github.com/tributary-rss/tributary/aggregator/store/storetest"
)

// TestRegistry_Moderate: what the registry refuses before the store, and
// how it words the store's refusals.
func TestRegistry_Moderate(t *testing.T) {
	now := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	st := store.New(storetest.NewClient(t, storetest.StartRedis(t)), "", nil)
	r, _ := newRegistry(t, st, Options{Now: func() time.Time { return now }})
	_, secs := r.Merged()
	news := secs[0]
	e := model.Entry{ID: "0123456789abcdef", SourceID: "member-a", Title: "通知", Link: "https://a.example.edu.cn/1.html",
		Published: now.Add(-time.Hour), Updated: now.Add(-time.Hour)}
	if _, err := st.Ingest(context.Background(), model.Source{ID: "member-a"}, []model.Section{news}, []model.Entry{e}, now); err != nil {
		t.Fatal(err)
	}
	req := func(section, entry, action string, until time.Time) model.ModerationRequest {
		return model.ModerationRequest{SectionID: section, EntryID: entry, Action: action, Until: until}
	}
	tests := []struct {
		name  string
		req   model.ModerationRequest
		kind  error // nil: accepted
		field string
		msg   string
	}{
		{"unknown section", req("sports", e.ID, model.ActionHide, time.Time{}), ErrNotFound, "", `no section "sports"`},
		{"unknown action", req("news", e.ID, "delete", time.Time{}), ErrInvalid, "action", `unknown action "delete"`},
		{"entry id not hex", req("news", "../x", model.ActionHide, time.Time{}), ErrInvalid, "entry", "not an entry id"},
		{"empty entry id", req("news", "", model.ActionHide, time.Time{}), ErrInvalid, "entry", "not an entry id"},
		{"expiry in the past", req("news", e.ID, model.ActionPin, now.Add(-time.Minute)), ErrInvalid, "until", "not in the future"},
		{"expiry on a hide", req("news", e.ID, model.ActionHide, now.Add(time.Hour)), ErrInvalid, "until", "only a pin"},
		{"entry of another section", req("hot", e.ID, model.ActionPin, time.Time{}), ErrNotFound, "", `is not in section "hot"`},
		{"pin with an expiry", req("news", e.ID, model.ActionPin, now.Add(time.Hour)), nil, "", ""},
		{"hide unpins", req("news", e.ID, model.ActionHide, time.Time{}), nil, "", ""},
		{"pin a hidden entry", req("news", e.ID, model.ActionPin, time.Time{}), ErrConflict, "", "unhide it before pinning"},
		{"unhide", req("news", e.ID, model.ActionUnhide, time.Time{}), nil, "", ""},
	}
	for _, tt := range tests {
		err := r.Moderate(context.Background(), tt.req)
		var re *RequestError
		switch {
		case tt.kind == nil && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.kind != nil && (!errors.As(err, &re) || !errors.Is(err, tt.kind) || re.Field != tt.field || !strings.Contains(re.Msg, tt.msg)):
			t.Errorf("%s: err = %#v, want %v on %q saying %q", tt.name, err, tt.kind, tt.field, tt.msg)
		}
	}
	m, err := r.Moderation(context.Background(), "news")
	if err != nil || len(m.Hidden) != 0 || len(m.Pinned) != 0 {
		t.Errorf("moderation after unhide = %+v, %v; want nothing hidden or pinned (the hide ended the pin)", m, err)
	}
	if _, err := r.Moderation(context.Background(), "sports"); !errors.Is(err, ErrNotFound) {
		t.Errorf("moderation of an unknown section: %v", err)
	}
}
