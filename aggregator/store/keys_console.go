package store

// The console's keys: sessions, the audit log and the sign-in failure
// counters. Each operation on them is a single-key command, so they work
// on Redis Cluster without hash tags.

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

// AdminSignIn is the counter of failed console sign-ins from one client
// address, expiring at the end of its window.
func (k Keys) AdminSignIn(client string) string {
	return k.Prefix + "admin:signin:" + client
}
