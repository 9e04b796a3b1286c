package registry

import (
	"slices"
	"time"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
)

// checkStaleAfter checks an API source's stale_after: empty (its
// sections' threshold) or a duration of more than zero, written as the
// config's are ("14d", "36h", "1d12h").
func checkStaleAfter(v string) error {
	if v == "" {
		return nil
	}
	if d, err := config.ParseDuration(v); err != nil || d <= 0 {
		return invalid(model.KeyStaleAfter, "stale_after", "%q is not a duration of more than zero like 14d, 36h or 1d12h", v)
	}
	return nil
}

// staleAfterOf resolves an API source's threshold as the config resolves
// a file source's (model.StaleAfterFor): its own, else the shortest of its
// sections', else freshness.stale_after.
func staleAfterOf(rec store.APISource, sections []string, file fileConfig) time.Duration {
	own, err := config.ParseDuration(rec.StaleAfter)
	if err != nil {
		own = 0 // none, or one stored before it was checked: the sections'
	}
	var secs []model.Section
	for _, sec := range file.sections {
		if slices.Contains(sections, sec.ID) {
			secs = append(secs, sec)
		}
	}
	return model.StaleAfterFor(own, secs, file.staleAfter)
}
