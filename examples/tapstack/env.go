package tapstack

import (
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/tapstack/infra/constructs/lmsservice"
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

// The variables of a stack on the shared platform (Config.Platform): the first seven
// are set all together or not at all; PLATFORM_EGRESS and PLATFORM_RULE_PRIORITY are
// optional.
const (
	EnvPlatformListenerARN      = "PLATFORM_LISTENER_ARN"
	EnvPlatformClusterARN       = "PLATFORM_CLUSTER_ARN"
	EnvPlatformVPCID            = "PLATFORM_VPC_ID"
	EnvPlatformPublicSubnetIDs  = "PLATFORM_PUBLIC_SUBNET_IDS"
	EnvPlatformPrivateSubnetIDs = "PLATFORM_PRIVATE_SUBNET_IDS"
	EnvPlatformALBSecurityGroup = "PLATFORM_ALB_SECURITY_GROUP_ID"
	EnvPreviewDomain            = "PREVIEW_DOMAIN"
	EnvPlatformEgress           = "PLATFORM_EGRESS"
	EnvPlatformRulePriority     = "PLATFORM_RULE_PRIORITY"
)

// PlatformVars are the variables that attach a stack to the shared platform, all
// together or none.
var PlatformVars = []string{EnvPlatformListenerARN, EnvPlatformClusterARN, EnvPlatformVPCID, EnvPlatformPublicSubnetIDs,
	EnvPlatformPrivateSubnetIDs, EnvPlatformALBSecurityGroup, EnvPreviewDomain}

// fieldVars names the variable that sets each Config field, for messages.
var fieldVars = stackapp.FieldVars(map[string]string{
	"Environment":       EnvEnvironmentSuffix,
	"NAT":               EnvCreateNATGateway,
	"EnableCacheLimits": EnvEnableCacheLimits,

	"Platform.ListenerARN":                 EnvPlatformListenerARN,
	"Platform.ClusterARN":                  EnvPlatformClusterARN,
	"Platform.VPCID":                       EnvPlatformVPCID,
	"Platform.PublicSubnetIDs":             EnvPlatformPublicSubnetIDs,
	"Platform.PrivateSubnetIDs":            EnvPlatformPrivateSubnetIDs,
	"Platform.LoadBalancerSecurityGroupID": EnvPlatformALBSecurityGroup,
	"Platform.PreviewDomain":               EnvPreviewDomain,
	"Platform.Egress":                      EnvPlatformEgress,
	"Platform.RulePriority":                EnvPlatformRulePriority,
})

// VarError is a problem of one environment variable: its name, its value as given and
// why it is refused. Error is one line, `NAME="value": reason`, with a long value cut
// short.
type VarError struct {
	Name, Value, Reason string
}

// Error is `NAME="value": reason`.
func (e *VarError) Error() string { return (*stackapp.VarError)(e).Error() }

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
//	PLATFORM_LISTENER_ARN, PLATFORM_CLUSTER_ARN, PLATFORM_VPC_ID,
//	PLATFORM_PUBLIC_SUBNET_IDS, PLATFORM_PRIVATE_SUBNET_IDS (comma-separated),
//	PLATFORM_ALB_SECURITY_GROUP_ID, PREVIEW_DOMAIN
//	                               all or none: attach to the shared platform (Config.Platform)
//	PLATFORM_EGRESS                none (default), nat or endpoints; only with the platform
//	PLATFORM_RULE_PRIORITY         1-50000; default: the PR number; only with the platform
//
// It only parses: a value that cannot be read as what it sets (a boolean that is not
// one, an environment name or PR suffix that naming refuses, a value that is only
// whitespace or has whitespace around it) is a *VarError; everything else is left to
// Config.Validate. An empty variable counts as unset. Every problem is returned, joined,
// and the Config holds whatever did parse, so that a caller can validate the rest in
// the same pass (Run does).
func ConfigFromLookup(lookup func(string) (string, bool), clock func() time.Time) (Config, error) {
	cfg, err := configFromLookup(lookup, clock)
	return cfg, public(err)
}

// configFromLookup is ConfigFromLookup with the problems as *stackapp.VarError, for Run.
func configFromLookup(lookup func(string) (string, bool), clock func() time.Time) (Config, error) {
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
	cfg.Platform = platformFromEnv(r)
	// On the shared platform, Config.Validate refuses a NAT choice: parsing only parses.
	if nat, set := r.BoolSet(EnvCreateNATGateway); set {
		cfg.NAT = network.NATNone
		if nat {
			cfg.NAT = network.NATSingle
		}
	}
	cfg.EnableCacheLimits = r.Bool(EnvEnableCacheLimits)
	return cfg, r.Err()
}

// platformFromEnv reads the platform variables: nil when none of PlatformVars is set.
func platformFromEnv(r *stackapp.Reader) *Platform {
	v, all := r.Group("a stack on the shared platform", PlatformVars...)
	if !all {
		none := true
		for _, name := range PlatformVars {
			none = none && r.Raw(name) == ""
		}
		for _, name := range []string{EnvPlatformEgress, EnvPlatformRulePriority} {
			if raw := r.Raw(name); raw != "" && none { // with some set, the group's error says it all
				r.Bad(name, raw, "only applies to a stack on the shared platform: set the PLATFORM_* variables and PREVIEW_DOMAIN too, or unset it")
			}
		}
		return nil
	}
	p := &Platform{
		ListenerARN: v[EnvPlatformListenerARN], ClusterARN: v[EnvPlatformClusterARN], VPCID: v[EnvPlatformVPCID],
		PublicSubnetIDs: r.List(EnvPlatformPublicSubnetIDs), PrivateSubnetIDs: r.List(EnvPlatformPrivateSubnetIDs),
		LoadBalancerSecurityGroupID: v[EnvPlatformALBSecurityGroup], PreviewDomain: v[EnvPreviewDomain],
		Egress: network.Egress(r.Get(EnvPlatformEgress)),
	}
	if s := r.Get(EnvPlatformRulePriority); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			r.Bad(EnvPlatformRulePriority, s, fmt.Sprintf("want a number from 1 to %d", lmsservice.MaxRulePriority))
		}
		p.RulePriority = n
	}
	return p
}
