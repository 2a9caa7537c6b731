package lmsservice_test

import (
	"fmt"
	"os"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucket"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/constructs/cache"
	"github.com/tapstack/infra/constructs/cluster"
	"github.com/tapstack/infra/constructs/lmsservice"
	"github.com/tapstack/infra/constructs/loadbalancer"
	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/constructs/network"
)

// exampleStack is an app with one stack in ca-central-1, and what it takes to write it
// out: the examples synthesize into a temporary directory.
func exampleStack() (cdktf.App, cdktf.TerraformStack, func()) {
	outdir, _ := os.MkdirTemp("", "lmsservice-example")
	app := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(outdir)})
	stack := cdktf.NewTerraformStack(app, jsii.String("Example"))
	provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{Region: jsii.String("ca-central-1")})
	return app, stack, func() { _ = os.RemoveAll(outdir) }
}

// A web service behind its own internet-facing load balancer, with its cache, in a
// stage environment.
func ExampleNew() {
	app, stack, done := exampleStack()
	defer done()
	env := naming.MustEnvironment("stage", naming.Options{})
	net := network.New(stack, "Network", network.Config{Environment: env})
	redis := cache.New(stack, "Cache", cache.Config{Environment: env, Network: net, ConnectionSecret: true})
	svc := lmsservice.New(stack, "Service", lmsservice.Config{
		Environment: env,
		Component:   "web", // names: lms-web-alb-stage, /ecs/lms-stage/web, ...
		Network:     net,
		Cache:       redis, // opened to the tasks only; REDIS_HOST, REDIS_PORT, REDIS_URL wired in
		Image:       "public.ecr.aws/nginx/nginx:stable",
	})
	app.Synth()
	fmt.Println(*svc.LogGroupName())
	// Output: /ecs/lms-stage/web
}

// A team's app: web behind its own load balancer, api on web's listener by path, a
// worker without a load balancer, all in one cluster; web may call api, the worker
// reads a bucket.
func ExampleNew_shapes() {
	app, stack, done := exampleStack()
	defer done()
	env := naming.MustEnvironment("stage", naming.Options{})
	net := network.New(stack, "Network", network.Config{Environment: env})
	shared := cluster.New(stack, "Cluster", cluster.Config{Environment: env})
	web := lmsservice.New(stack, "Web", lmsservice.Config{Environment: env, Component: "web", Network: net, Cluster: shared,
		Image: "nginx"})
	listener, _ := web.Listener()
	api := lmsservice.New(stack, "Api", lmsservice.Config{Environment: env, Component: "api", Network: net, Cluster: shared,
		Image: "my-api", ContainerPort: 8080,
		Attach: &lmsservice.Attachment{Listener: listener, Paths: []string{"/api/*"}, Priority: 10}})
	worker := lmsservice.New(stack, "Worker", lmsservice.Config{Environment: env, Component: "worker", Network: net, Cluster: shared,
		Image: "my-worker", Ingress: lmsservice.IngressNone, Command: []string{"bundle", "exec", "sidekiq"}})
	api.Connections().AllowFrom(web.Connections(), network.TCP(api.ContainerPort()))
	uploads := s3bucket.NewS3Bucket(stack, jsii.String("Uploads"), &s3bucket.S3BucketConfig{})
	worker.GrantReadBucket(*uploads.Arn(), "")
	app.Synth()
	fmt.Println(*api.ServiceName() != "", *worker.LogGroupName())
	// Output: true /ecs/lms-stage/worker
}

// A PR environment on the shared platform: a host rule on the platform's listener, in
// the platform's cluster, on Fargate Spot (the PR profile).
func ExampleAttachment() {
	app, stack, done := exampleStack()
	defer done()
	env := naming.MustEnvironment("pr4892", naming.Options{Timestamp: "123456"})
	net := network.FromAttributes(stack, "Network", network.Attributes{Environment: env, VPCID: "vpc-0a1b2c3d",
		PublicSubnetIDs: []string{"subnet-0000000a", "subnet-0000000b"}, PrivateSubnetIDs: []string{"subnet-0000000c", "subnet-0000000d"}})
	listener := loadbalancer.ListenerFromAttributes(stack, "SharedListener", loadbalancer.ListenerAttributes{
		ARN:             "arn:aws:elasticloadbalancing:ca-central-1:123456789012:listener/app/lms-alb-platform/0123456789abcdef/fedcba9876543210",
		SecurityGroupID: "sg-0a1b2c3d4e5f60718",
	})
	svc := lmsservice.New(stack, "Service", lmsservice.Config{
		Environment:    env,
		Network:        net,
		Cluster:        cluster.FromAttributes(stack, "Cluster", cluster.Attributes{ARN: "arn:aws:ecs:ca-central-1:123456789012:cluster/lms-cluster-platform", FargateSpot: true}),
		AssignPublicIP: true, // the platform has no NAT: public IPs, reachable only from the shared load balancer
		Image:          "public.ecr.aws/nginx/nginx:stable",
		Attach:         &lmsservice.Attachment{Listener: listener, Hosts: []string{"pr4892.preview.example.com"}},
	})
	app.Synth()
	a, _ := svc.Attachment()
	fmt.Println(a.Priority, svc.Config().Capacity)
	// Output: 4892 fargate-spot
}

// Without NAT and without endpoints, private tasks could not start: the check says so
// before anything is defined (here against the layout of a network not yet defined),
// with the three ways out.
func ExampleConfig_ValidateFor() {
	env := naming.MustEnvironment("pr4892", naming.Options{Timestamp: "123456"})
	layout := network.Config{Environment: env, NAT: network.NATNone}.Layout()
	err := lmsservice.Config{Environment: env, Image: "nginx"}.ValidateFor(layout)
	fmt.Println(err)
	// Output:
	// Network gives tasks in the private subnets no way to pull images or read secrets: it has neither NAT nor VPC endpoints (Egress "none"). Fix one of: enable NAT (network.Config.NAT = NATSingle or NATPerAZ), add endpoints (network.Config.Endpoints = true), or run the tasks in the public subnets (lmsservice.Config.AssignPublicIP = true)
}

// The listener rule priority of an attached service comes from its environment: the PR
// number, folded into 1..50000.
func ExampleRulePriority() {
	for _, name := range []string{"pr77", "pr4892", "pr123456"} {
		fmt.Println(name, lmsservice.RulePriority(naming.MustEnvironment(name, naming.Options{Timestamp: "000001"})))
	}
	// Output:
	// pr77 77
	// pr4892 4892
	// pr123456 23456
}
