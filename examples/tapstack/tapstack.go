package tapstack

import (
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/constructs/awsstack"
	"github.com/tapstack/infra/constructs/cache"
	"github.com/tapstack/infra/constructs/cluster"
	"github.com/tapstack/infra/constructs/lmsservice"
	"github.com/tapstack/infra/constructs/loadbalancer"
	"github.com/tapstack/infra/constructs/network"
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
// The stack is set up by awsstack.Setup: the provider, the Terraform and provider
// versions it needs and its backend, S3 with a lock file when StateBucket is set (key
// StateKey(id)), otherwise a local state file whose path is relative, so the JSON is the
// same from any directory (awsstack.LocalStatePath).
//
// Child IDs: "aws" (provider), "backend" (the S3 or local backend), "Network", "Cache",
// "Service", and the outputs of Outputs (and OutputPreviewURL on the platform).
//
// With Config.Platform the stack attaches to the shared platform: the network adopts
// the platform's VPC and subnets (network.FromAttributes: no VPC, NAT or Elastic IP),
// "Cluster" adopts its cluster and "SharedListener" its listener, and the service runs
// there behind a host rule (no load balancer, listener or cluster of its own); vpc_id
// is the platform's VPC and alb_dns_name the shared load balancer's.
func New(scope constructs.Construct, id string, cfg Config) *TapStack {
	if err := cfg.Validate(); err != nil {
		panic("tapstack.New(\"" + id + "\"): invalid Config:\n" + err.Error())
	}
	t := &TapStack{cfg: cfg.withDefaults()}
	cdktf.NewTerraformStack_Override(t, scope, jsii.String(id))
	c := t.cfg
	awsstack.Setup(t, id, c.stack())

	var cl *cluster.Cluster
	var listener *loadbalancer.Listener
	switch {
	case c.Platform != nil:
		t.network = network.FromAttributes(t, "Network", c.platformNetwork())
		cl = cluster.FromAttributes(t, "Cluster", c.platformCluster())
		listener = loadbalancer.ListenerFromAttributes(t, "SharedListener", c.platformListener())
	case c.ExistingVPCID != "":
		t.network = network.FromAttributes(t, "Network", c.existingNetwork())
	default:
		t.network = network.New(t, "Network", c.newNetwork())
	}
	t.cache = cache.New(t, "Cache", c.cacheConfig(t.network))
	t.service = lmsservice.New(t, "Service", c.serviceConfig(t.network.Layout(), t.network, cl, t.cache, listener))
	redisSecret, _ := t.cache.ConnectionSecretARN() // the TapStack's cache always has one
	dbSecret, _ := t.service.DBSecretARN()          // and its service a DB secret
	albDNS, _ := t.service.LoadBalancerDNSName()    // and a load balancer

	type output struct {
		name, description string
		value             *string
	}
	outputs := []output{
		{OutputVPCID, "VPC ID", t.network.VPCID()},
		{OutputALBDNSName, "DNS name of the Application Load Balancer", albDNS},
		{OutputClusterName, "ECS cluster name", t.service.ClusterName()},
		{OutputServiceName, "ECS service name", t.service.ServiceName()},
		{OutputCacheName, "ElastiCache Serverless cache name", t.cache.NameRef()},
		{OutputDBSecretARN, "ARN of the database credentials secret", dbSecret},
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
