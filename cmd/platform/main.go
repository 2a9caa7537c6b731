// Command platform synthesizes the shared platform of PR environments
// (examples/platform) into cdktf.out/ (or $CDKTF_OUTDIR) from its environment variables.
// See docs/pr-environments.md for the variables it reads.
//
//	go run github.com/tapstack/infra/cmd/platform
package main

import (
	"os"

	"github.com/tapstack/infra/internal/envapp"
	"github.com/tapstack/infra/internal/platformapp"
)

func main() {
	envapp.Main(func() int { return platformapp.Run(os.LookupEnv, os.Stdout, os.Stderr) })
}
