package store

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
