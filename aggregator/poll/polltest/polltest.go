// Package polltest holds what the tests of the poller and the scheduler
// share: a store that keeps source states in memory, and a feed to serve.
// Nothing outside tests imports it.
package polltest

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
)

// MemStore keeps source states in memory and counts ingests; it is the
// store side of a poller whose entries the test does not look at.
type MemStore struct {
	mu      sync.Mutex
	states  map[string]model.SourceState
	ingests int
}

// NewMemStore is an empty MemStore.
func NewMemStore() *MemStore { return &MemStore{states: map[string]model.SourceState{}} }

// Ingests is how many times entries were ingested.
func (m *MemStore) Ingests() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.ingests
}

// SourceState is the state last saved for id.
func (m *MemStore) SourceState(_ context.Context, id string) (model.SourceState, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.states[id], nil
}

// SaveSourceTransition saves st.
func (m *MemStore) SaveSourceTransition(ctx context.Context, id string, _, st model.SourceState) error {
	return m.SaveSourceState(ctx, id, st)
}

// SaveSourceState saves st.
func (m *MemStore) SaveSourceState(_ context.Context, id string, st model.SourceState) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.states[id] = st
	return nil
}

// IngestRules counts the ingest and reports every entry new.
func (m *MemStore) IngestRules(_ context.Context, _ store.Policy, es []model.Entry, _ time.Time) (store.IngestResult, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.ingests++
	return store.IngestResult{New: len(es)}, nil
}

// Refresh does nothing.
func (m *MemStore) Refresh(context.Context, store.Policy, time.Time) ([]string, error) {
	return nil, nil
}

// FeedRSS is a one-item RSS feed.
const FeedRSS = `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>a</title><guid>a</guid><link>https://example.com/a</link></item></channel></rss>`

// ServeFeed serves FeedRSS with headers.
func ServeFeed(headers map[string]string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for k, v := range headers {
			w.Header().Set(k, v)
		}
		_, _ = w.Write([]byte(FeedRSS))
	}
}
