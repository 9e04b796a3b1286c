//go:build !linux

package storetest

import "syscall"

// dieWithParent needs Linux's parent-death signal; elsewhere the servers
// rely on test cleanup alone.
func dieWithParent() *syscall.SysProcAttr {
	return nil
}
