package console

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// AuditCap is how many audit records the store keeps: at a few hundred
// bytes each, about 3 MB, years of an editor's daily actions.
const AuditCap = 10_000

// ErrNoSession is returned by LoadSession for an id that names no live
// session (never stored, signed out or expired).
var ErrNoSession = errors.New("no such session")

// sessionRecord is what the store keeps of a session: everything but its
// id, which only the key's hash stands for.
type sessionRecord struct {
	CSRF    string    `json:"csrf"`
	Client  string    `json:"client"`
	Created time.Time `json:"created"`
	Expires time.Time `json:"expires"`
}

// sessionHash is the hex SHA-256 of a session id. The id is 32 random
// bytes, so a plain hash (no salt, no stretching) is enough to keep a
// leaked store or snapshot from yielding usable cookies.
func sessionHash(id string) string {
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:])
}

// SaveSession stores sess until its Expires, which must be after now.
func (s *Store) SaveSession(ctx context.Context, sess model.Session, now time.Time) error {
	ttl := sess.Expires.Sub(now)
	if sess.ID == "" || ttl <= 0 {
		return fmt.Errorf("save session: empty id or already expired (expires %s)", sess.Expires.Format(time.RFC3339))
	}
	data, err := json.Marshal(sessionRecord{CSRF: sess.CSRF, Client: sess.Client, Created: sess.Created, Expires: sess.Expires})
	if err != nil {
		return fmt.Errorf("save session: %w", err)
	}
	if err := s.client.Set(ctx, s.keys.AdminSession(sessionHash(sess.ID)), data, ttl).Err(); err != nil {
		return fmt.Errorf("save session: %w", err)
	}
	return nil
}

// LoadSession returns the session whose id is id, or ErrNoSession when
// there is none or it expired by now. The expiry is checked here too
// because the embedded store's clock moves in steps.
func (s *Store) LoadSession(ctx context.Context, id string, now time.Time) (model.Session, error) {
	if id == "" {
		return model.Session{}, ErrNoSession
	}
	data, err := s.client.Get(ctx, s.keys.AdminSession(sessionHash(id))).Bytes()
	if errors.Is(err, redis.Nil) {
		return model.Session{}, ErrNoSession
	}
	if err != nil {
		return model.Session{}, fmt.Errorf("load session: %w", err)
	}
	var rec sessionRecord
	if err := json.Unmarshal(data, &rec); err != nil {
		return model.Session{}, fmt.Errorf("load session: unreadable record: %w", err)
	}
	if !now.Before(rec.Expires) {
		return model.Session{}, ErrNoSession
	}
	return model.Session{ID: id, CSRF: rec.CSRF, Client: rec.Client, Created: rec.Created, Expires: rec.Expires}, nil
}

// DeleteSession ends the session id; ending one that is not there is not
// an error (signing out twice).
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	if err := s.client.Del(ctx, s.keys.AdminSession(sessionHash(id))).Err(); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// Audit appends rec to the audit log, dropping the oldest records beyond
// AuditCap. Both commands touch one key, in one transaction.
func (s *Store) Audit(ctx context.Context, rec model.AuditRecord) error {
	for _, f := range []*string{&rec.Action, &rec.Target, &rec.Client, &rec.Via, &rec.Result, &rec.Detail, &rec.Title} {
		*f = truncateUTF8(*f, auditFieldMax)
	}
	data, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("audit %s: %w", rec.Action, err)
	}
	key := s.keys.AdminAudit()
	_, err = s.client.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.LPush(ctx, key, data)
		p.LTrim(ctx, key, 0, AuditCap-1)
		return nil
	})
	if err != nil {
		return fmt.Errorf("audit %s: %w", rec.Action, err)
	}
	return nil
}

// auditFieldMax bounds each text field of an audit record, so the capped
// list stays a few megabytes whatever a refusal message quotes.
const auditFieldMax = 1024

// AuditLog returns up to limit audit records, newest first (limit <= 0 or
// above AuditCap: AuditCap). A record that does not decode is logged and
// skipped rather than hiding the others.
func (s *Store) AuditLog(ctx context.Context, limit int) ([]model.AuditRecord, error) {
	if limit <= 0 || limit > AuditCap {
		limit = AuditCap
	}
	raw, err := s.client.LRange(ctx, s.keys.AdminAudit(), 0, int64(limit-1)).Result()
	if err != nil {
		return nil, fmt.Errorf("read audit log: %w", err)
	}
	out := make([]model.AuditRecord, 0, len(raw))
	for i, data := range raw {
		var rec model.AuditRecord
		if err := json.Unmarshal([]byte(data), &rec); err != nil {
			s.logger.Warn("skipping unreadable audit record", "key", s.keys.AdminAudit(), "index", i, "err", err)
			continue
		}
		out = append(out, rec)
	}
	return out, nil
}
