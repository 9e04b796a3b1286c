package config

import (
	"cmp"
	"fmt"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// SourceFor is the config's source whose id or URL is arg, else a source
// of the URL arg with the config's defaults: what a tool asked about one
// source (tributary preview) reads, configured or not.
func (c *Config) SourceFor(arg string) (model.Source, error) {
	for _, src := range c.Sources() {
		if src.ID == arg || src.URL == arg {
			return src, nil
		}
	}
	if err := CheckFeedURL(arg); err != nil {
		where := "the config"
		if c.Path != "" {
			where = c.Path
		}
		return model.Source{}, fmt.Errorf("no source with id or URL %q in %s, and %w", arg, where, err)
	}
	loc, err := c.Location()
	if err != nil {
		return model.Source{}, err
	}
	return model.Source{ID: model.SourceID(arg), URL: arg, Location: loc}, nil
}

// Location is the zone of dates without one: defaults.timezone, else
// DefaultTimezone (for a config that skipped defaulting, such as the
// empty one tools run on without a file).
func (c *Config) Location() (*time.Location, error) {
	loc, err := time.LoadLocation(cmp.Or(c.Defaults.Timezone, DefaultTimezone))
	if err != nil {
		return nil, fmt.Errorf("defaults.timezone: %w", err)
	}
	return loc, nil
}
