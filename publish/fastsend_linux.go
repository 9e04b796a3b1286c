package publish

import (
	"errors"
	"io"
	"net"
	"runtime"

	"golang.org/x/sys/unix"
)

const sendfileSupported = true

// memFile returns a memfd holding body.
func memFile(body []byte) (int, error) {
	fd, err := unix.MemfdCreate("tributary-render", unix.MFD_CLOEXEC)
	if err != nil {
		return -1, err
	}
	for rest := body; len(rest) > 0; {
		n, err := unix.Write(fd, rest)
		if err != nil {
			unix.Close(fd)
			return -1, err
		}
		rest = rest[n:]
	}
	return fd, nil
}

func closeWhenCollected(sb *sendBody, fd int) {
	runtime.AddCleanup(sb, func(fd int) {
		unix.Close(fd)
		openSendFiles.Add(-1)
	}, fd)
}

var errNotTCP = errors.New("not a TCP connection")

// sendHeadAndFile writes head, then size bytes of the file fd with
// sendfile(2), on c's socket, waiting for it to drain through Go's poller
// (so c's write deadline holds). The head goes out with MSG_MORE, so head
// and body share packets as with writev.
func sendHeadAndFile(c net.Conn, head []byte, fd, size int) error {
	tc, ok := c.(*net.TCPConn)
	if !ok {
		return errNotTCP
	}
	rc, err := tc.SyscallConn()
	if err != nil {
		return err
	}
	var off int64
	var werr error
	err = rc.Write(func(s uintptr) bool {
		for len(head) > 0 {
			n, err := unix.SendmsgN(int(s), head, nil, nil, unix.MSG_MORE|unix.MSG_NOSIGNAL)
			if err == unix.EAGAIN {
				return false
			}
			if err != nil {
				werr = err
				return true
			}
			head = head[n:]
		}
		for off < int64(size) {
			n, err := unix.Sendfile(int(s), fd, &off, size-int(off))
			if err == unix.EAGAIN {
				return false
			}
			if err == nil && n == 0 {
				err = io.ErrUnexpectedEOF // the file is shorter than the body: never loop on it
			}
			if err != nil {
				werr = err
				return true
			}
		}
		return true
	})
	if err != nil {
		return err
	}
	return werr
}
