package registry

import "context"

// EntryTitle returns the title of the stored entry id ("" when no entry
// id is stored or its id is malformed), for the audit log's records of
// entry actions.
func (r *Registry) EntryTitle(ctx context.Context, id string) (string, error) {
	if !isEntryID(id) {
		return "", nil
	}
	title, _, err := r.store.EntryTitle(ctx, id)
	return title, err
}
