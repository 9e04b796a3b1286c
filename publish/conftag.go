package publish

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// A render's bytes depend on more than its section's entries: the site's
// identity, the date layouts, the base URL, the page bound, the section's
// title, zone and pin policy. These change with a restart or a reload
// while the section's version stays the same, so the tag of what they are
// joins each render's cache key and ETag: a reader revalidating after such
// a change gets the new page instead of a 304 for the old one.

// serverConfTag hashes the settings every render of the server shares.
func serverConfTag(opts Options) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%q %q %q %q %q %q\n", opts.BaseURL, opts.UILang, opts.DateFormat, opts.DateFormatCurrentYear, opts.WebSubHub, opts.Version)
	// Where long pages are cut depends on the page bound.
	fmt.Fprintf(&b, "%d\n", opts.MaxPageBytes)
	site := opts.Site
	fmt.Fprintf(&b, "%q %q %q %q\n", site.Title, site.Logo, site.CSS, site.FooterText)
	for _, l := range site.FooterLinks {
		fmt.Fprintf(&b, "%q %q\n", l.Text, l.URL)
	}
	return b.String()
}

// sectionConfTag is the short tag of what renders of sec depend on from
// the config, server-wide settings (base, from serverConfTag) included.
func sectionConfTag(base string, sec model.Section) string {
	zone := ""
	if sec.Location != nil {
		zone = sec.Location.String()
	}
	sum := sha256.Sum256(fmt.Appendf(nil, "%s%q %q %q %q %d %d %t %t %q %q %q %q", base,
		sec.Title, sec.Description, sec.Language, zone, sec.MaxItems, sec.MaxAge, sec.DedupTitles, sec.PinsInFeeds,
		sec.SourceIDs, sec.Include, sec.Exclude, sec.LinkTo))
	return hex.EncodeToString(sum[:4])
}
