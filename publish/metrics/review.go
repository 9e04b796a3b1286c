package metrics

import (
	"context"

	"github.com/prometheus/client_golang/prometheus"
)

// PendingCounter is the part of a store that counts the entries waiting
// in sections' review queues (sections[].review). The store is one; a
// StoreStats without it reports no such gauge.
type PendingCounter interface {
	PendingCounts(ctx context.Context, sectionIDs []string) (map[string]int, error)
}

var sectionPendingDesc = prometheus.NewDesc("tributary_section_review_pending",
	"Entries waiting for an editor's review in a section with review: true. One series per such section.", []string{"section"}, nil)

// collectPending reports the review queues of the sections with review:
// one pipelined count per section, and sections are few.
func (c *storeCollector) collectPending(ctx context.Context, ch chan<- prometheus.Metric, reviewed []string) {
	pc, ok := c.st.(PendingCounter)
	if !ok || len(reviewed) == 0 {
		return
	}
	counts, err := pc.PendingCounts(ctx, reviewed)
	if err != nil {
		c.log.Warn("metrics: read review queues", "err", err)
		return
	}
	for _, id := range reviewed {
		ch <- prometheus.MustNewConstMetric(sectionPendingDesc, prometheus.GaugeValue, float64(counts[id]), id)
	}
}
