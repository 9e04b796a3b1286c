package store

import (
	"context"
	"fmt"
	"strconv"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// SwapDateIssues records di as the date issues of the source's latest
// parsed poll and returns those recorded before, in one round trip: the
// poll logs when a source starts or stops having them, and a daemon
// sharing the store may have recorded the last ones. A di without undated
// or future items removes the record.
func (s *Store) SwapDateIssues(ctx context.Context, sourceID string, di model.DateIssues) (model.DateIssues, error) {
	key := s.keys.SourceDateIssues(sourceID)
	pipe := s.client.Pipeline()
	prev := pipe.HGetAll(ctx, key)
	if di.Undated == 0 && di.Future == 0 {
		pipe.Del(ctx, key)
	} else {
		pipe.HSet(ctx, key, dateIssueFields(di)...)
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return model.DateIssues{}, fmt.Errorf("record source %s date issues: %w", sourceID, err)
	}
	return s.decodeDateIssues(sourceID, prev.Val()), nil
}

// dateIssueFields are the hash fields of di, every one of them, so a
// record replaces the last one whole.
func dateIssueFields(di model.DateIssues) []any {
	return []any{
		"undated", strconv.Itoa(di.Undated),
		"future", strconv.Itoa(di.Future),
		"example", di.Example,
		"last", formatTime(di.Last),
	}
}

// decodeDateIssues builds a model.DateIssues from its hash fields; a field
// that does not parse reads as zero and is logged, like the source state.
func (s *Store) decodeDateIssues(sourceID string, h map[string]string) model.DateIssues {
	if len(h) == 0 {
		return model.DateIssues{}
	}
	d := stateDecoder{fields: h}
	di := model.DateIssues{
		Undated: d.int("undated"),
		Future:  d.int("future"),
		Example: h["example"],
		Last:    d.time("last"),
	}
	for _, err := range d.errs {
		s.logger.Warn("ignoring bad date issues field", "source", sourceID, "error", err)
	}
	return di
}
