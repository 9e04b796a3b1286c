package main

import (
	"net/http"
	"sync/atomic"

	"github.com/tributary-rss/tributary/publish"
)

// opsHandler is a poll-only instance's HTTP handler (publish.NewOpsHandler)
// that follows admin.token on reload like a full server does: a guarded
// /metrics must refuse a token the operator rotated out on every
// instance. NewOpsHandler offers no way to swap the token, so a new one
// rebuilds the handler; requests in flight finish on the old one.
type opsHandler struct {
	opts publish.Options // never changed: setAdminToken copies it
	h    atomic.Pointer[http.Handler]
}

func newOpsHandler(opts publish.Options) *opsHandler {
	o := &opsHandler{opts: opts}
	o.setAdminToken(opts.AdminToken)
	return o
}

// setAdminToken serves the next requests with token (see
// reloader.applyToken).
func (o *opsHandler) setAdminToken(token string) {
	opts := o.opts
	opts.AdminToken = token
	h := publish.NewOpsHandler(opts)
	o.h.Store(&h)
}

func (o *opsHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	(*o.h.Load()).ServeHTTP(w, r)
}
