package store

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// subscribeBuffer lets a slow consumer fall a little behind without
// blocking the pub/sub reader.
const subscribeBuffer = 64

// announce bumps each changed section's version and updated_at, then
// publishes the section ids on Events(). Publishing waits for the meta
// writes so a subscriber that reacts to the event reads the new version.
func (s *Store) announce(ctx context.Context, sectionIDs []string, now time.Time) error {
	if len(sectionIDs) == 0 {
		return nil
	}
	updated := now.UTC().Format(time.RFC3339Nano)
	pipe := s.client.Pipeline()
	for _, id := range sectionIDs {
		key := s.keys.SectionMeta(id)
		pipe.HIncrBy(ctx, key, "version", 1)
		pipe.HSet(ctx, key, "updated_at", updated)
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("bump section versions: %w", err)
	}
	pipe = s.client.Pipeline()
	for _, id := range sectionIDs {
		_ = pipe.Process(ctx, publishByChannel(ctx, s.keys.Events(), id))
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("publish section events: %w", err)
	}
	return nil
}

// Subscribe returns the ids of sections that change, as published on
// Events() by any instance. The subscription is active when Subscribe
// returns, so changes made after that are seen. go-redis reconnects and
// resubscribes by itself after a connection loss; events published
// meanwhile are lost, so a consumer that caches must also check versions.
// The channel closes when ctx is done.
func (s *Store) Subscribe(ctx context.Context) <-chan string {
	return s.subscribe(ctx, s.keys.Events())
}

// subscribe returns the payloads published on channel until ctx is done.
func (s *Store) subscribe(ctx context.Context, channel string) <-chan string {
	ps := s.client.Subscribe(ctx, channel)
	if _, err := ps.Receive(ctx); err != nil {
		s.logger.Error("subscribe", "channel", channel, "error", err)
	}
	msgs := ps.Channel()
	out := make(chan string, subscribeBuffer)
	go func() {
		defer close(out)
		defer ps.Close()
		for {
			select {
			case <-ctx.Done():
				return
			case msg, ok := <-msgs:
				if !ok {
					return
				}
				select {
				case out <- msg.Payload:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out
}

// publishByChannel is PUBLISH routed on a Redis Cluster like a command on
// the key channel. go-redis counts PUBLISH as keyless and sends each to a
// random node; events sent through different nodes cross the cluster bus
// on different links and reach a subscriber in any order. Routed by the
// channel's slot, every event goes to the node a Cluster subscriber is
// connected to (go-redis subscribes at the channel's slot master) and
// arrives in the order published. A plain client ignores the routing.
func publishByChannel(ctx context.Context, channel, message string) *redis.IntCmd {
	cmd := redis.NewIntCmd(ctx, "publish", channel, message)
	cmd.SetFirstKeyPos(1)
	return cmd
}
