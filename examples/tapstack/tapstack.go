package tapstack

import (
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/constructs/cache"
	"github.com/tapstack/infra/constructs/lmsservice"
	"github.com/tapstack/infra/constructs/network"
	"github.com/tapstack/infra/internal/stackapp"
	"github.com/tapstack/infra/internal/tfx"
)

// TapStack is the composed stack.
type TapStack struct {
	cdktf.TerraformStack

	cfg     Config
	network *network.Network
	cache   *cache.Cache
	service *lmsservice.Service
}

// New defines the TapStack in scope (an app) under id, conventionally cfg.StackName().
// It validates cfg first (the whole composition: Config.Validate) and panics with every
// problem before defining anything.
//
// The stack declares the Terraform version it needs (RequiredTerraformVersion) and its
// backend: S3 with a lock file when StateBucket is set (key StateKey(id)), otherwise a
// local state file whose path is relative, so the JSON is the same from any directory
// (see LocalStatePath).
//
// Child IDs: "aws" (provider), "Backend" (the S3 or local backend), "Network", "Cache",
// "Service", and the outputs in Outputs (and OutputPreviewURL on the platform).
//
// With Config.Platform the stack attaches to the shared platform: the network adopts
// the platform's VPC and subnets (no VPC, NAT or Elastic IP), and the service runs in
// the platform's cluster behind a host rule on the shared listener (no load balancer,
// listener or cluster); vpc_id is the platform's VPC and alb_dns_name the shared load
// balancer's.
func New(scope constructs.Construct, id string, cfg Config) *TapStack {
	tfx.MustBeValid("tapstack", id, cfg.Validate())
	t := &TapStack{cfg: cfg.withDefaults()}
	cdktf.NewTerraformStack_Override(t, scope, jsii.String(id))
	c := t.cfg
	stackapp.Setup(t, id, c.Environment, c.Region, c.state())

	t.network = network.New(t, "Network", c.networkConfig())
	t.cache = cache.New(t, "Cache", c.cacheConfig(t.network))
	t.service = lmsservice.New(t, "Service", c.serviceConfig(t.network, t.cache))
	redisSecret, _ := t.cache.ConnectionSecretARN() // the TapStack's cache always has one

	type output struct {
		name, description string
		value             *string
	}
	outputs := []output{
		{OutputVPCID, "VPC ID", t.network.VPCID()},
		{OutputALBDNSName, "DNS name of the Application Load Balancer", t.service.LoadBalancerDNSName()},
		{OutputClusterName, "ECS cluster name", t.service.ClusterName()},
		{OutputServiceName, "ECS service name", t.service.ServiceName()},
		{OutputCacheName, "ElastiCache Serverless cache name", t.cache.NameRef()},
		{OutputDBSecretARN, "ARN of the database credentials secret", t.service.DBSecretARN()},
		{OutputRedisSecretARN, "ARN of the Redis connection secret", redisSecret},
	}
	if p := c.Platform; p != nil {
		outputs = append(outputs, output{OutputPreviewURL, "URL of the environment on the shared load balancer", jsii.String(p.PreviewURL(c.Environment))})
	}
	for _, o := range outputs {
		cdktf.NewTerraformOutput(t, jsii.String(o.name), &cdktf.TerraformOutputConfig{
			Value: o.value, Description: jsii.String(o.description),
		})
	}
	return t
}

// Config returns the configuration with defaults applied.
func (t *TapStack) Config() Config { return t.cfg }

// Network returns the stack's network.
func (t *TapStack) Network() *network.Network { return t.network }

// Cache returns the stack's cache.
func (t *TapStack) Cache() *cache.Cache { return t.cache }

// Service returns the stack's LMS service.
func (t *TapStack) Service() *lmsservice.Service { return t.service }
