package model

import "time"

// The vocabulary of the operator's console and of moderation: edits to a
// source, hiding and pinning entries, the audit log, console sessions and
// a source's recent polls. The registry carries them out against the
// store; publish serves them through the admin API and the web console.

// UpdateRequest edits a source (PATCH /api/v1/admin/sources/{id}): a nil
// field is left as it is. A source of the config file accepts only
// Sections, and only sections beyond those the file gives it; the rest is
// edited in the file.
type UpdateRequest struct {
	Title    *string   `json:"title,omitempty"`
	Sections *[]string `json:"sections,omitempty"`
	Schedule *string   `json:"schedule,omitempty"`
	Timezone *string   `json:"timezone,omitempty"`
	Include  *[]string `json:"include,omitempty"`
	Exclude  *[]string `json:"exclude,omitempty"`
	Scrape   *Scrape   `json:"scrape,omitempty"`
	Content  *Content  `json:"content,omitempty"`
	// StaleAfter replaces the source's stale_after ("" goes back to its
	// sections').
	StaleAfter *string `json:"stale_after,omitempty"`
	// TitleStrip replaces the source's title_strip ([] clears it).
	TitleStrip *[]string `json:"title_strip,omitempty"`
	// ClearScrape and ClearContent remove the scrape: and content:
	// blocks (a nil Scrape leaves them as they are).
	ClearScrape  bool `json:"clear_scrape,omitempty"`
	ClearContent bool `json:"clear_content,omitempty"`
	// KeepEntries keeps the source's entries in the sections it leaves;
	// by default they leave those sections' indexes.
	KeepEntries bool `json:"keep_entries,omitempty"`
}

// Fields names the fields r sets, in the request's JSON words, for
// refusals, the audit log and log lines.
func (r *UpdateRequest) Fields() []string {
	var out []string
	for _, f := range []struct {
		name string
		set  bool
	}{
		{"title", r.Title != nil}, {"sections", r.Sections != nil}, {"schedule", r.Schedule != nil},
		{"timezone", r.Timezone != nil}, {"stale_after", r.StaleAfter != nil}, {"include", r.Include != nil}, {"exclude", r.Exclude != nil},
		{"scrape", r.Scrape != nil}, {"content", r.Content != nil}, {"title_strip", r.TitleStrip != nil},
		{"clear_scrape", r.ClearScrape}, {"clear_content", r.ClearContent},
	} {
		if f.set {
			out = append(out, f.name)
		}
	}
	return out
}

// Moderation actions on an entry of a section.
const (
	ActionHide   = "hide"
	ActionUnhide = "unhide"
	ActionPin    = "pin"
	ActionUnpin  = "unpin"
)

// ModerationRequest hides, unhides, pins or unpins one entry of one
// section. Until is a pin's expiry (zero: until unpinned).
type ModerationRequest struct {
	SectionID string
	EntryID   string
	Action    string
	Until     time.Time
}

// ModeratedEntry is an entry an editor hid or pinned in a section.
type ModeratedEntry struct {
	Entry Entry `json:"entry"`
	// At is when it was hidden or pinned; Until a pin's expiry (zero:
	// none).
	At    time.Time `json:"at"`
	Until time.Time `json:"until,omitzero"`
}

// SectionModeration is what editors decided for a section: entries
// hidden (newest decision first) and entries pinned and not expired (in
// the order they show first on the section's page).
type SectionModeration struct {
	Hidden []ModeratedEntry `json:"hidden"`
	Pinned []ModeratedEntry `json:"pinned"`
}

// AuditRecord is one admin action, through the API or the console.
type AuditRecord struct {
	Time time.Time `json:"time"`
	// Action is a short verb: "source.add", "source.update",
	// "source.remove", "source.pause", "source.resume", "source.poll",
	// "section.poll", "entry.hide", "entry.unhide", "entry.pin",
	// "entry.unpin", "session.signin", "session.signout", or
	// ActionAuthFailed for an aggregate of failed token checks.
	Action string `json:"action"`
	// Target is what it acted on: a source id, "section/entry", ….
	Target string `json:"target"`
	// Client is the client's address (an aggregate's: the limit's
	// client, see AuthFailure); Via "api" or "console" (an aggregate's:
	// the surfaces tried, comma-separated).
	Client string `json:"client"`
	Via    string `json:"via"`
	// Result is "ok" or the refusal's message.
	Result string `json:"result"`
	// Detail says more where useful (the fields an edit changed, a pin's
	// expiry).
	Detail string `json:"detail,omitempty"`
	// Title is the title of the entry an entry action (entry.hide, …)
	// was about, as it was then: the record names the entry after it
	// has left the store. Empty for other actions and for records
	// written before titles were kept, which name only the entry's id.
	Title string `json:"title,omitempty"`
	// Count and First are set on an aggregate (ActionAuthFailed): Count
	// failures from Client between First and Time.
	Count int       `json:"count,omitempty"`
	First time.Time `json:"first,omitzero"`
}

// ActionAuthFailed is the action of an aggregate of failed admin-token
// checks: one record per client and window, whatever the number of
// failures, so guessing cannot push real records out of the capped log.
const ActionAuthFailed = "auth.failed"

// AuthFailure is one failed admin-token check: a wrong token given to the
// console's sign-in, the admin API, the audit log, an operator page or a
// guarded /metrics.
type AuthFailure struct {
	// Client is whom the limit counts: an IPv4 address, or the /64 prefix
	// of an IPv6 address ("2001:db8:1:2::/64"), since one subscriber holds
	// a whole /64.
	Client string
	// Via names the surface: "console", "api", "audit", "operator" or
	// "metrics".
	Via  string
	Time time.Time
}

// Session is a signed-in console session. ID is the cookie's random
// value; the store keeps only its hash.
type Session struct {
	ID      string
	CSRF    string
	Client  string
	Created time.Time
	Expires time.Time
}

// PollRecord is one poll of a source, kept in a short per-source history
// for the console's source page.
type PollRecord struct {
	Time     time.Time     `json:"time"`
	Duration time.Duration `json:"duration_ns"`
	// Result is "ok", "not_modified" or "error".
	Result string `json:"result"`
	Status int    `json:"status,omitempty"`
	Error  string `json:"error,omitempty"`
	// New and Updated count the entries the poll stored.
	New     int `json:"new,omitempty"`
	Updated int `json:"updated,omitempty"`
}

// DateIssues counts the items of a source whose date could not be used:
// Undated had no parsable date and were dated when first seen; Future
// were dated beyond the allowed skew and clamped. Example is the raw
// text of the latest such date ("" when the item had none).
type DateIssues struct {
	Undated int       `json:"undated"`
	Future  int       `json:"future"`
	Example string    `json:"example,omitempty"`
	Last    time.Time `json:"last,omitzero"`
}
