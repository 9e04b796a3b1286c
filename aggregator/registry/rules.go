package registry

import (
	"fmt"
	"strings"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/normalize"
	"github.com/tributary-rss/tributary/aggregator/parse"
)

// Bounds on the scrape: and content: blocks of an admin request. Real
// selectors are a few dozen bytes; the bounds keep a request from making
// every later poll match megabytes of selector against each page.
const (
	maxSelectorLen = 1000
	maxRemove      = 32
)

// checkRules checks a request's scrape: and content: blocks as the config
// checks them: every selector compiles and date_attr names an attribute.
// Every key is optional: a block without items has the list detected on
// the page, its other keys kept. Errors name the field ("scrape.items",
// "content.remove[2]").
func checkRules(sc *model.Scrape, cc *model.Content) error {
	if sc != nil {
		if err := checkScrape(sc); err != nil {
			return err
		}
	}
	if cc != nil {
		return checkContent(cc)
	}
	return nil
}

func checkScrape(sc *model.Scrape) error {
	for _, f := range []struct{ key, sel string }{
		{"items", sc.Items}, {"title", sc.Title}, {"link", sc.Link}, {"date", sc.Date},
		{"summary", sc.Summary}, {"image", sc.Image}, {"skip", sc.Skip},
	} {
		if f.sel == "" {
			continue
		}
		if err := checkSelector(f.sel); err != nil {
			return invalid(model.KeySelectorInvalid, "scrape."+f.key, "%v", err)
		}
	}
	if strings.ContainsAny(sc.DateAttr, " \t\n\"'=<>/") || len(sc.DateAttr) > maxSelectorLen {
		return invalid(model.KeyDateAttrInvalid, "scrape.date_attr", "%q is not an attribute name", sc.DateAttr)
	}
	return nil
}

func checkContent(cc *model.Content) error {
	if cc.Selector != "" {
		if err := checkSelector(cc.Selector); err != nil {
			return invalid(model.KeySelectorInvalid, "content.selector", "%v", err)
		}
	}
	if len(cc.Remove) > maxRemove {
		return invalid(model.KeyRemoveTooMany, "content.remove", "more than %d selectors", maxRemove)
	}
	for i, sel := range cc.Remove {
		if err := checkSelector(sel); err != nil {
			return invalid(model.KeySelectorInvalid, fmt.Sprintf("content.remove[%d]", i), "%v", err)
		}
	}
	if cc.MaxPerPoll < 0 {
		return invalid(model.KeyMaxPerPollLow, "content.max_per_poll", "must be at least 1 (0 or absent means %d)", model.DefaultMaxPerPoll)
	}
	return nil
}

// checkTitleStrip checks a request's title_strip list as the config
// checks it: at most normalize.MaxTitleStrip entries, each a label or an
// RE2 expression written "/re/". Errors name the entry ("title_strip[1]").
func checkTitleStrip(list *[]string) error {
	if list == nil {
		return nil
	}
	if len(*list) > normalize.MaxTitleStrip {
		return invalid(model.KeyFiltersTooMany, "title_strip", "more than %d entries", normalize.MaxTitleStrip)
	}
	for i, p := range *list {
		if err := normalize.CheckTitleStrip(p); err != nil {
			return invalid(model.KeyFilterInvalid, fmt.Sprintf("title_strip[%d]", i), "%v", err)
		}
	}
	return nil
}

func checkSelector(sel string) error {
	if len(sel) > maxSelectorLen {
		return fmt.Errorf("longer than %d bytes", maxSelectorLen)
	}
	return parse.CheckSelector(sel)
}

// withDefaults is a copy of cc with MaxPerPoll defaulted, as the config
// loader defaults it; nil stays nil.
func withDefaults(cc *model.Content) *model.Content {
	if cc == nil {
		return nil
	}
	out := *cc
	if out.MaxPerPoll == 0 {
		out.MaxPerPoll = model.DefaultMaxPerPoll
	}
	return &out
}
