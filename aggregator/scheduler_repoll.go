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
