package store

// DefaultPrefix is the key prefix used when none is configured.
const DefaultPrefix = "trib:"

// Keys names every Redis key and channel Tributary uses. All key strings are
// built here and nowhere else, so the schema in DESIGN.md has one home and
// keys_test.go pins it.
type Keys struct {
	// Prefix starts every key, e.g. "trib:". It is used as given.
	Prefix string
}

// Entry is the string key holding one entry as JSON of model.Entry.
func (k Keys) Entry(id string) string {
	return k.Prefix + "entry:" + id
}

// SourceEntries is the sorted set of a source's entry ids, scored by
// published time in unix milliseconds.
func (k Keys) SourceEntries(id string) string {
	return k.Prefix + "source:" + id + ":entries"
}

// SourceState is the hash holding a source's polling state (see
// model.SourceState).
func (k Keys) SourceState(id string) string {
	return k.Prefix + "source:" + id + ":state"
}

// SourceStateCounts is the hash counting sources per state word (ok,
// failing, gone, paused; pending is what the config has beyond them), kept
// as polls change states so /metrics need not read every source.
func (k Keys) SourceStateCounts() string {
	return k.Prefix + "source-states"
}

// SourceLinks is the hash mapping a hash of each stored entry's canonical
// link to its entry id, so an item whose guid changed is still recognized
// by its link (see Store.Ingest).
func (k Keys) SourceLinks(id string) string {
	return k.Prefix + "source:" + id + ":links"
}

// SourceArticles is the hash of the article fetching of a source with
// content.fetch: field entry id, value the JSON of an ArticleRecord (the
// link whose article is wanted, tries, state).
func (k Keys) SourceArticles(id string) string {
	return k.Prefix + "source:" + id + ":articles"
}

// SourceRules is the string holding a fingerprint of the filters and
// retention rules the source's entries were last indexed with; a different
// fingerprint makes the next poll re-evaluate the sections.
func (k Keys) SourceRules(id string) string {
	return k.Prefix + "source:" + id + ":rules"
}

// SectionEntries is the sorted set of a section's merged entry ids, scored by
// published time in unix milliseconds and trimmed to the section's MaxItems.
// The section id is a hash tag ({id}) shared with SectionDedup: one script
// updates both, and on Redis Cluster that needs them in one slot.
func (k Keys) SectionEntries(id string) string {
	return k.Prefix + "section:{" + id + "}:entries"
}

// SectionDedup is the hash through which a section holds each story once:
// fields "l:<link hash>" and "t:<title hash>" name the holding entry as
// "<source id> <entry id>"; "li:<entry id>" and "ti:<entry id>" point back,
// so removing an entry releases its claims. Same hash tag as SectionEntries.
func (k Keys) SectionDedup(id string) string {
	return k.Prefix + "section:{" + id + "}:dedup"
}

// SectionMeta is the hash with a section's version and updated_at.
func (k Keys) SectionMeta(id string) string {
	return k.Prefix + "section:" + id + ":meta"
}

// SourceLock is the string key of the per-poll lease of earlier versions.
// Nothing writes it any more (a claim in the due set, package
// scheduler/dueset, replaced it); a snapshot
// taken by such a version may still hold one, which expires on its own.
func (k Keys) SourceLock(id string) string {
	return k.Prefix + "lock:source:" + id
}

// Marker is the string key written once when a daemon first meets the
// store (its value the time); its absence later means the data was lost.
func (k Keys) Marker() string {
	return k.Prefix + "marker"
}

// AdminSources is the hash of sources added through the admin API: field
// source id, value the JSON of an APISource. One key, so adding and
// removing are single commands on Redis Cluster too.
func (k Keys) AdminSources() string {
	return k.Prefix + "admin:sources"
}

// AdminEvents is the pub/sub channel of admin requests between instances:
// "sources" (the API sources changed), "poll source <id>" and
// "poll section <id>" (poll now, for whichever instance polls).
func (k Keys) AdminEvents() string {
	return k.Prefix + "admin:events"
}

// Events is the pub/sub channel on which changed section ids are published.
func (k Keys) Events() string {
	return k.Prefix + "events"
}

// The console's keys: sessions and the audit log. Each operation on them
// is a single-key command, so they work on Redis Cluster without hash
// tags.

// AdminSession is the string key of one console session, named by the
// SHA-256 (hex) of the session id so that the store never holds an id a
// reader could present as a cookie. It expires with the session.
func (k Keys) AdminSession(idHash string) string {
	return k.Prefix + "admin:session:" + idHash
}

// AdminAudit is the list of audit records (JSON of model.AuditRecord),
// newest first, capped at AuditCap.
func (k Keys) AdminAudit() string {
	return k.Prefix + "admin:audit"
}

// The keys of failed admin-token checks share the hash tag {authfail},
// so one script counts a failure and updates its aggregate record, on
// Redis Cluster too.

// AuthFailures is the count of failed admin-token checks of one client
// (an IPv4 address or an IPv6 /64) in its current window: a hash of n
// (failures) and start (ms of the first), expiring when the window ends.
func (k Keys) AuthFailures(client string) string {
	return k.Prefix + "admin:{authfail}:client:" + client
}

// AuthFailLog orders the aggregate records of failed token checks: a
// sorted set of record ids ("<client> <start ms>") by their last failure
// (ms), capped at AuthFailCap.
func (k Keys) AuthFailLog() string {
	return k.Prefix + "admin:{authfail}:log"
}

// AuthFailRecords holds the aggregate records named in AuthFailLog: a
// hash of record id to "<count> <first ms> <last ms> <via,via…>".
func (k Keys) AuthFailRecords() string {
	return k.Prefix + "admin:{authfail}:records"
}

// SourceDateIssues is the hash of the date issues of a source's latest
// parsed poll (see model.DateIssues): fields undated, future, example and
// last. It exists only while that poll found some.
func (k Keys) SourceDateIssues(id string) string {
	return k.Prefix + "source:" + id + ":dateissues"
}

// The keys of moderation: what editors hid from a section and what they
// pinned to its top. Both share the section's hash tag with
// SectionEntries and SectionDedup, so the moderation scripts and the
// section merge read and write them together, on Redis Cluster too.

// SectionHidden is the hash of the entries editors hid from a section:
// field entry id, value "<hidden-at ms> <score ms>", the score being the
// one it had in SectionEntries. A hidden entry is out of SectionEntries
// and the section merge never puts it back; it keeps its dedup claims, so
// no copy of the story from another source takes its place.
func (k Keys) SectionHidden(id string) string {
	return k.Prefix + "section:{" + id + "}:hidden"
}

// SectionPins is the hash of the entries pinned to the top of a section:
// field entry id, value "<pinned-at ms> <until ms>" (until 0: until
// unpinned).
func (k Keys) SectionPins(id string) string {
	return k.Prefix + "section:{" + id + "}:pins"
}

// SectionPending is the review queue of a section with review: true: field
// entry id, value when it was held (ms). A held entry is out of
// SectionEntries until an editor approves it. Same hash tag as
// SectionEntries, so the section merge and the review scripts use both.
func (k Keys) SectionPending(id string) string {
	return k.Prefix + "section:{" + id + "}:pending"
}

// SectionReviewed is the hash of editors' review decisions in a section:
// field entry id, value "a <ms>" (approved: it enters and re-enters the
// section like any entry) or "r <ms>" (rejected: no merge puts it in the
// section, whatever its source does). Same hash tag as SectionEntries.
func (k Keys) SectionReviewed(id string) string {
	return k.Prefix + "section:{" + id + "}:reviewed"
}

// SourcePolls is the list of a source's recent polls, newest first: each
// element the JSON of a model.PollRecord, trimmed to PollHistoryLen (see
// Store.SavePoll).
func (k Keys) SourcePolls(id string) string {
	return k.Prefix + "source:" + id + ":polls"
}

// ExtraSections is the hash of sections added through the admin API to
// sources of the config file: field source id, value the JSON list of
// section ids beyond those the file gives it. One key, like
// AdminSources, so an edit is one command on Redis Cluster too.
func (k Keys) ExtraSections() string {
	return k.Prefix + "admin:extra-sections"
}

// SectionSources is the hash of the sources whose entries a section may
// hold: field source id, value "member" (the section lists it) or "kept"
// (it left the section and the operator kept its entries there). A
// daemon compares it with the sections it is given, at start and on every
// change, to take a departed source's entries out of the section even
// when the source left while no daemon ran. Same hash tag as
// SectionEntries.
func (k Keys) SectionSources(id string) string {
	return k.Prefix + "section:{" + id + "}:sources"
}

// SourceActivity is the hash of a source's new entries per day: field
// the day (model.ActivityDayLayout, in the source's model.ActivityZone),
// value how many entries first stored then were published that day. It
// keeps the last model.ActivityDays days (older fields are dropped as it
// is written) and expires when nothing was counted for longer, so the
// freshness report reads one small hash per source and never an index.
func (k Keys) SourceActivity(id string) string {
	return k.Prefix + "source:" + id + ":activity"
}
