package store

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
