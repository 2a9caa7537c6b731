package tapstack

import (
	"os"
	"time"

	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/constructs/network"
	"github.com/tapstack/infra/internal/stackapp"
)

// The environment contract of the example app.
const (
	EnvEnvironmentSuffix   = "ENVIRONMENT_SUFFIX"
	EnvRegion              = stackapp.EnvRegion
	EnvCreateNATGateway    = "CREATE_NAT_GATEWAY"
	EnvPRTimestampSuffix   = "PR_TIMESTAMP_SUFFIX"
	EnvEnableCacheLimits   = "ENABLE_CACHE_LIMITS"
	EnvStateBucket         = stackapp.EnvStateBucket
	EnvStateBucketRegion   = stackapp.EnvStateBucketRegion
	EnvAllowLocalState     = stackapp.EnvAllowLocalState
	EnvOutdir              = stackapp.EnvOutdir
	DefaultEnvironmentName = "stage"
)

// fieldVars names the variable that sets each Config field, for messages.
var fieldVars = merge(stackapp.CommonFieldVars, map[string]string{
	"Environment":       EnvEnvironmentSuffix,
	"NAT":               EnvCreateNATGateway,
	"EnableCacheLimits": EnvEnableCacheLimits,
})

func merge(maps ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range maps {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// VarError is a problem of one environment variable: its name, its value as given and
// why it is refused. Error is one line, `NAME="value": reason`, with a long value cut
// short.
type VarError = stackapp.VarError

// ConfigFromEnv reads the example app's environment variables (see ConfigFromLookup).
func ConfigFromEnv() (Config, error) { return ConfigFromLookup(os.LookupEnv, time.Now) }

// ConfigFromLookup builds a Config from variables:
//
//	ENVIRONMENT_SUFFIX             default "stage"
//	AWS_REGION                     default "ca-central-1"
//	CREATE_NAT_GATEWAY             default: the profile (false for ^pr\d+$, true otherwise)
//	PR_TIMESTAMP_SUFFIX            6 digits; default: the suffix lives in Terraform state
//	ENABLE_CACHE_LIMITS            default false
//	TERRAFORM_STATE_BUCKET         default unset (local state)
//	TERRAFORM_STATE_BUCKET_REGION  default "us-east-1"
//	ALLOW_LOCAL_STATE              default false
//
// It only parses: a value that cannot be read as what it sets (a boolean that is not
// one, an environment name or PR suffix that naming refuses, a value that is only
// whitespace or has whitespace around it) is a *VarError; everything else is left to
// Config.Validate. An empty variable counts as unset. Every problem is returned, joined,
// and the Config holds whatever did parse, so that a caller can validate the rest in
// the same pass (Run does).
func ConfigFromLookup(lookup func(string) (string, bool), clock func() time.Time) (Config, error) {
	r := stackapp.NewReader(lookup)
	var cfg Config

	rawName := r.Raw(EnvEnvironmentSuffix)
	name := r.Get(EnvEnvironmentSuffix)
	if name == "" && rawName == "" {
		name = DefaultEnvironmentName
	}
	stamp := r.Get(EnvPRTimestampSuffix)
	nameErr := naming.ValidateEnvironmentName(name)
	if nameErr != nil && name != "" {
		r.Bad(EnvEnvironmentSuffix, name, nameErr.Error())
	}
	// A pin is checked whenever it could matter: for a PR environment, and when the name
	// is refused (so that every bad variable is reported in one pass).
	if stamp != "" && (nameErr != nil || naming.IsPullRequest(name)) {
		if err := naming.ValidateTimestamp(stamp); err != nil {
			r.Bad(EnvPRTimestampSuffix, stamp, err.Error())
			stamp = ""
		}
	}
	if nameErr == nil {
		env, err := naming.NewEnvironment(name, naming.Options{Timestamp: stamp, Clock: clock})
		if err != nil { // the name and the pin were checked: nothing else can fail
			r.Bad(EnvEnvironmentSuffix, name, err.Error())
		}
		cfg.Environment = env
	}

	var state stackapp.State
	cfg.Region, state = r.State()
	cfg.StateBucket, cfg.StateBucketRegion, cfg.AllowLocalState = state.Bucket, state.BucketRegion, state.AllowLocal
	if nat, set := r.BoolSet(EnvCreateNATGateway); set {
		cfg.NAT = network.NATNone
		if nat {
			cfg.NAT = network.NATSingle
		}
	}
	cfg.EnableCacheLimits = r.Bool(EnvEnableCacheLimits)
	return cfg, r.Err()
}
