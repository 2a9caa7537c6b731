package network_test

import (
	"fmt"
	"os"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/securitygroup"
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

// Adopting an existing VPC: the way out of VpcLimitExceeded, and how a stack uses a
// shared network. Every problem is reported at once, each with its field and value.
func ExampleAttributes_Validate() {
	err := network.Attributes{
		Environment:      naming.MustEnvironment("stage", naming.Options{}),
		VPCID:            "vpc-0a1b2c3d",
		PrivateSubnetIDs: []string{"subnet-0000000c"},
		Endpoints:        true,
	}.Validate()
	fmt.Println(err)
	// Output:
	// PrivateSubnetIDs has 1 subnet(s); an existing VPC needs at least 2 private subnets (in different zones)
	// PrivateRouteTableIDs is required with Endpoints, for the S3 gateway endpoint
}

// Connections write both sides of a rule: the ingress on the receiving group, the
// egress on the sending one.
func ExampleConnections_AllowFrom() {
	outdir, _ := os.MkdirTemp("", "network-example")
	defer func() { _ = os.RemoveAll(outdir) }()
	app := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(outdir)})
	stack := cdktf.NewTerraformStack(app, jsii.String("Example"))
	provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{Region: jsii.String("ca-central-1")})
	env := naming.MustEnvironment("stage", naming.Options{})
	net := network.New(stack, "Network", network.Config{Environment: env})
	group := func(id string) *network.Connections {
		sg := securitygroup.NewSecurityGroup(stack, jsii.String(id), &securitygroup.SecurityGroupConfig{VpcId: net.VPCID()})
		return network.NewConnections(stack, sg.Id(), id)
	}
	db, app1 := group("Database"), group("App")
	db.AllowFrom(app1, network.TCP(5432))
	db.AllowFrom(network.CIDR("10.8.0.0/16"), network.TCP(5432)) // a VPN range: ingress only
	app.Synth()
	fmt.Println("ok")
	// Output: ok
}
