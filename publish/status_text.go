package publish

import (
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/publish/i18n"
)

// The notes of /status's rows, composed from the catalog's messages
// (catalog_status.go in package i18n).

// statusSummary is the line under the title: how many sources are
// listed.
func statusSummary(l i18n.Lang, shown, total int) string {
	if shown == total {
		return l.N("status.summary", total, total)
	}
	return l.N("status.summary.shown", total, shown, total)
}

// statusWarning words what a list page's reading gave to check, in
// /status's short form (the console and the CLI say more).
func statusWarning(l i18n.Lang, w model.ListWarning) string {
	s, ok := i18n.Warning(string(l), i18n.WarnStatus, w, -1)
	if !ok {
		s = w.Code + " " + w.Detail
	}
	return l.F("status.check", s)
}

// statusArticles is the article-fetching note of a source with
// content.fetch.
func statusArticles(l i18n.Lang, a model.ArticleStatus) string {
	return l.F("status.articles", articleCounts(l, "status.articles.", a))
}

// dateIssue is one line about items whose date could not be used; Example
// is shown after Text as raw source text (escaped by the template).
type dateIssue struct {
	Text, ExampleLabel, Example string
}

// statusDateIssues describes d, or nothing when every item had a usable
// date. The example goes with the first line: it is an unreadable date
// when there is one, else a future one.
func statusDateIssues(l i18n.Lang, d model.DateIssues) []dateIssue {
	var out []dateIssue
	if d.Undated > 0 {
		out = append(out, dateIssue{Text: l.N("status.undated", d.Undated, d.Undated)})
	}
	if d.Future > 0 {
		out = append(out, dateIssue{Text: l.N("status.future", d.Future, d.Future)})
	}
	if len(out) > 0 && d.Example != "" {
		out[0].ExampleLabel, out[0].Example = l.T("status.example"), d.Example
	}
	return out
}

// statusSilence says for how long a stale source has published nothing:
// "40 天未更新" or "stale, 40 days", "从未更新" or "stale, never updated".
func statusSilence(l i18n.Lang, days int, hasEntry bool) string {
	if !hasEntry {
		return l.T("status.silence.never")
	}
	return l.N("status.silence", days, days)
}

// statusRedirect explains why a source is fetched from another URL.
func statusRedirect(l i18n.Lang, discovered bool) string {
	if discovered {
		return l.T("status.redirect.discovered")
	}
	return l.T("status.redirect.moved")
}

// articleCounts words a source's article fetching with the messages under
// prefix (each page its own): the count fetched, failed with the last
// failure's reason as the fetch gave it, and waiting.
func articleCounts(l i18n.Lang, prefix string, a model.ArticleStatus) string {
	s := l.F(prefix+"ok", a.OK)
	if a.Failed > 0 {
		s += l.F(prefix+"failed", a.Failed)
		if a.LastError != "" {
			s += l.F(prefix+"lasterror", a.LastError)
		}
	}
	if a.Pending > 0 {
		s += l.F(prefix+"pending", a.Pending)
	}
	return s
}
