package report

import (
	"cmp"
	"fmt"
	"io"
	"strings"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/normalize"
)

// summaryWidth is how much of a summary a preview line shows, in runes.
const summaryWidth = 80

// Preview writes what a poll of src would store (tributary preview): a
// header, the list page's warnings (written by warnings, given the
// warnings and how many entries the page gave), one block per entry, the
// skipped items and the article.
func Preview(w io.Writer, src model.Source, p model.Preview, warnings func(io.Writer, []model.ListWarning, int)) {
	fmt.Fprintf(w, "source   %s  %s\n", src.ID, src.URL)
	if p.FetchedURL != "" {
		fmt.Fprintf(w, "read     %s %s (HTTP %d, %s, %d bytes, %s)\n", kindText(p.Kind), p.FetchedURL, p.Status,
			cmp.Or(p.ContentType, "no content type"), p.Bytes, cmp.Or(p.Charset, "utf-8"))
	}
	if p.Title != "" {
		fmt.Fprintf(w, "title    %s\n", p.Title)
	}
	if p.Detected != nil && p.Error == "" {
		fmt.Fprintf(w, "detected the list these selectors read (paste under the source to pin them):\n%s", scrapeBlock(*p.Detected, scrapeIndent))
	}
	if p.Error != "" {
		return
	}
	fmt.Fprintf(w, "entries  %d, skipped %d\n", len(p.Entries), len(p.Skipped))
	warnings(w, p.Warnings, len(p.Entries))
	width := len(fmt.Sprint(len(p.Entries)))
	for i, e := range p.Entries {
		fmt.Fprintf(w, "\n%*d  %s\n", width, i+1, e.Title)
		pad := strings.Repeat(" ", width+2)
		fmt.Fprintf(w, "%slink     %s\n", pad, cmp.Or(e.Link, "-"))
		fmt.Fprintf(w, "%sdate     %s\n", pad, dateLine(e, p.Kind))
		if e.Summary != "" {
			fmt.Fprintf(w, "%ssummary  %s\n", pad, normalize.Truncate(e.Summary, summaryWidth))
		}
		if e.Image != "" {
			fmt.Fprintf(w, "%simage    %s\n", pad, e.Image)
		}
		fmt.Fprintf(w, "%scontent  %d bytes\n", pad, e.ContentLength)
	}
	skipped(w, p.Skipped)
	article(w, p.Article)
}

// kindText says how a preview read its document.
func kindText(kind string) string {
	switch kind {
	case model.PreviewListPage:
		return "list page"
	case model.PreviewDiscovered:
		return "feed the page advertises:"
	}
	return "feed"
}

// dateLine is an entry's date in the source's zone, with the offset and
// the zone's abbreviation, so a wrong zone shows at a glance; on a list
// page, with the date as the page printed it, so a misreading shows too.
func dateLine(e model.PreviewEntry, kind string) string {
	printed := ""
	if kind == model.PreviewListPage && e.DateText != "" {
		printed = fmt.Sprintf("  (printed %q)", e.DateText)
	}
	if e.Published == nil {
		return "none: dated when first stored" + printed
	}
	return e.Published.Format("2006-01-02 15:04:05 -0700 MST") + printed
}

func skipped(w io.Writer, skipped []model.PreviewSkip) {
	if len(skipped) == 0 {
		return
	}
	fmt.Fprintf(w, "\nskipped\n")
	for _, s := range skipped {
		pos := "-"
		if s.Position > 0 {
			pos = fmt.Sprintf("#%d", s.Position)
		}
		fmt.Fprintf(w, "  %-4s %s: %s\n", pos, cmp.Or(s.Title, "(no title)"), s.Reason)
	}
}

func article(w io.Writer, a *model.PreviewArticle) {
	if a == nil {
		return
	}
	fmt.Fprintf(w, "\narticle  %s\n", a.URL)
	if a.Error != "" {
		fmt.Fprintf(w, "  error    %s\n", a.Error)
		return
	}
	if a.Title != "" {
		fmt.Fprintf(w, "  title    %s\n", a.Title)
	}
	if a.Published != nil {
		fmt.Fprintf(w, "  date     %s\n", a.Published.Format("2006-01-02 15:04:05 -0700 MST"))
	}
	if a.Author != "" {
		fmt.Fprintf(w, "  author   %s\n", a.Author)
	}
	fmt.Fprintf(w, "  content  %d bytes\n", a.ContentLength)
	fmt.Fprintf(w, "  text     %s\n", cmp.Or(a.Text, "(none)"))
}

// LiveChecks writes check --live's report: in the order of sources, what
// each read (results[i], or errs[i] when it could not be read) and its
// list warnings (worded by warningText, given how many entries the page
// gave), then the totals. It returns how many sources failed.
func LiveChecks(w io.Writer, sources []model.Source, results []model.Preview, errs []error,
	warningText func(model.ListWarning, int) string) (failed int) {
	warned := 0
	for i, src := range sources {
		if errs[i] != nil {
			failed++
		}
		if len(results[i].Warnings) > 0 {
			warned++
		}
		liveCheck(w, src, results[i], errs[i], warningText)
	}
	fmt.Fprintf(w, "read %s live: %d ok, %d failed, %d with warnings\n", Plural(len(sources), "source", "sources"), len(sources)-failed, failed, warned)
	return failed
}

// liveCheck writes one source's line and its warnings.
func liveCheck(w io.Writer, src model.Source, p model.Preview, err error, warningText func(model.ListWarning, int) string) {
	if err != nil {
		fmt.Fprintf(w, "FAILED  %s  %s: %s\n", src.ID, src.URL, OneLine(p.Error))
		return
	}
	what := fmt.Sprintf("%s, %s", strings.TrimSuffix(kindText(p.Kind), ":"), Plural(len(p.Entries), "entry", "entries"))
	if p.Detected != nil {
		what += ", list detected: " + p.Detected.Items
	}
	fmt.Fprintf(w, "ok      %s  %s (%s)\n", src.ID, src.URL, what)
	for _, lw := range p.Warnings {
		fmt.Fprintf(w, "        warning: %s\n", warningText(lw, len(p.Entries)))
	}
}
