package store

// SourcePolls is the list of a source's recent polls, newest first: each
// element the JSON of a model.PollRecord, trimmed to PollHistoryLen (see
// Store.SavePoll).
func (k Keys) SourcePolls(id string) string {
	return k.Prefix + "source:" + id + ":polls"
}
