package console

import (
	"github.com/redis/go-redis/v9"

	"github.com/tributary-rss/tributary/aggregator/store"
)

// Client and Keys let the tests look at what the store wrote.
func (s *Store) Client() redis.UniversalClient { return s.client }

func (s *Store) Keys() store.Keys { return s.keys }
