package tapstackapp

import (
	"io"
	"time"

	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/examples/tapstack"
	"github.com/tapstack/infra/internal/envapp"
)

// DefaultOutdir is where Run writes unless CDKTF_OUTDIR says otherwise.
const DefaultOutdir = envapp.DefaultOutdir

// Run is the example app. It reads the environment contract through lookup and checks
// all of it in one pass: ConfigFromLookup's parse errors, Config.Validate's problems
// (each reported against the variable that sets the field) and CDKTF_OUTDIR. On any
// problem it prints one line per problem to stderr and returns 2, without starting jsii
// or writing anything. Otherwise it synthesizes TapStack<env> into $CDKTF_OUTDIR
// (default cdktf.out), prints one line to stdout, and returns 0; a clean run prints
// nothing on stderr. A construct that still refuses its Config (it should not, after
// Validate) is reported on stderr with exit code 1.
func Run(lookup func(string) (string, bool), clock func() time.Time, stdout, stderr io.Writer) int {
	cfg, parseErr := ConfigFromLookup(lookup, clock)
	problems := envapp.Problems(parseErr, cfg.Validate(), fieldVars, lookup)
	return envapp.Run("tapstack", lookup, problems, stdout, stderr, func(app cdktf.App) string {
		tapstack.New(app, cfg.StackName(), cfg)
		return cfg.StackName()
	})
}
