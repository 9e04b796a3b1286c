package publish

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// Messages that come from elsewhere — a preview's error, a discovery's
// reason, a refused request, a skipped item, a list page's warnings —
// reach the console as codes with arguments (see model's Msg… and Key…
// codes) beside an English sentence. The console words them from its
// catalog ("msg.<code>"); a code it does not know shows a generic
// sentence in the page's language with the English sentence under it.

// msgView is a message as a page shows it: Text in the page's language,
// and Detail, the English original, when the catalog has no words for it.
type msgView struct {
	Text, Detail string
}

// Message words code with args, or falls back to the sentence of
// fallbackKey with english as the detail. In English the original is the
// better fallback, and is shown alone.
func (t consoleText) Message(fallbackKey, code string, args []string, english string) msgView {
	if code != "" {
		if format, ok := t.m["msg."+code]; ok {
			v := msgView{Text: fillArgs(format, args)}
			if vagueCode(code) && t.lang != langEN {
				v.Detail = english
			}
			return v
		}
	}
	if english == "" {
		return msgView{}
	}
	if t.lang == langEN {
		return msgView{Text: english}
	}
	return msgView{Text: t.T(fallbackKey), Detail: english}
}

// vagueCode reports a code that names a kind of failure without its
// cause, whose English words say more: they are shown with it.
func vagueCode(code string) bool {
	switch code {
	case model.MsgFetchFailed, model.MsgReadFailed, model.MsgFeedSyntax, model.MsgSelectorInvalid:
		return true
	}
	return false
}

// fetchFailure reports a code of a URL that could not be fetched, as
// opposed to a page read that offered nothing.
func fetchFailure(code string) bool {
	switch code {
	case model.MsgHTTPNotFound, model.MsgHTTPGone, model.MsgHTTPForbidden, model.MsgHTTPTooMany, model.MsgHTTPServer,
		model.MsgHTTPStatus, model.MsgTimeout, model.MsgConnRefused, model.MsgConnReset, model.MsgTLS, model.MsgDNS,
		model.MsgForbiddenAddress, model.MsgRedirect, model.MsgBodyTooLarge, model.MsgHTMLTooLarge, model.MsgBadURL,
		model.MsgCancelled, model.MsgFetchFailed:
		return true
	}
	return false
}

// fillArgs fills a catalog format's %[n]s with args. An argument the
// format does not use is dropped, and one it lacks reads as empty, so a
// producer adding an argument breaks no page.
func fillArgs(format string, args []string) string {
	var b strings.Builder
	for {
		i := strings.Index(format, "%[")
		if i < 0 {
			b.WriteString(format)
			return b.String()
		}
		j := strings.Index(format[i:], "]s")
		n, err := strconv.Atoi(format[i+2 : i+max(j, 2)])
		if j < 0 || err != nil {
			b.WriteString(format)
			return b.String()
		}
		b.WriteString(format[:i])
		if n >= 1 && n <= len(args) {
			b.WriteString(args[n-1])
		}
		format = format[i+j+2:]
	}
}

// requestMessage is a refused request in the page's language.
func (t consoleText) requestMessage(re *model.RequestError) msgView {
	return t.Message("msg.refused", re.Key, re.Args, re.Error())
}

// errorView maps an Admin error to a status and the message to show; a
// store failure is logged and shown as the store's unavailability.
func (c *console) errorView(r *http.Request, cr *consoleReq, err error) (int, msgView) {
	code, _ := c.errorStatus(r, err)
	var re *model.RequestError
	if errors.As(err, &re) {
		return code, cr.text.requestMessage(re)
	}
	return code, msgView{Text: cr.text.T("err.unavailable")}
}

// warningText words a list page's warning; entries is how many entries
// the preview gave, which says what items sharing links collapse into
// (-1 where that is not known, as on a source's page).
func (t consoleText) warningText(w model.ListWarning, entries int) msgView {
	key := "warn." + w.Code
	if _, ok := t.m[key+".uncounted"]; ok && entries < 0 {
		key += ".uncounted"
	}
	format, ok := t.m[key]
	if !ok {
		return t.Message("warn.unknown", "", nil, w.Code+" "+w.Detail)
	}
	text := fillArgs(format, []string{strconv.Itoa(w.Count), strconv.Itoa(w.Total), strconv.Itoa(entries)})
	if w.Detail != "" && w.Code != model.ListWarnOneItem && w.Code != model.ListWarnNoDates {
		text += t.F("warn.detail", w.Detail)
	}
	return msgView{Text: text}
}

// skipText words why an item gave no entry.
func (t consoleText) skipText(s model.PreviewSkip) msgView {
	return t.Message("skip.other", s.Code, nil, s.Reason)
}
