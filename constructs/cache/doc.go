// Package cache defines an ElastiCache Serverless cache (Redis or Valkey) in a Network's
// private subnets, with its own security group that admits nothing until AllowFrom, opt-in
// usage limits validated at synth time, and an optional Secrets Manager secret holding the
// connection data as Terraform references.
//
//	c := cache.New(stack, "Cache", cache.Config{
//		Environment:      env,
//		Component:        "sessions", // instance name, in every physical name
//		Network:          net,
//		ConnectionSecret: true,
//	})
//	c.AllowFrom(svc.Connections()) // both sides of the rule, on Port
//
// AllowFrom is the one wiring point between the cache and its clients (a
// network.Connections: the ingress on the cache's group, the egress on the client's): an
// lmsservice given the cache (lmsservice.Config.Cache) calls it for its task group
// itself, and a second call for the same client adds nothing.
//
// The endpoint is only known after apply: Address, Port and ConnectionURL return
// Terraform references (endpoint[0].address), never placeholder strings.
//
// Usage limits are opt-in because the pinned AWS provider (5.x) cannot remove them from
// an existing cache in place; see docs/cache.md for the safe procedures.
package cache
