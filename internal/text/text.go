// Package text formats values for messages.
package text

import (
	"fmt"
	"strconv"
)

// MaxQuoted is the number of characters of a value that messages echo.
const MaxQuoted = 100

// Quote returns s quoted as %q does, cut to MaxQuoted characters with its length said
// when it is longer, so that a 10,000-character value makes a short message:
// "aaaa..." (10000 characters).
func Quote(s string) string {
	if len(s) <= MaxQuoted {
		return strconv.Quote(s)
	}
	return fmt.Sprintf("%s... (%d characters)", strconv.Quote(s[:MaxQuoted]), len(s))
}
