package field_test

import (
	"fmt"

	"github.com/tapstack/infra/awsid"
	"github.com/tapstack/infra/field"
)

// A Config's Validate in the library's style: every problem at once, each naming its
// field and value.
func ExampleList() {
	var errs field.List
	errs.Check("VPCID", "vpc-xyz", awsid.VPCID.Check("vpc-xyz"))
	errs.Add("Image", "", "is required")
	errs.Addf("DesiredCount", "-1", "must be 0 or more, not %d", -1)
	fmt.Println(errs.Err())
	// Output:
	// VPCID "vpc-xyz" is not a VPC ID (vpc- and 8 or 17 hex digits)
	// Image is required
	// DesiredCount -1 must be 0 or more, not -1
}
