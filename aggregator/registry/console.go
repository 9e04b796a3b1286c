package registry

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store/console"
)

// The console's sessions, audit log and the count of failed admin-token
// checks, kept in Redis by a console.Store so that they hold on every
// instance and across restarts.

// Audit appends rec to the audit log (capped at console.AuditCap); a zero
// Time is now.
func (r *Registry) Audit(ctx context.Context, rec model.AuditRecord) error {
	if rec.Time.IsZero() {
		rec.Time = r.opts.Now()
	}
	rec.Time = rec.Time.UTC()
	return r.console.Audit(ctx, rec)
}

// AuditLog returns up to limit audit records, newest first.
func (r *Registry) AuditLog(ctx context.Context, limit int) ([]model.AuditRecord, error) {
	return r.console.AuditLog(ctx, limit)
}

// SaveSession stores a console session until it expires.
func (r *Registry) SaveSession(ctx context.Context, s model.Session) error {
	return r.console.SaveSession(ctx, s, r.opts.Now())
}

// LoadSession returns the live session id, or a not-found RequestError
// when it is unknown, ended or expired.
func (r *Registry) LoadSession(ctx context.Context, id string) (model.Session, error) {
	s, err := r.console.LoadSession(ctx, id, r.opts.Now())
	if errors.Is(err, console.ErrNoSession) {
		return model.Session{}, notFound(model.KeySessionNotFound, "no such session, or it expired")
	}
	return s, err
}

// DeleteSession ends a console session.
func (r *Registry) DeleteSession(ctx context.Context, id string) error {
	return r.console.DeleteSession(ctx, id)
}

// AuthFailures reads the failed admin-token checks of client within its
// window and the time the window has left.
func (r *Registry) AuthFailures(ctx context.Context, client string) (int, time.Duration, error) {
	return r.console.AuthFailures(ctx, client)
}

// AuthFailed counts a failed admin-token check and records it in the
// client's aggregate record; it returns how many failed within the
// client's window, this one included, and the time the window has left.
func (r *Registry) AuthFailed(ctx context.Context, f model.AuthFailure, window time.Duration) (int, time.Duration, error) {
	if window <= 0 {
		return 0, 0, fmt.Errorf("count failed token check: window %v is not positive", window)
	}
	if f.Time.IsZero() {
		f.Time = r.opts.Now()
	}
	return r.console.AuthFailed(ctx, f, window)
}

// AuthFailureLog returns up to limit aggregate records of failed token
// checks, the latest failure first.
func (r *Registry) AuthFailureLog(ctx context.Context, limit int) ([]model.AuditRecord, error) {
	return r.console.AuthFailureLog(ctx, limit)
}
