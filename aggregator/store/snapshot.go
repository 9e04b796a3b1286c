package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/alicebob/miniredis/v2"
)

// ErrSnapshotCorrupt marks a snapshot file that failed its checksum or
// could not be parsed.
var ErrSnapshotCorrupt = errors.New("snapshot corrupt")

// A snapshot file is one header line, then a JSON body:
//
//	tributary-snapshot 1 sha256:<hex of the body>\n
//	{"saved_at": ..., "keys": [...]}
//
// The checksum catches a torn or edited file; the version lets a later
// format be told apart instead of misread.
const (
	snapshotMagic   = "tributary-snapshot"
	snapshotVersion = 1
)

type snapshotBody struct {
	SavedAt time.Time     `json:"saved_at"`
	Keys    []snapshotKey `json:"keys"`
}

// snapshotKey is one key of any type miniredis holds that we persist.
// ExpiresAt is absolute so time spent stopped counts against the TTL.
type snapshotKey struct {
	Key       blob         `json:"key"`
	Type      string       `json:"type"`
	ExpiresAt time.Time    `json:"expires_at,omitzero"`
	Value     *blob        `json:"value,omitempty"`
	Hash      []hashField  `json:"hash,omitempty"`
	ZSet      []zsetMember `json:"zset,omitempty"`
	Set       []blob       `json:"set,omitempty"`
	List      []blob       `json:"list,omitempty"`
}

type hashField struct {
	Field blob `json:"f"`
	Value blob `json:"v"`
}

// zsetMember keeps the score as text so ±Inf survive JSON.
type zsetMember struct {
	Member blob   `json:"m"`
	Score  string `json:"s"`
}

// blob is a Redis string in JSON: a plain JSON string when it is valid
// UTF-8 (the common case, readable in the file), else {"base64": "..."},
// because encoding/json would silently replace invalid bytes.
type blob string

// MarshalJSON implements json.Marshaler.
func (b blob) MarshalJSON() ([]byte, error) {
	if utf8.ValidString(string(b)) {
		return json.Marshal(string(b))
	}
	return json.Marshal(map[string]string{"base64": base64.StdEncoding.EncodeToString([]byte(b))})
}

// UnmarshalJSON implements json.Unmarshaler.
func (b *blob) UnmarshalJSON(data []byte) error {
	if len(data) > 0 && data[0] == '"' {
		return json.Unmarshal(data, (*string)(b))
	}
	var obj struct {
		Base64 string `json:"base64"`
	}
	if err := json.Unmarshal(data, &obj); err != nil {
		return err
	}
	raw, err := base64.StdEncoding.DecodeString(obj.Base64)
	if err != nil {
		return fmt.Errorf("blob base64: %w", err)
	}
	*b = blob(raw)
	return nil
}

// encodeSnapshot renders a body as header line plus JSON.
func encodeSnapshot(body snapshotBody) ([]byte, error) {
	js, err := json.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("encode snapshot: %w", err)
	}
	sum := sha256.Sum256(js)
	header := fmt.Sprintf("%s %d sha256:%s\n", snapshotMagic, snapshotVersion, hex.EncodeToString(sum[:]))
	return append([]byte(header), js...), nil
}

// decodeSnapshot checks the header and checksum and parses the body. Every
// failure wraps ErrSnapshotCorrupt.
func decodeSnapshot(data []byte) (snapshotBody, error) {
	header, js, ok := bytes.Cut(data, []byte("\n"))
	if !ok {
		return snapshotBody{}, fmt.Errorf("%w: no header line", ErrSnapshotCorrupt)
	}
	var magic, sumField string
	var version int
	if _, err := fmt.Sscanf(string(header), "%s %d %s", &magic, &version, &sumField); err != nil || magic != snapshotMagic {
		return snapshotBody{}, fmt.Errorf("%w: bad header %.80q", ErrSnapshotCorrupt, header)
	}
	if version != snapshotVersion {
		return snapshotBody{}, fmt.Errorf("%w: unknown format version %d", ErrSnapshotCorrupt, version)
	}
	sum := sha256.Sum256(js)
	if sumField != "sha256:"+hex.EncodeToString(sum[:]) {
		return snapshotBody{}, fmt.Errorf("%w: checksum mismatch", ErrSnapshotCorrupt)
	}
	var body snapshotBody
	if err := json.Unmarshal(js, &body); err != nil {
		return snapshotBody{}, fmt.Errorf("%w: %w", ErrSnapshotCorrupt, err)
	}
	return body, nil
}

// captureKeys walks miniredis's keys. Each key is read under miniredis's
// lock, but the walk as a whole is not atomic: a key written meanwhile may
// be caught before or after the write, which the store's ordering rules
// (readers skip index members without an entry) tolerate; nor does it
// hold the lock between keys, so the server keeps answering. Types the
// store never writes (streams, HyperLogLogs) are skipped and returned by
// name. It stops with ctx's error once ctx is done.
func captureKeys(ctx context.Context, mr *miniredis.Miniredis, now time.Time) (snapshotBody, []string, error) {
	body := snapshotBody{SavedAt: now.UTC()}
	var skipped []string
	for i, k := range mr.Keys() {
		if i%1024 == 0 && ctx.Err() != nil {
			return snapshotBody{}, nil, ctx.Err()
		}
		sk, ok := captureKey(mr, k)
		if !ok {
			if mr.Exists(k) {
				skipped = append(skipped, k)
			}
			continue
		}
		if ttl := mr.TTL(k); ttl > 0 {
			sk.ExpiresAt = now.Add(ttl).UTC()
		}
		body.Keys = append(body.Keys, sk)
	}
	return body, skipped, nil
}

// captureKey reads one key; ok is false when it vanished or has a type we
// do not persist.
func captureKey(mr *miniredis.Miniredis, k string) (snapshotKey, bool) {
	sk := snapshotKey{Key: blob(k), Type: mr.Type(k)}
	var err error
	switch sk.Type {
	case "string":
		var v string
		v, err = mr.Get(k)
		b := blob(v)
		sk.Value = &b
	case "hash":
		sk.Hash, err = captureHash(mr, k)
	case "zset":
		sk.ZSet, err = captureZSet(mr, k)
	case "set":
		var ms []string
		ms, err = mr.Members(k)
		sk.Set = toBlobs(ms)
	case "list":
		var vs []string
		vs, err = mr.List(k)
		sk.List = toBlobs(vs)
	default:
		return sk, false
	}
	return sk, err == nil
}

func captureHash(mr *miniredis.Miniredis, k string) ([]hashField, error) {
	fields, err := mr.HKeys(k)
	if err != nil {
		return nil, err
	}
	out := make([]hashField, len(fields))
	for i, f := range fields {
		out[i] = hashField{Field: blob(f), Value: blob(mr.HGet(k, f))}
	}
	return out, nil
}

func captureZSet(mr *miniredis.Miniredis, k string) ([]zsetMember, error) {
	members, err := mr.ZMembers(k)
	if err != nil {
		return nil, err
	}
	out := make([]zsetMember, 0, len(members))
	for _, m := range members {
		sc, err := mr.ZScore(k, m)
		if err != nil {
			continue // removed since ZMembers
		}
		out = append(out, zsetMember{Member: blob(m), Score: strconv.FormatFloat(sc, 'f', -1, 64)})
	}
	return out, nil
}

func toBlobs(ss []string) []blob {
	out := make([]blob, len(ss))
	for i, s := range ss {
		out[i] = blob(s)
	}
	return out
}

// restoreKeys loads a body into an empty miniredis. Keys already expired
// at now are dropped.
func restoreKeys(mr *miniredis.Miniredis, body snapshotBody, now time.Time) error {
	for _, sk := range body.Keys {
		if !sk.ExpiresAt.IsZero() && !sk.ExpiresAt.After(now) {
			continue
		}
		if err := restoreKey(mr, sk); err != nil {
			return fmt.Errorf("%w: key %q: %w", ErrSnapshotCorrupt, string(sk.Key), err)
		}
		if !sk.ExpiresAt.IsZero() {
			mr.SetTTL(string(sk.Key), sk.ExpiresAt.Sub(now))
		}
	}
	return nil
}

func restoreKey(mr *miniredis.Miniredis, sk snapshotKey) error {
	k := string(sk.Key)
	switch sk.Type {
	case "string":
		if sk.Value == nil {
			return errors.New("string without value")
		}
		return mr.Set(k, string(*sk.Value))
	case "hash":
		for _, f := range sk.Hash {
			mr.HSet(k, string(f.Field), string(f.Value))
		}
		return nil
	case "zset":
		return restoreZSet(mr, k, sk.ZSet)
	case "set":
		_, err := mr.SAdd(k, fromBlobs(sk.Set)...)
		return err
	case "list":
		_, err := mr.RPush(k, fromBlobs(sk.List)...)
		return err
	default:
		return fmt.Errorf("unknown type %q", sk.Type)
	}
}

func restoreZSet(mr *miniredis.Miniredis, k string, members []zsetMember) error {
	for _, m := range members {
		sc, err := strconv.ParseFloat(m.Score, 64)
		if err != nil {
			return fmt.Errorf("score %q: %w", m.Score, err)
		}
		if _, err := mr.ZAdd(k, sc, string(m.Member)); err != nil {
			return err
		}
	}
	return nil
}

func fromBlobs(bs []blob) []string {
	out := make([]string, len(bs))
	for i, b := range bs {
		out[i] = string(b)
	}
	return out
}
