package registry

import (
	"errors"
	"fmt"
)

// Kinds of admin request errors, for errors.Is; the HTTP layer maps them
// to 400, 404 and 409.
var (
	ErrInvalid  = errors.New("invalid request")
	ErrNotFound = errors.New("not found")
	ErrConflict = errors.New("conflict")
)

// RequestError is an admin request the registry refused: Field names the
// input at fault ("url", "sections", …; empty when none), Msg says why in
// words an operator acts on.
type RequestError struct {
	Kind  error // ErrInvalid, ErrNotFound or ErrConflict
	Field string
	Msg   string
}

func (e *RequestError) Error() string {
	if e.Field != "" {
		return e.Field + ": " + e.Msg
	}
	return e.Msg
}

// Is makes errors.Is(err, ErrInvalid) (and the others) work.
func (e *RequestError) Is(target error) bool { return target == e.Kind }

func invalid(field, format string, args ...any) error {
	return &RequestError{Kind: ErrInvalid, Field: field, Msg: fmt.Sprintf(format, args...)}
}

func notFound(format string, args ...any) error {
	return &RequestError{Kind: ErrNotFound, Msg: fmt.Sprintf(format, args...)}
}

func conflict(format string, args ...any) error {
	return &RequestError{Kind: ErrConflict, Msg: fmt.Sprintf(format, args...)}
}
