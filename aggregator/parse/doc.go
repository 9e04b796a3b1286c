// Package parse turns fetched bodies into items:
//
//   - Feed: RSS, Atom and JSON Feed through gofeed, retried once after
//     Repair for documents that are almost feeds (text before the XML
//     declaration, an Atom feed inside an XHTML page);
//   - Discover: the feeds an HTML page advertises with <link
//     rel="alternate">, Atom first, and IsHTML to tell such a page from a
//     feed; a page advertising none is NoFeedReason;
//   - Scrape: a list page of a site without a feed (a CMS's 通知公告 page),
//     read with the CSS selectors of a model.Scrape into a *gofeed.Feed the
//     normalizer takes like any feed, the fields it leaves empty found item
//     by item (main link, full title, date wherever printed, image);
//   - Detect: the lists of entries of such a page from its URL alone, each
//     with selectors that read it and samples, guided by a table of CMS
//     families (ListFamilies), ambiguous when several compare;
//   - Article: the article behind an entry's link: its body (a selector,
//     a known CMS's element, its innermost match, or readability; pagers,
//     print buttons and share bars removed) and what the page says of it,
//     its headline, printed publication time and author (cmsFamilies,
//     the info line, the metadata).
//
// It owns how HTML bodies are decoded (DecodeHTML: header, <meta>, then a
// Chinese-sites default), how list-page items are read (cut headlines,
// links against <base href>, dates found inside labels), what one HTML
// parse may cost (Limiter: parses at once, elements per page, selector
// time), and the operator-facing reasons of these failures (ParseError).
//
// It never does HTTP, never touches Redis, keeps no state of its own and
// never normalizes: ids, canonical links, dates in the source's zone and
// HTML sanitizing are package normalize's. The one shared thing, a
// Limiter's parse slots, is made by the caller and passed in. Its
// functions are safe for concurrent use; the caller fetches, decides what
// is new and which articles to fetch.
package parse
