package main

import (
	"fmt"
	"net/netip"

	"github.com/tributary-rss/tributary/aggregator/config"
)

// trustedProxies parses http.trusted_proxies (validated already, so an
// error here is a config that skipped validation).
func trustedProxies(list []string) ([]netip.Prefix, error) {
	out := make([]netip.Prefix, 0, len(list))
	for _, s := range list {
		p, err := config.ParseTrustedProxy(s)
		if err != nil {
			return nil, fmt.Errorf("http.trusted_proxies: %w", err)
		}
		out = append(out, p)
	}
	return out, nil
}
