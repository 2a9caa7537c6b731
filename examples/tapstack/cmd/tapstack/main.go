// Command tapstack synthesizes the example TapStack into cdktf.out/ (or $CDKTF_OUTDIR).
// It needs no AWS account and no network. See docs/tapstack.md for the environment
// variables it reads.
package main

import (
	"os"
	"time"

	"github.com/aws/jsii-runtime-go"

	"github.com/tapstack/infra/examples/tapstack"
)

func main() {
	code := run()
	os.Exit(code) // after run's deferred jsii.Close
}

func run() int {
	defer jsii.Close()
	return tapstack.Run(os.LookupEnv, time.Now, os.Stdout, os.Stderr)
}
