// Package cluster defines an ECS cluster that many Fargate services share, or adopts an
// existing one (FromAttributes), as one type, *Cluster, that lmsservice takes.
//
//	shared := cluster.New(stack, "Cluster", cluster.Config{Environment: env})
//	web := lmsservice.New(stack, "Web", lmsservice.Config{Environment: env, Component: "web", Cluster: shared, ...})
//	api := lmsservice.New(stack, "Api", lmsservice.Config{Environment: env, Component: "api", Cluster: shared, ...})
//
// A new cluster has Container Insights on and both Fargate capacity providers, FARGATE
// and FARGATE_SPOT; its default strategy follows the environment profile (Spot for a PR
// environment, naming.Profile.FargateSpot).
package cluster
