package platform

import (
	"errors"
	"fmt"
	"strings"

	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/constructs/network"
	"github.com/tapstack/infra/internal/stackapp"
	"github.com/tapstack/infra/internal/tfx"
)

// Defaults of the platform stack.
const (
	DefaultName = "platform"
	StackBase   = "Platform"
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

// Outputs lists the output names in a stable order.
var Outputs = []string{OutputListenerARN, OutputALBSecurityGroupID, OutputClusterARN, OutputVPCID,
	OutputPublicSubnetIDs, OutputPrivateSubnetIDs, OutputALBDNSName, OutputALBZoneID, OutputPrivateSubnetEgress}

// FieldError is a problem of one Config field (Config.Validate): the field, the value
// as given and the reason; the app names the environment variable instead.
type FieldError = stackapp.FieldError

// VarError is a problem of one environment variable (ConfigFromLookup), one line:
// `NAME="value": reason`.
type VarError = stackapp.VarError

// PortRange is a range of TCP ports, From to To inclusive.
type PortRange struct{ From, To int }

// String is "80" or "8000-8100".
func (r PortRange) String() string {
	if r.From == r.To {
		return fmt.Sprint(r.From)
	}
	return fmt.Sprintf("%d-%d", r.From, r.To)
}

// Config configures the platform: the pieces that PR environments share.
type Config struct {
	// Environment names the platform's resources ("lms-alb-platform"). Required; not a
	// PR environment (the platform outlives every PR).
	Environment naming.Environment
	// Region of the AWS provider (naming.ValidateRegion). Default: "ca-central-1".
	Region string
	// NAT of the network. Default: the profile's, NATSingle (the platform is not a PR
	// environment). With NAT (or Endpoints) attached services may run their tasks in
	// the private subnets.
	NAT network.NATMode
	// Endpoints adds the network's VPC endpoints (ECR, Logs, Secrets Manager, S3) for
	// private tasks without NAT. Default: false.
	Endpoints bool
	// CertificateARN is the ACM certificate of the HTTPS listener, in Region; it must
	// cover the hosts of the attached environments (a wildcard "*.<preview domain>").
	// Required.
	CertificateARN string
	// TargetPorts are the ports the load balancer may reach targets on: its security
	// group's one egress rule, TCP to the VPC CIDR. An attached service's container port
	// must be in the range. Default: 80 to 80.
	TargetPorts PortRange
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
		c.Region = stackapp.DefaultRegion
	}
	if c.StateBucketRegion == "" {
		c.StateBucketRegion = stackapp.DefaultStateBucketRegion
	}
	if c.TargetPorts == (PortRange{}) {
		c.TargetPorts = PortRange{DefaultTargetPort, DefaultTargetPort}
	}
	return c
}

// StackName returns "Platform<name>".
func (c Config) StackName() string { return c.Environment.StackName(StackBase) }

// StateKey returns the S3 state key of the stack defined under stackID:
// "<env>/<stackID>.tfstate" ("platform/Platformplatform.tfstate").
func (c Config) StateKey(stackID string) string { return c.Environment.StateKey(stackID) }

func (c Config) state() stackapp.State {
	return stackapp.State{Bucket: c.StateBucket, BucketRegion: c.StateBucketRegion, AllowLocal: c.AllowLocalState}
}

// networkConfig is the platform's network: flow logs always, NAT and endpoints as
// configured.
func (c Config) networkConfig() network.Config {
	return network.Config{Environment: c.Environment, NAT: c.NAT, Endpoints: c.Endpoints, FlowLogs: true}
}

// Validate returns every problem of c at once: the platform's own fields as *FieldError
// (field, value, reason), then the network's, all before anything is defined and
// without jsii.
func (c Config) Validate() error {
	c = c.withDefaults()
	var f stackapp.Fields
	envSet := !c.Environment.IsZero()
	needsRemote := ""
	switch {
	case !envSet:
		f.Add("Environment", "", "is required (build one with naming.NewEnvironment)")
	case c.Environment.IsPullRequest():
		f.Add("Environment", c.Environment.Name(), "is a PR environment: the platform outlives every PR, give it a name of its own (like \""+DefaultName+"\")")
	default:
		needsRemote = fmt.Sprintf("the shared platform %q", c.Environment.Name())
	}
	c.state().Check(&f, c.Region, needsRemote)
	switch arn := c.CertificateARN; {
	case arn == "":
		f.Add("CertificateARN", "", "is required: the HTTPS listener needs an ACM certificate for the preview hosts (a wildcard *.<preview domain>)")
	case tfx.IsToken(arn):
	case !tfx.IsCertificateARN(arn):
		f.Add("CertificateARN", arn, "is not an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)")
	case strings.Split(arn, ":")[3] != c.Region:
		f.Add("CertificateARN", arn, fmt.Sprintf("is in %s, but the load balancer is in %s: a load balancer takes certificates of its own region", strings.Split(arn, ":")[3], c.Region))
	}
	if p := c.TargetPorts; p.From < 1 || p.To > 65535 || p.From > p.To {
		f.Add("TargetPorts", p.String(), "is not a port range: want 1 <= From <= To <= 65535")
	}
	if c.AccessLogsBucket != "" {
		f.Check("AccessLogsBucket", c.AccessLogsBucket, tfx.BucketNameError(c.AccessLogsBucket))
	}
	if envSet {
		if _, err := c.names(c.Environment); err != nil {
			f.Add("Environment", c.Environment.Name(), "cannot name the platform's resources: "+err.Error())
		}
	}
	errs := f.Errs()
	if envSet {
		errs = append(errs, c.networkConfig().Validate())
	}
	return errors.Join(errs...)
}

// names are the platform's physical names.
type names struct{ alb, albSG, cluster string }

func (c Config) names(env naming.Environment) (names, error) {
	var n names
	var errs [3]error
	n.alb, errs[0] = env.Resource(naming.LoadBalancer, "alb")
	n.albSG, errs[1] = env.Resource(naming.SecurityGroup, "alb-sg")
	n.cluster, errs[2] = env.Resource(naming.ECSCluster, "cluster")
	return n, errors.Join(errs[:]...)
}
