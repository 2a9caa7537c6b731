package platform

import (
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/constructs/awsstack"
	"github.com/tapstack/infra/constructs/cluster"
	"github.com/tapstack/infra/constructs/loadbalancer"
	"github.com/tapstack/infra/constructs/network"
)

// Platform is the stack of shared pieces.
type Platform struct {
	cdktf.TerraformStack

	cfg     Config
	network *network.Network
	lb      *loadbalancer.LoadBalancer
	cluster *cluster.Cluster
}

// New defines the platform stack in scope (an app) under id, conventionally
// cfg.StackName(). It validates cfg first and panics with every problem before
// defining anything. Like the TapStack, it is set up by awsstack.Setup (provider,
// versions, backend: S3 with a lock file, key StateKey(id), or a local file).
//
// Child IDs: "aws" (provider), "backend", "Network" (network.New, flow logs on), the load
// balancer (loadbalancer.New under the ID "Default", so that its resources sit at the
// stack's top level: "LoadBalancerSecurityGroup", "LoadBalancerIngressHTTP",
// "LoadBalancerIngressHTTPS", "LoadBalancerEgress", "LoadBalancer", "HTTPSListener"
// (certificate, TLS 1.3 policy, default action a fixed 404), "HTTPListener" (301 to
// HTTPS)), "Cluster" (cluster.New: Fargate and Fargate Spot), and the outputs of
// Outputs.
func New(scope constructs.Construct, id string, cfg Config) *Platform {
	if err := cfg.Validate(); err != nil {
		panic("platform.New(\"" + id + "\"): invalid Config:\n" + err.Error())
	}
	p := &Platform{cfg: cfg.withDefaults()}
	cdktf.NewTerraformStack_Override(p, scope, jsii.String(id))
	c := p.cfg
	awsstack.Setup(p, id, c.stack())
	p.network = network.New(p, "Network", c.networkConfig())
	p.lb = loadbalancer.New(p, "Default", c.loadBalancerConfig(p.network))
	p.cluster = cluster.New(p, "Cluster", c.clusterConfig())
	for _, o := range []struct {
		name, description string
		value             any
	}{
		{OutputListenerARN, "ARN of the shared HTTPS listener: PLATFORM_LISTENER_ARN of attached stacks", p.lb.Listener().ARN()},
		{OutputALBSecurityGroupID, "Security group of the shared load balancer: PLATFORM_ALB_SECURITY_GROUP_ID", p.lb.Connections().SecurityGroupID()},
		{OutputClusterARN, "ARN of the shared ECS cluster: PLATFORM_CLUSTER_ARN", p.cluster.ARN()},
		{OutputVPCID, "VPC ID: PLATFORM_VPC_ID", p.network.VPCID()},
		// The lists as one token each: cdktf 0.20 calls Node's deprecated util.isArray on
		// an output value that is a plain list, and Node.js 22 warns on stderr of every
		// synth (DEP0044). The synthesized output is the same.
		{OutputPublicSubnetIDs, "Public subnet IDs: PLATFORM_PUBLIC_SUBNET_IDS (comma-separated)", cdktf.Token_AsAny(p.network.PublicSubnetIDs())},
		{OutputPrivateSubnetIDs, "Private subnet IDs: PLATFORM_PRIVATE_SUBNET_IDS (comma-separated)", cdktf.Token_AsAny(p.network.PrivateSubnetIDs())},
		{OutputALBDNSName, "DNS name of the shared load balancer: the target of the preview domain's wildcard record", p.lb.DNSName()},
		{OutputALBZoneID, "Hosted zone ID of the shared load balancer, for a Route 53 alias record", p.lb.ZoneID()},
		{OutputPrivateSubnetEgress, "Egress of the private subnets (nat, endpoints or none): PLATFORM_EGRESS", string(p.network.Egress())},
	} {
		cdktf.NewTerraformOutput(p, jsii.String(o.name), &cdktf.TerraformOutputConfig{
			Value: o.value, Description: jsii.String(o.description),
		})
	}
	return p
}

// Config returns the configuration with defaults applied.
func (p *Platform) Config() Config { return p.cfg }

// Network returns the platform's network.
func (p *Platform) Network() *network.Network { return p.network }

// LoadBalancer returns the shared load balancer: its Listener is what attached
// services' rules go on.
func (p *Platform) LoadBalancer() *loadbalancer.LoadBalancer { return p.lb }

// Cluster returns the shared ECS cluster.
func (p *Platform) Cluster() *cluster.Cluster { return p.cluster }
