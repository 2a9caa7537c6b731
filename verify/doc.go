// Package verify tells what a change of a synthesized Terraform JSON stack (cdktf's
// cdk.tf.json) does to live resources, as planned by the real AWS provider, fully
// offline: no AWS account, no network.
//
// Deploy fake-applies a stack: it plans it with the real hashicorp/aws provider,
// configured with fake credentials and every check that would call AWS skipped, and
// writes a local state holding each resource with the provider's planned values, plus
// deterministic fakes where AWS decides (ids with their AWS prefixes, ARNs in the shape
// of each service, endpoints, DNS names, timestamps). Deployment.Plan then plans another
// stack against that state, with refresh off, and returns the provider's verdict for
// every resource: create, update, replace (with the attributes that force it) or delete.
// Compare does both for one pair of stacks.
//
//	report, err := verify.Compare(ctx, before, after, verify.Options{})
//	...
//	verify.AssertNoReplacements(t, report, verify.Stateful()...)
//
// Data sources that would call AWS (aws_availability_zones, aws_caller_identity,
// aws_secretsmanager_random_password, an existing aws_vpc, ...) are replaced by locals
// holding fakes; Options.DataSources supplies fakes for the others. Data sources that
// compute their result inside the provider (aws_region, aws_partition,
// aws_iam_policy_document, ...) are read by the provider itself.
//
// The engine is the Terraform CLI, or OpenTofu through $TERRAFORM_BINARY_NAME, with
// providers from a local mirror (FindEngine). A plan costs a few seconds of CPU, most of
// it the engine loading the AWS provider's schema; a fake apply usually needs one plan
// because verify resolves references between resources itself.
//
// What a fake apply cannot know: what the provider or AWS does at apply time (values AWS
// normalizes, defaults it picks, perpetual diffs after a refresh), and anything a
// refresh would read. See docs/verify.md.
package verify
