package platform_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/examples/platform"
)

// The shared platform of PR environments in your own app: its outputs are what the
// attached stacks take (tapstack.Platform, PLATFORM_* variables of cmd/tapstack).
func ExampleNew() {
	outdir, _ := os.MkdirTemp("", "platform-example")
	defer func() { _ = os.RemoveAll(outdir) }()

	env := naming.MustEnvironment(platform.DefaultName, naming.Options{})
	cfg := platform.Config{Environment: env, Region: "eu-west-1", StateBucket: "acme-tf-states",
		CertificateARN: "arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8091-a2b3c4d5e6f7"}
	if err := cfg.Validate(); err != nil {
		fmt.Println(err)
		return
	}
	app := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(outdir)})
	p := platform.New(app, cfg.StackName(), cfg)
	app.Synth()

	fmt.Println(cfg.StackName(), cfg.StateKey(cfg.StackName()))
	fmt.Println(p.LoadBalancer().Name())
	fmt.Println(strings.Join(platform.Outputs(), " "))
	// Output:
	// Platformplatform platform/Platformplatform.tfstate
	// lms-alb-platform
	// listener_arn alb_security_group_id cluster_arn vpc_id public_subnet_ids private_subnet_ids alb_dns_name alb_zone_id private_subnet_egress
}

// A platform's environment is "platform" or "platform-<name>", so that its names never
// meet those of an application environment.
func ExampleConfig_Validate() {
	stage := naming.MustEnvironment("stage", naming.Options{})
	fmt.Println(platform.Config{Environment: stage, CertificateARN: "arn:aws:acm:ca-central-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8091-a2b3c4d5e6f7"}.Validate())
	// Output:
	// Environment "stage" is not a platform name: give the platform "platform" or "platform-<name>", so that its names never meet an application environment's
	// StateBucket is empty: the shared platform "stage" needs remote state: set StateBucket, or set AllowLocalState to true to keep its state in a local file on purpose
}
