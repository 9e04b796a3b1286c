package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/redis/go-redis/v9"
)

// updateRetries bounds how often UpdateAPISource starts over when another
// writer changed the record between its read and its write.
const updateRetries = 5

// ErrNoAPISource is UpdateAPISource's answer for an id no API source has.
var ErrNoAPISource = errors.New("no such api source")

// UpdateAPISource applies edit to the stored API source id and stores the
// result, as one optimistic transaction (WATCH) on the one key, so two
// admins editing different fields at once both land. It returns the
// source as stored; ErrNoAPISource when there is none; edit's own error
// unchanged. edit must not change the id.
func (s *Store) UpdateAPISource(ctx context.Context, id string, edit func(*APISource) error) (APISource, error) {
	key := s.keys.AdminSources()
	var out APISource
	txf := func(tx *redis.Tx) error {
		raw, err := tx.HGet(ctx, key, id).Result()
		if errors.Is(err, redis.Nil) {
			return ErrNoAPISource
		}
		if err != nil {
			return err
		}
		var rec APISource
		if err := json.Unmarshal([]byte(raw), &rec); err != nil {
			return fmt.Errorf("decode stored record: %w", err)
		}
		if err := edit(&rec); err != nil {
			return err
		}
		rec.ID = id
		data, err := json.Marshal(rec)
		if err != nil {
			return err
		}
		_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
			p.HSet(ctx, key, id, data)
			return nil
		})
		out = rec
		return err
	}
	for range updateRetries {
		err := s.client.Watch(ctx, txf, key)
		if errors.Is(err, redis.TxFailedErr) {
			continue
		}
		if err != nil {
			return APISource{}, fmt.Errorf("update api source %s: %w", id, err)
		}
		return out, nil
	}
	return APISource{}, fmt.Errorf("update api source %s: changed by another writer %d times in a row; try again", id, updateRetries)
}

// SetExtraSections records the sections, beyond those of the config
// file, that the config source id feeds; an empty list removes the
// record.
func (s *Store) SetExtraSections(ctx context.Context, id string, sections []string) error {
	var err error
	if len(sections) == 0 {
		err = s.client.HDel(ctx, s.keys.ExtraSections(), id).Err()
	} else {
		var data []byte
		if data, err = json.Marshal(sections); err == nil {
			err = s.client.HSet(ctx, s.keys.ExtraSections(), id, data).Err()
		}
	}
	if err != nil {
		return fmt.Errorf("set extra sections of %s: %w", id, err)
	}
	return nil
}

// ExtraSections returns every config source's extra sections (see
// SetExtraSections). A record that does not decode is
// logged and skipped.
func (s *Store) ExtraSections(ctx context.Context) (map[string][]string, error) {
	raw, err := s.client.HGetAll(ctx, s.keys.ExtraSections()).Result()
	if err != nil {
		return nil, fmt.Errorf("read extra sections: %w", err)
	}
	out := make(map[string][]string, len(raw))
	for id, data := range raw {
		var secs []string
		if err := json.Unmarshal([]byte(data), &secs); err != nil {
			s.logger.Warn("skipping unreadable extra sections record", "key", s.keys.ExtraSections(), "field", id, "err", err)
			continue
		}
		out[id] = secs
	}
	return out, nil
}
