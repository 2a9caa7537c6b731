// Package platform defines the shared platform of PR environments: one network (with
// the NAT and endpoint choices of constructs/network, flow logs on), one
// internet-facing Application Load Balancer with an HTTPS listener whose default
// action is a fixed 404 and an HTTP listener that redirects to HTTPS, and one ECS
// cluster. One platform per account and region; every PR environment attaches to it
// (tapstack.Config.Platform, lmsservice.Config.Attach) with a host rule on the shared
// listener, so that 50 open pull requests need no 50 VPCs, ALBs and clusters.
//
//	env, err := naming.NewEnvironment("platform", naming.Options{})
//	...
//	cfg := platform.Config{Environment: env, Region: "eu-west-1",
//		CertificateARN: certARN, StateBucket: "iac-tf-states"}
//	if err := cfg.Validate(); err != nil { ... } // every problem, naming the field
//	app := cdktf.NewApp(nil)
//	platform.New(app, cfg.StackName(), cfg)
//	app.Synth()
//
// It is a supported pattern: public API only. The command cmd/platform reads the Config
// from environment variables (PLATFORM_CERTIFICATE_ARN, ...). The stack's outputs
// (Outputs) are the values attached stacks take as PLATFORM_* variables; see
// docs/pr-environments.md for the mapping and the runbook.
package platform
