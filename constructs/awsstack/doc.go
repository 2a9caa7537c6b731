// Package awsstack sets up a cdktf stack the way every stack of this module is set up:
// the AWS provider of one region with the environment's tags as default tags, the
// Terraform version the stack needs, the hashicorp/aws version the library is tested
// with (identity.ProviderVersion), and its backend: S3 with a lock file, or a local
// state file whose path does not depend on the working directory.
//
//	stack := awsstack.New(app, env.StackName("Shop"), awsstack.Config{
//		Environment: env, Region: "eu-west-1", StateBucket: "shop-terraform-states",
//	})
//
// The example TapStack and the shared platform use it; so can a team's own app.
//
// Child IDs: "aws" (the provider) and "backend". See docs/awsstack.md.
package awsstack
