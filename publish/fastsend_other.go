//go:build !linux

package publish

import (
	"errors"
	"net"
)

const sendfileSupported = false

func memFile([]byte) (int, error) { return -1, errors.ErrUnsupported }

func closeWhenCollected(*sendBody, int) {}

func sendHeadAndFile(net.Conn, []byte, int, int) error { return errors.ErrUnsupported }
