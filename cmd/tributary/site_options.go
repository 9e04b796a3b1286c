package main

import (
	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/publish"
)

// siteOptions hands the site block of the config to the HTTP server.
func siteOptions(s config.SiteConfig) publish.Site {
	out := publish.Site{Title: s.Title, Logo: s.Logo, CSS: s.CSS, FooterText: s.Footer.Text}
	for _, l := range s.Footer.Links {
		out.FooterLinks = append(out.FooterLinks, publish.SiteLink{Text: l.Text, URL: l.URL})
	}
	return out
}
