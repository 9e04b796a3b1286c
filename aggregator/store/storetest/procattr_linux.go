package storetest

import "syscall"

// dieWithParent has the kernel kill a server when the test binary dies,
// even by a signal or a test timeout that skips every cleanup: a leaked
// cluster node would hold its ports for good.
func dieWithParent() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
