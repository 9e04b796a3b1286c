// Package fetch owns the HTTP side of polling a feed: a bounded client that
// does a conditional GET, enforces a total timeout and a body limit (on the
// wire and after gzip decompression; a smaller one for HTML pages), keeps
// a source's headers and credentials with the origin they were given for
// (redirects elsewhere drop them), and hands back the body as UTF-8 with
// the XML declaration's encoding rewritten and characters illegal in XML 1.0
// removed (an HTML page is decoded by its <meta charset>, see decode),
// together with the validators (ETag, Last-Modified) and the hints (status,
// Retry-After) a scheduler needs.
//
// It never parses feeds, never decides when to poll and never touches Redis:
// callers keep the validators and pass them back on the next Fetch.
package fetch
