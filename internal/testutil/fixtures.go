package testutil

import "time"

// The fixtures that tests of several packages share.
const (
	// Account is the AWS account of the tests' ARNs.
	Account = "123456789012"
	// CertificateARN is an ACM certificate of the tests' account in ca-central-1.
	CertificateARN = "arn:aws:acm:ca-central-1:" + Account + ":certificate/0b6c8f7e-1234-4d5e-9f00-0123456789ab"
)

// Lookup returns a function that looks names up in vars the way os.LookupEnv looks up
// environment variables, for the apps' ConfigFromLookup.
func Lookup(vars map[string]string) func(string) (string, bool) {
	return func(name string) (string, bool) { v, ok := vars[name]; return v, ok }
}

// ClockAt returns a clock that always reads the Unix time unix, for a PR environment's
// first-deploy suffix.
func ClockAt(unix int64) func() time.Time { return func() time.Time { return time.Unix(unix, 0) } }
