package model

import "errors"

// Where a section's outputs link its entries (Section.LinkTo, the config's
// sections[].link_to).
const (
	// LinkToOriginal links each entry to its article on the member's
	// site, the default: the portal is a table of contents.
	LinkToOriginal = "original"
	// LinkToPortal links each entry to its article page on the portal
	// (/sections/{id}/entries/{eid}), which shows the full text and
	// links on to the original; feeds keep the original as well.
	LinkToPortal = "portal"
)

// LinksToPortal reports whether sec's outputs link entries to the
// portal's article pages.
func (sec Section) LinksToPortal() bool {
	return sec.LinkTo == LinkToPortal
}

// ErrNoEntry is returned by a read of one entry of a section that the
// section does not show: unknown, hidden there, held, or another
// section's.
var ErrNoEntry = errors.New("no such entry in the section")
