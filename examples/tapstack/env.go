package tapstack

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/constructs/network"
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
	DefaultEnvironmentName = "stage"
)

// ConfigFromEnv reads the example app's environment variables (see ConfigFromLookup).
func ConfigFromEnv() (Config, error) { return ConfigFromLookup(os.LookupEnv, time.Now) }

// ConfigFromLookup builds a Config from variables:
//
//	ENVIRONMENT_SUFFIX             default "stage"
//	AWS_REGION                     default "ca-central-1"
//	CREATE_NAT_GATEWAY             default false for ^pr\d+$, true otherwise
//	PR_TIMESTAMP_SUFFIX            6 digits; default: now (unix seconds mod 10^6)
//	ENABLE_CACHE_LIMITS            default false
//	TERRAFORM_STATE_BUCKET         default unset (local backend)
//	TERRAFORM_STATE_BUCKET_REGION  default "us-east-1"
//
// Booleans accept true, false, 1 and 0. Every problem is returned (joined), one per
// line, each naming the variable and its value. An empty variable counts as unset.
func ConfigFromLookup(lookup func(string) (string, bool), clock func() time.Time) (Config, error) {
	get := func(name string) string {
		v, _ := lookup(name)
		return strings.TrimSpace(v)
	}
	var errs []error
	bad := func(name, value string, err error) {
		errs = append(errs, fmt.Errorf("%s=%q: %v", name, value, err))
	}
	var cfg Config

	name := get(EnvEnvironmentSuffix)
	if name == "" {
		name = DefaultEnvironmentName
	}
	stamp := get(EnvPRTimestampSuffix)
	if err := naming.ValidateEnvironmentName(name); err != nil {
		bad(EnvEnvironmentSuffix, name, err)
	} else if env, err := naming.NewEnvironment(name, naming.Options{Timestamp: stamp, Clock: clock}); err != nil {
		bad(EnvPRTimestampSuffix, stamp, err) // the name is valid, so the pin is not
	} else {
		cfg.Environment = env
	}

	cfg.Region = get(EnvRegion)
	if cfg.Region == "" {
		cfg.Region = DefaultRegion
	}
	if err := ValidateRegion(cfg.Region); err != nil {
		bad(EnvRegion, cfg.Region, err)
	}

	if v := get(EnvCreateNATGateway); v != "" {
		on, err := parseBool(v)
		if err != nil {
			bad(EnvCreateNATGateway, v, err)
		}
		cfg.NAT = network.NATNone
		if on {
			cfg.NAT = network.NATSingle
		}
	}
	if v := get(EnvEnableCacheLimits); v != "" {
		on, err := parseBool(v)
		if err != nil {
			bad(EnvEnableCacheLimits, v, err)
		}
		cfg.EnableCacheLimits = on
	}

	cfg.StateBucket = get(EnvStateBucket)
	if cfg.StateBucket != "" {
		if err := ValidateBucket(cfg.StateBucket); err != nil {
			bad(EnvStateBucket, cfg.StateBucket, err)
		}
	}
	cfg.StateBucketRegion = get(EnvStateBucketRegion)
	if cfg.StateBucketRegion == "" {
		cfg.StateBucketRegion = DefaultStateBucketRegion
	}
	if err := ValidateRegion(cfg.StateBucketRegion); err != nil {
		bad(EnvStateBucketRegion, cfg.StateBucketRegion, err)
	}
	if v := get(EnvAllowLocalState); v != "" {
		on, err := parseBool(v)
		if err != nil {
			bad(EnvAllowLocalState, v, err)
		}
		cfg.AllowLocalState = on
	}
	if cfg.StateBucket == "" && cfg.Environment.IsProduction() && !cfg.AllowLocalState {
		bad(EnvStateBucket, "", fmt.Errorf("production environment %q needs remote state: set %s, or %s=true to keep its state in a local file on purpose", cfg.Environment.Name(), EnvStateBucket, EnvAllowLocalState))
	}
	if err := errors.Join(errs...); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

func parseBool(v string) (bool, error) {
	switch strings.ToLower(v) {
	case "true", "1":
		return true, nil
	case "false", "0":
		return false, nil
	}
	return false, errors.New("want true, false, 1 or 0")
}
