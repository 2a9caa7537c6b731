// Command platform synthesizes the shared platform of PR environments (one network,
// one internet-facing ALB with an HTTPS listener, one ECS cluster) into cdktf.out/ (or
// $CDKTF_OUTDIR). It needs no AWS account and no network. See docs/pr-environments.md
// for the environment variables it reads and the runbook.
package main

import (
	"os"

	"github.com/tapstack/infra/examples/platform"
	"github.com/tapstack/infra/internal/stackapp"
)

func main() {
	stackapp.Main(func() int { return platform.Run(os.LookupEnv, os.Stdout, os.Stderr) })
}
