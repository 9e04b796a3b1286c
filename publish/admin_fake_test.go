package publish

import (
	"context"
	"errors"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// noConsole answers the console operations with an error, for fakes that
// only exercise the source operations of Admin.
type noConsole struct{}

var errNoConsole = errors.New("fake admin: console operation not faked")

func (noConsole) Update(context.Context, string, model.UpdateRequest) (model.Source, error) {
	return model.Source{}, errNoConsole
}
func (noConsole) Moderate(context.Context, model.ModerationRequest) error { return errNoConsole }
func (noConsole) Moderation(context.Context, string) (model.SectionModeration, error) {
	return model.SectionModeration{}, errNoConsole
}
func (noConsole) Audit(context.Context, model.AuditRecord) error { return nil }
func (noConsole) AuditLog(context.Context, int) ([]model.AuditRecord, error) {
	return nil, errNoConsole
}
func (noConsole) SaveSession(context.Context, model.Session) error { return errNoConsole }
func (noConsole) LoadSession(context.Context, string) (model.Session, error) {
	return model.Session{}, errNoConsole
}
func (noConsole) DeleteSession(context.Context, string) error { return errNoConsole }

// The count of wrong tokens fails as a store that does not answer: the
// server then counts on its own (see authLimiter).
func (noConsole) AuthFailures(context.Context, string) (int, time.Duration, error) {
	return 0, 0, errNoConsole
}
func (noConsole) AuthFailed(context.Context, model.AuthFailure, time.Duration) (int, time.Duration, error) {
	return 0, 0, errNoConsole
}
func (noConsole) AuthFailureLog(context.Context, int) ([]model.AuditRecord, error) {
	return nil, errNoConsole
}
func (noConsole) PollHistory(context.Context, string, int) ([]model.PollRecord, error) {
	return nil, errNoConsole
}
