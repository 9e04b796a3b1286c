package store

import (
	"context"
	"fmt"
	"strconv"

	"github.com/redis/go-redis/v9"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// decodeFreshness reads a source's freshness from its state hash fields.
func decodeFreshness(h map[string]string, src model.Source) model.Freshness {
	return model.Freshness{
		LastEntry:  msTime(h[fieldNewestEntry]),
		FirstSeen:  msTime(h[fieldFirstSeen]),
		StaleAfter: src.StaleAfter,
		Alerted:    h[fieldStaleAlerted] == "1",
	}
}

// lastEntries fills the newest entry of the statuses whose state hash has
// no newest_entry (sources nothing ingested since the store kept it) from
// the highest score of their entry index, in one more pipeline. It only
// reads: the fields are written by the source's next ingest or poll (see
// backfillFreshness), so a read-only store (`tributary sources` on a
// snapshot) shows them too.
func (s *Store) lastEntries(ctx context.Context, out []model.SourceStatus, states []*redis.MapStringStringCmd) error {
	pipe := s.client.Pipeline()
	tops := map[int]*redis.ZSliceCmd{}
	for i, st := range out {
		if _, ok := states[i].Val()[fieldNewestEntry]; !ok && st.Entries > 0 {
			tops[i] = pipe.ZRevRangeWithScores(ctx, s.keys.SourceEntries(st.ID), 0, 0)
		}
	}
	if len(tops) == 0 {
		return nil
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("read newest entries: %w", err)
	}
	for i, cmd := range tops {
		if z := cmd.Val(); len(z) > 0 {
			out[i].Freshness.LastEntry = msTime(strconv.FormatInt(int64(z[0].Score), 10))
		}
	}
	return nil
}

// SourceActivity returns the daily new-entry counts of each source id, in
// the given order: one small hash each, read in one pipeline.
func (s *Store) SourceActivity(ctx context.Context, ids []string) ([]model.Activity, error) {
	out := make([]model.Activity, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	pipe := s.client.Pipeline()
	cmds := make([]*redis.MapStringStringCmd, len(ids))
	for i, id := range ids {
		cmds[i] = pipe.HGetAll(ctx, s.keys.SourceActivity(id))
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, fmt.Errorf("read source activity: %w", err)
	}
	for i, cmd := range cmds {
		a := make(model.Activity, len(cmd.Val()))
		for day, v := range cmd.Val() {
			if n, err := strconv.Atoi(v); err == nil && n > 0 {
				a[day] = n
			}
		}
		out[i] = a
	}
	return out, nil
}
