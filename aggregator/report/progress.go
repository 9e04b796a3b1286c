package report

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// Poll is one finished poll of a fetch run, as its line shows it.
type Poll struct {
	URL string
	// Skipped says another instance was polling the source, so this run
	// did not.
	Skipped bool
	// Failed says the poll failed, Reason why.
	Failed bool
	Reason string
	// NotModified is a 304; SameBody a body that hashed as last time.
	NotModified, SameBody   bool
	New, Updated, Unchanged int
	Status                  int
	Duration                time.Duration
}

// Progress writes one line per finished poll of a fetch run and, on a
// terminal, keeps a progress bar on the last line. It is safe for
// concurrent use.
type Progress struct {
	mu sync.Mutex
	w  io.Writer
	// buf holds the lines for w when it is not a terminal, written out
	// at most flushEvery apart: thousands of sources answering at once
	// would otherwise cost a write each.
	buf                     *bufio.Writer
	flushed                 time.Time
	tty                     bool
	total, done             int
	ok, notModified, failed int
	skipped                 int
}

// NewProgress reports a run of total polls on w, with a bar when w is a
// terminal.
func NewProgress(w io.Writer, total int) *Progress {
	p := &Progress{w: w, tty: isTerminal(w), total: total}
	if !p.tty {
		p.buf = bufio.NewWriter(w)
		p.w = p.buf
		p.flushed = time.Now()
	}
	return p
}

// flushEvery bounds how long a line waits in Progress's buffer.
const flushEvery = 100 * time.Millisecond

// isTerminal reports whether w is a character device (a terminal), by the
// file's mode: no terminal library needed for a yes/no.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// Report writes p's line (and the bar after it).
func (p *Progress) Report(poll Poll) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done++
	if p.tty {
		fmt.Fprint(p.w, "\r\033[K") // erase the bar; the line takes its place
	}
	fmt.Fprintln(p.w, p.line(poll))
	if p.tty {
		fmt.Fprint(p.w, p.bar())
	}
	if p.buf != nil && time.Since(p.flushed) >= flushEvery {
		_ = p.buf.Flush() // a reader gone away is not the run's failure
		p.flushed = time.Now()
	}
}

func (p *Progress) line(poll Poll) string {
	d := poll.Duration.Round(time.Millisecond)
	switch {
	case poll.Skipped:
		p.skipped++
		return fmt.Sprintf("skipped       %s: being polled by another instance", poll.URL)
	case poll.Failed:
		p.failed++
		return fmt.Sprintf("FAILED        %s: %s", poll.URL, poll.Reason)
	case poll.NotModified:
		p.notModified++
		return fmt.Sprintf("not modified  %s (304, %v)", poll.URL, d)
	case poll.SameBody:
		p.notModified++
		return fmt.Sprintf("not modified  %s (same body, %v)", poll.URL, d)
	}
	p.ok++
	return fmt.Sprintf("ok            %s: %d new, %d updated, %d unchanged (%d, %v)", poll.URL, poll.New, poll.Updated, poll.Unchanged, poll.Status, d)
}

func (p *Progress) bar() string {
	const width = 30
	n := width * p.done / max(p.total, 1)
	return fmt.Sprintf("[%s%s] %d/%d", strings.Repeat("#", n), strings.Repeat(" ", width-n), p.done, p.total)
}

// Finish ends the bar and prints the totals; it returns the failures.
func (p *Progress) Finish() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tty {
		fmt.Fprint(p.w, "\r\033[K")
	}
	fmt.Fprintf(p.w, "%d sources: %d ok, %d not modified, %d failed, %d skipped\n", p.total, p.ok, p.notModified, p.failed, p.skipped)
	if p.buf != nil {
		_ = p.buf.Flush()
	}
	return p.failed
}
