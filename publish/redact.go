package publish

import (
	"context"
	"net/url"
	"regexp"
	"strings"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/urlsecret"
)

// newSecretParams is the rule that tells which query parameters of a
// source URL are credentials (see urlsecret.Params), plus the operator's
// own (Options.SecretParams, "key" or "prefix*").
func newSecretParams(extra []string) urlsecret.Params {
	return urlsecret.NewParams(extra)
}

// redactURL is a source URL as public outputs show it: without its
// user:password@ and without the parameters secret names (see
// urlsecret.Redact); "" when it does not parse.
func redactURL(raw string, secret urlsecret.Params) string {
	return urlsecret.Redact(raw, secret)
}

// publicEntry is e as every public output shows it. The source's feed URL
// and site link lose their userinfo and secret parameters. The entry's
// own link and image are the source's content: a secret-looking parameter
// there may be a CDN's public signature, so they lose only their userinfo
// and the source's own credentials if they carried them along, as does
// the HTML content.
func publicEntry(e model.Entry, secret urlsecret.Params) model.Entry {
	ss := secret.CredentialsOf(e.SourceURL)
	e.SourceURL = redactURL(e.SourceURL, secret)
	e.SourceLink = redactURL(e.SourceLink, secret)
	link := redactUserinfo(ss.Scrub(e.Link))
	if e.Title == e.Link {
		// An untitled item is named by its link.
		e.Title = link
	}
	e.Link = link
	e.Image = redactUserinfo(ss.Scrub(e.Image))
	if !ss.Empty() {
		e.Content = ss.Scrub(e.Content)
		e.Summary = ss.Scrub(e.Summary)
	}
	return e
}

// redactUserinfo drops the user:password@ of an absolute URL.
func redactUserinfo(raw string) string {
	if !strings.Contains(raw, "@") {
		return raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	if u.User == nil {
		return raw
	}
	u.User = nil
	return u.String()
}

// publicReader is the EntryReader every render reads through: the
// entries it returns are publicEntry copies, so no format can show a
// stored credential, whatever fields it picks.
type publicReader struct {
	EntryReader
	secret urlsecret.Params
}

func (r publicReader) SectionPage(ctx context.Context, sectionID string, q model.PageQuery) (model.Page, error) {
	page, err := r.EntryReader.SectionPage(ctx, sectionID, q)
	if err != nil {
		return page, err
	}
	entries := make([]model.Entry, len(page.Entries))
	for i, e := range page.Entries {
		entries[i] = publicEntry(e, r.secret)
	}
	page.Entries = entries
	return page, nil
}

// publicStatus is st as /status and /api/v1/sources show it while they are
// public (no admin token is set): its URLs lose their credentials as in
// every public output, and so do error texts quoting them. With a token
// set these pages are the operator's and show everything.
func publicStatus(st model.SourceStatus, secret urlsecret.Params) model.SourceStatus {
	conf, eff := secret.CredentialsOf(st.ConfiguredURL), secret.CredentialsOf(st.EffectiveURL)
	scrub := func(text string) string { return redactUserinfoIn(eff.Scrub(conf.Scrub(text))) }
	st.ConfiguredURL = redactURL(st.ConfiguredURL, secret)
	if st.EffectiveURL != "" {
		st.EffectiveURL = redactURL(st.EffectiveURL, secret)
	}
	st.SiteLink = redactUserinfo(st.SiteLink)
	st.LastError = scrub(st.LastError)
	if st.Articles != nil {
		a := *st.Articles
		a.LastError = scrub(a.LastError)
		st.Articles = &a
	}
	return st
}

// redactUserinfoIn drops the user:password@ of every URL quoted in text.
func redactUserinfoIn(text string) string {
	if !strings.Contains(text, "@") {
		return text
	}
	return userinfoInText.ReplaceAllString(text, "$1")
}

// userinfoInText is a URL's scheme and "//" followed by a user:password@.
var userinfoInText = regexp.MustCompile(`([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\s"'<>]*@`)
