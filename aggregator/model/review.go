package model

import "time"

// Review before publishing: a section with Review holds every entry new
// to it out of its outputs until an editor approves it (see
// Section.Review).

// The review states of an entry in a section.
const (
	ReviewPending  = "pending"
	ReviewApproved = "approved"
	ReviewRejected = "rejected"
)

// The review actions of the admin API and the console, also audit
// actions as "entry." + action.
const (
	ActionApprove = "approve"
	ActionReject  = "reject"
)

// ReviewHeld is what one ingest put in a section's review queue.
type ReviewHeld struct {
	SectionID string
	Entries   []Entry
}

// PendingEntry is an entry waiting in a section's review queue, and since
// when.
type PendingEntry struct {
	Entry  Entry
	HeldAt time.Time
}

// ReviewRequest approves or rejects entries of a section.
type ReviewRequest struct {
	SectionID string
	EntryIDs  []string
	// Action is ActionApprove or ActionReject.
	Action string
}

// ReviewOutcome is what a review decision did to one entry: its state
// afterwards and, for an approval, whether it shows now (an approved
// entry older than the section keeps, or whose source left, does not).
type ReviewOutcome struct {
	EntryID string `json:"entry"`
	State   string `json:"state"`
	Shown   bool   `json:"shown"`
	// Title is the entry's title, for the audit log ("" when gone).
	Title string `json:"title,omitempty"`
}

// Keys of refused review requests (RequestError.Key), with their
// arguments.
const (
	KeyReviewOff      = "review_off"       // [section]
	KeyEntryNotQueued = "entry_not_queued" // [entry, section]
	KeyEntryRejected  = "entry_rejected"   // [entry, section]
	KeyEntryPublished = "entry_published"  // [entry, section]
	KeyReviewNone     = "review_none"      // no entry chosen
	KeyReviewTooMany  = "review_too_many"  // [limit]
)
