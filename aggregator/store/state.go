package store

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// SourceState returns a source's state, or the zero value when none is
// stored. A field that does not parse reads as its zero value and is
// logged, so one damaged field cannot stop a source from being polled.
func (s *Store) SourceState(ctx context.Context, sourceID string) (model.SourceState, error) {
	h, err := s.client.HGetAll(ctx, s.keys.SourceState(sourceID)).Result()
	if err != nil {
		return model.SourceState{}, fmt.Errorf("read source %s state: %w", sourceID, err)
	}
	return s.decodeState(sourceID, h), nil
}

// decodeState builds a model.SourceState from its hash fields.
func (s *Store) decodeState(sourceID string, h map[string]string) model.SourceState {
	d := stateDecoder{fields: h}
	st := model.SourceState{
		URL:            h["url"],
		ETag:           h["etag"],
		LastModified:   h["last_modified"],
		BodyHash:       h["body_hash"],
		LastAttempt:    d.time("last_fetch"),
		LastSuccess:    d.time("last_success"),
		NextDue:        d.time("next_due"),
		LastStatus:     d.int("last_status"),
		LastError:      h["last_error"],
		ErrorsInRow:    d.int("errors_in_row"),
		Paused:         d.bool("disabled"),
		Gone:           d.bool("gone"),
		EffectiveURL:   h["effective_url"],
		RedirectURL:    h["redirect_url"],
		RedirectsInRow: d.int("redirects_in_row"),
		Title:          h["title"],
		Link:           h["link"],
		Discovered:     d.bool("discovered"),
		ParseRules:     h["parse_rules"],
		Skipped:        d.int("skipped"),
		DetectedFrom:   h["detected_from"],
		Articles: model.ArticleState{
			OK:        d.int("articles_ok"),
			Failed:    d.int("articles_failed"),
			Pending:   d.int("articles_pending"),
			LastError: h["article_error"],
			At:        d.time("articles_at"),
		},
	}
	st.Detected = jsonValue[*model.Scrape](&d, "detected")
	st.Warnings = jsonValue[[]model.ListWarning](&d, "warnings")
	for _, err := range d.errs {
		s.logger.Warn("ignoring bad source state field", "source", sourceID, "error", err)
	}
	return st
}

// SaveSourceState writes every field of st (HSET) but Articles, times as
// RFC 3339 with nanoseconds in UTC, or empty when zero.
func (s *Store) SaveSourceState(ctx context.Context, sourceID string, st model.SourceState) error {
	if err := s.client.HSet(ctx, s.keys.SourceState(sourceID), stateFields(st)...).Err(); err != nil {
		return fmt.Errorf("save source %s state: %w", sourceID, err)
	}
	return nil
}

// transitionFields are the fields a poll that read prev writes to make
// the state st: all of stateFields but the flags an operator sets while
// the poll runs. A poll never pauses a source, so "disabled" is not
// written; it marks a source gone on a 410, so "gone" is written only
// when the poll changed it or answered 410. Written back as read, either
// would undo a pause or a re-enable made during the poll (a slow site's
// poll takes up to the fetch timeout).
func transitionFields(prev, st model.SourceState) []any {
	all := stateFields(st)
	out := all[:0:0]
	for i := 0; i < len(all); i += 2 {
		switch all[i] {
		case "disabled":
			continue
		case "gone":
			if st.Gone == prev.Gone && st.LastStatus != http.StatusGone {
				continue
			}
		}
		out = append(out, all[i], all[i+1])
	}
	return out
}

// stateFields are the hash fields and values of st, but Articles.
func stateFields(st model.SourceState) []any {
	return []any{
		"url", st.URL,
		"etag", st.ETag,
		"last_modified", st.LastModified,
		"body_hash", st.BodyHash,
		"last_fetch", formatTime(st.LastAttempt),
		"last_success", formatTime(st.LastSuccess),
		"next_due", formatTime(st.NextDue),
		"last_status", strconv.Itoa(st.LastStatus),
		"last_error", st.LastError,
		"errors_in_row", strconv.Itoa(st.ErrorsInRow),
		"disabled", strconv.FormatBool(st.Paused),
		"gone", strconv.FormatBool(st.Gone),
		"effective_url", st.EffectiveURL,
		"redirect_url", st.RedirectURL,
		"redirects_in_row", strconv.Itoa(st.RedirectsInRow),
		"title", st.Title,
		"link", st.Link,
		"discovered", strconv.FormatBool(st.Discovered),
		"parse_rules", st.ParseRules,
		"skipped", strconv.Itoa(st.Skipped),
		"detected", jsonOrEmpty(st.Detected == nil, st.Detected),
		"detected_from", st.DetectedFrom,
		"warnings", jsonOrEmpty(len(st.Warnings) == 0, st.Warnings),
	}
}

// jsonOrEmpty is jsonField(v), or "" at once when empty says v is nil or
// empty: every poll writes both fields, and most sources have neither.
func jsonOrEmpty[T any](empty bool, v T) string {
	if empty {
		return ""
	}
	return jsonField(v)
}

// jsonField is v as a hash field holds it: JSON, or "" for nil or an
// empty list.
func jsonField[T any](v T) string {
	b, err := json.Marshal(v)
	if err != nil || string(b) == "null" || string(b) == "[]" {
		return "" // plain structs of strings and numbers: never an error
	}
	return string(b)
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// stateDecoder parses typed hash fields, collecting errors instead of
// stopping at the first.
type stateDecoder struct {
	fields map[string]string
	errs   []error
}

func (d *stateDecoder) time(name string) time.Time {
	v := d.fields[name]
	if v == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		d.errs = append(d.errs, fmt.Errorf("%s %q: %w", name, v, err))
	}
	return t
}

func (d *stateDecoder) int(name string) int {
	v := d.fields[name]
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		d.errs = append(d.errs, fmt.Errorf("%s %q: %w", name, v, err))
	}
	return n
}

// jsonValue decodes d's JSON field name; an empty field is T's zero
// value (nil), and so is a damaged one, noted.
func jsonValue[T any](d *stateDecoder, name string) T {
	var v T
	raw := d.fields[name]
	if raw == "" {
		return v
	}
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		d.errs = append(d.errs, fmt.Errorf("%s %q: %w", name, raw, err))
		var zero T
		return zero
	}
	return v
}

func (d *stateDecoder) bool(name string) bool {
	v := d.fields[name]
	if v == "" {
		return false
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		d.errs = append(d.errs, fmt.Errorf("%s %q: %w", name, v, err))
	}
	return b
}
