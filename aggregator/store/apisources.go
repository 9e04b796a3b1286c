package store

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// APISource is a source added through the admin API, as kept in the store
// next to the sources of the config file, so it survives restarts and is
// seen by every instance.
type APISource struct {
	ID    string `json:"id"`
	URL   string `json:"url"`
	Title string `json:"title,omitempty"`
	// Sections are the ids of the sections it feeds.
	Sections []string `json:"sections"`
	// Schedule and Timezone are empty to follow the config's defaults.
	Schedule string    `json:"schedule,omitempty"`
	Timezone string    `json:"timezone,omitempty"`
	AddedAt  time.Time `json:"added_at"`
	// StaleAfter is its own stale_after as given ("14d"; empty: its
	// sections').
	StaleAfter string `json:"stale_after,omitempty"`
	// Scrape and Content are the source's scrape: and content: blocks
	// (nil: a feed, no article fetching).
	Scrape  *model.Scrape  `json:"scrape,omitempty"`
	Content *model.Content `json:"content,omitempty"`
	// Include and Exclude filter its entries as a config source's
	// include: and exclude: do (empty: none).
	Include []string `json:"include,omitempty"`
	Exclude []string `json:"exclude,omitempty"`
	// TitleStrip are labels removed from its titles (title_strip).
	TitleStrip []string `json:"title_strip,omitempty"`
	// UpdatedAt is when it was last edited (zero: never).
	UpdatedAt time.Time `json:"updated_at,omitzero"`
}

// AddAPISource stores src unless a source with its id is stored already;
// added is false then.
func (s *Store) AddAPISource(ctx context.Context, src APISource) (added bool, err error) {
	data, err := json.Marshal(src)
	if err != nil {
		return false, fmt.Errorf("add api source %s: %w", src.ID, err)
	}
	added, err = s.client.HSetNX(ctx, s.keys.AdminSources(), src.ID, data).Result()
	if err != nil {
		return false, fmt.Errorf("add api source %s: %w", src.ID, err)
	}
	return added, nil
}

// RemoveAPISource deletes the API source id; removed is false when there
// was none. Its entries and state stay: they age out like those of a
// source dropped from the config.
func (s *Store) RemoveAPISource(ctx context.Context, id string) (removed bool, err error) {
	n, err := s.client.HDel(ctx, s.keys.AdminSources(), id).Result()
	if err != nil {
		return false, fmt.Errorf("remove api source %s: %w", id, err)
	}
	return n > 0, nil
}

// APISources returns the stored API sources, oldest first. A record that
// does not decode is logged and skipped rather than hiding the others.
func (s *Store) APISources(ctx context.Context) ([]APISource, error) {
	raw, err := s.client.HGetAll(ctx, s.keys.AdminSources()).Result()
	if err != nil {
		return nil, fmt.Errorf("read api sources: %w", err)
	}
	out := make([]APISource, 0, len(raw))
	for id, data := range raw {
		var src APISource
		if err := json.Unmarshal([]byte(data), &src); err != nil || src.ID != id {
			s.logger.Warn("skipping unreadable api source record", "key", s.keys.AdminSources(), "field", id, "err", err)
			continue
		}
		out = append(out, src)
	}
	slices.SortFunc(out, func(a, b APISource) int {
		return cmp.Or(a.AddedAt.Compare(b.AddedAt), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// PublishAdmin sends msg to every instance's SubscribeAdmin.
func (s *Store) PublishAdmin(ctx context.Context, msg string) error {
	cmd := publishByChannel(ctx, s.keys.AdminEvents(), msg)
	_ = s.client.Process(ctx, cmd)
	if err := cmd.Err(); err != nil {
		return fmt.Errorf("publish admin event: %w", err)
	}
	return nil
}

// SubscribeAdmin returns the admin events of every instance (see
// Keys.AdminEvents), like Subscribe does section events.
func (s *Store) SubscribeAdmin(ctx context.Context) <-chan string {
	return s.subscribe(ctx, s.keys.AdminEvents())
}
