package normalize

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strings"

	"github.com/mmcdole/gofeed"
	ext "github.com/mmcdole/gofeed/extensions"
)

func guidOf(item *gofeed.Item) string {
	return strings.TrimSpace(cleanText(item.GUID))
}

// itemKey picks the identity of an item; the rule is in the package doc.
// The hash fallback reads the raw title and date strings, not their
// normalized forms, so a change in this package cannot change ids.
func itemKey(item *gofeed.Item, fc *feedContext, canonical string) string {
	if g := guidOf(item); g != "" && fc.guids[g] == 1 {
		return g
	}
	if canonical != "" {
		return canonical
	}
	date := strings.TrimSpace(item.Published)
	if date == "" {
		date = strings.TrimSpace(item.Updated)
	}
	title := strings.TrimSpace(item.Title)
	h := sha256.New()
	if title == "" && date == "" {
		h.Write([]byte("\x00\x00" + item.Description + "\x00" + item.Content))
	} else {
		h.Write([]byte(title + "\x00" + date))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// itemAuthor is the first named (else e-mailed) author, then the legacy
// single author, then Dublin Core creator, as plain text of at most n
// runes like the title: feeds put markup (and worse) in author names too.
func itemAuthor(item *gofeed.Item, n int) string {
	people := append([]*gofeed.Person(nil), item.Authors...)
	people = append(people, item.Author)
	for _, p := range people {
		if p == nil {
			continue
		}
		if name := plainTextCut(p.Name, n); name != "" {
			return name
		}
		if email := plainTextCut(p.Email, n); email != "" {
			return email
		}
	}
	if item.DublinCoreExt != nil {
		for _, c := range item.DublinCoreExt.Creator {
			if c = plainTextCut(c, n); c != "" {
				return c
			}
		}
	}
	return ""
}

// itemCategories returns at most limit categories of at most n runes
// each, as plain text without markup (see plainLabel), in feed order,
// without empties and repeats; nil when none remain.
func itemCategories(item *gofeed.Item, limit, n int) []string {
	var out []string
	seen := make(map[string]bool, min(len(item.Categories), limit))
	for _, c := range item.Categories {
		if len(out) == limit {
			break
		}
		c = plainLabel(c, n)
		if c == "" || seen[c] {
			continue
		}
		seen[c] = true
		out = append(out, c)
	}
	return out
}

// itemImage picks one absolute image URL: an image enclosure, media:content,
// the item image gofeed read (JSON Feed image/banner_image),
// media:thumbnail, itunes:image, then the first real <img> of the content.
func itemImage(item *gofeed.Item, fc *feedContext, base *url.URL, contentImage string) string {
	for _, enc := range item.Enclosures {
		if enc != nil && strings.HasPrefix(strings.ToLower(strings.TrimSpace(enc.Type)), "image/") {
			if u := resolveWeb(base, enc.URL); u != "" {
				return u
			}
		}
	}
	candidates := []string{mediaContentImage(item.Extensions)}
	if item.Image != nil && !fc.isRSS {
		candidates = append(candidates, item.Image.URL)
	}
	candidates = append(candidates, mediaThumbnail(item.Extensions))
	if item.ITunesExt != nil {
		candidates = append(candidates, item.ITunesExt.Image)
	}
	for _, c := range candidates {
		if u := resolveWeb(base, c); u != "" {
			return u
		}
	}
	return contentImage
}

// mediaContentImage is the first media:content that is an image, directly
// or inside a media:group. One without type and medium is taken as an image:
// that is how most news sites write it.
func mediaContentImage(exts ext.Extensions) string {
	for _, m := range mediaElements(exts, "content") {
		typ := strings.ToLower(m.Attrs["type"])
		medium := strings.ToLower(m.Attrs["medium"])
		if strings.HasPrefix(typ, "image/") || medium == "image" || (typ == "" && medium == "") {
			if u := strings.TrimSpace(m.Attrs["url"]); u != "" {
				return u
			}
		}
	}
	return ""
}

func mediaThumbnail(exts ext.Extensions) string {
	for _, m := range mediaElements(exts, "thumbnail") {
		if u := strings.TrimSpace(m.Attrs["url"]); u != "" {
			return u
		}
	}
	return ""
}

// mediaElements lists media:<name> elements of an item, then those nested
// in media:group (YouTube and podcast feeds group them).
func mediaElements(exts ext.Extensions, name string) []ext.Extension {
	media := exts["media"]
	out := append([]ext.Extension(nil), media[name]...)
	for _, g := range media["group"] {
		out = append(out, g.Children[name]...)
	}
	return out
}
