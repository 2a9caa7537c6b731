package awsstack_test

import (
	"fmt"

	"github.com/tapstack/infra/constructs/awsstack"
	"github.com/tapstack/infra/constructs/naming"
)

// A stack's provider and backend: production refuses local state unless told, and every
// problem names its field.
func ExampleConfig_Validate() {
	err := awsstack.Config{
		Environment: naming.MustEnvironment("prod", naming.Options{}),
		Region:      "eu-west-1",
	}.Validate()
	fmt.Println(err)
	// Output:
	// StateBucket is empty: production environment "prod" needs remote state: set StateBucket, or set AllowLocalState to true to keep its state in a local file on purpose
}

// The S3 key of a stack's state: one per environment and stack.
func ExampleStateKey() {
	fmt.Println(awsstack.StateKey(naming.MustEnvironment("pr4892", naming.Options{}), "TapStackpr4892"))
	// Output: pr4892/TapStackpr4892.tfstate
}
