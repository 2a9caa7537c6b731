// Command tapstack synthesizes the example TapStack into cdktf.out/ (or $CDKTF_OUTDIR).
//
// Until the composed TapStack lands, it synthesizes the stack with its provider only.
package main

import (
	"fmt"
	"os"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/constructs/naming"
)

func main() {
	os.Exit(run())
}

func run() int {
	name := os.Getenv("ENVIRONMENT_SUFFIX")
	if name == "" {
		name = "stage"
	}
	env, err := naming.NewEnvironment(name, naming.Options{Timestamp: os.Getenv("PR_TIMESTAMP_SUFFIX")})
	if err != nil {
		fmt.Fprintf(os.Stderr, "tapstack: ENVIRONMENT_SUFFIX: %v\n", err)
		return 1
	}
	defer jsii.Close()
	outdir := os.Getenv("CDKTF_OUTDIR")
	if outdir == "" {
		outdir = "cdktf.out"
	}
	app := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(outdir)})
	stack := cdktf.NewTerraformStack(app, jsii.String(env.StackName("TapStack")))
	tags := map[string]*string{}
	for k, v := range env.Tags() {
		tags[k] = jsii.String(v)
	}
	provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{
		Region:      jsii.String("ca-central-1"),
		DefaultTags: &[]*provider.AwsProviderDefaultTags{{Tags: &tags}},
	})
	app.Synth()
	return 0
}
