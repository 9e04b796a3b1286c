package publish

import (
	"sync"
	"sync/atomic"
)

// Bodies at least sendfileMin long, once hot, are answered by the fast
// path with sendfile(2) from an in-memory file instead of being copied
// into the socket: for a large feed that copy is most of the cost of an
// answer (it is how nginx serves static files).
const (
	sendfileMin = 32 << 10
	// sendfileHot is how many answers a body gets before it earns a file
	// descriptor; renders nobody asks for twice never get one.
	sendfileHot = 16
	// maxSendFiles bounds the descriptors held at once, whatever crawlers
	// do with ?before= and ?limit=; beyond it bodies are copied as usual.
	maxSendFiles = 256
)

var openSendFiles atomic.Int32

// sendBody is the sendfile(2) source of one variant's body, made once the
// body is hot. Its descriptor is closed when the variant is collected.
type sendBody struct {
	hits atomic.Int32
	once sync.Once
	fd   int // -1 until made, or if making it failed
}

func newSendBody(body []byte) *sendBody {
	if len(body) < sendfileMin || !sendfileSupported {
		return nil
	}
	return &sendBody{fd: -1}
}

// file returns the descriptor to sendfile body from, or -1 to copy it.
func (sb *sendBody) file(body []byte) int {
	if sb == nil {
		return -1
	}
	if sb.hits.Load() < sendfileHot {
		sb.hits.Add(1)
		return -1
	}
	sb.once.Do(func() {
		if openSendFiles.Add(1) > maxSendFiles {
			openSendFiles.Add(-1)
			return
		}
		fd, err := memFile(body)
		if err != nil {
			openSendFiles.Add(-1)
			return
		}
		sb.fd = fd
		closeWhenCollected(sb, fd)
	})
	return sb.fd
}
