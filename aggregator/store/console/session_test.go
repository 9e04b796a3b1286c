package console_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store/console"
)

func TestStore_Sessions(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *console.Store) {
		ctx := context.Background()
		now := time.Now().Truncate(time.Second)
		sess := model.Session{ID: "id-0123456789abcdef", CSRF: "csrf-token", Client: "192.0.2.7",
			Created: now, Expires: now.Add(time.Hour)}
		if err := st.SaveSession(ctx, sess, now); err != nil {
			t.Fatal(err)
		}
		// Only the hash of the id names the key; the id is nowhere.
		sum := sha256.Sum256([]byte(sess.ID))
		key := st.Keys().AdminSession(hex.EncodeToString(sum[:]))
		raw, err := st.Client().Get(ctx, key).Result()
		if err != nil {
			t.Fatalf("session key %s: %v", key, err)
		}
		if strings.Contains(raw, sess.ID) {
			t.Errorf("stored record holds the session id: %s", raw)
		}
		if ttl := st.Client().PTTL(ctx, key).Val(); ttl <= 0 || ttl > time.Hour {
			t.Errorf("session TTL = %v, want within the hour", ttl)
		}
		tests := []struct {
			name string
			id   string
			now  time.Time
			want error
		}{
			{"live", sess.ID, now.Add(time.Minute), nil},
			{"unknown id", sess.ID + "x", now, console.ErrNoSession},
			{"empty id", "", now, console.ErrNoSession},
			{"at expiry", sess.ID, sess.Expires, console.ErrNoSession},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := st.LoadSession(ctx, tt.id, tt.now)
				if !errors.Is(err, tt.want) {
					t.Fatalf("err = %v, want %v", err, tt.want)
				}
				if err == nil && (got.CSRF != sess.CSRF || got.Client != sess.Client || !got.Expires.Equal(sess.Expires) || got.ID != sess.ID) {
					t.Errorf("loaded %+v, want %+v", got, sess)
				}
			})
		}
		if err := st.DeleteSession(ctx, sess.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := st.LoadSession(ctx, sess.ID, now); !errors.Is(err, console.ErrNoSession) {
			t.Errorf("after delete: err = %v, want ErrNoSession", err)
		}
		if err := st.DeleteSession(ctx, sess.ID); err != nil {
			t.Errorf("second delete: %v", err)
		}
		if err := st.SaveSession(ctx, model.Session{ID: "x", Expires: now}, now); err == nil {
			t.Error("saving an expired session succeeded")
		}
	})
}

// TestStore_SessionTTL: a session leaves the store by itself when its
// lifetime ends, on every backend's clock.
func TestStore_SessionTTL(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *console.Store) {
		ctx := context.Background()
		now := time.Now()
		sess := model.Session{ID: "short-lived", CSRF: "c", Created: now, Expires: now.Add(300 * time.Millisecond)}
		if err := st.SaveSession(ctx, sess, now); err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256([]byte(sess.ID))
		key := st.Keys().AdminSession(hex.EncodeToString(sum[:]))
		deadline := time.Now().Add(10 * time.Second)
		for st.Client().Exists(ctx, key).Val() == 1 {
			if time.Now().After(deadline) {
				t.Fatal("session key still there 10s after its expiry")
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
}

func TestStore_Audit(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *console.Store) {
		ctx := context.Background()
		t0 := time.Date(2026, 11, 17, 8, 0, 0, 0, time.UTC)
		for i := range 3 {
			rec := model.AuditRecord{Time: t0.Add(time.Duration(i) * time.Minute), Action: "entry.hide",
				Target: fmt.Sprintf("news/e%d", i), Client: "192.0.2.1", Via: "console", Result: "ok"}
			if err := st.Audit(ctx, rec); err != nil {
				t.Fatal(err)
			}
		}
		tests := []struct {
			limit int
			want  []string
		}{
			{0, []string{"news/e2", "news/e1", "news/e0"}},
			{2, []string{"news/e2", "news/e1"}},
			{100, []string{"news/e2", "news/e1", "news/e0"}},
		}
		for _, tt := range tests {
			t.Run(fmt.Sprint("limit ", tt.limit), func(t *testing.T) {
				got, err := st.AuditLog(ctx, tt.limit)
				if err != nil {
					t.Fatal(err)
				}
				var targets []string
				for _, r := range got {
					targets = append(targets, r.Target)
				}
				if strings.Join(targets, ",") != strings.Join(tt.want, ",") {
					t.Errorf("targets %v, want %v", targets, tt.want)
				}
				if len(got) > 0 && (!got[0].Time.Equal(t0.Add(2*time.Minute)) || got[0].Via != "console" || got[0].Result != "ok") {
					t.Errorf("newest record %+v", got[0])
				}
			})
		}
		// A huge refusal message is clipped, and a record that does not
		// decode hides no other.
		if err := st.Audit(ctx, model.AuditRecord{Action: "source.add", Result: strings.Repeat("界", 5000)}); err != nil {
			t.Fatal(err)
		}
		st.Client().LPush(ctx, st.Keys().AdminAudit(), "{not json")
		got, err := st.AuditLog(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 4 || got[0].Action != "source.add" || len(got[0].Result) > 1100 {
			t.Errorf("after a long and a broken record: %d records, first %q (%d bytes)", len(got), got[0].Action, len(got[0].Result))
		}
	})
}

// TestStore_AuditCap: the log keeps the newest AuditCap records.
func TestStore_AuditCap(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *console.Store) {
		ctx := context.Background()
		key := st.Keys().AdminAudit()
		// Fill to the cap directly, then append through Audit.
		pipe := st.Client().Pipeline()
		for i := range console.AuditCap {
			pipe.RPush(ctx, key, fmt.Sprintf(`{"action":"old","target":"%d"}`, i))
		}
		if _, err := pipe.Exec(ctx); err != nil {
			t.Fatal(err)
		}
		if err := st.Audit(ctx, model.AuditRecord{Action: "new"}); err != nil {
			t.Fatal(err)
		}
		if n := st.Client().LLen(ctx, key).Val(); n != console.AuditCap {
			t.Errorf("log holds %d records, want the cap %d", n, console.AuditCap)
		}
		got, err := st.AuditLog(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		if got[0].Action != "new" || got[len(got)-1].Target != fmt.Sprint(console.AuditCap-2) {
			t.Errorf("first %q, last target %q: want the new record first and the oldest dropped", got[0].Action, got[len(got)-1].Target)
		}
	})
}
