package store

import (
	"cmp"
	"context"
	"fmt"

	"github.com/redis/go-redis/v9"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// SourceStatuses returns the status of each source, in the given order,
// from its state hash, the size of its entry index and the date issues of
// its latest parsed poll. It reads every
// source in one pipeline (one round trip; on a Cluster the client splits
// it by slot), and a second for the newest entries of sources no ingest
// has updated since the store kept them (see lastEntries).
func (s *Store) SourceStatuses(ctx context.Context, sources []model.Source) ([]model.SourceStatus, error) {
	pipe := s.client.Pipeline()
	states := make([]*redis.MapStringStringCmd, len(sources))
	counts := make([]*redis.IntCmd, len(sources))
	dates := make([]*redis.MapStringStringCmd, len(sources))
	for i, src := range sources {
		states[i] = pipe.HGetAll(ctx, s.keys.SourceState(src.ID))
		counts[i] = pipe.ZCard(ctx, s.keys.SourceEntries(src.ID))
		dates[i] = pipe.HGetAll(ctx, s.keys.SourceDateIssues(src.ID))
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, fmt.Errorf("read source statuses: %w", err)
	}
	out := make([]model.SourceStatus, len(sources))
	for i, src := range sources {
		st := s.decodeState(src.ID, states[i].Val())
		out[i] = model.SourceStatus{
			ID:            src.ID,
			Title:         cmp.Or(src.Title, st.Title),
			ConfiguredURL: src.URL,
			EffectiveURL:  st.EffectiveURL,
			SectionIDs:    src.SectionIDs,
			LastAttempt:   st.LastAttempt,
			LastSuccess:   st.LastSuccess,
			NextDue:       st.NextDue,
			LastStatus:    st.LastStatus,
			LastError:     st.LastError,
			ErrorsInRow:   st.ErrorsInRow,
			Entries:       counts[i].Val(),
			Paused:        st.Paused,
			Gone:          st.Gone && (st.URL == "" || st.URL == src.URL),
			Origin:        cmp.Or(src.Origin, model.OriginConfig),
			Schedule:      src.Schedule,
			Discovered:    st.Discovered,
			Skipped:       st.Skipped,
			Detected:      st.Detected,
			Warnings:      st.Warnings,
			DateIssues:    s.decodeDateIssues(src.ID, dates[i].Val()),
			SiteLink:      st.Link,
			ConfigFile:    src.ConfigFile,
			ConfigLine:    src.ConfigLine,
		}
		if src.Content != nil && src.Content.Fetch {
			a := st.Articles
			out[i].Articles = &model.ArticleStatus{OK: a.OK, Failed: a.Failed, Pending: a.Pending, LastError: a.LastError}
		}
		out[i].Freshness = decodeFreshness(states[i].Val(), src)
	}
	if err := s.lastEntries(ctx, out, states); err != nil {
		return nil, err
	}
	return out, nil
}
