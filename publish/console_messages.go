package publish

import (
	"errors"
	"net/http"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/publish/i18n"
)

// Messages that come from elsewhere — a preview's error, a discovery's
// reason, a refused request, a skipped item, a list page's warnings —
// reach the console as codes with arguments (see model's Msg… and Key…
// codes) beside an English sentence. The console words them from the
// catalog ("msg.<code>", see package i18n); a code it does not know shows a generic
// sentence in the page's language with the English sentence under it.

// msgView is a message as a page shows it: Text in the page's language,
// and Detail, the English original, when the catalog has no words for it.
type msgView struct {
	Text, Detail string
}

// consoleMessage words code with args, or falls back to the sentence of
// fallbackKey with english as the detail. In English the original is the
// better fallback, and is shown alone.
func consoleMessage(l i18n.Lang, fallbackKey, code string, args []string, english string) msgView {
	if code != "" {
		if text, ok := i18n.Fill(string(l), "msg."+code, args); ok {
			v := msgView{Text: text}
			if vagueCode(code) && l != i18n.EN {
				v.Detail = english
			}
			return v
		}
	}
	if english == "" {
		return msgView{}
	}
	if l == i18n.EN {
		return msgView{Text: english}
	}
	return msgView{Text: l.T(fallbackKey), Detail: english}
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

// requestMessage is a refused request in the page's language.
func requestMessage(l i18n.Lang, re *model.RequestError) msgView {
	return consoleMessage(l, "msg.refused", re.Key, re.Args, re.Error())
}

// errorView maps an Admin error to a status and the message to show; a
// store failure is logged and shown as the store's unavailability.
func (c *console) errorView(r *http.Request, cr *consoleReq, err error) (int, msgView) {
	code, _ := c.errorStatus(r, err)
	var re *model.RequestError
	if errors.As(err, &re) {
		return code, requestMessage(cr.text, re)
	}
	return code, msgView{Text: cr.text.T("err.unavailable")}
}

// warningMessage words a list page's warning; entries is how many
// entries the preview gave, which says what items sharing links collapse
// into (-1 where that is not known, as on a source's page).
func warningMessage(l i18n.Lang, w model.ListWarning, entries int) msgView {
	if text, ok := i18n.Warning(string(l), i18n.WarnEditor, w, entries); ok {
		return msgView{Text: text}
	}
	return consoleMessage(l, "warn.unknown", "", nil, w.Code+" "+w.Detail)
}

// skipMessage words why an item gave no entry.
func skipMessage(l i18n.Lang, s model.PreviewSkip) msgView {
	return consoleMessage(l, "skip.other", s.Code, nil, s.Reason)
}
