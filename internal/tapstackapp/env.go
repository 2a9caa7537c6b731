// Package tapstackapp is the environment contract of the TapStack command
// (cmd/tapstack): the variables it reads into a tapstack.Config, and its run.
package tapstackapp

import (
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/tapstack/infra/constructs/lmsservice"
	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/constructs/network"
	"github.com/tapstack/infra/examples/tapstack"
	"github.com/tapstack/infra/internal/envapp"
)

// The environment contract of the example app.
const (
	EnvEnvironmentSuffix   = "ENVIRONMENT_SUFFIX"
	EnvRegion              = envapp.EnvRegion
	EnvCreateNATGateway    = "CREATE_NAT_GATEWAY"
	EnvPRTimestampSuffix   = "PR_TIMESTAMP_SUFFIX"
	EnvEnableCacheLimits   = "ENABLE_CACHE_LIMITS"
	EnvStateBucket         = envapp.EnvStateBucket
	EnvStateBucketRegion   = envapp.EnvStateBucketRegion
	EnvAllowLocalState     = envapp.EnvAllowLocalState
	EnvOutdir              = envapp.EnvOutdir
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

// PlatformVars returns the variables that attach a stack to the shared platform, all
// together or none (a new slice).
func PlatformVars() []string {
	return []string{EnvPlatformListenerARN, EnvPlatformClusterARN, EnvPlatformVPCID, EnvPlatformPublicSubnetIDs,
		EnvPlatformPrivateSubnetIDs, EnvPlatformALBSecurityGroup, EnvPreviewDomain}
}

// fieldVars names the variable that sets each Config field, for messages.
var fieldVars = envapp.FieldVars(map[string]string{
	"Environment":       EnvEnvironmentSuffix,
	"NAT":               EnvCreateNATGateway,
	"EnableCacheLimits": EnvEnableCacheLimits,
	"Network.Component": EnvEnvironmentSuffix, // the names that the environment builds
	"Cache.Component":   EnvEnvironmentSuffix,
	"Service.Component": EnvEnvironmentSuffix,

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

// ConfigFromEnv reads the app's environment variables (see ConfigFromLookup).
func ConfigFromEnv() (tapstack.Config, error) { return ConfigFromLookup(os.LookupEnv, time.Now) }

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
// whitespace, has whitespace around it or holds "${" or "%{", an explicit 0 where 0 is
// not a value) is an *envapp.VarError; everything else is left to
// tapstack.Config.Validate. An empty variable counts as unset. Every problem is
// returned, joined, and the Config holds whatever did parse, so that a caller can
// validate the rest in the same pass (Run does).
func ConfigFromLookup(lookup func(string) (string, bool), clock func() time.Time) (tapstack.Config, error) {
	r := envapp.NewReader(lookup)
	var cfg tapstack.Config

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

	state := r.State()
	cfg.Region, cfg.StateBucket, cfg.StateBucketRegion, cfg.AllowLocalState = state.Region, state.StateBucket, state.StateBucketRegion, state.AllowLocalState
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
func platformFromEnv(r *envapp.Reader) *tapstack.Platform {
	v, all := r.Group("a stack on the shared platform", PlatformVars()...)
	if !all {
		none := true
		for _, name := range PlatformVars() {
			none = none && r.Raw(name) == ""
		}
		for _, name := range []string{EnvPlatformEgress, EnvPlatformRulePriority} {
			if raw := r.Raw(name); raw != "" && none { // with some set, the group's error says it all
				r.Bad(name, raw, "only applies to a stack on the shared platform: set the PLATFORM_* variables and PREVIEW_DOMAIN too, or unset it")
			}
		}
		return nil
	}
	p := &tapstack.Platform{
		ListenerARN: v[EnvPlatformListenerARN], ClusterARN: v[EnvPlatformClusterARN], VPCID: v[EnvPlatformVPCID],
		PublicSubnetIDs: r.List(EnvPlatformPublicSubnetIDs), PrivateSubnetIDs: r.List(EnvPlatformPrivateSubnetIDs),
		LoadBalancerSecurityGroupID: v[EnvPlatformALBSecurityGroup], PreviewDomain: v[EnvPreviewDomain],
		Egress: network.Egress(r.Get(EnvPlatformEgress)),
	}
	if s := r.Get(EnvPlatformRulePriority); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n == 0 {
			// 0 is not a priority: unset the variable for the derived one.
			r.Bad(EnvPlatformRulePriority, s, fmt.Sprintf("want a number from 1 to %d (unset it for the priority derived from the environment)", lmsservice.MaxRulePriority))
		}
		p.RulePriority = n
	}
	return p
}
