package registry

import (
	"fmt"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// Kinds of admin request errors, for errors.Is. They are model's, so the
// HTTP server can tell them apart without importing this package.
var (
	ErrInvalid  = model.ErrInvalid
	ErrNotFound = model.ErrNotFound
	ErrConflict = model.ErrConflict
)

// RequestError is an admin request the registry refused (see
// model.RequestError).
type RequestError = model.RequestError

// invalid, notFound and conflict build refusals worded twice: Msg for
// the API and logs (format and args), Key for a console's catalog (a
// model.Key… constant), whose Args are args as text, in their order.
func invalid(key, field, format string, args ...any) error {
	return &RequestError{Kind: ErrInvalid, Field: field, Msg: fmt.Sprintf(format, args...), Key: key, Args: texts(args)}
}

func notFound(key, format string, args ...any) error {
	return &RequestError{Kind: ErrNotFound, Msg: fmt.Sprintf(format, args...), Key: key, Args: texts(args)}
}

func conflict(key, format string, args ...any) error {
	return &RequestError{Kind: ErrConflict, Msg: fmt.Sprintf(format, args...), Key: key, Args: texts(args)}
}

// texts is args as a catalog fills them in: %v of each.
func texts(args []any) []string {
	if len(args) == 0 {
		return nil
	}
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = fmt.Sprint(a)
	}
	return out
}
