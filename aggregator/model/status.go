package model

import (
	"strconv"
	"time"
)

// SourceStatus is what an operator sees about one source: where it is
// fetched from, how its last polls went and when it is due next.
type SourceStatus struct {
	ID    string
	Title string
	// ConfiguredURL is the URL in the config; EffectiveURL is where it is
	// fetched from after permanent redirects (empty: the configured one).
	ConfiguredURL, EffectiveURL string
	SectionIDs                  []string
	// LastAttempt is when the last poll ran, LastSuccess when one last
	// succeeded; NextDue when the next one is due. Zero: never / unknown.
	LastAttempt, LastSuccess, NextDue time.Time
	// LastStatus is the last HTTP status (0: no response).
	LastStatus int
	// LastError is the last poll's human-readable failure reason.
	LastError   string
	ErrorsInRow int
	// Entries is how many entries of the source are stored.
	Entries int64
	// Paused is set by an operator; Gone by a 410 answer.
	Paused, Gone bool
	// Origin is where the source is defined: OriginConfig or OriginAPI.
	Origin string
	// Schedule is the source's cron spec or "@every" interval.
	Schedule string
	// Discovered is set when EffectiveURL is the feed that the configured
	// URL, an HTML page, advertises.
	Discovered bool
	// Skipped counts the items of the last list page read (scrape:) left
	// out for having no link.
	Skipped int
	// Detected holds the selectors detection chose to read the source's
	// list page (see SourceState.Detected); nil when the source names its
	// items or is a feed.
	Detected *Scrape
	// Warnings are what the last list page read gave an editor to check.
	Warnings []ListWarning
	// Articles is the article fetching of a source with content.fetch;
	// nil for other sources.
	Articles *ArticleStatus
	// DateIssues counts the items whose date was missing, unparsable or
	// too far in the future (see DateIssues).
	DateIssues DateIssues
	// ConfigFile and ConfigLine locate a config-file source's entry (a
	// console shows such sources read-only and says where to edit them).
	ConfigFile string
	ConfigLine int
	// SiteLink is the site the feed itself links to (its channel link),
	// as the last poll saw it; empty when unknown.
	SiteLink string
	// Freshness is when the source last published and how long it may
	// stay silent: staleness is shown beside State, never in it.
	Freshness Freshness
}

// ArticleStatus is the article fetching of a source (content.fetch).
type ArticleStatus struct {
	// OK counts the articles stored; Failed those given up after their
	// tries (their entries keep the source's summary). Both are totals.
	OK, Failed int
	// Pending is how many were still wanted after the last pass.
	Pending int
	// LastError is the reason of the last failed fetch.
	LastError string
}

// String is the status page's line: "18 ok, 2 failed: HTTP 404 Not
// Found", with ", 5 pending" when some are left for later polls.
func (a ArticleStatus) String() string {
	s := strconv.Itoa(a.OK) + " ok"
	if a.Failed > 0 {
		s += ", " + strconv.Itoa(a.Failed) + " failed"
		if a.LastError != "" {
			s += ": " + a.LastError
		}
	}
	if a.Pending > 0 {
		s += ", " + strconv.Itoa(a.Pending) + " pending"
	}
	return s
}

// Source states, in the order an operator wants to see them: what needs
// attention first.
const (
	StateFailing = "failing"
	StateGone    = "gone"
	StatePaused  = "paused"
	StatePending = "pending"
	StateOK      = "ok"
)

// State summarises the status in one word (see the State constants).
func (s SourceStatus) State() string {
	return stateWord(s.Gone, s.Paused, s.ErrorsInRow, s.LastAttempt)
}

func stateWord(gone, paused bool, errorsInRow int, lastAttempt time.Time) string {
	switch {
	case gone:
		return StateGone
	case paused:
		return StatePaused
	case errorsInRow > 0:
		return StateFailing
	case lastAttempt.IsZero():
		return StatePending
	}
	return StateOK
}

// StateRank orders states for display, failing first.
func StateRank(state string) int {
	switch state {
	case StateFailing:
		return 0
	case StateGone:
		return 1
	case StatePaused:
		return 2
	case StatePending:
		return 3
	}
	return 4
}
