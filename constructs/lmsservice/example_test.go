package lmsservice_test

import (
	"fmt"
	"strings"

	"github.com/tapstack/infra/constructs/cache"
	"github.com/tapstack/infra/constructs/lmsservice"
	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/constructs/network"
	"github.com/tapstack/infra/internal/testutil"
)

func ExampleNew() {
	env := naming.MustEnvironment("stage", naming.Options{})
	stack := testutil.NewStack("Example")
	net := network.New(stack, "Network", network.Config{Environment: env})
	redis := cache.New(stack, "Cache", cache.Config{Environment: env, Network: net, ConnectionSecret: true})
	svc := lmsservice.New(stack, "Service", lmsservice.Config{
		Environment: env,
		Network:     net,
		Cache:       redis, // opened to the tasks only; REDIS_HOST, REDIS_PORT, REDIS_URL wired in
		Image:       "public.ecr.aws/nginx/nginx:stable",
	})
	fmt.Println(*svc.LogGroupName())
	// Output: /ecs/lms-stage
}

// Without NAT and without endpoints, private tasks could not start: the check says so
// at synth time, with the three ways out.
func ExampleConfig_Validate() {
	env := naming.MustEnvironment("pr4892", naming.Options{Timestamp: "123456"})
	stack := testutil.NewStack("Egress")
	net := network.New(stack, "Network", network.Config{Environment: env, NAT: network.NATNone})
	err := lmsservice.Config{Environment: env, Network: net, Image: "nginx"}.Validate()
	fmt.Println(strings.Contains(err.Error(), "AssignPublicIP = true"))
	// Output: true
}
