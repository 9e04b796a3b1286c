// Package browsertest drives the tributary binary in headless Chromium
// through the Chrome DevTools Protocol, as a reader and an editor would:
// it builds the command, runs it as a daemon on a loopback port, serves
// its sources with httptest, and clicks through its pages. It has no
// code outside its tests.
//
// It is a module of its own so that chromedp, needed by nothing the
// daemon runs, stays out of the main go.mod. It imports nothing of the
// main module either: the binary it tests is built from ../ exactly as
// `go build ./cmd/tributary` builds it. Its tests skip when chromium is
// not installed. Browser tests that need no more than a DOM dump run
// chromium directly and stay beside the code they test.
package browsertest
