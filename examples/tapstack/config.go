package tapstack

import (
	"errors"
	"strings"

	"github.com/tapstack/infra/awsid"
	"github.com/tapstack/infra/constructs/awsstack"
	"github.com/tapstack/infra/constructs/cache"
	"github.com/tapstack/infra/constructs/cluster"
	"github.com/tapstack/infra/constructs/lmsservice"
	"github.com/tapstack/infra/constructs/loadbalancer"
	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/constructs/network"
	"github.com/tapstack/infra/field"
)

// Defaults of the example stack.
const (
	DefaultRegion            = "ca-central-1"
	DefaultStateBucketRegion = awsstack.DefaultStateBucketRegion
	DefaultImage             = "public.ecr.aws/nginx/nginx:stable"
	StackBase                = "TapStack"
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

// Outputs returns the names of the seven outputs every TapStack has, in a stable
// order (a new slice).
func Outputs() []string {
	return []string{OutputVPCID, OutputALBDNSName, OutputClusterName, OutputServiceName,
		OutputCacheName, OutputDBSecretARN, OutputRedisSecretARN}
}

// Config configures a TapStack.
type Config struct {
	// Environment names everything. Required.
	Environment naming.Environment
	// Region of the AWS provider: a region of an AWS partition the provider knows
	// (awsid.ValidateRegion). Default: "ca-central-1".
	Region string
	// NAT of the network. Default: the network's, from the environment profile: NATNone
	// for PR environments, NATSingle otherwise.
	NAT network.NATMode
	// Endpoints gives private tasks their way out through VPC endpoints when there is no
	// NAT. Default: false, and then tasks of a network without NAT run in the public
	// subnets with public IPs (no endpoint cost for short-lived PR environments).
	Endpoints bool
	// ExistingVPCID, PublicSubnetIDs and PrivateSubnetIDs adopt an existing VPC instead of
	// creating one (the answer to VpcLimitExceeded; network.FromAttributes). Default: a
	// new VPC. The IDs may be cdktf tokens.
	ExistingVPCID    string
	PublicSubnetIDs  []string
	PrivateSubnetIDs []string
	// ExistingEgress declares what the existing private subnets have. Default: EgressNAT
	// when ExistingVPCID is set (most shared VPCs have NAT); network.Attributes.Egress
	// itself assumes nothing (EgressNone).
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
	// CertificateARN of an ACM certificate in the stack's account and region adds an
	// HTTPS listener and turns HTTP into a redirect. Default: "", HTTP only.
	CertificateARN string
	// StateBucket selects the S3 backend: key "<env>/<stack id>.tfstate" (StateKey),
	// encrypted, locked with a lock file next to the state. Default: "", a local state
	// file (awsstack.LocalStatePath), which production refuses unless AllowLocalState is
	// set.
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
// app, as the PLATFORM_* variables carry them. IDs and ARNs may be literals, which are
// checked (ARNs against the stack's region), or cdktf tokens, which are passed through.
type Platform struct {
	// ListenerARN is the shared HTTPS listener (PLATFORM_LISTENER_ARN). Required.
	ListenerARN string
	// ClusterARN is the shared ECS cluster (PLATFORM_CLUSTER_ARN); the platform's cluster
	// has the Fargate Spot capacity provider that PR environments run on. Required.
	ClusterARN string
	// VPCID, PublicSubnetIDs and PrivateSubnetIDs are the platform's network
	// (PLATFORM_VPC_ID, PLATFORM_PUBLIC_SUBNET_IDS, PLATFORM_PRIVATE_SUBNET_IDS).
	// Required; at least two private subnets, and public ones when Egress is none.
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
func (c Config) StateKey(stackID string) string { return awsstack.StateKey(c.Environment, stackID) }

// stack is the stack plumbing of c (provider, backend).
func (c Config) stack() awsstack.Config {
	return awsstack.Config{Environment: c.Environment, Region: c.Region, StateBucket: c.StateBucket,
		StateBucketRegion: c.StateBucketRegion, AllowLocalState: c.AllowLocalState}
}

// The fields of the composed constructs that the TapStack's own fields set: their
// problems are reported against the TapStack's fields. Problems of other fields carry
// the construct's name in front ("Cache.Name").
var (
	newNetworkFields      = map[string]string{"NAT": "NAT", "Endpoints": "Endpoints"}
	existingNetworkFields = map[string]string{"VPCID": "ExistingVPCID", "PublicSubnetIDs": "PublicSubnetIDs",
		"PrivateSubnetIDs": "PrivateSubnetIDs", "PrivateRouteTableIDs": "ExistingPrivateRouteTableIDs",
		"Egress": "ExistingEgress", "Endpoints": "Endpoints"}
	platformNetworkFields = map[string]string{"VPCID": "Platform.VPCID", "PublicSubnetIDs": "Platform.PublicSubnetIDs",
		"PrivateSubnetIDs": "Platform.PrivateSubnetIDs", "Egress": "Platform.Egress"}
	platformFields = map[string]string{"ARN": "Platform.ListenerARN", "SecurityGroupID": "Platform.LoadBalancerSecurityGroupID"}
	clusterFields  = map[string]string{"ARN": "Platform.ClusterARN"}
	cacheFields    = map[string]string{"EnableUsageLimits": "EnableCacheLimits", "Network": "Network"}
	serviceFields  = map[string]string{"Image": "Image", "CPU": "CPU", "Memory": "Memory", "ContainerPort": "ContainerPort",
		"AutoscalingMaxCount": "AutoscalingMaxCount", "CertificateARN": "CertificateARN",
		"Attach.Hosts": "Platform.PreviewDomain", "Attach.Priority": "Platform.RulePriority"}
)

// serviceFieldsOf is serviceFields with the service's Network, whose problems (its
// public subnets) are those of the subnets the stack gives it.
func (c Config) serviceFieldsOf() map[string]string {
	out := map[string]string{"Network": "Network"}
	switch {
	case c.Platform != nil:
		out["Network"] = "Platform.PublicSubnetIDs"
	case c.ExistingVPCID != "":
		out["Network"] = "PublicSubnetIDs"
	}
	for k, v := range serviceFields {
		out[k] = v
	}
	return out
}

// Validate returns every problem of c at once, as *field.Error values whose fields are
// the Config's own ("Platform.VPCID"), or a composed construct's with its name in front
// ("Cache.Name"). It delegates each check to the construct that owns it (network,
// cache, cluster, listener and service, against the region of the stack), all before
// anything is defined and without jsii.
func (c Config) Validate() error {
	c = c.withDefaults()
	var l field.List
	l.Include("", c.stack().Validate())
	if c.Environment.IsZero() {
		return l.Err() // every construct needs it: their problems would only repeat this one
	}
	if naming.IsPlatform(c.Environment.Name()) {
		l.Add("Environment", c.Environment.Name(), "is a platform name (naming.IsPlatform): an application environment never takes one, so that its names never meet the shared platform's")
	}
	place := awsid.Place{}
	if awsid.ValidateRegion(c.Region) == nil {
		place = awsid.In(c.Region)
	}
	var layout network.Layout
	domainOK := true
	switch p := c.Platform; {
	case p != nil:
		c.refusePlatformDecided(&l)
		attrs := c.platformNetwork()
		l.Include("", field.Rename(attrs.Validate(), "Network", platformNetworkFields))
		layout = attrs.Layout()
		if p.Egress == network.EgressNone && layout.PublicSubnets == 0 {
			l.Add("Platform.PublicSubnetIDs", "", "has 0 subnet(s): with Platform.Egress none the tasks run in the public subnets: give at least one")
		}
		l.Include("", field.Rename(c.platformListener().ValidateIn(place), "SharedListener", platformFields))
		l.Include("", field.Rename(c.platformCluster().ValidateIn(place), "Cluster", clusterFields))
		domainOK = c.validatePreviewDomain(&l)
	case c.ExistingVPCID != "":
		attrs := c.existingNetwork()
		l.Include("", field.Rename(attrs.Validate(), "Network", existingNetworkFields))
		layout = attrs.Layout()
		for _, f := range []struct {
			name string
			set  bool
		}{{"NAT", c.NAT != ""}} {
			if f.set {
				l.Add(f.name, string(c.NAT), "configures a new VPC and cannot be used with ExistingVPCID")
			}
		}
	default:
		for _, f := range []struct {
			name, value string
		}{{"PublicSubnetIDs", join(c.PublicSubnetIDs)}, {"PrivateSubnetIDs", join(c.PrivateSubnetIDs)},
			{"ExistingEgress", string(c.ExistingEgress)}, {"ExistingPrivateRouteTableIDs", join(c.ExistingPrivateRouteTableIDs)}} {
			if f.value != "" {
				l.Add(f.name, f.value, "is only for an existing VPC: set ExistingVPCID too, or leave it empty")
			}
		}
		net := c.newNetwork()
		l.Include("", field.Rename(net.ValidateIn(place), "Network", newNetworkFields))
		layout = net.Layout()
	}
	layout.Place = place
	service := c.serviceConfig(layout, nil, nil, nil, nil).ValidateFor(layout)
	if !domainOK { // the host is built from the domain: its problems are the domain's, said once
		service = dropField(service, "Attach.Hosts")
	}
	// The stack places the tasks itself (AssignPublicIP follows the egress): where that
	// fails, the subnets it was given said so above.
	service = dropField(service, "AssignPublicIP")
	cacheErr := c.cacheConfig(nil).ValidateFor(layout)
	if layout.PrivateSubnets == 0 { // said of the private subnets above
		cacheErr = dropField(cacheErr, "Network")
	}
	l.Include("", field.Rename(cacheErr, "Cache", cacheFields))
	l.Include("", field.Rename(service, "Service", c.serviceFieldsOf()))
	return l.Err()
}

// validatePreviewDomain checks Platform.PreviewDomain: a DNS name whose host
// "<env>.<domain>" fits a listener rule. It reports whether the domain is fine.
func (c Config) validatePreviewDomain(l *field.List) bool {
	p := c.Platform
	switch {
	case p.PreviewDomain == "":
		l.Add("Platform.PreviewDomain", "", "is required: the domain of the preview hosts")
	case awsid.CheckHostName(p.PreviewDomain) != nil:
		l.Check("Platform.PreviewDomain", p.PreviewDomain, awsid.CheckHostName(p.PreviewDomain))
	case len(p.Host(c.Environment)) > lmsservice.MaxHostLength:
		l.Addf("Platform.PreviewDomain", p.PreviewDomain, "makes the host %s.<domain> %d characters, over the %d a listener rule takes",
			c.Environment.Name(), len(p.Host(c.Environment)), lmsservice.MaxHostLength)
	default:
		return true
	}
	return false
}

// dropField returns the problems in err but those of path and the fields under it.
func dropField(err error, path string) error {
	var out []error
	for _, e := range field.Split(err) {
		var fe *field.Error
		if errors.As(e, &fe) && (fe.Field == path || strings.HasPrefix(fe.Field, path+"[") || strings.HasPrefix(fe.Field, path+".")) {
			continue
		}
		out = append(out, e)
	}
	return errors.Join(out...)
}

func join(xs []string) string {
	out := ""
	for i, x := range xs {
		if i > 0 {
			out += ","
		}
		out += x
	}
	return out
}

// refusePlatformDecided refuses the fields the platform decides.
func (c Config) refusePlatformDecided(l *field.List) {
	for _, x := range []struct {
		field, value, hint string
	}{
		{"NAT", string(c.NAT), " (Platform.Egress says where the tasks run)"}, {"Endpoints", map[bool]string{true: "true"}[c.Endpoints], ""},
		{"ExistingVPCID", c.ExistingVPCID, ""}, {"PublicSubnetIDs", join(c.PublicSubnetIDs), ""},
		{"PrivateSubnetIDs", join(c.PrivateSubnetIDs), ""}, {"ExistingEgress", string(c.ExistingEgress), ""},
		{"ExistingPrivateRouteTableIDs", join(c.ExistingPrivateRouteTableIDs), ""},
		{"CertificateARN", c.CertificateARN, ""},
	} {
		if x.value != "" {
			l.Add(x.field, x.value, "is decided by the shared platform (Platform): leave it unset"+x.hint)
		}
	}
}

// The composition: Validate checks these configs, New defines them, so both see the
// same ones.

func (c Config) newNetwork() network.Config {
	// Flow logs always: a VPC without them is a finding of every scanner, and the
	// retention follows the profile (3 days for PR environments).
	return network.Config{Environment: c.Environment, NAT: c.NAT, Endpoints: c.Endpoints, FlowLogs: true}
}

func (c Config) existingNetwork() network.Attributes {
	return network.Attributes{Environment: c.Environment, VPCID: c.ExistingVPCID, PublicSubnetIDs: c.PublicSubnetIDs,
		PrivateSubnetIDs: c.PrivateSubnetIDs, PrivateRouteTableIDs: c.ExistingPrivateRouteTableIDs,
		Egress: c.ExistingEgress, Endpoints: c.Endpoints}
}

func (c Config) platformNetwork() network.Attributes {
	p := c.Platform
	return network.Attributes{Environment: c.Environment, VPCID: p.VPCID, PublicSubnetIDs: p.PublicSubnetIDs,
		PrivateSubnetIDs: p.PrivateSubnetIDs, Egress: p.Egress}
}

func (c Config) platformListener() loadbalancer.ListenerAttributes {
	return loadbalancer.ListenerAttributes{ARN: c.Platform.ListenerARN, SecurityGroupID: c.Platform.LoadBalancerSecurityGroupID}
}

// platformCluster is the platform's cluster, which has the Fargate Spot capacity
// provider (examples/platform defines it with cluster.New).
func (c Config) platformCluster() cluster.Attributes {
	return cluster.Attributes{ARN: c.Platform.ClusterARN, FargateSpot: true}
}

func (c Config) cacheConfig(net *network.Network) cache.Config {
	return cache.Config{Environment: c.Environment, Network: net, ConnectionSecret: true, EnableUsageLimits: c.EnableCacheLimits}
}

func (c Config) serviceConfig(layout network.Layout, net *network.Network, cl *cluster.Cluster, redis *cache.Cache, listener *loadbalancer.Listener) lmsservice.Config {
	svc := lmsservice.Config{
		Environment: c.Environment, Network: net, Cluster: cl, Cache: redis, DBSecret: true, Image: c.Image,
		CPU: c.CPU, Memory: c.Memory, ContainerPort: c.ContainerPort, AutoscalingMaxCount: c.AutoscalingMaxCount, CertificateARN: c.CertificateARN,
		// Without NAT or endpoints, tasks take the free way out: public IPs in the public
		// subnets, still reachable only from the load balancer.
		AssignPublicIP: layout.Egress == network.EgressNone,
	}
	if p := c.Platform; p != nil {
		svc.Attach = &lmsservice.Attachment{Listener: listener, Hosts: []string{p.Host(c.Environment)}, Priority: p.RulePriority}
	}
	return svc
}
