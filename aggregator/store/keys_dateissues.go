package store

// SourceDateIssues is the hash of the date issues of a source's latest
// parsed poll (see model.DateIssues): fields undated, future, example and
// last. It exists only while that poll found some.
func (k Keys) SourceDateIssues(id string) string {
	return k.Prefix + "source:" + id + ":dateissues"
}
