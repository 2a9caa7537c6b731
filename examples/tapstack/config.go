package tapstack

import (
	"errors"
	"fmt"
	"strings"

	"github.com/tapstack/infra/constructs/cache"
	"github.com/tapstack/infra/constructs/lmsservice"
	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/constructs/network"
	"github.com/tapstack/infra/internal/stackapp"
)

// Defaults of the example stack.
const (
	DefaultRegion            = stackapp.DefaultRegion
	DefaultStateBucketRegion = stackapp.DefaultStateBucketRegion
	DefaultImage             = "public.ecr.aws/nginx/nginx:stable"
	StackBase                = "TapStack"
	// RequiredTerraformVersion is the stack's required_version: the S3 lock file
	// (use_lockfile) needs Terraform 1.11 (OpenTofu 1.10); an older CLI stops with its
	// own version message instead of an unknown-argument error.
	RequiredTerraformVersion = stackapp.RequiredTerraformVersion
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
	// OutputPreviewURL is only in a stack on the shared platform (Config.Platform).
	OutputPreviewURL = "preview_url"
)

// Outputs lists the output names in a stable order.
var Outputs = []string{OutputVPCID, OutputALBDNSName, OutputClusterName, OutputServiceName,
	OutputCacheName, OutputDBSecretARN, OutputRedisSecretARN}

// Config configures a TapStack.
type Config struct {
	// Environment names everything. Required.
	Environment naming.Environment
	// Region of the AWS provider: a region of an AWS partition the provider knows
	// (naming.ValidateRegion). Default: "ca-central-1".
	Region string
	// NAT of the network. Default: the network's, from the environment profile: NATNone
	// for PR environments, NATSingle otherwise.
	NAT network.NATMode
	// Endpoints gives private tasks their way out through VPC endpoints when there is no
	// NAT. Default: false, and then tasks of a network without NAT run in the public
	// subnets with public IPs (no endpoint cost for short-lived PR environments).
	Endpoints bool
	// ExistingVPCID, PublicSubnetIDs and PrivateSubnetIDs adopt an existing VPC instead of
	// creating one (the answer to VpcLimitExceeded). Default: a new VPC. The IDs may be
	// Terraform references.
	ExistingVPCID    string
	PublicSubnetIDs  []string
	PrivateSubnetIDs []string
	// ExistingEgress declares what the existing private subnets have. Default: EgressNAT
	// when ExistingVPCID is set (most shared VPCs have NAT); see network.Config.
	ExistingEgress network.Egress
	// ExistingPrivateRouteTableIDs are the route tables of the existing private subnets,
	// for the S3 gateway endpoint: needed with Endpoints in an existing VPC.
	ExistingPrivateRouteTableIDs []string
	// EnableCacheLimits adds the cache usage limits (10 GB, 5000 ECPU/s). Default: false.
	EnableCacheLimits bool
	// Image of the service. Default: "public.ecr.aws/nginx/nginx:stable".
	Image string
	// CPU and Memory of the service's task, a Fargate combination. Default: 256 and 512.
	CPU, Memory int
	// ContainerPort the service's container listens on. Default: 80.
	ContainerPort int
	// AutoscalingMaxCount turns on CPU target tracking for the service up to this many
	// tasks. Default: 0, no autoscaling.
	AutoscalingMaxCount int
	// CertificateARN of an ACM certificate adds an HTTPS listener and turns HTTP into a
	// redirect. Default: "", HTTP only.
	CertificateARN string
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
	// Platform attaches the stack to the shared platform (examples/platform): no VPC,
	// load balancer, cluster, NAT or Elastic IP of its own, a host rule
	// "<env>.<PreviewDomain>" on the shared listener instead, and the extra output
	// preview_url. It cannot be combined with NAT, Endpoints, ExistingVPCID,
	// PublicSubnetIDs, PrivateSubnetIDs, ExistingEgress, ExistingPrivateRouteTableIDs or
	// CertificateARN (the platform decides those). Default: nil, a standalone stack.
	Platform *Platform
}

// Platform is the shared platform a stack attaches to: the outputs of the platform
// app, as the PLATFORM_* variables carry them. IDs may be literals, which are checked,
// or Terraform references, which are passed through (except ClusterARN).
type Platform struct {
	// ListenerARN is the shared HTTPS listener (PLATFORM_LISTENER_ARN). Required.
	ListenerARN string
	// ClusterARN is the shared ECS cluster, a literal ARN (PLATFORM_CLUSTER_ARN).
	// Required.
	ClusterARN string
	// VPCID, PublicSubnetIDs and PrivateSubnetIDs are the platform's network
	// (PLATFORM_VPC_ID, PLATFORM_PUBLIC_SUBNET_IDS, PLATFORM_PRIVATE_SUBNET_IDS).
	// Required; at least two private subnets.
	VPCID                             string
	PublicSubnetIDs, PrivateSubnetIDs []string
	// LoadBalancerSecurityGroupID is the shared load balancer's group, the only source
	// the tasks admit (PLATFORM_ALB_SECURITY_GROUP_ID). Required.
	LoadBalancerSecurityGroupID string
	// PreviewDomain is the domain of the preview hosts (PREVIEW_DOMAIN): the stack's
	// host is "<env>.<PreviewDomain>" (Host). Required; the platform's certificate must
	// cover it.
	PreviewDomain string
	// Egress is what the platform's private subnets have (PLATFORM_EGRESS, the
	// platform's output private_subnet_egress). Default: EgressNone: the tasks run in
	// the public subnets with public IPs, reachable only from the shared load balancer.
	// EgressNAT or EgressEndpoints place them in the private subnets.
	Egress network.Egress
	// RulePriority of the stack's listener rule, 1 to 50000 (PLATFORM_RULE_PRIORITY).
	// Default: 0, lmsservice.RulePriority: the PR number.
	RulePriority int
}

// Host returns the stack's preview host: "<env>.<PreviewDomain>".
func (p Platform) Host(env naming.Environment) string { return env.Name() + "." + p.PreviewDomain }

// PreviewURL returns "https://<Host>".
func (p Platform) PreviewURL(env naming.Environment) string { return "https://" + p.Host(env) }

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
	if c.Platform != nil {
		p := *c.Platform // a copy: the caller's Platform is left alone
		if p.Egress == "" {
			p.Egress = network.EgressNone
		}
		c.Platform = &p
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
func LocalStatePath(stackID string) string { return stackapp.LocalStatePath(stackID) }

// FieldError is a problem of one Config field: the field, the value as given, and why
// it is refused. The app names the environment variable instead of the field.
type FieldError struct {
	Field  string
	Value  string
	Reason string
}

// Error is "<Field> <value> <reason>", with a long value cut short ("<Field> <reason>"
// when the value is empty).
func (e *FieldError) Error() string { return (*stackapp.FieldError)(e).Error() }

// public gives the problems in err (joined) the package's own types: the apps share
// internal/stackapp, whose FieldError and VarError are what the callers of Validate
// and ConfigFromLookup see as *FieldError and *VarError.
func public(err error) error {
	var out []error
	for _, e := range stackapp.Split(err) {
		switch x := e.(type) {
		case *stackapp.FieldError:
			e = (*FieldError)(x)
		case *stackapp.VarError:
			e = (*VarError)(x)
		}
		out = append(out, e)
	}
	return errors.Join(out...)
}

// state is where the stack keeps its Terraform state.
func (c Config) state() stackapp.State {
	return stackapp.State{Bucket: c.StateBucket, BucketRegion: c.StateBucketRegion, AllowLocal: c.AllowLocalState}
}

// Validate returns every problem of c at once: the stack's own fields as *FieldError,
// then those of the network, the cache and the service it composes, all checked before
// anything is defined and without jsii (the cache and the service are validated
// against plans of the network and the cache).
func (c Config) Validate() error { return public(c.validate()) }

// validate is Validate with the problems of the fields as *stackapp.FieldError, for Run.
func (c Config) validate() error {
	c = c.withDefaults()
	var f stackapp.Fields
	envSet := !c.Environment.IsZero()
	if !envSet {
		f.Add("Environment", "", "is required (build one with naming.NewEnvironment)")
	}
	needsRemote := ""
	if envSet && c.Environment.IsProduction() {
		needsRemote = fmt.Sprintf("production environment %q", c.Environment.Name())
	}
	c.state().Check(&f, c.Region, needsRemote)
	if strings.TrimSpace(c.Image) == "" {
		f.Add("Image", c.Image, "is empty: name the container image to run")
	}
	platformOK := true
	if c.Platform != nil {
		platformOK = c.validatePlatform(&f)
	}
	errs := f.Errs()
	// The composition is validated from the platform's IDs only once they are valid,
	// so that a bad ID is reported once, against its variable.
	if envSet && platformOK {
		netCfg := c.networkConfig()
		cacheCfg := c.cacheConfig(netCfg.Plan())
		errs = append(errs, netCfg.Validate(), cacheCfg.Validate(), c.serviceConfig(netCfg.Plan(), cacheCfg.Plan()).Validate())
	}
	return errors.Join(errs...)
}

// networkConfig, cacheConfig and serviceConfig are the composition: Validate checks
// them against plans, New defines them, so both see the same configs.
func (c Config) networkConfig() network.Config {
	if p := c.Platform; p != nil {
		return network.Config{
			Environment: c.Environment, ExistingVPCID: p.VPCID, PublicSubnetIDs: p.PublicSubnetIDs,
			PrivateSubnetIDs: p.PrivateSubnetIDs, ExistingEgress: p.Egress,
		}
	}
	if c.ExistingVPCID != "" {
		return network.Config{
			Environment: c.Environment, ExistingVPCID: c.ExistingVPCID, PublicSubnetIDs: c.PublicSubnetIDs,
			PrivateSubnetIDs: c.PrivateSubnetIDs, ExistingEgress: c.ExistingEgress,
			ExistingPrivateRouteTableIDs: c.ExistingPrivateRouteTableIDs,
			NAT:                          c.NAT, Endpoints: c.Endpoints, // rejected by network.Config.Validate with a reason
		}
	}
	// Flow logs always: a VPC without them is a finding of every scanner, and the
	// retention follows the profile (3 days for PR environments).
	return network.Config{Environment: c.Environment, NAT: c.NAT, Endpoints: c.Endpoints, FlowLogs: true}
}

func (c Config) cacheConfig(net network.Placement) cache.Config {
	return cache.Config{Environment: c.Environment, Network: net, ConnectionSecret: true, EnableUsageLimits: c.EnableCacheLimits}
}

func (c Config) serviceConfig(net network.Placement, redis cache.Connection) lmsservice.Config {
	svc := lmsservice.Config{
		Environment: c.Environment, Network: net, Cache: redis, Image: c.Image,
		CPU: c.CPU, Memory: c.Memory, ContainerPort: c.ContainerPort, AutoscalingMaxCount: c.AutoscalingMaxCount, CertificateARN: c.CertificateARN,
		// Without NAT or endpoints, tasks take the free way out: public IPs in the public
		// subnets, still reachable only from the ALB.
		AssignPublicIP: net.Layout().Egress == network.EgressNone,
	}
	if p := c.Platform; p != nil {
		svc.ExistingClusterARN = p.ClusterARN
		svc.Attach = &lmsservice.Attachment{ListenerARN: p.ListenerARN, LoadBalancerSecurityGroupID: p.LoadBalancerSecurityGroupID,
			Host: p.Host(c.Environment), Priority: p.RulePriority}
	}
	return svc
}
