package lmsservice_test

import (
	"fmt"
	"os"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/constructs/cache"
	"github.com/tapstack/infra/constructs/lmsservice"
	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/constructs/network"
)

// A web service behind its ALB, with its cache, in a stage environment.
func ExampleNew() {
	outdir, _ := os.MkdirTemp("", "lmsservice-example")
	defer func() { _ = os.RemoveAll(outdir) }()
	app := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(outdir)})
	stack := cdktf.NewTerraformStack(app, jsii.String("Example"))
	provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{Region: jsii.String("ca-central-1")})

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

// Without NAT and without endpoints, private tasks could not start: the check says so
// before anything is defined (here against a plan of the network), with the three
// ways out.
func ExampleConfig_Validate() {
	env := naming.MustEnvironment("pr4892", naming.Options{Timestamp: "123456"})
	net := network.Config{Environment: env, NAT: network.NATNone}.Plan()
	err := lmsservice.Config{Environment: env, Network: net, Image: "nginx"}.Validate()
	fmt.Println(err)
	// Output:
	// tasks in the private subnets could not pull images or read secrets: the network has neither NAT nor VPC endpoints (Egress "none"). Fix one of: enable NAT (network.Config.NAT = NATSingle or NATPerAZ), add endpoints (network.Config.Endpoints = true), or run the tasks in the public subnets (lmsservice.Config.AssignPublicIP = true)
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
