// Command tapstack synthesizes the example TapStack into cdktf.out/ (or $CDKTF_OUTDIR).
// It needs no AWS account and no network. See docs/tapstack.md for the environment
// variables it reads.
package main

import (
	"os"
	"time"

	"github.com/tapstack/infra/examples/tapstack"
	"github.com/tapstack/infra/internal/stackapp"
)

func main() {
	stackapp.Main(func() int { return tapstack.Run(os.LookupEnv, time.Now, os.Stdout, os.Stderr) })
}
