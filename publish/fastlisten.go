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
	done    chan struct{}
	failed  chan struct{} // closed when ln.Accept fails for good
	err     error         // why, set before failed is closed
	closing atomic.Bool
	once    sync.Once
	date    dateLine
	// served counts the requests answered here (tests).
	served atomic.Int64

	mu    sync.Mutex
	conns map[*fastConn]struct{}
	wg    sync.WaitGroup
}

// FastListener starts accepting on ln; hand the result to http.Server.Serve
// and, after http.Server.Shutdown, Wait for the connections it still
// serves itself.
func (s *Server) FastListener(ln net.Listener, opts FastOptions) *FastListener {
	f := &FastListener{ln: ln, s: s, opts: opts, handoff: make(chan net.Conn), done: make(chan struct{}),
		failed: make(chan struct{}), conns: make(map[*fastConn]struct{})}
	go f.acceptLoop()
	return f
}

// Accept returns the next connection for net/http.
func (f *FastListener) Accept() (net.Conn, error) {
	select {
	case c := <-f.handoff:
		return c, nil
	case <-f.done:
		return nil, net.ErrClosed
	case <-f.failed:
		return nil, f.err
	}
}

// Addr is the listening address.
func (f *FastListener) Addr() net.Addr { return f.ln.Addr() }

// Close stops accepting and ends the idle connections the fast path holds;
// a response being written finishes first. It does not wait (see Wait):
// http.Server.Shutdown calls it with its own lock held.
func (f *FastListener) Close() error {
	var err error
	f.once.Do(func() {
		f.closing.Store(true)
		close(f.done)
		err = f.ln.Close()
		f.mu.Lock()
		for c := range f.conns {
			c.wake()
		}
		f.mu.Unlock()
	})
	return err
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
		fc := &fastConn{f: f, c: c}
		f.mu.Lock()
		if f.closing.Load() {
			f.mu.Unlock()
			c.Close()
			return
		}
		f.conns[fc] = struct{}{}
		f.wg.Add(1)
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
	mu     sync.Mutex
	woken  bool
	buf    [fastBufSize]byte
	n      int
	req    fastRequest
	status [64]byte
	out    [3][]byte
	head   []byte // status line and headers, for sendfile answers
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
		fc.f.forget(fc)
	}()
	first := true
	for {
		// Wait for a request: the header timeout for the first, the idle
		// timeout between requests, then the header timeout once it starts.
		wait := fc.f.opts.IdleTimeout
		if first || fc.n > 0 {
			wait = fc.f.opts.ReadHeaderTimeout
		}
		if !fc.setReadDeadline(deadline(wait)) {
			return
		}
		started := first || fc.n > 0
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
			if m > 0 && !started {
				started = true
				if !fc.setReadDeadline(deadline(fc.f.opts.ReadHeaderTimeout)) {
					return
				}
			}
			fc.n += m
			if err != nil {
				return // closed, timed out or woken: nothing complete to answer
			}
		}
		first = false
		if res == fastOK {
			answered, err := fc.answer(headLen)
			if err != nil {
				return // the client went away mid-answer
			}
			if answered {
				continue
			}
		}
		handedOff = fc.handoff()
		return
	}
}

// parse parses the buffered bytes afresh.
func (fc *fastConn) parse() (int, fastParse) {
	fc.req = fastRequest{acceptEncoding: fc.req.acceptEncoding[:0], ifNoneMatch: fc.req.ifNoneMatch[:0]}
	return parseFastRequest(fc.buf[:fc.n], &fc.req)
}

// answer writes the cached answer to the parsed request and drops its head
// from the buffer. answered false (nothing written) means net/http must
// answer it; an error means the connection is broken.
func (fc *fastConn) answer(headLen int) (answered bool, err error) {
	start := time.Now()
	v, notMod, route, ok := fc.f.s.fastAnswer(&fc.req)
	if !ok {
		return false, nil
	}
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
	return true, err
}

// handoff gives the connection, and what was read of it, to net/http.
func (fc *fastConn) handoff() bool {
	_ = fc.c.SetReadDeadline(time.Time{})
	pc := &prefixConn{Conn: fc.c, pending: append([]byte(nil), fc.buf[:fc.n]...)}
	select {
	case fc.f.handoff <- pc:
		return true
	case <-fc.f.done:
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
