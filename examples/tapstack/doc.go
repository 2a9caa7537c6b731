// Package tapstack composes the library's constructs into the example TapStack: a
// network, an ElastiCache Serverless cache and the LMS Fargate service behind an ALB,
// with seven outputs (Outputs) and an optional S3 backend; or, with Config.Platform, a
// PR environment's service on the shared platform of package platform.
//
// It is a supported pattern: it uses the public API only, so a team can import it as it
// is or copy it as the start of its own stack. Build the same stack in your own app with
// your own Config:
//
//	cfg := tapstack.Config{Environment: env, Region: "eu-west-1", Image: "..."}
//	if err := cfg.Validate(); err != nil { ... } // every problem, naming the field
//	app := cdktf.NewApp(nil)
//	tapstack.New(app, cfg.StackName(), cfg)
//	app.Synth()
//
// The example app cmd/tapstack reads the Config from environment variables
// (docs/tapstack.md).
package tapstack
