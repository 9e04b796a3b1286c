package alert

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// Poll is what one poll tells the alerts, filled by the wiring from the
// poll's result.
type Poll struct {
	SourceID, URL string
	// Written says the poll's state was written; Prev and Next are the
	// source's state before and after it. A poll whose state was not
	// written decides no change of state: the next poll starts from the
	// same state and decides then.
	Written    bool
	Prev, Next model.SourceState
	// Freshness is the crossing of stale_after the store found, if any.
	Freshness *model.FreshnessCrossing
	// Held lists, per section with review, the entries the poll put in
	// its review queue (each once across instances).
	Held []model.ReviewHeld
}

// Observer turns polls into alerts queued on a Sender. It runs on
// polling instances only: the instance that polled a source decides from
// the state it read and wrote, so each transition is sent once across
// instances. A nil *Observer sends nothing.
type Observer struct {
	sender       *Sender
	failingAfter int
	instance     string
	// sources returns the merged source list (config file and admin
	// API), for an event's title and sections.
	sources func() []model.Source
	logger  *slog.Logger
	// index maps source ids to their place in the list sources returned
	// last (the registry hands out the same slice until it changes), so
	// a run of alerts over many sources does not scan the list for each.
	mu      sync.Mutex
	indexed []model.Source
	index   map[string]int
}

// NewObserver queues on sender the events polls make: failing after
// failingAfter errors in a row (see Decide), stale and fresh, pending
// review. instance names this daemon in every event; sources returns the
// current source list.
func NewObserver(sender *Sender, failingAfter int, instance string, sources func() []model.Source, logger *slog.Logger) *Observer {
	return &Observer{sender: sender, failingAfter: failingAfter, instance: instance, sources: sources, logger: logger}
}

// Observe queues the alerts p makes, if any: a change of state (failing,
// recovered, gone), a freshness crossing (stale, fresh), which the store
// decided once across instances, and entries held for review.
func (o *Observer) Observe(p Poll) {
	if o == nil {
		return
	}
	o.observeHeld(p)
	if !p.Written {
		return
	}
	if kind, ok := Decide(p.Prev, p.Next, o.failingAfter); ok {
		src := o.source(p)
		o.logger.Info("alert", "event", string(kind), "source", src.ID, "errors_in_row", p.Next.ErrorsInRow)
		o.sender.Send(NewEvent(kind, src, p.Prev, p.Next, o.instance))
	}
	if kind, ok := FreshnessKind(p.Freshness); ok {
		src := o.source(p)
		o.logger.Info("alert", "event", string(kind), "source", src.ID, "last_entry", p.Freshness.LastEntry)
		o.sender.Send(NewFreshnessEvent(kind, src, *p.Freshness, p.Next, p.Next.LastAttempt, o.instance))
	}
}

// observeHeld queues a pending event per section whose review queue the
// poll fed: the store's merge queued each entry once across instances,
// so each is announced once.
func (o *Observer) observeHeld(p Poll) {
	if len(p.Held) == 0 {
		return
	}
	src := o.source(p)
	for _, ev := range NewPendingEvents(src, p.Held, p.Next, polledAt(p), o.instance) {
		o.logger.Info("alert", "event", string(ev.Event), "source", src.ID, "section", ev.Section, "count", ev.Count)
		o.sender.Send(ev)
	}
}

// polledAt is when p's poll ran, as its state says, else now.
func polledAt(p Poll) time.Time {
	if p.Written && !p.Next.LastAttempt.IsZero() {
		return p.Next.LastAttempt
	}
	return time.Now()
}

// source finds the polled source in the merged list; one removed since
// the poll began is described by what the poll knew.
func (o *Observer) source(p Poll) model.Source {
	list := o.sources()
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(list) != len(o.indexed) || (len(list) > 0 && &list[0] != &o.indexed[0]) {
		o.indexed, o.index = list, make(map[string]int, len(list))
		for i, src := range list {
			o.index[src.ID] = i
		}
	}
	if i, ok := o.index[p.SourceID]; ok {
		return list[i]
	}
	return model.Source{ID: p.SourceID, URL: p.URL}
}

// Run delivers alerts until ctx is done, then tries the queued ones once.
func (o *Observer) Run(ctx context.Context) {
	if o != nil {
		o.sender.Run(ctx)
	}
}
