// Command consumer is how another team's repository uses the library: it imports the
// TapStack composition with its own Config (its own project prefix, region, NAT layout,
// image and usage limits), adds a resource of its own, and synthesizes.
//
// make test builds and runs it, then checks its output with terraform validate and a
// mock-provider apply.
package main

import (
	"fmt"
	"os"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/cloudwatchmetricalarm"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/constructs/network"
	"github.com/tapstack/infra/examples/tapstack"
)

func main() {
	os.Exit(run())
}

func run() int {
	env, err := naming.NewEnvironment("prod", naming.Options{Project: "shop"})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	cfg := tapstack.Config{
		Environment:       env,
		Region:            "eu-west-1",
		NAT:               network.NATPerAZ,
		EnableCacheLimits: true,
		Image:             "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop:1.2.3",
		StateBucket:       "shop-terraform-states", // production refuses local state
		StateBucketRegion: "eu-west-1",
	}
	if err := cfg.Validate(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	defer jsii.Close()
	outdir := os.Getenv("CDKTF_OUTDIR")
	if outdir == "" {
		outdir = "cdktf.out"
	}
	app := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(outdir), StackTraces: jsii.Bool(false)})
	stack := tapstack.New(app, "ShopProd", cfg)

	// Reach below the composition: alarm on the service's CPU.
	cloudwatchmetricalarm.NewCloudwatchMetricAlarm(stack, jsii.String("ServiceCPUHigh"), &cloudwatchmetricalarm.CloudwatchMetricAlarmConfig{
		AlarmName:          jsii.String("shop-prod-service-cpu-high"),
		Namespace:          jsii.String("AWS/ECS"),
		MetricName:         jsii.String("CPUUtilization"),
		Statistic:          jsii.String("Average"),
		Period:             jsii.Number(300),
		EvaluationPeriods:  jsii.Number(3),
		Threshold:          jsii.Number(85),
		ComparisonOperator: jsii.String("GreaterThanThreshold"),
		Dimensions: &map[string]*string{
			"ClusterName": stack.Service().ClusterName(),
			"ServiceName": stack.Service().ServiceName(),
		},
	})
	app.Synth()
	return 0
}
