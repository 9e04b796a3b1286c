package storetest

import (
	"context"

	"github.com/redis/go-redis/v9"
)

// CommandHook is a go-redis hook that hands every command a client sends
// to the func, pipelined ones included (one call per pipeline), before it
// goes out: tests and harnesses count or list commands with it to prove
// what an operation cost. Add it with client.AddHook.
type CommandHook func(cmds ...redis.Cmder)

// DialHook implements redis.Hook.
func (h CommandHook) DialHook(next redis.DialHook) redis.DialHook { return next }

// ProcessHook implements redis.Hook.
func (h CommandHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		h(cmd)
		return next(ctx, cmd)
	}
}

// ProcessPipelineHook implements redis.Hook.
func (h CommandHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		h(cmds...)
		return next(ctx, cmds)
	}
}
