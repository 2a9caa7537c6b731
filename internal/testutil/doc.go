// Package testutil synthesizes stacks in tests and checks the result three ways: Go
// assertions on the parsed Terraform JSON, golden files, and the real Terraform CLI
// (validate against the real AWS provider schema, then a plan and apply against a mocked
// provider with terraform test).
//
// The jsii kernel is not goroutine-safe: nothing here may run in parallel tests.
package testutil
