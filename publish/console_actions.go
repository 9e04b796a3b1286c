package publish

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// pinDurations are the pin expiries the section page offers besides none
// and a chosen time.
var pinDurations = map[string]time.Duration{"1h": time.Hour, "1d": 24 * time.Hour, "1w": 7 * 24 * time.Hour}

// pinTimeLayout is the value of an <input type="datetime-local">.
const pinTimeLayout = "2006-01-02T15:04"

// handleSourceOp carries out pause, resume, poll, remove and update of a
// source, then goes back to a page with what happened.
func (c *console) handleSourceOp(op string) func(http.ResponseWriter, *http.Request, *consoleReq) {
	return func(w http.ResponseWriter, r *http.Request, cr *consoleReq) {
		if op == "update" {
			c.handleUpdate(w, r, cr)
			return
		}
		ctx, id := r.Context(), r.PathValue("id")
		back, detail := "/sources/"+id, ""
		var err error
		var done flash
		switch op {
		case "pause":
			err, done = c.s.opts.Admin.Pause(ctx, id), flash{Text: cr.text.T("flash.paused")}
		case "resume":
			err, done = c.s.opts.Admin.Resume(ctx, id), flash{Text: cr.text.T("flash.resumed")}
		case "poll":
			_, err = c.s.opts.Admin.RequestPoll(ctx, "source", id)
			done = flash{Text: cr.text.T("flash.polled")}
		case "remove":
			keep := r.PostForm.Get("keep") == "1"
			err, detail = c.s.opts.Admin.Remove(ctx, id, keep), "keep_entries="+strconv.FormatBool(keep)
			done = flash{Text: cr.text.F("flash.removed", id)}
			if keep {
				done.Text = cr.text.F("flash.removedkeep", id)
			}
			if err == nil {
				back = "/"
			}
		}
		c.audit(r, "source."+op, id, err, detail)
		if err != nil {
			_, msg := c.errorView(r, cr, err)
			c.redirect(w, r, cr, back, errorFlash(msg))
			return
		}
		c.s.log.Info("console: source "+op, "source", id, "client", c.s.clientIP(r))
		c.redirect(w, r, cr, back, done)
	}
}

// handleUpdate saves the edit form. A source of the config file takes
// only sections; an API source every field. A refused edit shows the form
// again with the reason next to its field.
func (c *console) handleUpdate(w http.ResponseWriter, r *http.Request, cr *consoleReq) {
	ctx, id := r.Context(), r.PathValue("id")
	st, err := c.s.opts.Admin.Status(ctx, id)
	if err != nil {
		c.audit(r, "source.update", id, err, "")
		c.fail(w, r, cr, err)
		return
	}
	form := c.readForm(r)
	form.URL, form.ID = st.ConfiguredURL, id
	req, changed, ferr := c.updateRequest(form, c.editForm(st), st.Origin == model.OriginAPI)
	req.KeepEntries = r.PostForm.Get("keep") == "1"
	if ferr == nil {
		_, err = c.s.opts.Admin.Update(ctx, id, req)
	} else {
		err = ferr
	}
	c.audit(r, "source.update", id, err, strings.Join(changed, ","))
	if err != nil {
		var code int
		code, form.Errors = c.formError(r, cr, err)
		form.ScrapeOpen = form.Scrape.Items != "" || scrapeError(form.Errors)
		c.sourcePage(w, r, cr, code, st, &form)
		return
	}
	c.s.log.Info("console: source updated", "source", id, "fields", changed, "client", c.s.clientIP(r))
	c.redirect(w, r, cr, "/sources/"+id, flash{Text: cr.text.T("flash.updated")})
}

// fieldOf is the form field an error is about ("" for the whole form).
func fieldOf(err error) string {
	var re *model.RequestError
	if errors.As(err, &re) {
		return re.Field
	}
	return ""
}

// keyOf is the catalog key of a refused request ("" for other errors).
func keyOf(err error) string {
	var re *model.RequestError
	if errors.As(err, &re) {
		return re.Key
	}
	return ""
}

// readForm reads the add and edit forms' fields.
func (c *console) readForm(r *http.Request) sourceForm {
	pf := r.PostForm
	f := sourceForm{
		URL: strings.TrimSpace(pf.Get("url")), ID: strings.TrimSpace(pf.Get("id")), Title: strings.TrimSpace(pf.Get("title")),
		Schedule: strings.TrimSpace(pf.Get("schedule")), Timezone: strings.TrimSpace(pf.Get("timezone")),
		Include: pf.Get("include"), Exclude: pf.Get("exclude"), TitleStrip: pf.Get("title_strip"),
		Sections: c.sectionChoices(pf["sections"]),
		Scrape: model.Scrape{
			Items: strings.TrimSpace(pf.Get("scrape_items")), Title: strings.TrimSpace(pf.Get("scrape_title")),
			Link: strings.TrimSpace(pf.Get("scrape_link")), Date: strings.TrimSpace(pf.Get("scrape_date")),
			DateAttr: strings.TrimSpace(pf.Get("scrape_date_attr")), Summary: strings.TrimSpace(pf.Get("scrape_summary")),
			Image: strings.TrimSpace(pf.Get("scrape_image")), Skip: strings.TrimSpace(pf.Get("scrape_skip")),
		},
		Fetch: pf.Get("content_fetch") == "1", Selector: strings.TrimSpace(pf.Get("content_selector")),
		Remove: pf.Get("content_remove"), MaxPerPoll: strings.TrimSpace(pf.Get("content_max")),
	}
	return f
}

// checkedSections are the ids of the checked section boxes.
func (f sourceForm) checkedSections() []string {
	out := []string{}
	for _, s := range f.Sections {
		if s.Checked {
			out = append(out, s.ID)
		}
	}
	return out
}

// rules are the scrape: and content: blocks the form describes (nil:
// none).
func (f sourceForm) rules() (*model.Scrape, *model.Content, error) {
	var sc *model.Scrape
	if f.Scrape.Items != "" {
		s := f.Scrape
		sc = &s
	}
	if !f.Fetch && f.Selector == "" && strings.TrimSpace(f.Remove) == "" && f.MaxPerPoll == "" {
		return sc, nil, nil
	}
	ct := &model.Content{Fetch: f.Fetch, Selector: f.Selector, Remove: lines(f.Remove)}
	if f.MaxPerPoll != "" {
		n, err := strconv.Atoi(f.MaxPerPoll)
		if err != nil || n < 1 {
			return nil, nil, &model.RequestError{Kind: model.ErrInvalid, Field: "content.max_per_poll", Msg: fmt.Sprintf("must be a whole number of at least 1, got %q", f.MaxPerPoll),
				Key: model.KeyMaxPerPollForm, Args: []string{f.MaxPerPoll}}
		}
		ct.MaxPerPoll = n
	}
	return sc, ct, nil
}

// lines splits a textarea into its non-empty trimmed lines.
func lines(s string) []string {
	out := []string{}
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// updateRequest turns the edit form into an UpdateRequest holding the
// fields that differ from before, and names them for the audit log.
func (c *console) updateRequest(f, before sourceForm, full bool) (model.UpdateRequest, []string, error) {
	var req model.UpdateRequest
	var changed []string
	if secs := f.checkedSections(); !slices.Equal(secs, before.checkedSections()) {
		req.Sections, changed = &secs, append(changed, "sections")
	}
	if !full {
		return req, changed, nil
	}
	str := func(name string, now, was string, dst **string) {
		if now != was {
			v := now
			*dst, changed = &v, append(changed, name)
		}
	}
	str("title", f.Title, before.Title, &req.Title)
	str("schedule", f.Schedule, before.Schedule, &req.Schedule)
	str("timezone", f.Timezone, before.Timezone, &req.Timezone)
	list := func(name string, now, was string, dst **[]string) {
		if n := lines(now); !slices.Equal(n, lines(was)) {
			*dst, changed = &n, append(changed, name)
		}
	}
	list("include", f.Include, before.Include, &req.Include)
	list("exclude", f.Exclude, before.Exclude, &req.Exclude)
	list("title_strip", f.TitleStrip, before.TitleStrip, &req.TitleStrip)
	sc, ct, err := f.rules()
	if err != nil {
		return req, changed, err
	}
	oldSc, oldCt, _ := before.rules()
	if !sc.Equal(oldSc) {
		req.Scrape, req.ClearScrape, changed = sc, sc == nil, append(changed, "scrape")
	}
	if !ct.Equal(oldCt) {
		req.Content, req.ClearContent, changed = ct, ct == nil, append(changed, "content")
	}
	return req, changed, nil
}

// formError maps an error to a status and the form's messages by field:
// a field the form shows no message for has it shown over the form.
func (c *console) formError(r *http.Request, cr *consoleReq, err error) (int, map[string]msgView) {
	code, msg := c.errorView(r, cr, err)
	field := fieldOf(err)
	if !formField(field) {
		field = ""
	}
	return code, map[string]msgView{field: msg}
}

// formField reports a field the add and edit forms show messages next
// to; a list's item ("include[2]") shows its message at the list.
func formField(field string) bool {
	field, _, _ = strings.Cut(field, "[")
	switch field {
	case "url", "id", "title", "sections", "schedule", "timezone", "include", "exclude", "title_strip",
		"scrape", "scrape.items", "scrape.title", "scrape.link", "scrape.date", "scrape.date_attr",
		"scrape.summary", "scrape.image", "scrape.skip",
		"content", "content.selector", "content.remove", "content.max_per_poll":
		return true
	}
	return false
}

func (c *console) handleSectionPoll(w http.ResponseWriter, r *http.Request, cr *consoleReq) {
	id := r.PathValue("id")
	_, err := c.s.opts.Admin.RequestPoll(r.Context(), "section", id)
	c.audit(r, "section.poll", id, err, "")
	if err != nil {
		_, msg := c.errorView(r, cr, err)
		c.redirect(w, r, cr, "/", errorFlash(msg))
		return
	}
	c.redirect(w, r, cr, "/", flash{Text: cr.text.T("flash.polled")})
}

// handleModerate hides, unhides, pins or unpins an entry of a section.
func (c *console) handleModerate(action string) func(http.ResponseWriter, *http.Request, *consoleReq) {
	return func(w http.ResponseWriter, r *http.Request, cr *consoleReq) {
		sid, eid := r.PathValue("id"), r.PathValue("eid")
		req := model.ModerationRequest{SectionID: sid, EntryID: eid, Action: action}
		var err error
		detail := ""
		if action == model.ActionPin {
			req.Until, err = c.pinUntil(r, cr.now)
			if !req.Until.IsZero() {
				detail = "until " + req.Until.UTC().Format(time.RFC3339)
			}
		}
		if err == nil {
			err = c.s.opts.Admin.Moderate(r.Context(), req)
		}
		c.audit(r, "entry."+action, sid+"/"+eid, err, detail)
		if err != nil {
			_, msg := c.errorView(r, cr, err)
			c.redirect(w, r, cr, sectionBack(r, sid), errorFlash(msg))
			return
		}
		c.s.log.Info("console: entry "+action, "section", sid, "entry", eid, "client", c.s.clientIP(r))
		c.redirect(w, r, cr, sectionBack(r, sid), flash{Text: cr.text.T("flash." + action)})
	}
}

// pinUntil reads a pin's expiry: none, a duration from now, or a time
// (in the configured zone) that must be in the future.
func (c *console) pinUntil(r *http.Request, now time.Time) (time.Time, error) {
	choice := r.PostForm.Get("until")
	if d, ok := pinDurations[choice]; ok {
		return now.Add(d), nil
	}
	switch choice {
	case "", "none":
		return time.Time{}, nil
	case "at":
		raw := strings.TrimSpace(r.PostForm.Get("at"))
		t, err := time.ParseInLocation(pinTimeLayout, raw, c.s.opts.Location)
		if err != nil {
			return time.Time{}, &model.RequestError{Kind: model.ErrInvalid, Field: "at", Msg: fmt.Sprintf("want a date and time like 2026-11-20T18:00, got %q", raw),
				Key: model.KeyPinTimeInvalid, Args: []string{raw}}
		}
		if !t.After(now) {
			return time.Time{}, &model.RequestError{Kind: model.ErrInvalid, Field: "at", Msg: "the pin's expiry " + raw + " is not in the future",
				Key: model.KeyUntilPast, Args: []string{raw}}
		}
		return t, nil
	}
	return time.Time{}, &model.RequestError{Kind: model.ErrInvalid, Field: "until", Msg: fmt.Sprintf("unknown expiry %q", choice),
		Key: model.KeyPinExpiry, Args: []string{choice}}
}
