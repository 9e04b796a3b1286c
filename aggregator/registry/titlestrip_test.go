package registry

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
	"github.com/tributary-rss/tributary/aggregator/store/storetest"
)

// TestRegistry_titleStrip: an API source takes a title_strip list when
// added and edited, checked as the config checks it, and keeps it in the
// store.
func TestRegistry_titleStrip(t *testing.T) {
	st := store.New(storetest.NewClient(t, storetest.StartRedis(t)), "", nil)
	r, _ := newRegistry(t, st, Options{})
	ctx := context.Background()
	_, err := r.Add(ctx, AddRequest{URL: "https://c.example.edu.cn/feed", Sections: []string{"news"}, TitleStrip: []string{"[置顶]", "/[/"}})
	var re *model.RequestError
	if !errors.As(err, &re) || !errors.Is(err, ErrInvalid) || re.Field != "title_strip[1]" || re.Key != model.KeyFilterInvalid ||
		re.Msg != "invalid regular expression /[/: error parsing regexp: missing closing ]: `[`" {
		t.Fatalf("bad title_strip: %#v", err)
	}
	src, err := r.Add(ctx, AddRequest{ID: "member-c", URL: "https://c.example.edu.cn/feed", Sections: []string{"news"},
		TitleStrip: []string{"[置顶]", `/^\[\d+\]/`}})
	if err != nil || !slices.Equal(src.TitleStrip, []string{"[置顶]", `/^\[\d+\]/`}) {
		t.Fatalf("added: %+v, %v", src, err)
	}
	if src, err = r.Update(ctx, "member-c", UpdateRequest{TitleStrip: &[]string{"【学校要闻】"}}); err != nil || !slices.Equal(src.TitleStrip, []string{"【学校要闻】"}) {
		t.Errorf("edited: %+v, %v", src.TitleStrip, err)
	}
	if _, err = r.Update(ctx, "member-c", UpdateRequest{TitleStrip: &[]string{"//"}}); !errors.As(err, &re) || re.Field != "title_strip[0]" {
		t.Errorf("bad edit: %v", err)
	}
	if src, err = r.Update(ctx, "member-c", UpdateRequest{TitleStrip: &[]string{}}); err != nil || src.TitleStrip != nil {
		t.Errorf("cleared: %+v, %v", src.TitleStrip, err)
	}
	api, err := st.APISources(ctx)
	if err != nil || len(api) != 1 || api[0].TitleStrip != nil {
		t.Errorf("stored: %+v, %v", api, err)
	}
}
