package tapstack_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/examples/tapstack"
)

// The TapStack of an environment in your own app: validate the Config (every problem
// at once, each naming its field), then define and synthesize the stack.
func ExampleNew() {
	outdir, _ := os.MkdirTemp("", "tapstack-example")
	defer func() { _ = os.RemoveAll(outdir) }()

	env := naming.MustEnvironment("stage", naming.Options{})
	cfg := tapstack.Config{Environment: env, Region: "eu-west-1", StateBucket: "acme-tf-states"}
	if err := cfg.Validate(); err != nil {
		fmt.Println(err)
		return
	}
	app := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(outdir)})
	stack := tapstack.New(app, cfg.StackName(), cfg)
	app.Synth()

	fmt.Println(cfg.StackName(), cfg.StateKey(cfg.StackName()))
	fmt.Println(*stack.Service().LogGroupName())
	_, err := os.Stat(filepath.Join(outdir, "stacks", cfg.StackName(), "cdk.tf.json"))
	fmt.Println("written:", err == nil)
	fmt.Println(strings.Join(tapstack.Outputs(), " "))
	// Output:
	// TapStackstage stage/TapStackstage.tfstate
	// /ecs/lms-stage
	// written: true
	// vpc_id alb_dns_name ecs_cluster_name ecs_service_name redis_cache_name db_secret_arn redis_secret_arn
}

// Validate reports every problem of a Config at once, each naming its field and value.
func ExampleConfig_Validate() {
	prod := naming.MustEnvironment("prod", naming.Options{})
	err := tapstack.Config{Environment: prod, Region: "ca central 1", CPU: 300}.Validate()
	fmt.Println(err)
	// Output:
	// Region "ca central 1" is not a region of any AWS partition the provider knows (like "ca-central-1"; the list is in docs/naming.md)
	// StateBucket is empty: production environment "prod" needs remote state: set StateBucket, or set AllowLocalState to true to keep its state in a local file on purpose
	// CPU 300 is not a Fargate size (valid: 256, 512, 1024, 2048, 4096, 8192, 16384)
}
