package network_test

import (
	"fmt"

	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/constructs/network"
	"github.com/tapstack/infra/internal/testutil"
)

// A PR environment without NAT (no Elastic IP to run out of) that still gives private
// workloads a way to ECR, CloudWatch Logs, Secrets Manager and S3.
func ExampleNew() {
	env := naming.MustEnvironment("pr4892", naming.Options{Timestamp: "123456"})
	stack := testutil.NewStack("Example")
	net := network.New(stack, "Network", network.Config{
		Environment: env,
		NAT:         network.NATNone,
		Endpoints:   true,
	})
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
