package config

import (
	"fmt"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// linkToSource is accepted for link_to as another name of "original":
// the design's first wording of the key, which configs may carry.
const linkToSource = "source"

// linkTargets checks each section's link_to.
func (v *validator) linkTargets(c *Config) {
	for i := range c.SectionConfigs {
		if p := &c.SectionConfigs[i].LinkTo; v.filled(p) {
			v.check(p, "link_to", checkLinkTo(*p))
		}
	}
}

func checkLinkTo(s string) error {
	switch s {
	case model.LinkToOriginal, model.LinkToPortal, linkToSource:
		return nil
	}
	return fmt.Errorf("%q is not a link target: use %q (entries link to the member's site, the default) or %q (entries link to their article page on this site)",
		s, model.LinkToOriginal, model.LinkToPortal)
}

// linkTo is a section's link_to as model.Section holds it: "original"
// (also for an empty value or its alias) or "portal".
func linkTo(s string) string {
	if s == model.LinkToPortal {
		return model.LinkToPortal
	}
	return model.LinkToOriginal
}
