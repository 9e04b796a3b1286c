package registry

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
)

// The console's sessions, audit log and sign-in limit, kept in the store
// so that they hold on every instance and across restarts.

// Audit appends rec to the audit log (capped at store.AuditCap); a zero
// Time is now.
func (r *Registry) Audit(ctx context.Context, rec model.AuditRecord) error {
	if rec.Time.IsZero() {
		rec.Time = r.opts.Now()
	}
	rec.Time = rec.Time.UTC()
	return r.store.Audit(ctx, rec)
}

// AuditLog returns up to limit audit records, newest first.
func (r *Registry) AuditLog(ctx context.Context, limit int) ([]model.AuditRecord, error) {
	return r.store.AuditLog(ctx, limit)
}

// SaveSession stores a console session until it expires.
func (r *Registry) SaveSession(ctx context.Context, s model.Session) error {
	return r.store.SaveSession(ctx, s, r.opts.Now())
}

// LoadSession returns the live session id, or a not-found RequestError
// when it is unknown, ended or expired.
func (r *Registry) LoadSession(ctx context.Context, id string) (model.Session, error) {
	s, err := r.store.LoadSession(ctx, id, r.opts.Now())
	if errors.Is(err, store.ErrNoSession) {
		return model.Session{}, notFound("no such session, or it expired")
	}
	return s, err
}

// DeleteSession ends a console session.
func (r *Registry) DeleteSession(ctx context.Context, id string) error {
	return r.store.DeleteSession(ctx, id)
}

// SignInFailures reads the failed console sign-ins of client within its
// window and the time the window has left.
func (r *Registry) SignInFailures(ctx context.Context, client string) (int, time.Duration, error) {
	return r.store.SignInFailures(ctx, client)
}

// SignInFailed counts a failed console sign-in from client and returns
// how many failed within window, this one included.
func (r *Registry) SignInFailed(ctx context.Context, client string, window time.Duration) (int, error) {
	if client == "" || strings.ContainsAny(client, " \r\n") {
		return 0, fmt.Errorf("count failed sign-in: bad client address %q", client)
	}
	if window <= 0 {
		return 0, fmt.Errorf("count failed sign-in: window %v is not positive", window)
	}
	return r.store.SignInFailed(ctx, client, window)
}
