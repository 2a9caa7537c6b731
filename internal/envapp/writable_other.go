//go:build !unix

package envapp

// writable cannot be asked without writing on this platform: the synthesis itself then
// reports a directory it cannot write.
func writable(string) error { return nil }
