package platform

import (
	"strings"

	"github.com/tapstack/infra/awsid"
	"github.com/tapstack/infra/constructs/awsstack"
	"github.com/tapstack/infra/constructs/cluster"
	"github.com/tapstack/infra/constructs/loadbalancer"
	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/constructs/network"
	"github.com/tapstack/infra/field"
)

// Defaults of the platform stack.
const (
	DefaultName   = "platform"
	DefaultRegion = "ca-central-1"
	StackBase     = "Platform"
	// DefaultTargetPort is the target port range of the default Config: port 80, the
	// TapStack service's container port.
	DefaultTargetPort = 80
	// NotFoundBody is the body of the shared listener's default action: a 404 for every
	// host that no attached environment has claimed.
	NotFoundBody = "No preview environment for this host.\n"
)

// Output names: a contract with the pipelines that create PR environments on the
// platform (docs/pr-environments.md maps each to the TapStack's PLATFORM_* variable).
const (
	OutputListenerARN         = "listener_arn"
	OutputALBSecurityGroupID  = "alb_security_group_id"
	OutputClusterARN          = "cluster_arn"
	OutputVPCID               = "vpc_id"
	OutputPublicSubnetIDs     = "public_subnet_ids"
	OutputPrivateSubnetIDs    = "private_subnet_ids"
	OutputALBDNSName          = "alb_dns_name"
	OutputALBZoneID           = "alb_zone_id"
	OutputPrivateSubnetEgress = "private_subnet_egress"
)

// Outputs returns the output names in a stable order (a new slice).
func Outputs() []string {
	return []string{OutputListenerARN, OutputALBSecurityGroupID, OutputClusterARN, OutputVPCID,
		OutputPublicSubnetIDs, OutputPrivateSubnetIDs, OutputALBDNSName, OutputALBZoneID, OutputPrivateSubnetEgress}
}

// Config configures the platform: the pieces that PR environments share.
type Config struct {
	// Environment names the platform's resources ("lms-alb-platform"): a platform
	// environment, "platform" or "platform-<name>" (naming.IsPlatform), so that its names
	// never meet those of an application environment. Required.
	Environment naming.Environment
	// Region of the AWS provider (awsid.ValidateRegion). Default: "ca-central-1".
	Region string
	// NAT of the network. Default: the profile's, NATSingle (the platform is not a PR
	// environment). With NAT (or Endpoints) attached services may run their tasks in
	// the private subnets.
	NAT network.NATMode
	// Endpoints adds the network's VPC endpoints (ECR, Logs, Secrets Manager, S3) for
	// private tasks without NAT. Default: false.
	Endpoints bool
	// CertificateARN is the ACM certificate of the HTTPS listener, in the stack's
	// account and region; it must cover the hosts of the attached environments (a
	// wildcard "*.<preview domain>"). Required.
	CertificateARN string
	// TargetPorts are the ports the load balancer may reach targets on: its security
	// group's one egress rule, TCP to the VPC CIDR. An attached service's container port
	// must be in the range. Default (the zero PortRange): 80 to 80.
	TargetPorts network.Port
	// AccessLogsBucket turns on the load balancer's access logs into this S3 bucket
	// (prefix "<project>-<env>"); its policy must allow ELB log delivery. Default: "", no
	// access logs.
	AccessLogsBucket string
	// StateBucket selects the S3 backend (key "<env>/<stack id>.tfstate"). Default: "",
	// a local state file, which the platform refuses unless AllowLocalState is set: it
	// is shared, long-lived infrastructure.
	StateBucket string
	// StateBucketRegion is the S3 backend's region. Default: "us-east-1".
	StateBucketRegion string
	// AllowLocalState lets the platform keep its state in a local file. Default: false.
	AllowLocalState bool
}

func (c Config) withDefaults() Config {
	if c.Region == "" {
		c.Region = DefaultRegion
	}
	if c.StateBucketRegion == "" {
		c.StateBucketRegion = awsstack.DefaultStateBucketRegion
	}
	if c.TargetPorts == (network.Port{}) {
		c.TargetPorts = network.TCP(DefaultTargetPort)
	}
	return c
}

// StackName returns "Platform<name>".
func (c Config) StackName() string { return c.Environment.StackName(StackBase) }

// StateKey returns the S3 state key of the stack defined under stackID.
func (c Config) StateKey(stackID string) string { return awsstack.StateKey(c.Environment, stackID) }

func (c Config) stack() awsstack.Config {
	return awsstack.Config{Environment: c.Environment, Region: c.Region, StateBucket: c.StateBucket,
		StateBucketRegion: c.StateBucketRegion, AllowLocalState: c.AllowLocalState,
		RemoteStateReason: "the shared platform" + quoted(c.Environment.Name()) + " needs remote state"}
}

// networkConfig is the platform's network: flow logs always, NAT and endpoints as
// configured.
// quoted is ` "<name>"`, or "" for no name.
func quoted(name string) string {
	if name == "" {
		return ""
	}
	return ` "` + name + `"`
}

func (c Config) networkConfig() network.Config {
	return network.Config{Environment: c.Environment, NAT: c.NAT, Endpoints: c.Endpoints, FlowLogs: true}
}

func (c Config) loadBalancerConfig(net *network.Network) loadbalancer.Config {
	return loadbalancer.Config{Environment: c.Environment, Network: net, CertificateARN: c.CertificateARN,
		TargetPorts: c.TargetPorts, NotFoundBody: NotFoundBody, AccessLogsBucket: c.AccessLogsBucket,
		SecurityGroupDescription: "Internet to the shared load balancer " + c.albName() + ", and on to attached services"}
}

func (c Config) clusterConfig() cluster.Config { return cluster.Config{Environment: c.Environment} }

func (c Config) albName() string {
	name, _ := c.Environment.Resource(naming.LoadBalancer, "alb") // checked by loadbalancer's Validate
	return name
}

// Validate returns every problem of c at once, as *field.Error values (the platform's
// own fields; a construct's other fields with its name in front), all before anything
// is defined and without jsii: each check is the construct's that owns it.
func (c Config) Validate() error {
	c = c.withDefaults()
	var l field.List
	switch env := c.Environment; {
	case env.IsZero():
	case env.IsPullRequest():
		l.Add("Environment", env.Name(), "is a PR environment: the platform outlives every PR, give it a platform name (\""+DefaultName+"\" or \"platform-<name>\")")
	case !naming.IsPlatform(env.Name()):
		l.Add("Environment", env.Name(), "is not a platform name: give the platform \""+DefaultName+"\" or \"platform-<name>\", so that its names never meet an application environment's")
	}
	l.Include("", c.stack().Validate())
	place := awsid.Place{}
	if awsid.ValidateRegion(c.Region) == nil {
		place = awsid.In(c.Region)
	}
	net := c.networkConfig()
	if c.CertificateARN == "" {
		l.Add("CertificateARN", "", "is required: the HTTPS listener needs an ACM certificate for the preview hosts (a wildcard *.<preview domain>)")
	}
	layout := net.Layout()
	layout.Place = place
	// Each construct reports a missing Environment too: said once, above.
	for _, part := range []error{
		field.Rename(net.ValidateIn(place), "Network", map[string]string{"NAT": "NAT", "Endpoints": "Endpoints"}),
		field.Rename(c.loadBalancerConfig(nil).ValidateFor(layout), "LoadBalancer",
			map[string]string{"CertificateARN": "CertificateARN", "TargetPorts": "TargetPorts", "AccessLogsBucket": "AccessLogsBucket", "Component": "Environment"}),
		field.Rename(c.clusterConfig().Validate(), "Cluster", map[string]string{"Component": "Environment"}),
	} {
		for _, e := range field.Split(part) {
			if fe, ok := e.(*field.Error); ok && c.Environment.IsZero() && strings.HasSuffix(fe.Field, "Environment") {
				continue
			}
			l.Include("", e)
		}
	}
	return l.Err()
}
