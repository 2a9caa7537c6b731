package tapstack

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/constructs/network"
	"github.com/tapstack/infra/internal/tfx"
)

// Defaults of the example stack.
const (
	DefaultRegion            = "ca-central-1"
	DefaultStateBucketRegion = "us-east-1"
	DefaultImage             = "public.ecr.aws/nginx/nginx:stable"
	StackBase                = "TapStack"
	// RequiredTerraformVersion is the stack's required_version: the S3 lock file
	// (use_lockfile) needs Terraform 1.11 (OpenTofu 1.10); an older CLI stops with its
	// own version message instead of an unknown-argument error.
	RequiredTerraformVersion = ">= 1.11"
)

// Output names: a contract with the pipelines that read them.
const (
	OutputVPCID          = "vpc_id"
	OutputALBDNSName     = "alb_dns_name"
	OutputClusterName    = "ecs_cluster_name"
	OutputServiceName    = "ecs_service_name"
	OutputCacheName      = "redis_cache_name"
	OutputDBSecretARN    = "db_secret_arn"
	OutputRedisSecretARN = "redis_secret_arn"
)

// Outputs lists the output names in a stable order.
var Outputs = []string{OutputVPCID, OutputALBDNSName, OutputClusterName, OutputServiceName,
	OutputCacheName, OutputDBSecretARN, OutputRedisSecretARN}

// Config configures a TapStack.
type Config struct {
	// Environment names everything. Required.
	Environment naming.Environment
	// Region of the AWS provider. Default: "ca-central-1".
	Region string
	// NAT of the network. Default: the environment profile: NATNone for PR
	// environments, NATSingle otherwise.
	NAT network.NATMode
	// Endpoints gives private tasks their way out through VPC endpoints when there is no
	// NAT. Default: false, and then tasks of a network without NAT run in the public
	// subnets with public IPs (no endpoint cost for short-lived PR environments).
	Endpoints bool
	// ExistingVPCID, PublicSubnetIDs and PrivateSubnetIDs adopt an existing VPC instead of
	// creating one (the answer to VpcLimitExceeded). Default: a new VPC.
	ExistingVPCID    string
	PublicSubnetIDs  []string
	PrivateSubnetIDs []string
	// ExistingEgress declares what the existing private subnets have. Default: EgressNAT
	// when ExistingVPCID is set (most shared VPCs have NAT); see network.Config.
	ExistingEgress network.Egress
	// EnableCacheLimits adds the cache usage limits (10 GB, 5000 ECPU/s). Default: false.
	EnableCacheLimits bool
	// Image of the service. Default: "public.ecr.aws/nginx/nginx:stable".
	Image string
	// StateBucket selects the S3 backend: key "<env>/<stack id>.tfstate" (StateKey),
	// encrypted, locked with a lock file next to the state. Default: "", a local state
	// file (LocalStatePath), which production refuses unless AllowLocalState is set.
	StateBucket string
	// StateBucketRegion is the S3 backend's region. Default: "us-east-1".
	StateBucketRegion string
	// AllowLocalState lets a production environment ("prod", "production") keep its
	// state in a local file. Default: false: production without StateBucket is an error,
	// because a CI runner's disk is where production state gets lost.
	AllowLocalState bool
}

func (c Config) withDefaults() Config {
	if c.Region == "" {
		c.Region = DefaultRegion
	}
	if c.StateBucketRegion == "" {
		c.StateBucketRegion = DefaultStateBucketRegion
	}
	if c.Image == "" {
		c.Image = DefaultImage
	}
	if c.ExistingVPCID != "" && c.ExistingEgress == "" {
		c.ExistingEgress = network.EgressNAT
	}
	if c.NAT == "" && c.ExistingVPCID == "" && !c.Environment.IsZero() {
		c.NAT = network.NATNone
		if c.Environment.Profile().NAT {
			c.NAT = network.NATSingle
		}
	}
	return c
}

// StackName returns "TapStack<env>": never with the PR timestamp.
func (c Config) StackName() string { return c.Environment.StackName(StackBase) }

// StateKey returns the S3 state key of the stack defined under stackID:
// "<env>/<stackID>.tfstate" ("stage/TapStackstage.tfstate"). It never carries the PR
// timestamp, so every synth of an environment finds its state again, and two stacks of
// one environment (two regions, say) never share a key.
func (c Config) StateKey(stackID string) string { return c.Environment.StateKey(stackID) }

// LocalStatePath is the local backend's path for the stack stackID, relative to the
// stack's working directory <outdir>/stacks/<stackID>: "../../../terraform.<stackID>.tfstate",
// the file terraform.<stackID>.tfstate next to the output directory. It does not depend
// on the directory synthesis ran in, and it is outside the directory that synthesis
// rewrites, so state survives every re-synth.
func LocalStatePath(stackID string) string { return "../../../terraform." + stackID + ".tfstate" }

var (
	regionPattern = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]$`)
)

// Validate returns every problem of c at once. It checks what can be checked without
// jsii: the stack's own fields and the network Config; New checks the rest.
func (c Config) Validate() error {
	c = c.withDefaults()
	var problems tfx.Problems
	add := problems.Addf
	envSet := problems.RequireEnvironment(c.Environment)
	if err := ValidateRegion(c.Region); err != nil {
		add("Region: %w", err)
	}
	if c.StateBucket == "" && envSet && c.Environment.IsProduction() && !c.AllowLocalState {
		add("StateBucket is empty: production environment %q needs remote state (set StateBucket, or AllowLocalState to keep its state in a local file on purpose)", c.Environment.Name())
	}
	if c.StateBucket != "" {
		if err := ValidateBucket(c.StateBucket); err != nil {
			add("StateBucket: %w", err)
		}
		if err := ValidateRegion(c.StateBucketRegion); err != nil {
			add("StateBucketRegion: %w", err)
		}
	}
	if strings.TrimSpace(c.Image) == "" {
		add("Image is empty")
	}
	if envSet {
		problems.Add(c.networkConfig().Validate())
	}
	return problems.Err()
}

// ValidateRegion checks an AWS region name such as "ca-central-1".
func ValidateRegion(region string) error {
	if !regionPattern.MatchString(region) {
		return fmt.Errorf("%q is not an AWS region name (like \"ca-central-1\")", region)
	}
	return nil
}

// ValidateBucket checks an S3 bucket name: 3-63 characters, lowercase letters, digits,
// '.' and '-', starting and ending with a letter or digit, not an IP address, no "..".
func ValidateBucket(bucket string) error {
	if !tfx.IsBucketName(bucket) {
		return fmt.Errorf("%q is not an S3 bucket name (3-63 lowercase letters, digits, '.' and '-')", bucket)
	}
	return nil
}

func (c Config) networkConfig() network.Config {
	if c.ExistingVPCID != "" {
		return network.Config{
			Environment: c.Environment, ExistingVPCID: c.ExistingVPCID, PublicSubnetIDs: c.PublicSubnetIDs,
			PrivateSubnetIDs: c.PrivateSubnetIDs, ExistingEgress: c.ExistingEgress,
			NAT: c.NAT, Endpoints: c.Endpoints, // rejected by network.Config.Validate with a reason
		}
	}
	// Flow logs always: a VPC without them is a finding of every scanner, and the
	// retention follows the profile (3 days for PR environments).
	return network.Config{Environment: c.Environment, NAT: c.NAT, Endpoints: c.Endpoints, FlowLogs: true}
}
