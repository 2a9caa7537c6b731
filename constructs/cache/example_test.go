package cache_test

import (
	"fmt"

	"github.com/tapstack/infra/constructs/cache"
	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/constructs/network"
	"github.com/tapstack/infra/internal/testutil"
)

func ExampleNew() {
	env := naming.MustEnvironment("pr4892", naming.Options{Timestamp: "123456"})
	stack := testutil.NewStack("Example")
	net := network.New(stack, "Network", network.Config{Environment: env, NAT: network.NATNone})
	redis := cache.New(stack, "Cache", cache.Config{
		Environment:      env,
		Network:          net,
		ConnectionSecret: true, // lms/pr4892-123456/redis-connection, recovery window 0
	})
	fmt.Println(*redis.Name())
	// Output: lms-redis-pr4892-123456
}

func ExampleConfig_Validate() {
	err := cache.Config{
		Environment:      naming.MustEnvironment("stage", naming.Options{}),
		DataStorageMaxGB: 10,
	}.Validate()
	fmt.Println(err)
	// Output:
	// Network is required (the cache needs a VPC and subnets)
	// DataStorageMaxGB is 10 but EnableUsageLimits is false: set EnableUsageLimits to true to apply usage limits
}
