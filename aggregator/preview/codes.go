package preview

import (
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"syscall"

	"github.com/tributary-rss/tributary/aggregator/fetch"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/parse"
	"github.com/tributary-rss/tributary/aggregator/read"
)

// Code names err for a console that words it in the editor's language:
// one of model's Msg… codes and the values its words need, as text. It
// follows the same causes as Reason (fetch's classification, the
// parser's sentinels) but keeps them apart rather than in one English
// sentence. An error none of them names is MsgReadFailed, with no
// arguments: the console then shows Reason beside a generic sentence.
func Code(err error) (string, []string) {
	if err == nil {
		return "", nil
	}
	if code, args := fetchCode(err); code != "" {
		return code, args
	}
	if code := parseCode(err); code != "" {
		return code, parseArgs(code, err)
	}
	return model.MsgReadFailed, nil
}

// fetchCode names a failed fetch, or "" when err is no fetch error.
func fetchCode(err error) (string, []string) {
	var fe *fetch.Error
	if !errors.As(err, &fe) {
		return "", nil
	}
	var (
		se  *fetch.StatusError
		le  *fetch.LimitError
		ae  *fetch.AddressError
		dns *net.DNSError
		ne  net.Error
	)
	switch {
	case errors.As(err, &se):
		return statusCode(se)
	case errors.As(err, &le) && le.HTML:
		return model.MsgHTMLTooLarge, []string{strconv.FormatInt(le.Limit, 10)}
	case errors.As(err, &le):
		return model.MsgBodyTooLarge, []string{strconv.FormatInt(le.Limit, 10)}
	case errors.As(err, &ae):
		return model.MsgForbiddenAddress, []string{addressOf(ae), ae.Why}
	case errors.Is(err, fetch.ErrRedirect):
		return model.MsgRedirect, nil
	case isTimeout(fe):
		return model.MsgTimeout, nil
	case errors.Is(err, syscall.ECONNREFUSED):
		return model.MsgConnRefused, nil
	case errors.Is(err, syscall.ECONNRESET):
		return model.MsgConnReset, nil
	case strings.HasPrefix(fe.Reason, "TLS error"):
		return model.MsgTLS, nil
	case errors.As(err, &dns):
		return model.MsgDNS, []string{dns.Name}
	case errors.As(err, &ne) && ne.Timeout():
		return model.MsgTimeout, nil
	case strings.HasPrefix(fe.Reason, "bad URL"):
		return model.MsgBadURL, nil
	case errors.Is(err, context.Canceled):
		return model.MsgCancelled, nil
	}
	return model.MsgFetchFailed, nil
}

// isTimeout reports a fetch that ran out of time: Fetch's own deadline
// (its Reason says so, since the cause is only the context's error) or
// the caller's.
func isTimeout(fe *fetch.Error) bool {
	return strings.HasPrefix(fe.Reason, "timeout") || strings.HasPrefix(fe.Reason, "connect timeout") ||
		errors.Is(fe, context.DeadlineExceeded)
}

// statusCode names an HTTP status an editor meets, with the code.
func statusCode(se *fetch.StatusError) (string, []string) {
	code := strconv.Itoa(se.Code)
	switch {
	case se.Code == 404:
		return model.MsgHTTPNotFound, []string{code}
	case se.Code == 410:
		return model.MsgHTTPGone, []string{code}
	case se.Code == 401 || se.Code == 403:
		return model.MsgHTTPForbidden, []string{code}
	case se.Code == 429:
		return model.MsgHTTPTooMany, []string{code}
	case se.Code >= 500:
		return model.MsgHTTPServer, []string{code}
	}
	status := strings.TrimSpace(strings.TrimPrefix(se.Status, code))
	return model.MsgHTTPStatus, []string{code, status}
}

// addressOf is the refused address as an editor recognises it: the host
// name with its address, or the address alone.
func addressOf(ae *fetch.AddressError) string {
	if ae.Host != "" && ae.Host != ae.Addr.String() {
		return ae.Host + " (" + ae.Addr.String() + ")"
	}
	return ae.Addr.String()
}

// parseCode names a document read but not understood, or "".
func parseCode(err error) string {
	var pe *parse.ParseError
	switch {
	case errors.Is(err, parse.ErrNoFeed):
		return model.MsgNoFeed
	case errors.Is(err, parse.ErrNoItems):
		return model.MsgNoItems
	case errors.Is(err, parse.ErrNoList):
		return model.MsgNoList
	case errors.Is(err, parse.ErrAmbiguous):
		return model.MsgSeveralLists
	case errors.Is(err, parse.ErrSelectorStopped):
		return model.MsgSelectorStopped
	case errors.As(err, &pe) && strings.HasPrefix(pe.Reason, "not a feed: "):
		return model.MsgNotFeed
	case errors.As(err, &pe) && strings.HasPrefix(pe.Reason, "scrape."):
		return model.MsgSelectorInvalid
	case errors.As(err, &pe) && strings.HasPrefix(pe.Reason, "parse error"):
		return model.MsgFeedSyntax
	case errors.Is(err, errSourceFilter):
		return model.MsgSourceFilter
	}
	return ""
}

// parseArgs are the words of the parser a code quotes: what a document
// that is no feed looks like, where a feed's syntax broke, which
// selector is wrong.
func parseArgs(code string, err error) []string {
	var pe *parse.ParseError
	switch {
	case code == model.MsgNotFeed && errors.As(err, &pe):
		return []string{strings.TrimPrefix(pe.Reason, "not a feed: ")}
	case (code == model.MsgFeedSyntax || code == model.MsgSelectorInvalid) && errors.As(err, &pe):
		return []string{pe.Reason}
	case code == model.MsgSourceFilter:
		return []string{strings.TrimPrefix(err.Error(), errSourceFilter.Error()+": ")}
	case code == model.MsgSeveralLists && errors.As(err, &pe):
		return []string{strconv.Itoa(len(pe.Lists))}
	}
	return nil
}

// skipCode names the reason parse gives a list-page item that gave no
// entry (its Skip… reasons), or "" for one it does not know.
func skipCode(reason string) string {
	switch reason {
	case parse.SkipMatched:
		return model.MsgSkipMatched
	case parse.SkipNoLink:
		return model.MsgSkipNoLink
	case parse.SkipScriptLink:
		return model.MsgSkipScriptLink
	}
	return ""
}

// setError records err in out: its reason and its code.
func setError(out *model.Preview, err error) {
	out.Error = read.Reason(err)
	out.ErrorCode, out.ErrorArgs = Code(err)
}

// setReason records err in out as setError does in a preview.
func setReason(out *model.Discovery, err error) {
	out.Reason = read.Reason(err)
	out.ReasonCode, out.ReasonArgs = Code(err)
}
