// Command tapstack synthesizes the example TapStack (examples/tapstack) into cdktf.out/
// (or $CDKTF_OUTDIR) from its environment variables. It needs no AWS account and no
// network. See docs/tapstack.md for the variables it reads.
//
//	go run github.com/tapstack/infra/cmd/tapstack
package main

import (
	"os"
	"time"

	"github.com/tapstack/infra/internal/envapp"
	"github.com/tapstack/infra/internal/tapstackapp"
)

func main() {
	envapp.Main(func() int { return tapstackapp.Run(os.LookupEnv, time.Now, os.Stdout, os.Stderr) })
}
