package publish

import (
	"image"
	"image/color"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
	"github.com/tributary-rss/tributary/aggregator/model"
)

// qrModuleRe is one dark module of the served SVG: a unit square of the
// path, one viewBox unit per module.
var qrModuleRe = regexp.MustCompile(`M(\d+),(\d+)h1v1h-1z`)

var qrViewBoxRe = regexp.MustCompile(`viewBox="0 0 (\d+) (\d+)"`)

// decodeQRSVG rasterizes the served SVG (its white square and its dark
// modules, scale px per module) and decodes it with ZXing's QR reader,
// which is not the library that made it.
func decodeQRSVG(t *testing.T, svg string, scale int) string {
	t.Helper()
	vb := qrViewBoxRe.FindStringSubmatch(svg)
	if vb == nil || vb[1] != vb[2] {
		t.Fatalf("no square viewBox in %q", svg)
	}
	n, _ := strconv.Atoi(vb[1])
	if !strings.Contains(svg, `fill="#FFFFFF"`) && !strings.Contains(svg, `fill="#ffffff"`) {
		t.Errorf("the code has no white background: %.200s", svg)
	}
	img := image.NewGray(image.Rect(0, 0, n*scale, n*scale))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	modules := qrModuleRe.FindAllStringSubmatch(svg, -1)
	if len(modules) == 0 {
		t.Fatalf("no modules in %q", svg)
	}
	for _, m := range modules {
		x, _ := strconv.Atoi(m[1])
		y, _ := strconv.Atoi(m[2])
		if x < qrQuietModules || y < qrQuietModules || x >= n-qrQuietModules || y >= n-qrQuietModules {
			t.Errorf("module (%d,%d) in the quiet zone", x, y)
		}
		for dy := range scale {
			for dx := range scale {
				img.SetGray(x*scale+dx, y*scale+dy, color.Gray{})
			}
		}
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_PURE_BARCODE: true})
	if err != nil {
		t.Fatalf("decode the served QR code: %v", err)
	}
	return res.GetText()
}

// TestServer_QR: /sections/{id}/qr.svg is a QR code that decodes to the
// section page's absolute URL under base_url (with a path prefix too),
// cached and revalidated like the static files; an unknown section is a
// 404.
func TestServer_QR(t *testing.T) {
	tests := []struct {
		base, section, want string
	}{
		{testBaseURL, "news", "https://feeds.example.org/sections/news"},
		{"http://portal.example.edu.cn:8080/tributary/", "campus-life", "http://portal.example.edu.cn:8080/tributary/sections/campus-life"},
		{"https://xn--fiq228c.example.cn", "a", "https://xn--fiq228c.example.cn/sections/a"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			srv := NewServer(newFakeReader(fixture{}), Options{BaseURL: tt.base, Sections: []model.Section{{ID: tt.section, Title: "栏目"}}})
			ts := newHTTPTest(t, srv)
			// A proxy in front strips base_url's path: the server's
			// own routes have no prefix.
			resp, body := get(t, ts, "/sections/"+tt.section+"/qr.svg")
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d: %s", resp.StatusCode, body)
			}
			for k, want := range map[string]string{
				"Content-Type":           "image/svg+xml",
				"Cache-Control":          "public, max-age=86400",
				"X-Content-Type-Options": "nosniff",
			} {
				if got := resp.Header.Get(k); got != want {
					t.Errorf("%s: %q, want %q", k, got, want)
				}
			}
			if !strings.HasPrefix(resp.Header.Get("Content-Security-Policy"), "default-src 'none'") {
				t.Errorf("CSP %q", resp.Header.Get("Content-Security-Policy"))
			}
			for _, scale := range []int{1, 4} {
				if got := decodeQRSVG(t, string(body), scale); got != tt.want {
					t.Errorf("at %d px per module the code reads %q, want %q", scale, got, tt.want)
				}
			}
			etag := resp.Header.Get("ETag")
			resp, _ = fetch(t, ts, http.MethodGet, "/sections/"+tt.section+"/qr.svg", map[string]string{"If-None-Match": etag})
			if etag == "" || resp.StatusCode != http.StatusNotModified {
				t.Errorf("revalidation with ETag %q: %d, want 304", etag, resp.StatusCode)
			}
			if resp, _ := get(t, ts, "/sections/nope/qr.svg"); resp.StatusCode != http.StatusNotFound {
				t.Errorf("unknown section: %d, want 404", resp.StatusCode)
			}
		})
	}
}
