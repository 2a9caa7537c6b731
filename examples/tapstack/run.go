package tapstack

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
)

// DefaultOutdir is where Run writes unless CDKTF_OUTDIR says otherwise.
const DefaultOutdir = "cdktf.out"

// Run is the example app: it reads the environment contract through lookup, and on bad
// input prints one line per problem to stderr and returns 2 without starting jsii or
// writing anything. Otherwise it synthesizes TapStack<env> into $CDKTF_OUTDIR (default
// cdktf.out) and returns 0. A construct that still refuses its Config (it should not,
// after Validate) is reported the same way, and nothing is written.
func Run(lookup func(string) (string, bool), clock func() time.Time, stderr io.Writer) (code int) {
	say := func(format string, args ...any) { _, _ = fmt.Fprintf(stderr, "tapstack: "+format+"\n", args...) }
	cfg, err := ConfigFromLookup(lookup, clock)
	if err == nil {
		err = cfg.Validate()
	}
	if err != nil {
		for _, line := range strings.Split(err.Error(), "\n") {
			say("%s", line)
		}
		return 2
	}
	outdir, _ := lookup("CDKTF_OUTDIR")
	if outdir == "" {
		outdir = DefaultOutdir
	}
	// cdktf creates the outdir but not its parents.
	if err := os.MkdirAll(outdir, 0o755); err != nil {
		say("CDKTF_OUTDIR=%q: %v", outdir, err)
		return 2
	}
	defer func() {
		if r := recover(); r != nil {
			say("%v", r)
			code = 1
		}
	}()
	app := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(outdir), StackTraces: jsii.Bool(false)})
	New(app, cfg.StackName(), cfg)
	app.Synth()
	say("synthesized %s into %s", cfg.StackName(), outdir)
	return 0
}
