// Command consumer synthesizes another team's application stack (package lms), built in
// a module of its own from the library's public API. Its environment comes from
// LMS_ENVIRONMENT ("stage", "prod", "pr4892"; default "stage") and its image from
// LMS_IMAGE_TAG (default "1.2.3"); the stack is written to $CDKTF_OUTDIR (default
// cdktf.out). A bad value is refused, naming the variable, before anything is written.
package main

import (
	"fmt"
	"os"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/constructs/naming"

	"example.com/lms-infra/lms"
)

func main() { os.Exit(run()) }

func run() int {
	get := func(name, def string) string {
		if v := os.Getenv(name); v != "" {
			return v
		}
		return def
	}
	env, err := naming.NewEnvironment(get("LMS_ENVIRONMENT", "stage"), naming.Options{Project: "shop"})
	if err != nil {
		fmt.Fprintf(os.Stderr, "LMS_ENVIRONMENT: %v\n", err)
		return 2
	}
	cfg := lms.Config{
		Environment:              env,
		Region:                   "eu-west-1",
		VPCID:                    "vpc-0a1b2c3d4e5f60718",
		ImageTag:                 get("LMS_IMAGE_TAG", "1.2.3"),
		MediaBucketARN:           "arn:aws:s3:::shop-course-media",
		DatabaseSecretARN:        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-0a1b2c3d-AbCdEf",
		FeatureFlagsParameterARN: "arn:aws:ssm:eu-west-1:123456789012:parameter/shop/feature-flags",
		StateBucket:              "shop-terraform-states",
	}
	if err := cfg.Validate(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	outdir := get("CDKTF_OUTDIR", "cdktf.out")
	if err := os.MkdirAll(outdir, 0o755); err != nil { // cdktf writes into it, not its parents
		fmt.Fprintf(os.Stderr, "CDKTF_OUTDIR=%q: %v\n", outdir, err)
		return 2
	}
	defer jsii.Close()
	app := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(outdir), StackTraces: jsii.Bool(false)})
	lms.New(app, "ShopLMS", cfg)
	app.Synth()
	return 0
}
