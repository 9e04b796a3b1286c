package parse

import (
	"context"
	"fmt"
	"time"
)

// Defaults of a Limiter.
const (
	// DefaultConcurrency is how many HTML pages a process parses at once.
	// A parsed page holds its whole DOM (a 4 MiB page of short items is
	// 40–80 MB of nodes) until its items are read: polls, article
	// fetches and previews running side by side must not each hold one.
	DefaultConcurrency = 2
	// DefaultMaxElements bounds the elements (start tags, comments
	// included) of one parsed page: a page holding more is cut at that
	// element and only its top is parsed, where lists and article bodies
	// are. A CMS list page has a few thousand.
	DefaultMaxElements = 100_000
	// DefaultSelectorTimeout bounds the selector evaluation of one page
	// (scrape:, content.selector, content.remove), or the caller's
	// context, whichever ends first. A list page's selectors take
	// milliseconds; a pathological one (li:nth-last-child(n+1) ~ li is
	// quadratic in the items) would take the CPU for minutes.
	DefaultSelectorTimeout = 5 * time.Second
)

// Limiter bounds the HTML work of a process: at most a few pages parsed at
// once, each to a number of elements, with its selectors stopped at a
// deadline. One Limiter is shared by every poll, article fetch and preview
// of a process (whoever builds them passes it down). It is safe for
// concurrent use. A nil *Limiter applies the default per-page bounds and
// no bound on concurrent parses.
type Limiter struct {
	// MaxElements bounds the elements of one page (see
	// DefaultMaxElements); 0 means DefaultMaxElements.
	MaxElements int
	// SelectorTimeout bounds the selector evaluation of one page; 0 means
	// DefaultSelectorTimeout.
	SelectorTimeout time.Duration
	slots           chan struct{}
}

// NewLimiter returns a Limiter letting concurrent pages be parsed at once
// (DefaultConcurrency when 0 or less).
func NewLimiter(concurrent int) *Limiter {
	if concurrent <= 0 {
		concurrent = DefaultConcurrency
	}
	return &Limiter{slots: make(chan struct{}, concurrent)}
}

// acquire waits for a parse slot or for ctx to end; the returned func gives
// the slot back. The slot is held as long as the page's DOM is in use.
func (l *Limiter) acquire(ctx context.Context) (func(), error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("wait to parse HTML: %w", err)
	}
	if l == nil || l.slots == nil {
		return func() {}, nil
	}
	select {
	case l.slots <- struct{}{}:
		return func() { <-l.slots }, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("wait to parse HTML: %w", ctx.Err())
	}
}

func (l *Limiter) maxElements() int {
	if l == nil || l.MaxElements <= 0 {
		return DefaultMaxElements
	}
	return l.MaxElements
}

func (l *Limiter) selectorTimeout() time.Duration {
	if l == nil || l.SelectorTimeout <= 0 {
		return DefaultSelectorTimeout
	}
	return l.SelectorTimeout
}
