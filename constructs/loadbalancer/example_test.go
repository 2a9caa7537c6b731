package loadbalancer_test

import (
	"fmt"
	"os"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/constructs/lmsservice"
	"github.com/tapstack/infra/constructs/loadbalancer"
	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/constructs/network"
)

func exampleStack() (cdktf.App, cdktf.TerraformStack, func()) {
	outdir, _ := os.MkdirTemp("", "loadbalancer-example")
	app := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(outdir)})
	stack := cdktf.NewTerraformStack(app, jsii.String("Example"))
	provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{Region: jsii.String("ca-central-1")})
	return app, stack, func() { _ = os.RemoveAll(outdir) }
}

// An internal load balancer that no service owns, with two services attached by host:
// each service opens its tasks to the load balancer and the load balancer's egress to
// them (both sides of the rule).
func ExampleNew() {
	app, stack, done := exampleStack()
	defer done()
	env := naming.MustEnvironment("stage", naming.Options{})
	net := network.New(stack, "Network", network.Config{Environment: env})
	lb := loadbalancer.New(stack, "Internal", loadbalancer.Config{Environment: env, Component: "internal", Network: net, Internal: true})
	for _, component := range []string{"billing", "reports"} {
		lmsservice.New(stack, component, lmsservice.Config{Environment: env, Component: component, Network: net,
			Image:  "public.ecr.aws/nginx/nginx:stable",
			Attach: &lmsservice.Attachment{Listener: lb.Listener(), Hosts: []string{component + ".internal.example.com"}}})
	}
	app.Synth()
	fmt.Println(lb.Name(), lb.Listener().Port())
	// Output: lms-internal-alb-stage 80
}

// A listener defined elsewhere, by ARN, with its load balancer's security group.
func ExampleListenerFromAttributes() {
	app, stack, done := exampleStack()
	defer done()
	listener := loadbalancer.ListenerFromAttributes(stack, "SharedListener", loadbalancer.ListenerAttributes{
		ARN:             "arn:aws:elasticloadbalancing:ca-central-1:123456789012:listener/app/lms-alb-platform/0123456789abcdef/fedcba9876543210",
		SecurityGroupID: "sg-0a1b2c3d4e5f60718",
	})
	app.Synth()
	_, owned := listener.LoadBalancer()
	fmt.Println(*listener.ARN() != "", owned)
	// Output: true false
}
