package store

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// SourceState is what the poller remembers about a source between polls.
// It is stored as a hash (Keys.SourceState) with snake_case field names.
type SourceState struct {
	// URL is the feed URL the state belongs to.
	URL string
	// ETag and LastModified are the validators of the last 200 response,
	// sent back as If-None-Match and If-Modified-Since.
	ETag, LastModified string
	// BodyHash is a hash of the last body, to skip parsing an unchanged one.
	BodyHash string
	// LastFetch is when the last poll ran, LastSuccess when one last
	// succeeded and NextDue when the next one is due.
	LastFetch, LastSuccess, NextDue time.Time
	// LastStatus is the HTTP status of the last poll (0: no response).
	LastStatus int
	// LastError is the last poll's error text, empty after a success.
	LastError string
	// ErrorsInRow counts consecutive failed polls.
	ErrorsInRow int
	// Disabled stops polling the source (an operator paused it).
	Disabled bool
	// Gone is set by a 410 Gone: the source is not polled again until its
	// configured URL changes or ReenableSource clears it.
	Gone bool
	// EffectiveURL is where the source is fetched from once permanent
	// redirects (301/308) were seen on RedirectsInRow polls in a row; empty
	// means URL. RedirectURL is the target being counted.
	EffectiveURL, RedirectURL string
	RedirectsInRow            int
	// Title and Link are the feed's own title and site link.
	Title, Link string
	// Discovered is set when EffectiveURL is a feed the configured URL, an
	// HTML page, advertised (rather than where redirects led).
	Discovered bool
	// ParseRules identifies the scrape: and content: rules the last body
	// was read with; other rules read it afresh.
	ParseRules string
	// Skipped counts the items of the last list page read (scrape:) that
	// were left out for having no link.
	Skipped int
	// Articles is the article fetching of a source with content.fetch. Only
	// RecordArticles writes it; SaveSourceState leaves it alone.
	Articles ArticleState
}

// ArticleState is the article fetching of a source, as the status page
// shows it: "articles: 18 ok, 2 failed: <reason>".
type ArticleState struct {
	// OK and Failed are totals: articles stored, articles given up.
	OK, Failed int
	// Pending is how many were still wanted after the last pass.
	Pending int
	// LastError is the reason of the last failed fetch.
	LastError string
	// At is when the last pass ran (zero: never).
	At time.Time
}

// SourceState returns a source's state, or the zero value when none is
// stored. A field that does not parse reads as its zero value and is
// logged, so one damaged field cannot stop a source from being polled.
func (s *Store) SourceState(ctx context.Context, sourceID string) (SourceState, error) {
	h, err := s.client.HGetAll(ctx, s.keys.SourceState(sourceID)).Result()
	if err != nil {
		return SourceState{}, fmt.Errorf("read source %s state: %w", sourceID, err)
	}
	return s.decodeState(sourceID, h), nil
}

// decodeState builds a SourceState from its hash fields.
func (s *Store) decodeState(sourceID string, h map[string]string) SourceState {
	d := stateDecoder{fields: h}
	st := SourceState{
		URL:            h["url"],
		ETag:           h["etag"],
		LastModified:   h["last_modified"],
		BodyHash:       h["body_hash"],
		LastFetch:      d.time("last_fetch"),
		LastSuccess:    d.time("last_success"),
		NextDue:        d.time("next_due"),
		LastStatus:     d.int("last_status"),
		LastError:      h["last_error"],
		ErrorsInRow:    d.int("errors_in_row"),
		Disabled:       d.bool("disabled"),
		Gone:           d.bool("gone"),
		EffectiveURL:   h["effective_url"],
		RedirectURL:    h["redirect_url"],
		RedirectsInRow: d.int("redirects_in_row"),
		Title:          h["title"],
		Link:           h["link"],
		Discovered:     d.bool("discovered"),
		ParseRules:     h["parse_rules"],
		Skipped:        d.int("skipped"),
		Articles: ArticleState{
			OK:        d.int("articles_ok"),
			Failed:    d.int("articles_failed"),
			Pending:   d.int("articles_pending"),
			LastError: h["article_error"],
			At:        d.time("articles_at"),
		},
	}
	for _, err := range d.errs {
		s.logger.Warn("ignoring bad source state field", "source", sourceID, "error", err)
	}
	return st
}

// SaveSourceState writes every field of st (HSET) but Articles, times as
// RFC 3339 with nanoseconds in UTC, or empty when zero.
func (s *Store) SaveSourceState(ctx context.Context, sourceID string, st SourceState) error {
	fields := []any{
		"url", st.URL,
		"etag", st.ETag,
		"last_modified", st.LastModified,
		"body_hash", st.BodyHash,
		"last_fetch", formatTime(st.LastFetch),
		"last_success", formatTime(st.LastSuccess),
		"next_due", formatTime(st.NextDue),
		"last_status", strconv.Itoa(st.LastStatus),
		"last_error", st.LastError,
		"errors_in_row", strconv.Itoa(st.ErrorsInRow),
		"disabled", strconv.FormatBool(st.Disabled),
		"gone", strconv.FormatBool(st.Gone),
		"effective_url", st.EffectiveURL,
		"redirect_url", st.RedirectURL,
		"redirects_in_row", strconv.Itoa(st.RedirectsInRow),
		"title", st.Title,
		"link", st.Link,
		"discovered", strconv.FormatBool(st.Discovered),
		"parse_rules", st.ParseRules,
		"skipped", strconv.Itoa(st.Skipped),
	}
	if err := s.client.HSet(ctx, s.keys.SourceState(sourceID), fields...).Err(); err != nil {
		return fmt.Errorf("save source %s state: %w", sourceID, err)
	}
	return nil
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
