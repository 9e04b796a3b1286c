package parse

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
)

// ErrSelectorStopped is wrapped by the error of a page whose selectors
// were stopped: at the limiter's SelectorTimeout, or because the caller's
// context ended (errors.Is then also finds context.Canceled or
// context.DeadlineExceeded).
var ErrSelectorStopped = errors.New("selector evaluation stopped")

// evaluation is the time one page's selectors may take: the limiter's
// SelectorTimeout or the caller's context, whichever ends first.
type evaluation struct {
	ctx, parent context.Context
	timeout     time.Duration
}

// evaluate starts the selector deadline of one page; cancel releases its
// timer.
func (l *Limiter) evaluate(parent context.Context) (ev *evaluation, cancel context.CancelFunc) {
	timeout := l.selectorTimeout()
	ctx, cancel := context.WithTimeout(parent, timeout)
	return &evaluation{ctx: ctx, parent: parent, timeout: timeout}, cancel
}

// guard wraps sel, a compiled selector of the config key key
// ("scrape.items"), so that evaluating it stops once ev ends. A nil sel
// (a selector left empty) stays nil.
func (ev *evaluation) guard(key string, sel cascadia.Selector) goquery.Matcher {
	if sel == nil {
		return nil
	}
	return guardedMatcher{sel: sel, key: key, done: ev.ctx.Done()}
}

// recover turns the stop of a guarded selector into *err, a *ParseError
// naming the selector's key and why it stopped; any other panic goes on.
// It is deferred by the exported function that evaluates the selectors,
// in the goroutine that does.
func (ev *evaluation) recover(err *error) {
	r := recover()
	if r == nil {
		return
	}
	stop, ok := r.(selectorStop)
	if !ok {
		panic(r)
	}
	*err = ev.stopped(stop.key)
}

// stopped says why the selector of key stopped.
func (ev *evaluation) stopped(key string) *ParseError {
	cause := ev.ctx.Err()
	reason := fmt.Sprintf("%s: selector evaluation stopped after %s (too slow for this page)", key, ev.timeout)
	switch {
	case errors.Is(ev.parent.Err(), context.Canceled):
		cause = ev.parent.Err()
		reason = key + ": selector evaluation cancelled"
	case ev.parent.Err() != nil:
		cause = ev.parent.Err()
		reason = key + ": selector evaluation stopped at the caller's deadline"
	}
	return &ParseError{Reason: reason, Err: fmt.Errorf("%w: %w", ErrSelectorStopped, cause)}
}

// selectorStop is what a guardedMatcher panics with to leave goquery's and
// cascadia's loops at once; evaluation.recover catches it.
type selectorStop struct{ key string }

// guardedMatcher is a cascadia selector that checks, before testing each
// node, whether its evaluation must stop. A pathological selector is slow
// because each node's test is (li:nth-last-child(n+1) ~ li looks at every
// sibling), so checking between nodes stops it within one node's test.
// Its results are cascadia's: MatchAll walks n and its descendants in
// document order as cascadia.Selector.MatchAll does, and goquery's
// FindMatcher, FilterMatcher and IsMatcher call nothing else.
type guardedMatcher struct {
	sel  cascadia.Selector
	key  string
	done <-chan struct{}
}

// Match implements goquery.Matcher.
func (m guardedMatcher) Match(n *html.Node) bool {
	select {
	case <-m.done:
		panic(selectorStop{key: m.key})
	default:
	}
	return m.sel(n)
}

// MatchAll implements goquery.Matcher: the nodes matching, from n and
// its descendants, in document order.
func (m guardedMatcher) MatchAll(n *html.Node) []*html.Node {
	return m.matchAllInto(n, nil)
}

func (m guardedMatcher) matchAllInto(n *html.Node, found []*html.Node) []*html.Node {
	if m.Match(n) {
		found = append(found, n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		found = m.matchAllInto(c, found)
	}
	return found
}

// Filter implements goquery.Matcher: the nodes of nodes that match.
func (m guardedMatcher) Filter(nodes []*html.Node) []*html.Node {
	var found []*html.Node
	for _, n := range nodes {
		if m.Match(n) {
			found = append(found, n)
		}
	}
	return found
}
