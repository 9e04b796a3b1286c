package metrics

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// storeScrapeTimeout bounds the store reads of one scrape; Prometheus'
// own default scrape timeout is 10s.
const storeScrapeTimeout = 5 * time.Second

// StoreStats is what the store-backed gauges read at scrape time (the
// store implements it).
type StoreStats interface {
	SectionMetas(ctx context.Context, sectionIDs []string) (map[string]model.SectionMeta, error)
	SectionSizes(ctx context.Context, sectionIDs []string) (map[string]int64, error)
	// SourceStateCounts is how many sources are in each state but
	// pending, and under model.FreshnessStale how many are stale, kept as
	// polls change them: one small read however many sources there are.
	SourceStateCounts(ctx context.Context) (map[string]int64, error)
	// SourcesHealth is each source's last success and failure streak, in
	// the order of ids: one pipelined read of two fields per source.
	SourcesHealth(ctx context.Context, ids []string) ([]model.SourceHealth, error)
}

var (
	sectionEntriesDesc = prometheus.NewDesc("tributary_section_entries",
		"Entries a section holds.", []string{"section"}, nil)
	sectionVersionDesc = prometheus.NewDesc("tributary_section_version",
		"A section's version: it grows by one with every change (the feeds' ETags follow it).", []string{"section"}, nil)
	sourcesDesc = prometheus.NewDesc("tributary_sources",
		"Configured sources by state: ok, failing (backing off), gone (410), paused, pending (never polled).", []string{"state"}, nil)
	sourcesStaleDesc = prometheus.NewDesc("tributary_sources_stale",
		"Configured sources whose last poll found them stale: nothing published for longer than their stale_after. A count apart from tributary_sources, as a stale source is also ok, failing or paused.", nil, nil)
	sourceLastSuccessDesc = prometheus.NewDesc("tributary_source_last_success_timestamp_seconds",
		"When a poll of the source last succeeded, in Unix seconds; 0 if none has. One series per configured source.", []string{"source"}, nil)
	sourceErrorsDesc = prometheus.NewDesc("tributary_source_errors_in_row",
		"Polls of the source that failed in a row since its last success. One series per configured source.", []string{"source"}, nil)
)

// storeCollector reads section sizes and versions and source states from
// the store on every scrape, so every instance (poller or frontend) reports
// the shared truth rather than what it alone did.
type storeCollector struct {
	st  StoreStats
	cfg atomic.Pointer[collectorConfig]
	log *slog.Logger
	// perSourceLimit bounds the sources that get per-source series (see
	// SetPerSourceLimit); over it, leftOut remembers that the log said so.
	perSourceLimit atomic.Int64
	leftOut        atomic.Bool
}

// collectorConfig is what a scrape reports on; a reload swaps it whole.
type collectorConfig struct {
	sections []string
	sources  []model.Source
	// reviewed are the sections with review (see collectPending).
	reviewed []string
}

func newCollectorConfig(sections []model.Section, sources []model.Source) *collectorConfig {
	ids := make([]string, len(sections))
	var reviewed []string
	for i, sec := range sections {
		ids[i] = sec.ID
		if sec.Review {
			reviewed = append(reviewed, sec.ID)
		}
	}
	return &collectorConfig{sections: ids, sources: sources, reviewed: reviewed}
}

// SetSections makes the store-backed gauges report on a reloaded config's
// sections and sources; before CollectStore, or on a nil *Metrics, it
// does nothing.
func (m *Metrics) SetSections(sections []model.Section, sources []model.Source) {
	if m != nil && m.store != nil {
		m.store.cfg.Store(newCollectorConfig(sections, sources))
	}
}

// SetPerSourceLimit sets how many configured sources still get their own
// series (tributary_source_last_success_timestamp_seconds and
// tributary_source_errors_in_row): with more, a scrape leaves both out
// rather than read two fields of every source and write two series each
// (15 MB and most of a second at 100,000 sources); tributary_sources
// {state} still counts them. n < 1 means DefaultPerSourceLimit. Before
// CollectStore, or on a nil *Metrics, it does nothing.
func (m *Metrics) SetPerSourceLimit(n int) {
	if m != nil && m.store != nil {
		m.store.setPerSourceLimit(n)
	}
}

// DefaultPerSourceLimit is the per-source series' bound when none is set
// (metrics.per_source_limit).
const DefaultPerSourceLimit = 5000

func (c *storeCollector) setPerSourceLimit(n int) {
	if n < 1 {
		n = DefaultPerSourceLimit
	}
	c.perSourceLimit.Store(int64(n))
}

// CollectStore registers gauges of the sections' sizes and versions and of
// the sources' states, read from st at scrape time. A store error leaves
// those series out of that scrape (and is counted by the Redis hook).
func (m *Metrics) CollectStore(st StoreStats, sections []model.Section, sources []model.Source, log *slog.Logger) error {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	c := &storeCollector{st: st, log: log}
	c.cfg.Store(newCollectorConfig(sections, sources))
	c.setPerSourceLimit(DefaultPerSourceLimit)
	if err := m.reg.Register(c); err != nil {
		return err
	}
	m.store = c
	return nil
}

func (c *storeCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- sectionEntriesDesc
	ch <- sectionVersionDesc
	ch <- sourcesDesc
	ch <- sourcesStaleDesc
	ch <- sourceLastSuccessDesc
	ch <- sourceErrorsDesc
	ch <- sectionPendingDesc
}

func (c *storeCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), storeScrapeTimeout)
	defer cancel()
	cfg := c.cfg.Load()
	if sizes, err := c.st.SectionSizes(ctx, cfg.sections); err != nil {
		c.log.Warn("metrics: read section sizes", "err", err)
	} else {
		for _, id := range cfg.sections {
			ch <- prometheus.MustNewConstMetric(sectionEntriesDesc, prometheus.GaugeValue, float64(sizes[id]), id)
		}
	}
	if metas, err := c.st.SectionMetas(ctx, cfg.sections); err != nil {
		c.log.Warn("metrics: read section versions", "err", err)
	} else {
		for _, id := range cfg.sections {
			ch <- prometheus.MustNewConstMetric(sectionVersionDesc, prometheus.GaugeValue, float64(metas[id].Version), id)
		}
	}
	c.collectSources(ctx, ch, cfg.sources)
	c.collectHealth(ctx, ch, cfg.sources)
	c.collectPending(ctx, ch, cfg.reviewed)
}

// collectHealth reports each configured source's last success and error
// streak, for alerting rules, while there are at most perSourceLimit
// sources. The series follow the config: a source removed from it (or
// from the admin API) is gone from the next scrape.
func (c *storeCollector) collectHealth(ctx context.Context, ch chan<- prometheus.Metric, sources []model.Source) {
	if limit := c.perSourceLimit.Load(); int64(len(sources)) > limit {
		if !c.leftOut.Swap(true) {
			c.log.Info("metrics: per-source series left out", "sources", len(sources), "per_source_limit", limit)
		}
		return
	}
	if c.leftOut.Swap(false) {
		c.log.Info("metrics: per-source series reported again", "sources", len(sources), "per_source_limit", c.perSourceLimit.Load())
	}
	ids := make([]string, len(sources))
	for i, src := range sources {
		ids[i] = src.ID
	}
	health, err := c.st.SourcesHealth(ctx, ids)
	if err != nil {
		c.log.Warn("metrics: read sources' health", "err", err)
		return
	}
	for i, id := range ids {
		var last float64
		if t := health[i].LastSuccess; !t.IsZero() {
			last = float64(t.UnixNano()) / 1e9
		}
		ch <- prometheus.MustNewConstMetric(sourceLastSuccessDesc, prometheus.GaugeValue, last, id)
		ch <- prometheus.MustNewConstMetric(sourceErrorsDesc, prometheus.GaugeValue, float64(health[i].ErrorsInRow), id)
	}
}

func (c *storeCollector) collectSources(ctx context.Context, ch chan<- prometheus.Metric, sources []model.Source) {
	counts, err := c.st.SourceStateCounts(ctx)
	if err != nil {
		c.log.Warn("metrics: read source state counts", "err", err)
		return
	}
	// Pending is the configured sources no counted state holds: never
	// polled, or whose state went with a store reset.
	var counted int64
	for _, state := range []string{model.StateOK, model.StateFailing, model.StateGone, model.StatePaused} {
		counted += counts[state]
		ch <- prometheus.MustNewConstMetric(sourcesDesc, prometheus.GaugeValue, float64(counts[state]), state)
	}
	pending := max(int64(len(sources))-counted, 0)
	ch <- prometheus.MustNewConstMetric(sourcesDesc, prometheus.GaugeValue, float64(pending), model.StatePending)
	ch <- prometheus.MustNewConstMetric(sourcesStaleDesc, prometheus.GaugeValue, float64(counts[model.FreshnessStale]))
}
