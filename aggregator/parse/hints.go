package parse

import (
	"strconv"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
	ext "github.com/mmcdole/gofeed/extensions"
	"github.com/mmcdole/gofeed/rss"
)

// Hints are what a feed says about how often it wants to be read: RSS
// <ttl>, sy:updatePeriod/updateFrequency and skipHours/skipDays. The
// poller adds the HTTP freshness hints and plans from both.
type Hints struct {
	// TTL is RSS <ttl> (minutes in the feed).
	TTL time.Duration
	// UpdateEvery is sy:updatePeriod divided by sy:updateFrequency.
	UpdateEvery time.Duration
	// SkipHours are the UTC hours (0–23) and SkipDays the weekdays in which
	// the feed asks not to be read (RSS 2.0 skipHours are GMT).
	SkipHours []int
	SkipDays  []time.Weekday
}

// maxFeedHint bounds a single feed hint before the poller's max_interval
// applies, so a silly <ttl> cannot overflow time arithmetic.
const maxFeedHint = 365 * 24 * time.Hour

// FeedWithHints is Feed that also returns the feed's polling hints, which
// the universal feed gofeed returns drops. opts.RSSTranslator is replaced.
func FeedWithHints(body []byte, opts FeedOptions) (*gofeed.Feed, Hints, error) {
	var h Hints
	opts.RSSTranslator = newRSSHintTranslator(&h)
	feed, err := Feed(body, opts)
	if err != nil {
		return nil, Hints{}, err
	}
	h.UpdateEvery = syndicationPeriod(feed.Extensions)
	return feed, h, nil
}

// rssHintTranslator is gofeed's RSS translator with the per-item HTML scan
// for an image turned off (normalize finds images itself; the scan costs
// about a quarter of RSS parse time) that also keeps the channel-level
// polling hints the universal feed drops.
type rssHintTranslator struct {
	inner gofeed.DefaultRSSTranslator
	hints *Hints
}

func newRSSHintTranslator(h *Hints) *rssHintTranslator {
	return &rssHintTranslator{inner: gofeed.DefaultRSSTranslator{DisableContentImageScan: true}, hints: h}
}

// Translate implements gofeed.Translator.
func (t *rssHintTranslator) Translate(feed any) (*gofeed.Feed, error) {
	if f, ok := feed.(*rss.Feed); ok {
		t.hints.TTL = minutes(f.TTL)
		t.hints.SkipHours = skipHours(f.SkipHours)
		t.hints.SkipDays = skipDays(f.SkipDays)
	}
	return t.inner.Translate(feed)
}

func minutes(v string) time.Duration {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n <= 0 {
		return 0
	}
	return min(time.Duration(n)*time.Minute, maxFeedHint)
}

func skipHours(vs []string) []int {
	var out []int
	for _, v := range vs {
		// RSS 2.0 says 0–23; some feeds write 24 for midnight.
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n >= 0 && n <= 24 {
			out = append(out, n%24)
		}
	}
	return out
}

func skipDays(vs []string) []time.Weekday {
	var out []time.Weekday
	for _, v := range vs {
		for d := time.Sunday; d <= time.Saturday; d++ {
			if strings.EqualFold(strings.TrimSpace(v), d.String()) {
				out = append(out, d)
			}
		}
	}
	return out
}

// syndicationPeriod reads the RSS 1.0 syndication module: updatePeriod
// (hourly, daily, weekly, monthly, yearly) divided by updateFrequency.
func syndicationPeriod(exts ext.Extensions) time.Duration {
	sy := exts["sy"]
	if sy == nil {
		return 0
	}
	period := map[string]time.Duration{
		"hourly": time.Hour, "daily": 24 * time.Hour, "weekly": 7 * 24 * time.Hour,
		"monthly": 30 * 24 * time.Hour, "yearly": 365 * 24 * time.Hour,
	}[strings.ToLower(strings.TrimSpace(firstExt(sy, "updatePeriod")))]
	if period == 0 {
		return 0
	}
	freq, err := strconv.Atoi(strings.TrimSpace(firstExt(sy, "updateFrequency")))
	if err != nil || freq <= 0 {
		freq = 1 // the module's default
	}
	return period / time.Duration(freq)
}

func firstExt(m map[string][]ext.Extension, name string) string {
	if vs := m[name]; len(vs) > 0 {
		return vs[0].Value
	}
	return ""
}
