package publish

import (
	"net/http"
	"strconv"
)

// embedSecurityPolicy is contentSecurityPolicy for the iframe fragment: the
// only difference is that any site may frame it, which is its purpose.
// Its one script is a static file of ours (embed-frame.js), which
// reports the fragment's height to the host page.
const embedSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' https: http: data:; base-uri 'none'; form-action 'none'; frame-ancestors *"

// buildHeaders returns, per format, the headers of every answer in that
// format, so serving a cached render copies prepared slices.
func buildHeaders(opts Options) map[format]http.Header {
	cacheControl := "public, max-age=" + strconv.Itoa(int(opts.CacheMaxAge.Seconds()))
	vary := "Accept-Encoding"
	pageVary := vary
	if opts.UILang == "" {
		// Pages are negotiated on Accept-Language only when the config
		// leaves the language open.
		pageVary = "Accept-Encoding, Accept-Language"
	}
	base := func(v string) http.Header {
		return http.Header{
			"Cache-Control":          {cacheControl},
			"Vary":                   {v},
			"X-Content-Type-Options": {"nosniff"},
		}
	}
	out := map[format]http.Header{}
	for _, f := range []format{formatRSS, formatAtom, formatJSON, formatAPI, formatOPML, formatScript} {
		h := base(vary)
		// Web-based readers and the widget fetch across origins.
		h["Access-Control-Allow-Origin"] = []string{opts.CORSOrigin}
		out[f] = h
	}
	// The widget runs inside other sites' pages, where its own CSP does not
	// apply; the policy matters only when the script URL is opened
	// directly, and then nothing may load, run or frame it.
	out[formatScript]["Content-Security-Policy"] = []string{"default-src 'none'; frame-ancestors 'none'"}
	out[formatScript]["Referrer-Policy"] = []string{"strict-origin-when-cross-origin"}
	page := base(pageVary)
	page["Content-Security-Policy"] = []string{pageSecurityPolicy(opts.Site.CSS)}
	page["Referrer-Policy"] = []string{"strict-origin-when-cross-origin"}
	out[formatHTML] = page
	embed := page.Clone()
	embed["Content-Security-Policy"] = []string{embedSecurityPolicy}
	out[formatEmbed] = embed
	return out
}
