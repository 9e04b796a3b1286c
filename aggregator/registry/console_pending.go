package registry

import (
	"context"
	"errors"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// errPending marks the console operations whose store side is being
// built; each method leaves this file as its real version lands.
var errPending = errors.New("not available in this build")

// Update edits a source.
func (r *Registry) Update(ctx context.Context, id string, req model.UpdateRequest) (model.Source, error) {
	return model.Source{}, errPending
}

// Moderate hides, unhides, pins or unpins an entry.
func (r *Registry) Moderate(ctx context.Context, req model.ModerationRequest) error {
	return errPending
}

// Moderation lists a section's moderation decisions.
func (r *Registry) Moderation(ctx context.Context, sectionID string) (model.SectionModeration, error) {
	return model.SectionModeration{}, errPending
}

// Audit appends to the audit log.
func (r *Registry) Audit(ctx context.Context, rec model.AuditRecord) error { return errPending }

// AuditLog reads the audit log.
func (r *Registry) AuditLog(ctx context.Context, limit int) ([]model.AuditRecord, error) {
	return nil, errPending
}

// SaveSession stores a console session.
func (r *Registry) SaveSession(ctx context.Context, s model.Session) error { return errPending }

// LoadSession reads a console session.
func (r *Registry) LoadSession(ctx context.Context, id string) (model.Session, error) {
	return model.Session{}, errPending
}

// DeleteSession ends a console session.
func (r *Registry) DeleteSession(ctx context.Context, id string) error { return errPending }

// SignInFailed counts a failed sign-in.
func (r *Registry) SignInFailed(ctx context.Context, client string, window time.Duration) (int, error) {
	return 0, errPending
}

// PollHistory returns a source's recent polls.
func (r *Registry) PollHistory(ctx context.Context, id string, limit int) ([]model.PollRecord, error) {
	return nil, errPending
}
