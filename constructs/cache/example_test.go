package cache_test

import (
	"fmt"
	"os"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/constructs/cache"
	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/constructs/network"
)

// A cache with its connection secret in a PR environment.
func ExampleNew() {
	outdir, _ := os.MkdirTemp("", "cache-example")
	defer func() { _ = os.RemoveAll(outdir) }()
	app := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(outdir)})
	stack := cdktf.NewTerraformStack(app, jsii.String("Example"))
	provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{Region: jsii.String("ca-central-1")})

	env := naming.MustEnvironment("pr4892", naming.Options{Timestamp: "123456"})
	net := network.New(stack, "Network", network.Config{Environment: env})
	redis := cache.New(stack, "Cache", cache.Config{
		Environment:      env,
		Network:          net,
		ConnectionSecret: true, // lms/pr4892-123456/redis-connection, recovery window 0
	})
	app.Synth()
	fmt.Println(*redis.Name(), redis.HasConnectionSecret())
	// Output: lms-redis-pr4892-123456 true
}

func ExampleConfig_Validate() {
	env := naming.MustEnvironment("stage", naming.Options{})
	err := cache.Config{
		Environment:      env,
		DataStorageMaxGB: new(10),
	}.ValidateFor(network.Config{Environment: env}.Layout()) // no jsii needed to validate
	fmt.Println(err)
	// Output:
	// DataStorageMaxGB 10 needs EnableUsageLimits: set EnableUsageLimits to true to apply usage limits
}
