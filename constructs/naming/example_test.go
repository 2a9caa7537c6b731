package naming_test

import (
	"fmt"

	"github.com/tapstack/infra/constructs/naming"
)

func ExampleNewEnvironment() {
	// Pin the PR suffix once per pipeline so that re-synthesizing gives the same names.
	env, err := naming.NewEnvironment("pr4892", naming.Options{Timestamp: "123456"})
	if err != nil {
		panic(err)
	}
	alb, _ := env.Resource(naming.LoadBalancer, "alb")
	secret, _ := env.Path(naming.Secret, "db-credentials")
	fmt.Println(env.StackName("TapStack"), env.StateKey(env.StackName("TapStack")))
	fmt.Println(alb)
	fmt.Println(secret)
	fmt.Println(env.Profile().NAT)
	// Output:
	// TapStackpr4892 pr4892/TapStackpr4892.tfstate
	// lms-alb-pr4892-123456
	// lms/pr4892-123456/db-credentials
	// false
}

func ExampleFit() {
	name, _ := naming.Fit(naming.LoadBalancer, "lms-alb-pr123456789012345678-123456")
	fmt.Println(name, len(name))
	// Output: lms-alb-pr1234567890123456-0dcf6 32
}
