package publish

import (
	"cmp"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/publish/i18n"
)

// The add flow: paste a URL and press 查找; choose among the feeds the
// page advertises or the lists detection found on it (the likeliest
// chosen already), or, when nothing was found, fill in the selectors;
// preview what a poll would store; add. Every step is one plain form
// post (no script), and what a step chose travels in the form: a list's
// selectors as the value of its radio button, then, once previewed, in
// the selector fields themselves.

// maxPreviewRows bounds the entries a preview shows: enough to judge a
// list page by, short enough to scroll past on a phone.
const maxPreviewRows = 50

// newView is the add-a-source page at its step.
type newView struct {
	Form sourceForm
	// Full is false on the first step (the URL alone) and true once
	// anything was asked.
	Full    bool
	Found   *foundView
	Preview *previewView
	// FetchNote says the article fetching was turned on for a list
	// page, and why.
	FetchNote bool
}

// foundView is what 查找 found: the URL itself a feed, the feeds a page
// advertises, the lists on a page without feed, or nothing (Reason).
type foundView struct {
	IsFeed bool
	Feeds  []model.FeedLink
	Lists  []listChoice
	// Reason says why nothing was found.
	Reason msgView
	// NoFeed is set when the page was read (not a failure to fetch it)
	// and had neither a feed nor a list: the editor fills in the
	// selectors.
	NoFeed bool
}

// listChoice is a list detection found, as a radio button whose value is
// its selectors.
type listChoice struct {
	N       int
	Value   string
	Items   int
	Samples []model.ListSample
	Checked bool
	Sels    []selectorView
}

// selectorView is one selector of a block, for a line that says what a
// list is read with.
type selectorView struct {
	Label, Value string
}

// previewView is a preview as an editor reads it.
type previewView struct {
	Title, FetchedURL, Kind string
	// Advertised is set when the error is the advertised feed's.
	Advertised bool
	Error      msgView
	Count      int
	Rows       []previewRow
	More       int
	Skipped    []skipRow
	Warnings   []msgView
	// Sels are the selectors the preview read the list with: the
	// form's, or detection's (Detected, offered for adjusting).
	Sels          []selectorView
	Detected      bool
	DetectedValue string
	Article       *articleView
	// NoArticle says a list page's preview has no article because
	// article fetching is off.
	NoArticle bool
}

type previewRow struct {
	Title, Link, DateText string
	Date                  timeView
	NoDate                bool
}

type skipRow struct {
	Position int
	Title    string
	Reason   msgView
}

// articleView is the first entry's article as it will be kept.
type articleView struct {
	URL, Title, Author string
	Published          timeView
	// HTML is the article's sanitized HTML, sanitized again here (see
	// console.articleHTML); "" shows Text instead.
	HTML  template.HTML
	Text  string
	Error msgView
}

func (c *console) handleNewForm(w http.ResponseWriter, r *http.Request, cr *consoleReq) {
	f := sourceForm{Sections: c.sectionChoices(r.URL.Query()["section"])}
	c.render(w, r, cr, http.StatusOK, "new", cr.text.T("new.title"), newView{Form: f})
}

// handleNew carries out the button pressed: 查找 (op=discover), a feed's
// "use" (previewed at once), a list's "adjust" (its selectors into the
// fields), preview, or add. Only add stores anything.
func (c *console) handleNew(w http.ResponseWriter, r *http.Request, cr *consoleReq) {
	pf := r.PostForm
	v := newView{Form: c.readForm(r), Full: true}
	op := pf.Get("op")
	switch {
	case pf.Get("use") != "":
		v.Form.URL, v.Form.Scrape, op = strings.TrimSpace(pf.Get("use")), model.Scrape{}, "preview"
	case pf.Get("tune") != "":
		v.Form.Scrape, v.Form.ScrapeOpen = decodeScrape(pf.Get("tune")), true
		c.render(w, r, cr, http.StatusOK, "new", cr.text.T("new.title"), v)
		return
	case op != "discover" && v.Form.Scrape.Items == "" && pf.Get("pick") != "":
		// The list chosen among those found, unless the editor wrote
		// selectors of their own (查找 again asks afresh).
		v.Form.Scrape = decodeScrape(pf.Get("pick"))
	}
	switch op {
	case "discover":
		c.newDiscover(w, r, cr, v)
	case "preview":
		c.newPreview(w, r, cr, v)
	default:
		c.newAdd(w, r, cr, v)
	}
}

// newDiscover answers 查找.
func (c *console) newDiscover(w http.ResponseWriter, r *http.Request, cr *consoleReq, v newView) {
	if err := c.find(r, cr, &v); err != nil {
		code, errs := c.formError(r, cr, err)
		v.Form.Errors, v.Full = errs, false
		c.render(w, r, cr, code, "new", cr.text.T("new.title"), v)
		return
	}
	c.render(w, r, cr, http.StatusOK, "new", cr.text.T("new.title"), v)
}

// find asks what the form's URL offers and sets v's choices from it.
func (c *console) find(r *http.Request, cr *consoleReq, v *newView) error {
	d, err := c.s.opts.Admin.Discover(r.Context(), v.Form.URL)
	if err != nil {
		return err
	}
	found := &foundView{IsFeed: d.IsFeed, Feeds: d.Feeds}
	for i, l := range d.Lists {
		found.Lists = append(found.Lists, listChoice{N: i + 1, Value: encodeScrape(l.Scrape), Items: l.Items,
			Samples: l.Samples, Checked: i == 0, Sels: selectorViews(cr, l.Scrape)})
	}
	switch {
	case d.IsFeed || len(d.Feeds) > 0:
		// A feed is read without selectors: any left from another URL
		// must not travel with it.
		v.Form.Scrape = model.Scrape{}
	case len(found.Lists) > 0:
		// The lists decide (the fields stay empty so that the radio
		// buttons do), and list pages give only headlines and dates:
		// their articles complete them.
		v.Form.Scrape, v.Form.ScrapeOpen = model.Scrape{}, false
		if !v.Form.Fetch && v.Form.Selector == "" {
			v.Form.Fetch, v.FetchNote = true, true
		}
	default:
		found.Reason = consoleMessage(cr.text, "msg.unreadable", d.ReasonCode, d.ReasonArgs, d.Reason)
		found.NoFeed = !fetchFailure(d.ReasonCode)
		v.Form.ScrapeOpen = found.NoFeed
	}
	v.Found = found
	return nil
}

// newPreview answers 预览: the preview, and the selector fields open
// where the editor has something to fill or check.
func (c *console) newPreview(w http.ResponseWriter, r *http.Request, cr *consoleReq, v newView) {
	req, err := c.addRequest(v.Form)
	var p model.Preview
	if err == nil {
		p, err = c.s.opts.Admin.Preview(r.Context(), req)
	}
	if err != nil {
		code, errs := c.formError(r, cr, err)
		// The selectors in use show, the list chosen among them.
		v.Form.Errors, v.Form.ScrapeOpen = errs, v.Form.Scrape.Items != "" || scrapeError(errs)
		c.render(w, r, cr, code, "new", cr.text.T("new.title"), v)
		return
	}
	v.Preview = c.previewView(cr, p, v.Form)
	failed := p.Error != "" || len(p.Entries) == 0
	if failed && v.Form.Scrape.Items == "" && p.Detected != nil {
		// Detection's best guess, to correct rather than write anew.
		v.Form.Scrape = *p.Detected
	}
	v.Form.ScrapeOpen = (failed && p.Kind != model.PreviewFeed) || selectorWarning(p.Warnings)
	if p.ErrorCode == model.MsgSeveralLists {
		// The page's lists are too alike to pick one: offer them as
		// 查找 does (a failure to is left to the preview's message).
		_ = c.find(r, cr, &v)
	}
	c.render(w, r, cr, http.StatusOK, "new", cr.text.T("new.title"), v)
}

// newAdd answers 添加: the source page on success, else the form with
// the reasons next to their fields.
func (c *console) newAdd(w http.ResponseWriter, r *http.Request, cr *consoleReq, v newView) {
	req, err := c.addRequest(v.Form)
	var src model.Source
	if err == nil {
		src, err = c.s.opts.Admin.Add(r.Context(), req)
	}
	c.audit(r, "source.add", cmp.Or(src.ID, req.URL), err, req.URL)
	if err != nil {
		code, errs := c.formError(r, cr, err)
		v.Form.Errors = errs
		v.Form.ScrapeOpen = v.Form.Scrape.Items != "" || scrapeError(errs) || keyOf(err) == model.KeyURLNoFeed
		if keyOf(err) == model.KeyURLSeveralLists {
			// Its lists, to choose from (see newPreview).
			_ = c.find(r, cr, &v)
		}
		c.render(w, r, cr, code, "new", cr.text.T("new.title"), v)
		return
	}
	c.s.log.Info("console: source added", "source", src.ID, "url", src.URL, "sections", src.SectionIDs, "client", c.s.clientIP(r))
	c.redirect(w, r, cr, "/sources/"+src.ID, flash{Text: cr.text.T("flash.added")})
}

// addRequest is the source the form describes.
func (c *console) addRequest(f sourceForm) (model.AddRequest, error) {
	sc, ct, err := f.rules()
	req := model.AddRequest{ID: f.ID, URL: f.URL, Title: f.Title, Sections: f.checkedSections(),
		Schedule: f.Schedule, Timezone: f.Timezone, Scrape: sc, Content: ct, TitleStrip: nilIfNone(lines(f.TitleStrip))}
	return req, err
}

// nilIfNone is list, or nil when it is empty (a field left empty sets
// nothing).
func nilIfNone(list []string) []string {
	if len(list) == 0 {
		return nil
	}
	return list
}

// previewView reads p for the page.
func (c *console) previewView(cr *consoleReq, p model.Preview, f sourceForm) *previewView {
	// A kind the catalog does not know is left unsaid.
	kind, _ := i18n.Lookup(cr.lang, "prev.kind."+cmp.Or(p.Kind, "none"))
	v := &previewView{Title: p.Title, FetchedURL: cmp.Or(p.FetchedURL, p.URL), Count: len(p.Entries), Kind: kind}
	if p.Error != "" {
		v.Error = consoleMessage(cr.text, "msg.unreadable", p.ErrorCode, p.ErrorArgs, p.Error)
		v.Advertised = p.Kind == model.PreviewDiscovered
	}
	for i, e := range p.Entries {
		if i == maxPreviewRows {
			v.More = len(p.Entries) - i
			break
		}
		row := previewRow{Title: e.Title, Link: e.Link, DateText: e.DateText, NoDate: e.NoDate}
		if e.Published != nil && !e.NoDate {
			row.Date = c.when(cr, *e.Published)
		}
		v.Rows = append(v.Rows, row)
	}
	for _, s := range p.Skipped {
		v.Skipped = append(v.Skipped, skipRow{Position: s.Position, Title: s.Title, Reason: skipMessage(cr.text, s)})
	}
	for _, w := range p.Warnings {
		v.Warnings = append(v.Warnings, warningMessage(cr.text, w, len(p.Entries)))
	}
	switch {
	case f.Scrape.Items != "":
		v.Sels = selectorViews(cr, f.Scrape)
	case p.Detected != nil:
		v.Sels, v.Detected, v.DetectedValue = selectorViews(cr, *p.Detected), true, encodeScrape(*p.Detected)
	}
	if p.Article != nil {
		v.Article = c.articleView(cr, *p.Article)
	}
	v.NoArticle = p.Article == nil && p.Kind == model.PreviewListPage && !f.Fetch && len(p.Entries) > 0
	return v
}

// articleView reads a previewed article for the page.
func (c *console) articleView(cr *consoleReq, a model.PreviewArticle) *articleView {
	v := &articleView{URL: a.URL, Title: a.Title, Author: a.Author, Text: a.Text}
	if a.Error != "" {
		v.Error = consoleMessage(cr.text, "prev.article.failed", "", nil, a.Error)
		return v
	}
	if a.Published != nil {
		v.Published = c.when(cr, *a.Published)
	}
	v.HTML = c.articleHTML(a.HTML)
	return v
}

// articleHTML is an article's HTML to show as it is. The preview's HTML
// was sanitized when it was read, but this page trusts only what it
// sanitized itself: it goes through the same policy again (bluemonday's
// UGC policy, which the normalizer's extends), and only that output is
// marked safe. Too long a body is not shown as HTML at all (the text is).
func (c *console) articleHTML(raw string) template.HTML {
	if raw == "" || len(raw) > model.MaxPreviewHTML+4096 {
		return ""
	}
	return template.HTML(c.sanitizer.Sanitize(raw))
}

// selectorViews lists the selectors of sc that are set, labelled.
func selectorViews(cr *consoleReq, sc model.Scrape) []selectorView {
	var out []selectorView
	for _, s := range scrapeFields(sc) {
		if s.value != "" {
			out = append(out, selectorView{Label: cr.text.T("sel." + s.key), Value: s.value})
		}
	}
	return out
}

type scrapeField struct{ key, value string }

// scrapeFields are sc's selectors by their form names, in the form's
// order.
func scrapeFields(sc model.Scrape) []scrapeField {
	return []scrapeField{{"items", sc.Items}, {"title", sc.Title}, {"link", sc.Link}, {"date", sc.Date},
		{"date_attr", sc.DateAttr}, {"summary", sc.Summary}, {"image", sc.Image}, {"skip", sc.Skip}}
}

// encodeScrape writes a block into one form value (a radio button's, a
// button's): its set selectors as a query string.
func encodeScrape(sc model.Scrape) string {
	q := url.Values{}
	for _, f := range scrapeFields(sc) {
		if f.value != "" {
			q.Set(f.key, f.value)
		}
	}
	return q.Encode()
}

// decodeScrape reads encodeScrape's value; anything else reads as no
// selectors (the registry checks what it is given anyway).
func decodeScrape(s string) model.Scrape {
	q, err := url.ParseQuery(s)
	if err != nil {
		return model.Scrape{}
	}
	get := func(k string) string { return strings.TrimSpace(q.Get(k)) }
	return model.Scrape{Items: get("items"), Title: get("title"), Link: get("link"), Date: get("date"),
		DateAttr: get("date_attr"), Summary: get("summary"), Image: get("image"), Skip: get("skip")}
}

// scrapeError reports form errors about the selectors.
func scrapeError(errs map[string]msgView) bool {
	for field := range errs {
		if strings.HasPrefix(field, "scrape") {
			return true
		}
	}
	return false
}

// selectorWarning reports warnings the editor answers by changing a
// selector.
func selectorWarning(ws []model.ListWarning) bool {
	for _, w := range ws {
		switch w.Code {
		case model.ListWarnTitleNoMatch, model.ListWarnDateNoMatch, model.ListWarnSameLink, model.ListWarnOneItem:
			return true
		}
	}
	return false
}
