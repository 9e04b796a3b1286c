package model

import "errors"

// The admin API's vocabulary. The registry carries requests out and the
// HTTP server answers them; both name the same request and refusals
// through this package so the server needs nothing of the registry but
// an interface.

// AddRequest is a source to add through the admin API. Empty ID derives
// one from the URL (SourceID); empty Schedule and Timezone follow the
// config's defaults. Scrape and Content are the config's scrape: and
// content: blocks. A preview (POST /api/v1/admin/preview) takes the same
// request, so a console can preview exactly what it is about to add.
type AddRequest struct {
	ID       string   `json:"id"`
	URL      string   `json:"url"`
	Title    string   `json:"title"`
	Sections []string `json:"sections"`
	Schedule string   `json:"schedule"`
	Timezone string   `json:"timezone"`
	Scrape   *Scrape  `json:"scrape,omitempty"`
	Content  *Content `json:"content,omitempty"`
	// StaleAfter is the source's own stale_after ("14d", "36h"; empty:
	// its sections'), read as config durations are.
	StaleAfter string `json:"stale_after,omitempty"`
	// TitleStrip is the config's title_strip: labels removed from the
	// source's titles (literals, or "/re/").
	TitleStrip []string `json:"title_strip,omitempty"`
}

// Kinds of admin request errors, for errors.Is; the HTTP layer maps them
// to 400, 404 and 409.
var (
	ErrInvalid  = errors.New("invalid request")
	ErrNotFound = errors.New("not found")
	ErrConflict = errors.New("conflict")
)

// RequestError is an admin request that was refused: Field names the
// input at fault ("url", "sections", …; empty when none), Msg says why in
// words an operator acts on. Key names the refusal for a console that
// words it in the editor's language (one of the Key… constants; "" when
// none fits) and Args fill its blanks, as text.
type RequestError struct {
	Kind  error // ErrInvalid, ErrNotFound or ErrConflict
	Field string
	Msg   string
	Key   string
	Args  []string
}

func (e *RequestError) Error() string {
	if e.Field != "" {
		return e.Field + ": " + e.Msg
	}
	return e.Msg
}

// Is makes errors.Is(err, ErrInvalid) (and the others) work.
func (e *RequestError) Is(target error) bool { return target == e.Kind }
