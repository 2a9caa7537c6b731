// Package cache defines an ElastiCache Serverless cache (Redis or Valkey) in a Network's
// private subnets, with its own security group that admits nothing until AllowFrom, opt-in
// usage limits validated at synth time, and an optional Secrets Manager secret holding the
// connection data as Terraform references.
//
//	c := cache.New(stack, "Cache", cache.Config{
//		Environment:      env,
//		Network:          net,
//		ConnectionSecret: true,
//	})
//	c.AllowFrom(service.TaskSecurityGroupID())
//
// The endpoint is only known after apply: Address, Port and ConnectionURL return
// Terraform references (endpoint[0].address), never placeholder strings.
//
// Usage limits are opt-in because the pinned AWS provider (5.x) cannot remove them from
// an existing cache in place; see docs/cache.md for the safe procedures.
package cache
