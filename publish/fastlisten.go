package publish

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// fastBufSize bounds a request head the fast path reads; a longer one
// (big cookies, say) goes to net/http, whose MaxHeaderBytes decides.
const fastBufSize = 8 << 10

// FastOptions are the connection timeouts of a FastListener; use the
// http.Server's own, so a connection is held to the same limits whichever
// side serves it.
type FastOptions struct {
	ReadHeaderTimeout, IdleTimeout, WriteTimeout time.Duration
}

// FastListener serves the hottest requests, cached feeds and API pages,
// straight from the render cache without going through net/http, and hands
// every other connection to the http.Server that Serves it.
//
// Why: a cached feed costs net/http several times the CPU of the answer
// itself (request and header maps, the response writer, two writes per
// response); here a hit is parsed in place and written with one writev.
// To stay as robust as net/http it understands only a strict subset of
// HTTP/1.1 (see parseFastRequest): at the first request outside it, or a
// cache miss, the connection with every byte read so far goes to net/http
// for good and is answered exactly as without the fast path.
type FastListener struct {
	ln      net.Listener
	s       *Server
	opts    FastOptions
	handoff chan net.Conn
	failed  chan struct{} // closed when ln.Accept fails for good
	err     error         // why, set before failed is closed
	closing atomic.Bool
	once    sync.Once
	date    dateLine
	// served counts the requests answered here (tests).
	served atomic.Int64
	// mayHandoff counts the connections that may still hand a request to
	// net/http: all but those writing an answer (they close afterwards
	// once the listener is closing). Accept keeps delivering until it is
	// zero after Close, so a request on a connection accepted before
	// shutdown is still served, as net/http does for its own.
	mayHandoff atomic.Int32
	drained    chan struct{}
	drainOnce  sync.Once

	mu    sync.Mutex
	conns map[*fastConn]struct{}
	wg    sync.WaitGroup
}

// FastListener starts accepting on ln; hand the result to http.Server.Serve
// and, after http.Server.Shutdown, Wait for the connections it still
// serves itself.
func (s *Server) FastListener(ln net.Listener, opts FastOptions) *FastListener {
	f := &FastListener{ln: ln, s: s, opts: opts, handoff: make(chan net.Conn), drained: make(chan struct{}),
		failed: make(chan struct{}), conns: make(map[*fastConn]struct{})}
	go f.acceptLoop()
	return f
}

// Accept returns the next connection for net/http. After Close it keeps
// returning hand-offs until no connection can make one any more; only
// then does it fail, which lets http.Server.Shutdown go on to wait for the
// connections it got.
func (f *FastListener) Accept() (net.Conn, error) {
	select {
	case c := <-f.handoff:
		return c, nil
	case <-f.drained:
		return nil, net.ErrClosed
	case <-f.failed:
		return nil, f.err
	}
}

// Addr is the listening address.
func (f *FastListener) Addr() net.Addr { return f.ln.Addr() }

// Close stops accepting and ends the connections idle between requests.
// Like net/http on Shutdown, it lets a connection finish the request it
// is reading or answering (a new one gets ReadHeaderTimeout to send its
// first), then closes it. It does not wait (see Wait).
func (f *FastListener) Close() error {
	var err error
	f.once.Do(func() {
		f.closing.Store(true)
		err = f.ln.Close()
		f.mu.Lock()
		for c := range f.conns {
			if c.idle.Load() {
				c.wake()
			}
		}
		f.mu.Unlock()
		f.checkDrained()
	})
	return err
}

// uncount takes a connection out of mayHandoff.
func (f *FastListener) uncount() {
	f.mayHandoff.Add(-1)
	f.checkDrained()
}

func (f *FastListener) checkDrained() {
	if f.closing.Load() && f.mayHandoff.Load() == 0 {
		f.drainOnce.Do(func() { close(f.drained) })
	}
}

// Wait blocks until every connection the fast path serves has ended, or
// ctx is done.
func (f *FastListener) Wait(ctx context.Context) error {
	done := make(chan struct{})
	go func() {
		f.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (f *FastListener) acceptLoop() {
	var delay time.Duration
	for {
		c, err := f.ln.Accept()
		if err != nil {
			if f.closing.Load() {
				return
			}
			// Like http.Server.Serve: back off on temporary errors (out of
			// file descriptors), give up on the rest.
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() || isTemporary(err) {
				delay = min(max(2*delay, 5*time.Millisecond), time.Second)
				f.s.log.Warn("fast listener: accept", "err", err, "retry_in", delay)
				time.Sleep(delay)
				continue
			}
			f.err = err
			close(f.failed)
			return
		}
		delay = 0
		// A connection accepted as Close runs is served all the same, as
		// net/http serves one its Accept returned: closing it before its
		// request arrives would fail a client that did nothing wrong.
		fc := &fastConn{f: f, c: c, counted: true}
		f.mu.Lock()
		f.conns[fc] = struct{}{}
		f.wg.Add(1)
		f.mayHandoff.Add(1)
		f.mu.Unlock()
		go fc.serve()
	}
}

func isTemporary(err error) bool {
	var t interface{ Temporary() bool }
	return errors.As(err, &t) && t.Temporary()
}

func (f *FastListener) forget(fc *fastConn) {
	f.mu.Lock()
	delete(f.conns, fc)
	f.mu.Unlock()
	f.wg.Done()
}

// fastConn is one connection the fast path serves.
type fastConn struct {
	f *FastListener
	c net.Conn
	// mu orders setting a read deadline against Close's wake-up, so a
	// deadline set after the wake-up cannot undo it.
	mu    sync.Mutex
	woken bool
	// idle is set while waiting for a request after the first with
	// nothing buffered: the state Close ends at once.
	idle atomic.Bool
	// counted is whether the connection is in f.mayHandoff.
	counted bool
	buf     [fastBufSize]byte
	n       int
	req     fastRequest
	status  [64]byte
	out     [3][]byte
	head    []byte // status line and headers, for sendfile answers
}

// wake makes a blocked read return now, so the connection notices the
// listener closing.
func (fc *fastConn) wake() {
	fc.mu.Lock()
	fc.woken = true
	_ = fc.c.SetReadDeadline(time.Now())
	fc.mu.Unlock()
}

// setReadDeadline sets t unless the connection was woken; false means
// close it.
func (fc *fastConn) setReadDeadline(t time.Time) bool {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	if fc.woken {
		return false
	}
	return fc.c.SetReadDeadline(t) == nil
}

func (fc *fastConn) serve() {
	handedOff := false
	defer func() {
		if !handedOff {
			fc.c.Close()
		}
		fc.setCounted(false)
		fc.f.forget(fc)
	}()
	first := true
	for {
		fc.setCounted(true)
		// Once the listener is closing, an answered connection takes no
		// further request (net/http turns keep-alive off likewise).
		if !first && fc.f.closing.Load() {
			return
		}
		// Wait for a request: the header timeout for the first, the idle
		// timeout between requests, then the header timeout once it starts.
		wait := fc.f.opts.ReadHeaderTimeout
		if !first && fc.n == 0 {
			wait = fc.f.opts.IdleTimeout
			fc.idle.Store(true)
			if fc.f.closing.Load() { // Close may have looked before idle was set
				return
			}
		}
		if !fc.setReadDeadline(deadline(wait)) {
			return
		}
		var res fastParse
		var headLen int
		for {
			headLen, res = fc.parse()
			if res != fastIncomplete {
				break
			}
			if fc.n == len(fc.buf) {
				res = fastDecline
				break
			}
			m, err := fc.c.Read(fc.buf[fc.n:])
			if m > 0 && fc.idle.Load() {
				fc.idle.Store(false)
				if !fc.setReadDeadline(deadline(fc.f.opts.ReadHeaderTimeout)) {
					return
				}
			}
			fc.n += m
			if err != nil {
				return // closed, timed out or woken: nothing complete to answer
			}
		}
		fc.idle.Store(false)
		first = false
		if res == fastOK {
			if v, notMod, route, ok := fc.f.s.fastAnswer(&fc.req); ok {
				// Writing may take long (a slow reader); Shutdown need not
				// wait for it: this connection hands nothing off any more.
				fc.setCounted(false)
				if err := fc.answer(headLen, v, notMod, route); err != nil {
					return // the client went away mid-answer
				}
				continue
			}
		}
		handedOff = fc.handoff()
		return
	}
}

func (fc *fastConn) setCounted(on bool) {
	if fc.counted == on {
		return
	}
	fc.counted = on
	if on {
		fc.f.mayHandoff.Add(1)
	} else {
		fc.f.uncount()
	}
}

// parse parses the buffered bytes afresh.
func (fc *fastConn) parse() (int, fastParse) {
	fc.req = fastRequest{acceptEncoding: fc.req.acceptEncoding[:0], ifNoneMatch: fc.req.ifNoneMatch[:0]}
	return parseFastRequest(fc.buf[:fc.n], &fc.req)
}

// answer writes the answer fastAnswer found for the parsed request and
// drops its head from the buffer. An error means the connection is broken.
func (fc *fastConn) answer(headLen int, v *variant, notMod bool, route string) error {
	start := time.Now()
	code, status, hdr, body := http.StatusOK, "HTTP/1.1 200 OK\r\n", v.wire200, v.body
	if notMod {
		code, status, hdr, body = http.StatusNotModified, "HTTP/1.1 304 Not Modified\r\n", v.wire304, nil
	}
	if fc.req.head {
		body = nil
	}
	line := append(append(fc.status[:0], status...), fc.f.date.get(start)...)
	fc.f.served.Add(1) // before the write, so a test reading the answer sees it counted
	if t := fc.f.opts.WriteTimeout; t > 0 {
		_ = fc.c.SetWriteDeadline(start.Add(t))
	}
	fd := -1
	if len(body) > 0 {
		fd = v.send.file(v.body)
	}
	var err error
	if fd >= 0 {
		fc.head = append(append(fc.head[:0], line...), hdr...)
		err = sendHeadAndFile(fc.c, fc.head, fd, len(body))
	} else {
		fc.out = [3][]byte{line, hdr, body}
		bufs := net.Buffers(fc.out[:])
		_, err = bufs.WriteTo(fc.c)
	}
	copy(fc.buf[:], fc.buf[headLen:fc.n])
	fc.n -= headLen
	fc.f.s.opts.Metrics.fastRequest(route, code, start)
	return err
}

// handoff gives the connection, and what was read of it, to net/http.
func (fc *fastConn) handoff() bool {
	_ = fc.c.SetReadDeadline(time.Time{})
	pc := &prefixConn{Conn: fc.c, pending: append([]byte(nil), fc.buf[:fc.n]...)}
	// While this connection is counted, Accept is still taking hand-offs,
	// unless it was accepted after the last count had drained.
	select {
	case fc.f.handoff <- pc:
		return true
	case <-fc.f.drained:
		return false
	case <-fc.f.failed:
		return false
	}
}

func deadline(d time.Duration) time.Time {
	if d <= 0 {
		return time.Time{}
	}
	return time.Now().Add(d)
}

// prefixConn is a connection whose first bytes were already read.
type prefixConn struct {
	net.Conn
	pending []byte
}

func (p *prefixConn) Read(b []byte) (int, error) {
	if len(p.pending) > 0 {
		n := copy(b, p.pending)
		p.pending = p.pending[n:]
		return n, nil
	}
	return p.Conn.Read(b)
}

// CloseWrite lets net/http half-close after an error answer, as it does on
// a plain TCP connection.
func (p *prefixConn) CloseWrite() error {
	if cw, ok := p.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}
