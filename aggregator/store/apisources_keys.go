package store

// ExtraSections is the hash of sections added through the admin API to
// sources of the config file: field source id, value the JSON list of
// section ids beyond those the file gives it. One key, like
// AdminSources, so an edit is one command on Redis Cluster too.
func (k Keys) ExtraSections() string {
	return k.Prefix + "admin:extra-sections"
}
