package model

import "time"

// DefaultSectionMaxItems bounds a section whose MaxItems is not positive.
const DefaultSectionMaxItems = 200

// TitleDedupWindow is how far apart two entries with identical normalized
// titles may be published and still count as one story (the section
// option dedup_titles).
const TitleDedupWindow = 48 * time.Hour

// Keep is how many entries the section holds.
func (s Section) Keep() int {
	if s.MaxItems > 0 {
		return s.MaxItems
	}
	return DefaultSectionMaxItems
}

// MinScore is the oldest publish time (Unix ms) the section still holds
// at now; ok is false when it keeps entries of any age.
func (s Section) MinScore(now time.Time) (ms int64, ok bool) {
	if s.MaxAge <= 0 {
		return 0, false
	}
	return now.Add(-s.MaxAge).UnixMilli(), true
}

// TitleWindow is how far apart (ms) two same-titled entries of the
// section are one story; 0 when it does not merge by title.
func (s Section) TitleWindow() int64 {
	if !s.DedupTitles {
		return 0
	}
	return TitleDedupWindow.Milliseconds()
}
