package cluster_test

import (
	"fmt"
	"os"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/constructs/cluster"
	"github.com/tapstack/infra/constructs/lmsservice"
	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/constructs/network"
)

// One cluster for the services of a stack: give it to each service's Config.
func ExampleNew() {
	outdir, _ := os.MkdirTemp("", "cluster-example")
	defer func() { _ = os.RemoveAll(outdir) }()
	app := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(outdir)})
	stack := cdktf.NewTerraformStack(app, jsii.String("Example"))
	provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{Region: jsii.String("ca-central-1")})

	env := naming.MustEnvironment("stage", naming.Options{})
	net := network.New(stack, "Network", network.Config{Environment: env})
	shared := cluster.New(stack, "Cluster", cluster.Config{Environment: env})
	for _, component := range []string{"web", "admin"} {
		lmsservice.New(stack, component, lmsservice.Config{Environment: env, Component: component, Network: net,
			Cluster: shared, Image: "public.ecr.aws/nginx/nginx:stable"})
	}
	app.Synth()
	fmt.Println(shared.FargateSpot())
	// Output: true
}

// A cluster defined elsewhere (another stack's output, the shared platform's), by ARN.
// FargateSpot says whether it has the FARGATE_SPOT capacity provider, which services on
// Spot need.
func ExampleAttributes_Validate() {
	err := cluster.Attributes{ARN: "arn:aws:ecs:ca-central-1:123456789012:service/lms-cluster-platform"}.Validate()
	fmt.Println(err)
	// Output:
	// ARN "arn:aws:ecs:ca-central-1:123456789012:service/lms-cluster-platform" is not an ECS cluster ARN (arn:aws:ecs:<region>:<account>:cluster/<name>): the resource part "service/lms-cluster-platform" has the wrong shape
}
