package aggregator

// RepollAll queues a poll of every configured source, like the catch-up at
// Start: each is polled if due, which a source whose stored state is gone
// always is, and then fetched in full (no validators, no body hash to
// match). The store-reset watcher calls it when Redis lost its data.
// It does nothing before Start or after Stop.
func (s *Scheduler) RepollAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ctx == nil || s.stopped {
		return
	}
	s.wg.Add(len(s.sources)) // under mu, so never after Stop's Wait began
	for _, src := range s.sources {
		go func() {
			defer s.wg.Done()
			s.runDue(src)
		}()
	}
}

// Trigger polls the sources named by ids at once in the background, due or
// not (an operator asked through the admin API); it returns the ids it
// queued, leaving out those it does not know. A poll of the same source
// already running anywhere makes that one a no-op, and with Requests set
// only the instance that takes the source's pending request polls, so
// several pollers hearing one request fetch once. It does nothing before
// Start or after Stop.
func (s *Scheduler) Trigger(ids []string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ctx == nil || s.stopped {
		return nil
	}
	var queued []string
	for _, id := range ids {
		src, ok := s.byID[id]
		if !ok {
			continue
		}
		queued = append(queued, id)
		s.wg.Add(1) // under mu, so never after Stop's Wait began
		go func() {
			defer s.wg.Done()
			s.run(s.ctx, src, whenRequested)
		}()
	}
	return queued
}
