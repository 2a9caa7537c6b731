package network_test

import (
	"fmt"
	"os"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/constructs/network"
)

// A PR environment without NAT (no Elastic IP to run out of: the profile's default)
// that still gives private workloads a way to ECR, CloudWatch Logs, Secrets Manager and
// S3.
func ExampleNew() {
	outdir, _ := os.MkdirTemp("", "network-example")
	defer func() { _ = os.RemoveAll(outdir) }()
	app := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(outdir)})
	stack := cdktf.NewTerraformStack(app, jsii.String("Example"))
	provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{Region: jsii.String("ca-central-1")})

	env := naming.MustEnvironment("pr4892", naming.Options{Timestamp: "123456"})
	net := network.New(stack, "Network", network.Config{
		Environment: env,
		Endpoints:   true,
	})
	app.Synth()
	fmt.Println(net.Egress(), len(*net.PrivateSubnetIDs()))
	// Output: endpoints 2
}

func ExampleConfig_Validate() {
	err := network.Config{
		Environment:   naming.MustEnvironment("stage", naming.Options{}),
		ExistingVPCID: "vpc-0a1b2c3d",
		NAT:           network.NATSingle,
	}.Validate()
	fmt.Println(err)
	// Output:
	// NAT configures a new VPC and cannot be used with ExistingVPCID "vpc-0a1b2c3d"
	// PrivateSubnetIDs has 0 subnet(s); an existing VPC needs at least 2 private subnets (in different zones) for the ALB and ECS path
}
