package poll

import (
	"context"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/parse"
	"github.com/tributary-rss/tributary/aggregator/read"
)

// read reads the source through read.Reader, the path previews take too,
// from its stored state (effective URL, validators, recorded detection),
// and notes what the read did in res and st.
func (p *Poller) read(ctx context.Context, src model.Source, st *model.SourceState, res *Result) (read.Result, error) {
	r := read.Reader{Fetcher: p.fetcher, HTML: p.HTML, Now: p.Now}
	rd, err := r.Read(ctx, src, *st)
	res.FetchURL, res.Discovered = rd.FetchURL, rd.Discovered
	res.Status, res.FetchDuration, res.Bytes = rd.Status, rd.FetchDuration, rd.Bytes
	res.permanentURL = rd.PermanentURL
	if rd.Resp != nil {
		res.Hints.MaxAge, res.Hints.Expires = rd.Resp.Cache.MaxAge, rd.Resp.Cache.Expires
		res.NotModified, res.SameBody = rd.Resp.NotModified, rd.Resp.SameBody
	}
	res.Hints.TTL, res.Hints.UpdateEvery = rd.Hints.TTL, rd.Hints.UpdateEvery
	res.Hints.SkipHours, res.Hints.SkipDays = rd.Hints.SkipHours, rd.Hints.SkipDays
	if rd.Page != nil {
		p.noteList(src, st, res, rd)
	}
	return rd, err
}

// noteList keeps what was read of a list page for the warnings and the
// detection kept once the entries are stored (see keepList). Items
// without a link are left out and counted (res.Skipped, shown on
// /status): a few are separators or "more" links, many mean the selectors
// no longer fit. A page cut at the parser's element bound still gives its
// first items; the cut is in res.PageCut and logged when it starts and
// ends.
func (p *Poller) noteList(src model.Source, st *model.SourceState, res *Result, rd read.Result) {
	page := rd.Page
	res.list, res.detected = page, rd.Detected
	res.PageCut = page.CutAt
	p.noteCut(src, res)
	noLink := 0
	for _, s := range page.Skipped {
		if s.Reason == parse.SkipNoLink || s.Reason == parse.SkipScriptLink {
			noLink++
		}
		p.logger.Debug("list item skipped", "source", src.ID, "position", s.Position, "title", s.Title, "reason", s.Reason)
	}
	res.Skipped, st.Skipped = noLink, noLink
}

// noteCut logs a source's list page being cut at the element bound, and
// no longer being cut, once each.
func (p *Poller) noteCut(src model.Source, res *Result) {
	if res.PageCut > 0 {
		if _, was := p.cutPages.LoadOrStore(src.ID, true); !was {
			p.logger.Warn("list page cut", "source", src.ID, "url", res.FetchURL, "reason", parse.CutReason(res.PageCut))
		}
		return
	}
	if _, was := p.cutPages.LoadAndDelete(src.ID); was {
		p.logger.Info("list page no longer cut", "source", src.ID, "url", res.FetchURL)
	}
}
