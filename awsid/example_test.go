package awsid_test

import (
	"fmt"

	"github.com/tapstack/infra/awsid"
)

// An ARN checked for where the stack deploys: a secret of another region is refused,
// since ECS reads secrets only in its own region.
func ExampleARNKind_CheckIn() {
	place := awsid.In("eu-west-1")
	fmt.Println(awsid.SecretARN.CheckIn("arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-0a1b2c3d-AbCdEf", place))
	fmt.Println(awsid.SecretARN.CheckIn("arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf", place))
	// Output:
	// <nil>
	// "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf" is in region us-east-1, not the stack's region eu-west-1: AWS uses a Secrets Manager secret ARN only in its own region
}

// Regions and their partitions, from the table the provider knows.
func ExamplePartition() {
	for _, r := range []string{"eu-west-1", "us-gov-west-1", "cn-north-1"} {
		fmt.Println(r, awsid.Partition(r), awsid.DNSSuffix(awsid.Partition(r)))
	}
	fmt.Println(awsid.ValidateRegion("us-east-9"))
	// Output:
	// eu-west-1 aws amazonaws.com
	// us-gov-west-1 aws-us-gov amazonaws.com
	// cn-north-1 aws-cn amazonaws.com.cn
	// "us-east-9" is not a region of any AWS partition the provider knows (like "ca-central-1"; the list is in docs/naming.md) (did you mean "us-east-1"?)
}
