package normalize

import (
	"testing"

	"github.com/mmcdole/gofeed"
	ext "github.com/mmcdole/gofeed/extensions"
)

// Author names are plain text like titles: markup is dropped, entities
// decoded, whitespace collapsed, whichever field the name came from.
func TestItemAuthor(t *testing.T) {
	tests := []struct {
		name string
		item gofeed.Item
		want string
	}{
		{"name", gofeed.Item{Authors: []*gofeed.Person{{Name: " Jane\n Editor "}}}, "Jane Editor"},
		{"markup in name", gofeed.Item{Authors: []*gofeed.Person{{Name: `<img src=x onerror="alert(1)">Jane <b>Editor</b>`}}}, "Jane Editor"},
		{"script in name", gofeed.Item{Authors: []*gofeed.Person{{Name: `<script>alert(1)</script>`, Email: "e@example.org"}}}, "e@example.org"},
		{"escaped markup is text", gofeed.Item{Authors: []*gofeed.Person{{Name: `&lt;b&gt; &amp; co`}}}, "<b> & co"},
		{"markup in e-mail", gofeed.Item{Author: &gofeed.Person{Email: `<svg/onload=alert(1)>x@example.org`}}, "x@example.org"},
		{"markup in dc:creator", gofeed.Item{DublinCoreExt: &ext.DublinCoreExtension{Creator: []string{"", `<a href="javascript:alert(1)">宣传部</a>`}}}, "宣传部"},
		{"none", gofeed.Item{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := itemAuthor(&tt.item, DefaultTitleLen); got != tt.want {
				t.Errorf("itemAuthor = %q, want %q", got, tt.want)
			}
		})
	}
}
