package awsid

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/tapstack/infra/internal/text"
)

// MaxHostNameLength is the longest DNS name (RFC 1035: 253 characters in text form).
const MaxHostNameLength = 253

var (
	dnsLabel       = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?$`)
	bucketName     = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
	ipAddress      = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$`)
	bucketReserved = []string{"xn--", "sthree-", "amzn-s3-demo-"}
	bucketSuffixes = []string{"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"}
)

// CheckHostName says why s is not a fully qualified DNS host name, or returns nil: at
// least two labels separated by '.', each 1-63 lowercase letters, digits and '-' that
// neither start nor end with '-', a top-level label that is not all digits (so an IP
// address is refused), at most MaxHostNameLength characters, no trailing dot.
func CheckHostName(s string) error {
	q := text.Quote(s)
	if len(s) > MaxHostNameLength {
		return fmt.Errorf("%s is not a DNS name: %d characters, over the limit of %d", q, len(s), MaxHostNameLength)
	}
	labels := strings.Split(s, ".")
	if len(labels) < 2 {
		return fmt.Errorf("%s is not a DNS name: it needs at least two labels (like \"preview.example.com\")", q)
	}
	for i, l := range labels {
		switch {
		case l == "":
			return fmt.Errorf("%s is not a DNS name: label %d is empty", q, i+1)
		case len(l) > 63:
			return fmt.Errorf("%s is not a DNS name: label %d is %d characters, over the limit of 63", q, i+1, len(l))
		case !dnsLabel.MatchString(l):
			return fmt.Errorf("%s is not a DNS name: label %q must be lowercase letters, digits and '-', not starting or ending with '-'", q, l)
		}
	}
	if tld := labels[len(labels)-1]; strings.Trim(tld, "0123456789") == "" {
		return fmt.Errorf("%s is not a DNS name: the last label %q is all digits", q, tld)
	}
	return nil
}

// CheckBucketName says why s is not an S3 general purpose bucket name, or returns nil:
// 3-63 lowercase letters, digits, '.' and '-', starting and ending with a letter or
// digit, no "..", ".-" or "-.", not an IP address, none of the prefixes and suffixes AWS
// reserves (xn--, sthree-, amzn-s3-demo-; -s3alias, --ol-s3, .mrap, --x-s3, --table-s3).
func CheckBucketName(s string) error {
	q := text.Quote(s)
	switch {
	case !bucketName.MatchString(s):
		return fmt.Errorf("%s is not an S3 bucket name (3-63 lowercase letters, digits, '.' and '-', starting and ending with a letter or digit)", q)
	case ipAddress.MatchString(s):
		return fmt.Errorf("%s is not an S3 bucket name: it is shaped like an IP address", q)
	case strings.Contains(s, ".."), strings.Contains(s, ".-"), strings.Contains(s, "-."):
		return fmt.Errorf("%s is not an S3 bucket name: \"..\", \".-\" and \"-.\" are not allowed", q)
	}
	for _, p := range bucketReserved {
		if strings.HasPrefix(s, p) {
			return fmt.Errorf("%s is not an S3 bucket name: AWS reserves the prefix %q", q, p)
		}
	}
	for _, x := range bucketSuffixes {
		if strings.HasSuffix(s, x) {
			return fmt.Errorf("%s is not an S3 bucket name: AWS reserves the suffix %q", q, x)
		}
	}
	return nil
}

// logRetentionDays lists the retention periods CloudWatch Logs accepts, in days; 0
// means "never expire".
var logRetentionDays = []int{0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

// LogRetentionDays returns the retention periods CloudWatch Logs accepts, in days, 0
// (never expire) first. It returns a new slice.
func LogRetentionDays() []int { return append([]int(nil), logRetentionDays...) }

// CheckLogRetention says why days is not a CloudWatch Logs retention, or returns nil.
// The error starts with the number.
func CheckLogRetention(days int) error {
	for _, d := range logRetentionDays {
		if d == days {
			return nil
		}
	}
	return fmt.Errorf("%d is not a CloudWatch Logs retention (valid: %v; 0 keeps logs forever)", days, logRetentionDays)
}
