package parse

import (
	"net/url"
	"path"
	"strings"
)

// documentExts are the attachments list pages link to instead of an
// article page (notices as PDF or Word files): fetching them as articles
// would only fill the body limit with bytes no article can come from.
var documentExts = []string{".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".zip", ".rar", ".7z", ".wps", ".et"}

// DocumentExt is the document extension (without the dot) link's path ends
// with, or "" for a link that may be an article page.
func DocumentExt(link string) string {
	u, err := url.Parse(link)
	if err != nil {
		return ""
	}
	ext := strings.ToLower(path.Ext(u.Path))
	for _, d := range documentExts {
		if ext == d {
			return strings.TrimPrefix(ext, ".")
		}
	}
	return ""
}
