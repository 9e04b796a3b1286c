package publish

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/model"
)

var errStoreDown = errors.New("dial tcp 127.0.0.1:1: connection refused")

// fakeReader is an in-memory EntryReader that counts calls and can fail or
// hold SectionEntries until released.
type fakeReader struct {
	mu      sync.Mutex
	meta    map[string]model.SectionMeta
	entries map[string][]model.Entry
	err     error // fails both methods
	// entriesErr fails SectionEntries only: the version read succeeds.
	entriesErr error
	gate       chan struct{} // when set, SectionEntries waits for it to close

	metaCalls    atomic.Int64
	entriesCalls atomic.Int64
}

var _ EntryReader = (*fakeReader)(nil)

// SectionPage pages through the fixture in its order (newest first),
// scoring entries by published time as the store does.
func (f *fakeReader) SectionPage(ctx context.Context, id string, q model.PageQuery) (model.Page, error) {
	all, err := f.sectionEntries(ctx, id)
	if err != nil {
		return model.Page{}, err
	}
	var page model.Page
	started := q.Before == nil
	for _, e := range all {
		if !started {
			started = e.ID == q.Before.ID && entryPublished(e).UnixMilli() == q.Before.Score
			continue
		}
		if q.SourceID != "" && e.SourceID != q.SourceID {
			continue
		}
		if len(page.Entries) == q.Limit {
			last := page.Entries[len(page.Entries)-1]
			page.Next = &model.Cursor{Score: entryPublished(last).UnixMilli(), ID: last.ID}
			break
		}
		page.Entries = append(page.Entries, e)
	}
	if !started {
		return model.Page{}, fmt.Errorf("fake page: %w", model.ErrUnknownCursor)
	}
	return page, nil
}

func (f *fakeReader) SectionMetas(ctx context.Context, ids []string) (map[string]model.SectionMeta, error) {
	out := map[string]model.SectionMeta{}
	for _, id := range ids {
		m, err := f.SectionMeta(ctx, id)
		if err != nil {
			return nil, err
		}
		out[id] = m
	}
	return out, nil
}

func (f *fakeReader) sectionEntries(ctx context.Context, id string) ([]model.Entry, error) {
	f.entriesCalls.Add(1)
	f.mu.Lock()
	gate, err := f.gate, f.err
	if err == nil {
		err = f.entriesErr
	}
	all := f.entries[id]
	f.mu.Unlock()
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if err != nil {
		return nil, err
	}
	return all, nil
}

func (f *fakeReader) SectionMeta(_ context.Context, id string) (model.SectionMeta, error) {
	f.metaCalls.Add(1)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return model.SectionMeta{}, f.err
	}
	return f.meta[id], nil
}

func (f *fakeReader) setErr(err error) {
	f.mu.Lock()
	f.err = err
	f.mu.Unlock()
}

func (f *fakeReader) setEntriesErr(err error) {
	f.mu.Lock()
	f.entriesErr = err
	f.mu.Unlock()
}

func (f *fakeReader) bumpVersion(id string) {
	f.mu.Lock()
	m := f.meta[id]
	m.Version++
	f.meta[id] = m
	f.mu.Unlock()
}

func (f *fakeReader) setEntries(id string, entries []model.Entry) {
	f.mu.Lock()
	f.entries[id] = entries
	f.mu.Unlock()
}

// fixture is testdata/news.json: one section with Chinese text, two
// sources, categories, an author, an image and an entry without content.
type fixture struct {
	Section model.Section     `json:"section"`
	Meta    model.SectionMeta `json:"meta"`
	Entries []model.Entry     `json:"entries"`
}

func loadFixture(t testing.TB) fixture {
	t.Helper()
	b, err := os.ReadFile("testdata/news.json")
	if err != nil {
		t.Fatal(err)
	}
	var fx fixture
	if err := json.Unmarshal(b, &fx); err != nil {
		t.Fatalf("parse fixture: %v", err)
	}
	return fx
}

func newFakeReader(fx fixture) *fakeReader {
	return &fakeReader{
		meta:    map[string]model.SectionMeta{fx.Section.ID: fx.Meta},
		entries: map[string][]model.Entry{fx.Section.ID: fx.Entries},
	}
}
