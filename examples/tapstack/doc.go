// Package tapstack composes the library's constructs into the example TapStack: a
// network, an ElastiCache Serverless cache and the LMS Fargate service behind an ALB,
// with seven outputs and an optional S3 backend.
//
// Import it to build the same stack in your own app with your own Config, or read
// ConfigFromEnv for the environment contract of the example app
// (examples/tapstack/cmd/tapstack):
//
//	cfg, err := tapstack.ConfigFromEnv()
//	if err != nil { ... }
//	app := cdktf.NewApp(nil)
//	tapstack.New(app, cfg.StackName(), cfg)
//	app.Synth()
package tapstack
