// Package lms is another team's application stack, built in its own module from the
// library's public API only: an existing VPC adopted from Terraform references, one ECS
// cluster, one cache, a "web" service with its own load balancer, an "api" service on
// web's listener routed by path, a background "worker" without a load balancer, and a
// queue of the team's own, named and checked by the library's identity machinery.
//
// It is the proof of docs/importing.md: make test synthesizes it, validates, plans and
// mock-applies it with Terraform and OpenTofu, and its own tests (lms_test.go) use the
// library's verify package to show what a routine change does to live resources.
package lms

import (
	"fmt"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/cloudwatchmetricalarm"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawssubnets"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/sqsqueue"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/awsid"
	"github.com/tapstack/infra/constructs/awsstack"
	"github.com/tapstack/infra/constructs/cache"
	"github.com/tapstack/infra/constructs/cluster"
	"github.com/tapstack/infra/constructs/identity"
	"github.com/tapstack/infra/constructs/lmsservice"
	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/constructs/network"
	"github.com/tapstack/infra/field"
)

// Config is what differs between the team's environments.
type Config struct {
	// Environment of the stack ("stage", "prod", "pr4892"), project "shop".
	Environment naming.Environment
	// Region of the stack. Required.
	Region string
	// VPCID of the existing VPC; its subnets are found by their "Tier" tag.
	VPCID string
	// ImageTag of the application image, the one value a routine deploy changes.
	ImageTag string
	// MediaBucketARN is the S3 bucket the web service reads course media from.
	MediaBucketARN string
	// DatabaseSecretARN is the RDS-managed secret of the existing database.
	DatabaseSecretARN string
	// FeatureFlagsParameterARN is an SSM parameter the api reads at start.
	FeatureFlagsParameterARN string
	// StateBucket holds the Terraform state; production refuses local state.
	StateBucket string
}

// Stack is the team's stack and the parts its tests and outputs read.
type Stack struct {
	cdktf.TerraformStack
	Network          *network.Network
	Cluster          *cluster.Cluster
	Cache            *cache.Cache
	Web, API, Worker *lmsservice.Service
	Jobs             sqsqueue.SqsQueue
}

const image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop"

// Validate checks the team's own values with the library's pure-Go checks (field names
// and values in every message, all problems at once), so that main refuses a bad
// variable before anything is synthesized. The constructs check the rest when New
// defines them.
func (c Config) Validate() error {
	var errs field.List
	if c.Environment.IsZero() {
		errs.Add("Environment", "", "is required")
	}
	if err := awsid.ValidateRegion(c.Region); err != nil {
		errs.Check("Region", c.Region, err)
		return errs.Err()
	}
	place := awsid.In(c.Region)
	errs.Check("VPCID", c.VPCID, awsid.VPCID.Check(c.VPCID))
	if c.ImageTag == "" || strings.ContainsAny(c.ImageTag, ":@/ ") {
		errs.Add("ImageTag", c.ImageTag, "is not an image tag")
	}
	for name, check := range map[string]struct {
		kind  awsid.ARNKind
		value string
	}{
		"MediaBucketARN":           {awsid.BucketARN, c.MediaBucketARN},
		"DatabaseSecretARN":        {awsid.SecretARN, c.DatabaseSecretARN},
		"FeatureFlagsParameterARN": {awsid.SSMParameterARN, c.FeatureFlagsParameterARN},
	} {
		errs.Check(name, check.value, check.kind.CheckIn(check.value, place))
	}
	return errs.Err()
}

// New defines the stack id in app. Like the library's constructs, it panics with every
// problem of a value the library refuses; Validate finds the team's own first.
func New(app constructs.Construct, id string, cfg Config) *Stack {
	env := cfg.Environment
	stack := awsstack.New(app, id, awsstack.Config{
		Environment: env, Region: cfg.Region,
		StateBucket: cfg.StateBucket, StateBucketRegion: cfg.Region,
	})
	s := &Stack{TerraformStack: stack}

	// The VPC exists; its subnets are whatever the network team tagged, read at plan
	// time: a list token, which the library takes as a list of unknown length.
	subnets := func(tier string) []string {
		return network.TokenList(dataawssubnets.NewDataAwsSubnets(stack, jsii.String(strings.ToUpper(tier[:1])+tier[1:]+"Subnets"), &dataawssubnets.DataAwsSubnetsConfig{
			Filter: []dataawssubnets.DataAwsSubnetsFilter{
				{Name: jsii.String("vpc-id"), Values: jsii.Strings(cfg.VPCID)},
				{Name: jsii.String("tag:Tier"), Values: jsii.Strings(tier)},
			},
		}).Ids())
	}
	s.Network = network.FromAttributes(stack, "Network", network.Attributes{
		Environment: env, VPCID: cfg.VPCID,
		PublicSubnetIDs: subnets("public"), PrivateSubnetIDs: subnets("private"),
		Egress: network.EgressNAT,
	})
	s.Cluster = cluster.New(stack, "Cluster", cluster.Config{Environment: env})
	s.Cache = cache.New(stack, "Cache", cache.Config{Environment: env, Network: s.Network, ConnectionSecret: true})

	common := func(component string) lmsservice.Config {
		return lmsservice.Config{
			Environment: env, Component: component, Network: s.Network, Cluster: s.Cluster, Cache: s.Cache,
			Image: image + ":" + cfg.ImageTag,
		}
	}

	web := common("web")
	web.HealthCheckPath = "/healthz"
	web.ContainerPort = 3000
	web.AutoscalingMaxCount = 6
	web.AutoscalingRequestsPerTarget = 1000
	s.Web = lmsservice.New(stack, "Web", web)
	s.Web.GrantReadBucket(cfg.MediaBucketARN, "")
	listener, _ := s.Web.Listener()

	api := common("api")
	api.Attach = &lmsservice.Attachment{Listener: listener, Paths: []string{"/api/*"}, Priority: 10}
	api.ContainerPort = 8080
	api.HealthCheckPath = "/api/health"
	api.Secrets = map[string]lmsservice.SecretRef{
		"DB_PASSWORD":   {ARN: cfg.DatabaseSecretARN, JSONKey: "password"},
		"DB_USERNAME":   {ARN: cfg.DatabaseSecretARN, JSONKey: "username"},
		"FEATURE_FLAGS": {ARN: cfg.FeatureFlagsParameterARN},
	}
	api.AutoscalingMaxCount = 4
	api.AutoscalingCPUPercent = 60
	api.AutoscalingMemoryPercent = 75
	s.API = lmsservice.New(stack, "API", api)
	// Web renders pages from the api's data: straight to its tasks, not through the
	// load balancer. Both sides of the rule, on api's port.
	s.API.Connections().AllowFrom(s.Web.Connections(), network.TCP(s.API.ContainerPort()))

	worker := common("worker")
	worker.Ingress = lmsservice.IngressNone
	worker.Command = []string{"bin/worker", "--queue", "jobs"}
	worker.Architecture = lmsservice.ArchitectureARM64
	worker.DesiredCount = new(1)
	worker.Secrets = map[string]lmsservice.SecretRef{"DB_PASSWORD": {ARN: cfg.DatabaseSecretARN, JSONKey: "password"}}
	s.Worker = lmsservice.New(stack, "Worker", worker)

	s.Jobs = jobsQueue(stack, env)
	s.API.Grant([]string{"sqs:SendMessage"}, *s.Jobs.Arn())
	s.Worker.Grant([]string{"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility"}, *s.Jobs.Arn())

	cloudwatchmetricalarm.NewCloudwatchMetricAlarm(stack, jsii.String("JobsBacklog"), &cloudwatchmetricalarm.CloudwatchMetricAlarmConfig{
		AlarmName:          s.Jobs.Name(), // a name of the queue's: stable for a PR environment too
		Namespace:          jsii.String("AWS/SQS"),
		MetricName:         jsii.String("ApproximateAgeOfOldestMessage"),
		Statistic:          jsii.String("Maximum"),
		Period:             jsii.Number(300),
		EvaluationPeriods:  jsii.Number(3),
		Threshold:          jsii.Number(900),
		ComparisonOperator: jsii.String("GreaterThanThreshold"),
		Dimensions:         &map[string]*string{"QueueName": s.Jobs.Name()},
	})

	webDNS, _ := s.Web.LoadBalancerDNSName()
	for name, value := range map[string]*string{
		"web_url":          jsii.String("http://" + *webDNS),
		"jobs_queue_url":   s.Jobs.Url(),
		"ecs_cluster_name": s.Cluster.Name(),
	} {
		cdktf.NewTerraformOutput(stack, jsii.String(name), &cdktf.TerraformOutputConfig{Value: value})
	}
	return s
}

// jobsQueue is the team's own resource: a queue the library has no construct for. Its
// name comes from the library's identity (the stack's region, the PR suffix kept in
// state, so a re-push keeps it) and is claimed in the app's registry, so that a second
// queue of the same name in the region fails the synthesis, as the library's own names
// do.
func jobsQueue(stack cdktf.TerraformStack, env naming.Environment) sqsqueue.SqsQueue {
	sc := identity.EnterStack(stack) // a resource of the stack itself, not of a construct
	id, err := sc.Identity(env, "jobs")
	if err != nil {
		panic(fmt.Sprintf("lms: the jobs queue: %v", err))
	}
	name, err := id.Resource(naming.SQSQueue, "queue")
	if err != nil {
		panic(fmt.Sprintf("lms: the jobs queue: %v", err))
	}
	sc.Claim(identity.Name{Kind: naming.SQSQueue, Name: name, Resource: "Jobs", Fix: "environment (lms.Config.Environment)"})
	return sqsqueue.NewSqsQueue(stack, jsii.String("Jobs"), &sqsqueue.SqsQueueConfig{
		Name:                     jsii.String(name),
		MessageRetentionSeconds:  jsii.Number(4 * 24 * 3600),
		VisibilityTimeoutSeconds: jsii.Number(300),
		SqsManagedSseEnabled:     jsii.Bool(true),
		Tags:                     &map[string]*string{"Name": jsii.String(name)},
	})
}
