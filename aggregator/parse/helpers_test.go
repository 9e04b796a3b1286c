package parse

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"

	"github.com/tributary-rss/tributary/aggregator/model"
)

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func validUTF8(ss ...string) bool {
	for _, s := range ss {
		if !utf8.ValidString(s) {
			return false
		}
	}
	return true
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }

// scrapeFeed is Scrape with no limiter and no deadline of the caller, its
// result taken apart as most tests want it.
func scrapeFeed(body []byte, contentType, pageURL string, rules model.Scrape) (*gofeed.Feed, []Skip, error) {
	page, err := Scrape(context.Background(), nil, body, contentType, pageURL, rules)
	if err != nil {
		return nil, nil, err
	}
	return page.Feed, page.Skipped, nil
}

// article is Article with no limiter and no deadline of the caller.
func article(body []byte, contentType, pageURL string, rules model.Content) (string, string, error) {
	page, err := Article(context.Background(), nil, body, contentType, pageURL, rules)
	return page.HTML, page.Title, err
}
