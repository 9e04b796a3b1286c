package metrics

import (
	"context"
	"errors"
	"net"
	"strings"

	"github.com/redis/go-redis/v9"
)

// RedisHook returns a go-redis hook counting failed dials, commands and
// pipelines in tributary_redis_errors_total; errors go-redis recovers from
// itself are not counted (see expected). Add it with client.AddHook.
func (m *Metrics) RedisHook() redis.Hook { return redisHook{m} }

type redisHook struct{ m *Metrics }

func (h redisHook) DialHook(next redis.DialHook) redis.DialHook {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := next(ctx, network, addr)
		h.count(err)
		return conn, err
	}
}

func (h redisHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		err := next(ctx, cmd)
		if err != nil && !expected(cmd, err) {
			h.count(err)
		}
		return err
	}
}

func (h redisHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		err := next(ctx, cmds)
		if err == nil {
			return nil
		}
		for _, cmd := range cmds {
			if cerr := cmd.Err(); cerr != nil && !expected(cmd, cerr) {
				h.count(cerr)
				return err
			}
		}
		return err
	}
}

// expected tells errors go-redis handles itself from failures: a missing
// key (redis.Nil), NOSCRIPT (Script.Run falls back to EVAL) and the
// connection handshake's HELLO and CLIENT SETINFO / MAINT_NOTIFICATIONS,
// which servers older than go-redis refuse and go-redis then does without.
// Tributary itself sends neither HELLO nor CLIENT.
func expected(cmd redis.Cmder, err error) bool {
	if errors.Is(err, redis.Nil) || strings.HasPrefix(err.Error(), "NOSCRIPT") {
		return true
	}
	name := cmd.Name()
	return name == "client" || name == "hello"
}

func (h redisHook) count(err error) {
	if err != nil && h.m != nil {
		h.m.redisErrors.Inc()
	}
}
