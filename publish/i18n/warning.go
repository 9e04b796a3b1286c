package i18n

import (
	"strconv"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// WarningForm is where a list page's warning (model.ListWarning) is
// shown, which decides how much it says. Each form's words are in
// catalog_warnings.go under its value and the warning's code.
type WarningForm string

const (
	// WarnEditor is the console's: a sentence saying what was found and
	// what follows from it, the detail after it in brackets.
	WarnEditor WarningForm = "warn."
	// WarnStatus is /status's: what was found, the detail inline, a
	// note in the sources table under "status.check".
	WarnStatus WarningForm = "status.warn."
	// WarnCLI is the CLI's: one line of a preview's or a check's report,
	// what was found and what follows from it.
	WarnCLI WarningForm = "cli.warn."
)

// Warning words w in lang and form, and reports false when the catalog
// has no words for w's code (the caller then shows the code). entries is
// how many entries the reading gave, which says what items sharing a
// link merge into; -1 where that is not known, as on a source's page.
func Warning(lang string, form WarningForm, w model.ListWarning, entries int) (string, bool) {
	key := string(form) + w.Code
	if _, ok := catalog[key+".uncounted"]; ok && entries < 0 {
		key += ".uncounted"
	}
	text, ok := Fill(lang, key, []string{strconv.Itoa(w.Count), strconv.Itoa(w.Total), strconv.Itoa(entries), w.Detail})
	if !ok {
		return "", false
	}
	if form == WarnEditor && w.Detail != "" && w.Code != model.ListWarnOneItem && w.Code != model.ListWarnNoDates {
		text += F(lang, "warn.detail", w.Detail)
	}
	return text, true
}
