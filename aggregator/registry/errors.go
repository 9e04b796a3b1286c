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

func invalid(field, format string, args ...any) error {
	return &RequestError{Kind: ErrInvalid, Field: field, Msg: fmt.Sprintf(format, args...)}
}

func notFound(format string, args ...any) error {
	return &RequestError{Kind: ErrNotFound, Msg: fmt.Sprintf(format, args...)}
}

func conflict(format string, args ...any) error {
	return &RequestError{Kind: ErrConflict, Msg: fmt.Sprintf(format, args...)}
}
