package model

import "time"

// SourceState is what the poller remembers about a source between polls.
// The store keeps it as a hash with snake_case field names (its Redis
// names predate this vocabulary: LastAttempt is last_fetch, Paused is
// disabled); SourceStatus, what an operator sees, uses the same words.
type SourceState struct {
	// URL is the feed URL the state belongs to.
	URL string
	// ETag and LastModified are the validators of the last 200 response,
	// sent back as If-None-Match and If-Modified-Since.
	ETag, LastModified string
	// BodyHash is a hash of the last body, to skip parsing an unchanged one.
	BodyHash string
	// LastAttempt is when the last poll ran, LastSuccess when one last
	// succeeded and NextDue when the next one is due.
	LastAttempt, LastSuccess, NextDue time.Time
	// LastStatus is the HTTP status of the last poll (0: no response).
	LastStatus int
	// LastError is the last poll's error text, empty after a success.
	LastError string
	// ErrorsInRow counts consecutive failed polls.
	ErrorsInRow int
	// Paused stops polling the source (an operator paused it).
	Paused bool
	// Gone is set by a 410 Gone: the source is not polled again until its
	// configured URL changes or an operator re-enables it.
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
	// Detected holds the selectors detection chose for a source read as
	// a list page without naming its items (a URL alone, or a scrape:
	// block without items), recorded like a discovered feed and reused
	// by later polls while they still read the page; nil otherwise.
	// DetectedFrom fingerprints the scrape: block it was chosen for, so
	// that a changed block detects afresh.
	Detected     *Scrape
	DetectedFrom string
	// Warnings are what the last list page read gave an editor to check
	// (see ListWarning); nil for a feed or a clean list.
	Warnings []ListWarning
	// Articles is the article fetching of a source with content.fetch. The
	// store writes it apart from the rest of the state.
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

// State summarises the state in one word (see the State constants), as
// SourceStatus.State does for what an operator sees.
func (s SourceState) State() string {
	return stateWord(s.Gone, s.Paused, s.ErrorsInRow, s.LastAttempt)
}
