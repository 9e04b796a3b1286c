package publish

import (
	"bytes"
	"fmt"
	"net/http"
	"time"

	goqr "github.com/piglig/go-qr"
)

// qrQuietModules is the light margin around a QR code, in modules: the
// four that ISO/IEC 18004 asks for, which phone cameras need to find the
// code on a coloured page.
const qrQuietModules = 4

// qrSVG renders text as a QR code in SVG: dark modules on an opaque white
// square with its quiet zone, so it scans on any page colour. Medium error
// correction (15%) survives a scuffed printout of the page while a
// section's URL stays a small code. One unit of the viewBox is one
// module, each a path square of its own; the page scales it.
func qrSVG(text string) ([]byte, error) {
	code, err := goqr.EncodeText(text, goqr.Medium)
	if err != nil {
		return nil, fmt.Errorf("encode qr code: %w", err)
	}
	svg, err := code.ToSVGBytes(goqr.NewQrCodeImgConfig(1, qrQuietModules))
	if err != nil {
		return nil, fmt.Errorf("render qr code: %w", err)
	}
	return svg, nil
}

// handleQR serves /sections/{id}/qr.svg, the QR code of the section
// page's absolute URL (base_url), for a phone to scan off the subscribe
// page or a printout. It depends on the config only, so it is cached like
// the static files and revalidated by its content's ETag.
func (s *Server) handleQR(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	sec, ok := s.cat().sections[id]
	if !ok {
		writeText(w, http.StatusNotFound, fmt.Sprintf("unknown section %q", id))
		return
	}
	svg, err := qrSVG(s.sectionPageURL(sec.ID))
	if err != nil {
		s.log.Error("render qr code", "section_id", sec.ID, "error", err)
		writeText(w, http.StatusInternalServerError, "internal error")
		return
	}
	h := w.Header()
	h.Set("Content-Type", "image/svg+xml")
	h.Set("Cache-Control", "public, max-age=86400")
	h.Set("ETag", contentETag(svg))
	h.Set("X-Content-Type-Options", "nosniff")
	// Opened on its own, the image may load and run nothing.
	h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
	http.ServeContent(w, r, "qr.svg", time.Time{}, bytes.NewReader(svg))
}

// sectionPageURL is the absolute URL of a section's page.
func (s *Server) sectionPageURL(id string) string {
	return s.opts.BaseURL + "/sections/" + id
}
