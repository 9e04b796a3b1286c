package publish

import (
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// encodeCursor makes a store cursor opaque for URLs: readers must follow
// rel="next" links rather than build positions themselves, which leaves us
// free to change what a cursor holds.
func encodeCursor(c model.Cursor) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(c.Score, 10) + "." + c.ID))
}

// decodeCursor reverses encodeCursor. Anything it did not make is refused:
// the id must look like an entry id (lower-case hex), so a cursor never
// carries arbitrary bytes into Redis or into the cache key.
func decodeCursor(s string) (model.Cursor, bool) {
	if s == "" || len(s) > 64 {
		return model.Cursor{}, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return model.Cursor{}, false
	}
	score, id, ok := strings.Cut(string(raw), ".")
	if !ok || !isLowerHex(id) {
		return model.Cursor{}, false
	}
	n, err := strconv.ParseInt(score, 10, 64)
	if err != nil || strconv.FormatInt(n, 10) != score {
		return model.Cursor{}, false
	}
	return model.Cursor{Score: n, ID: id}, true
}

func isLowerHex(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// entryCursor is the position just after e in its section, which the
// store scores by published time: where a page cut after e continues.
func entryCursor(e model.Entry) *model.Cursor {
	return &model.Cursor{Score: e.Published.UnixMilli(), ID: e.ID}
}
