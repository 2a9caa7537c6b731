package lms_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/verify"

	"example.com/lms-infra/lms"
)

// config is the team's configuration of environment name at image tag, with a PR
// environment's first-deploy suffix drawn at clock.
func config(t *testing.T, name, tag string, clock time.Time) lms.Config {
	t.Helper()
	env, err := naming.NewEnvironment(name, naming.Options{Project: "shop", Clock: func() time.Time { return clock }})
	if err != nil {
		t.Fatal(err)
	}
	cfg := lms.Config{
		Environment: env, Region: "eu-west-1", VPCID: "vpc-0a1b2c3d4e5f60718", ImageTag: tag,
		MediaBucketARN:           "arn:aws:s3:::shop-course-media",
		DatabaseSecretARN:        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-0a1b2c3d-AbCdEf",
		FeatureFlagsParameterARN: "arn:aws:ssm:eu-west-1:123456789012:parameter/shop/feature-flags",
		StateBucket:              "shop-terraform-states",
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// synth synthesizes the stack of cfg and returns its cdk.tf.json.
func synth(t *testing.T, cfg lms.Config) []byte {
	t.Helper()
	dir := t.TempDir()
	app := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(dir), StackTraces: jsii.Bool(false)})
	lms.New(app, "ShopLMS", cfg)
	app.Synth()
	raw, err := os.ReadFile(filepath.Join(dir, "stacks", "ShopLMS", "cdk.tf.json"))
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

var first = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

// TestShape: one cluster and one load balancer for three services; the api on web's
// listener by path; the worker with no load balancer at all; the grants name their ARNs.
func TestShape(t *testing.T) {
	var stack struct {
		Resource map[string]map[string]map[string]any
	}
	if err := json.Unmarshal(synth(t, config(t, "stage", "1.2.3", first)), &stack); err != nil {
		t.Fatal(err)
	}
	count := func(typ string) int { return len(stack.Resource[typ]) }
	if count("aws_ecs_cluster") != 1 || count("aws_lb") != 1 || count("aws_ecs_service") != 3 || count("aws_lb_target_group") != 2 {
		t.Errorf("clusters %d, load balancers %d, services %d, target groups %d; want 1, 1, 3, 2",
			count("aws_ecs_cluster"), count("aws_lb"), count("aws_ecs_service"), count("aws_lb_target_group"))
	}
	for addr, svc := range stack.Resource["aws_ecs_service"] {
		if svc["cluster"] != "${aws_ecs_cluster.Cluster.arn}" {
			t.Errorf("%s runs on %v, not the shared cluster", addr, svc["cluster"])
		}
		if strings.HasPrefix(addr, "Worker_") && svc["load_balancer"] != nil {
			t.Errorf("the worker is behind a load balancer: %v", svc["load_balancer"])
		}
	}
	for _, rule := range stack.Resource["aws_lb_listener_rule"] {
		got, _ := json.Marshal(rule["condition"])
		if !strings.HasPrefix(rule["listener_arn"].(string), "${aws_lb_listener.Web_HTTPListener_") || string(got) != `[{"path_pattern":{"values":["/api/*"]}}]` {
			t.Errorf("the api's rule: listener %v, conditions %s", rule["listener_arn"], got)
		}
	}
	queue := stack.Resource["aws_sqs_queue"]["Jobs"]
	if queue["name"] != "shop-jobs-queue-stage" {
		t.Errorf("the queue's name = %v", queue["name"])
	}
	for addr, p := range stack.Resource["aws_iam_role_policy"] {
		if strings.Contains(p["policy"].(string), `"*"`) {
			t.Errorf("%s grants on *: %s", addr, p["policy"])
		}
	}
}

// TestValidate: the team's own values are refused with the field and the value.
func TestValidate(t *testing.T) {
	cfg := config(t, "stage", "1.2.3", first)
	cfg.VPCID, cfg.DatabaseSecretARN = "vpc-xyz", "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"
	err := cfg.Validate()
	for _, want := range []string{`VPCID "vpc-xyz" is not a VPC ID`, `DatabaseSecretARN "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf" is in region us-east-1`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate = %v, want %q", err, want)
		}
	}
}

// compare fake-deploys before and plans after against it with the real AWS provider,
// offline (verify needs Terraform and a provider mirror: see docs/verify.md).
func compare(t *testing.T, before, after []byte) *verify.Report {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: plans with Terraform")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	r, err := verify.Compare(ctx, before, after, verify.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s", r)
	return r
}

// TestImageBumpReplacesNothingStateful: the routine deploy (a new image tag) replaces
// the task definitions (a new revision is a new object) and updates the services; the
// cache, its secret, the log groups, the load balancer and the queue stay.
func TestImageBumpReplacesNothingStateful(t *testing.T) {
	r := compare(t, synth(t, config(t, "prod", "1.2.3", first)), synth(t, config(t, "prod", "1.2.4", first)))
	verify.AssertNoReplacements(t, r, append(verify.Stateful(), "aws_sqs_queue", "aws_ecs_service")...)
	verify.AssertNoneDestroyed(t, r, "aws_sqs_queue", "aws_lb_target_group", "aws_lb_listener_rule", "aws_iam_role")
	var replaced []string
	for _, c := range r.Replaced() {
		replaced = append(replaced, c.Type)
	}
	if !slices.Equal(replaced, []string{"aws_ecs_task_definition", "aws_ecs_task_definition", "aws_ecs_task_definition"}) {
		t.Errorf("an image bump replaced %v, want the three task definitions", replaced)
	}
}

// TestPRRePushKeepsEverything: a PR environment pushed again (a later clock, a new image)
// keeps every name, the team's own queue included: its suffix lives in state.
func TestPRRePushKeepsEverything(t *testing.T) {
	r := compare(t, synth(t, config(t, "pr4892", "sha-1111111", first)), synth(t, config(t, "pr4892", "sha-2222222", first.Add(26*time.Hour))))
	for _, c := range r.Destroyed() {
		if c.Type != "aws_ecs_task_definition" {
			t.Errorf("a re-push destroys %s (%s: %v)", c.Address, c.Action, c.ReplacePaths)
		}
	}
}
