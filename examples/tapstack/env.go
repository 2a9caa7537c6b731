package tapstack

import (
	"errors"
	"os"
	"strings"
	"time"

	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/constructs/network"
	"github.com/tapstack/infra/internal/text"
)

// The environment contract of the example app.
const (
	EnvEnvironmentSuffix   = "ENVIRONMENT_SUFFIX"
	EnvRegion              = "AWS_REGION"
	EnvCreateNATGateway    = "CREATE_NAT_GATEWAY"
	EnvPRTimestampSuffix   = "PR_TIMESTAMP_SUFFIX"
	EnvEnableCacheLimits   = "ENABLE_CACHE_LIMITS"
	EnvStateBucket         = "TERRAFORM_STATE_BUCKET"
	EnvStateBucketRegion   = "TERRAFORM_STATE_BUCKET_REGION"
	EnvAllowLocalState     = "ALLOW_LOCAL_STATE"
	EnvOutdir              = "CDKTF_OUTDIR"
	DefaultEnvironmentName = "stage"
)

// fieldVars names the variable that sets each Config field, for messages.
var fieldVars = map[string]string{
	"Environment":       EnvEnvironmentSuffix,
	"Region":            EnvRegion,
	"NAT":               EnvCreateNATGateway,
	"EnableCacheLimits": EnvEnableCacheLimits,
	"StateBucket":       EnvStateBucket,
	"StateBucketRegion": EnvStateBucketRegion,
	"AllowLocalState":   EnvAllowLocalState,
}

// VarError is a problem of one environment variable: its name, its value as given and
// why it is refused. Error is one line, `NAME="value": reason`, with a long value cut
// short.
type VarError struct {
	Name, Value, Reason string
}

// Error is `NAME="value": reason`.
func (e *VarError) Error() string { return e.Name + "=" + text.Quote(e.Value) + ": " + e.Reason }

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
	var errs []error
	bad := func(name, value, reason string) {
		errs = append(errs, &VarError{Name: name, Value: value, Reason: reason})
	}
	get := func(name string) string {
		v, _ := lookup(name)
		switch {
		case v == "":
		case strings.TrimSpace(v) == "":
			bad(name, v, "is only whitespace: leave it empty or unset for the default, or give a value")
			return ""
		case strings.TrimSpace(v) != v:
			bad(name, v, "has whitespace around the value: remove it")
			return ""
		}
		return v
	}
	boolean := func(name string) bool {
		v := get(name)
		return parseBool(name, v, bad)
	}
	var cfg Config

	rawName, _ := lookup(EnvEnvironmentSuffix)
	name := get(EnvEnvironmentSuffix)
	if name == "" && rawName == "" {
		name = DefaultEnvironmentName
	}
	stamp := get(EnvPRTimestampSuffix)
	nameErr := naming.ValidateEnvironmentName(name)
	if nameErr != nil && name != "" {
		bad(EnvEnvironmentSuffix, name, nameErr.Error())
	}
	// A pin is checked whenever it could matter: for a PR environment, and when the name
	// is refused (so that every bad variable is reported in one pass).
	if stamp != "" && (nameErr != nil || naming.IsPullRequest(name)) {
		if err := naming.ValidateTimestamp(stamp); err != nil {
			bad(EnvPRTimestampSuffix, stamp, err.Error())
			stamp = ""
		}
	}
	if nameErr == nil {
		env, err := naming.NewEnvironment(name, naming.Options{Timestamp: stamp, Clock: clock})
		if err != nil { // the name and the pin were checked: nothing else can fail
			bad(EnvEnvironmentSuffix, name, err.Error())
		}
		cfg.Environment = env
	}

	cfg.Region = get(EnvRegion)
	if v := get(EnvCreateNATGateway); v != "" {
		cfg.NAT = network.NATNone
		if parseBool(EnvCreateNATGateway, v, bad) {
			cfg.NAT = network.NATSingle
		}
	}
	cfg.EnableCacheLimits = boolean(EnvEnableCacheLimits)
	cfg.StateBucket = get(EnvStateBucket)
	cfg.StateBucketRegion = get(EnvStateBucketRegion)
	cfg.AllowLocalState = boolean(EnvAllowLocalState)
	return cfg, errors.Join(errs...)
}

// parseBool reads true, false, 1 or 0 (any case; "" is false), reporting anything else.
func parseBool(name, v string, bad func(name, value, reason string)) bool {
	switch strings.ToLower(v) {
	case "", "false", "0":
		return false
	case "true", "1":
		return true
	}
	bad(name, v, "want true, false, 1 or 0")
	return false
}
