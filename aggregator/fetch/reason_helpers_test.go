package fetch

import "errors"

// reason returns the human-readable reason of a Fetch error, or err's text
// for any other error.
func reason(err error) string {
	var fe *Error
	if errors.As(err, &fe) {
		return fe.Reason
	}
	return err.Error()
}
