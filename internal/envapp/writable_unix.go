//go:build unix

package envapp

import "syscall"

// wOK is access(2)'s W_OK.
const wOK = 0x2

// writable reports, without writing, whether the process may create files in dir: the
// kernel's own answer (a read-only mount, an immutable directory, another owner), as
// access(2) with W_OK gives it.
func writable(dir string) error { return syscall.Access(dir, wOK) }
