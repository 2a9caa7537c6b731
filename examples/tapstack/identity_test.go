package tapstack_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/examples/tapstack"
	"github.com/tapstack/infra/internal/apptest"
	"github.com/tapstack/infra/internal/tapstackapp"
	"github.com/tapstack/infra/internal/testutil"
)

// twoRegions is one app holding the TapStack of one environment in two regions.
var (
	twoRegions   = map[string]*tapstack.TapStack{}
	regionStacks = map[string]string{"TapStackstage": "ca-central-1", "TapStackstage-eu": "eu-west-1"}
)

func regionConfig(region string) tapstack.Config {
	return mustConfig(map[string]string{"AWS_REGION": region, "TERRAFORM_STATE_BUCKET": "iac-tf-states"})
}

func init() {
	var app cdktf.App
	build := func(variant, id string) func() cdktf.TerraformStack {
		return func() cdktf.TerraformStack {
			if app == nil {
				app = testutil.NewApp()
				for sid, r := range regionStacks {
					twoRegions[sid] = tapstack.New(app, sid, regionConfig(r))
				}
			}
			stacks[variant] = twoRegions[id]
			return twoRegions[id]
		}
	}
	variants.Add("region-ca", build("region-ca", "TapStackstage"), stackAsserts("region-ca", regionConfig("ca-central-1"))...)
	variants.Add("region-eu", build("region-eu", "TapStackstage-eu"), stackAsserts("region-eu", regionConfig("eu-west-1"))...)
}

// TestTwoRegions: one environment in two regions of one app shares no account-wide
// name, and each stack has its own state key, from the id given to tapstack.New.
func TestTwoRegions(t *testing.T) {
	ca, eu := variants.Synth(t, "region-ca"), variants.Synth(t, "region-eu")
	roles := func(s *testutil.Synthesized) []any {
		var out []any
		for _, path := range []string{"Network/FlowLogRole", "Service/ExecutionRole", "Service/TaskRole"} {
			_, r := s.Find(t, "aws_iam_role", path)
			out = append(out, r["name"])
		}
		return out
	}
	want := []any{"lms-vpc-flow-logs-stage-ca-central-1", "lms-ecs-task-execution-role-stage-ca-central-1", "lms-ecs-task-role-stage-ca-central-1",
		"lms-vpc-flow-logs-stage-eu-west-1", "lms-ecs-task-execution-role-stage-eu-west-1", "lms-ecs-task-role-stage-eu-west-1"}
	if diff := cmp.Diff(want, append(roles(ca), roles(eu)...)); diff != "" {
		t.Errorf("role names (-want +got):\n%s", diff)
	}
	key := func(s *testutil.Synthesized) any {
		return s.JSON["terraform"].(map[string]any)["backend"].(map[string]any)["s3"].(map[string]any)["key"]
	}
	if diff := cmp.Diff([]any{"stage/TapStackstage.tfstate", "stage/TapStackstage-eu.tfstate"}, []any{key(ca), key(eu)}); diff != "" {
		t.Errorf("state keys (-want +got):\n%s", diff)
	}
}

// TestSameRegionTwiceConflicts: two TapStacks of one environment in one region would
// share every name: account-wide ones (IAM roles) and regional ones (the cache, its
// secret, the load balancer), compared across the stacks of the region. The synthesis
// fails before anything is written.
func TestSameRegionTwiceConflicts(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	app := testutil.NewAppIn(out)
	cfg := apptest.TapStack(t, map[string]string{})
	tapstack.New(app, "TapStackstage", cfg)
	tapstack.New(app, "TapStackstage-copy", cfg)
	msg := testutil.SynthFails(t, app, out)
	for _, w := range []string{
		`IAM role name "lms-ecs-task-role-stage-ca-central-1" is defined twice in the account (every region) (stacks TapStackstage and TapStackstage-copy), by TapStackstage/Service/TaskRole and by TapStackstage-copy/Service/TaskRole: give one of them its own lmsservice.Config.Component`,
		`IAM role name "lms-vpc-flow-logs-stage-ca-central-1" is defined twice in the account (every region) (stacks TapStackstage and TapStackstage-copy)`,
		`serverless cache name "lms-redis-stage" is defined twice in region ca-central-1 (stacks TapStackstage and TapStackstage-copy)`,
		`secret name "lms/stage/redis-connection" is defined twice in region ca-central-1 (stacks TapStackstage and TapStackstage-copy)`,
		`load balancer name "lms-alb-stage" is defined twice in region ca-central-1 (stacks TapStackstage and TapStackstage-copy)`,
	} {
		if !strings.Contains(msg, w) {
			t.Errorf("synth error\n%s\nlacks\n%s", msg, w)
		}
	}
}

// TestPRPushKeepsNames: two synths of one PR environment at different times, without
// a pin, name everything the same: the suffix lives in state, and only the input of
// its terraform_data resource (ignored after the first apply) differs.
func TestPRPushKeepsNames(t *testing.T) {
	synth := func(unix int64) *testutil.Synthesized {
		cfg, err := tapstackapp.ConfigFromLookup(testutil.Lookup(map[string]string{"ENVIRONMENT_SUFFIX": "pr4892"}), testutil.ClockAt(unix))
		if err != nil {
			t.Fatal(err)
		}
		return testutil.Synth(t, tapstack.New(testutil.NewApp(), cfg.StackName(), cfg))
	}
	first, later := synth(1_700_000_042), synth(1_700_003_600)
	inputs := []any{}
	for _, s := range []*testutil.Synthesized{first, later} {
		data := s.Resource(t, "terraform_data", "PRSuffix-lms-pr4892")
		inputs = append(inputs, data["input"])
		delete(data, "input")
	}
	if diff := cmp.Diff([]any{map[string]any{"suffix": "000042"}, map[string]any{"suffix": "003600"}}, inputs); diff != "" {
		t.Errorf("suffix inputs (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(first.JSON, later.JSON); diff != "" {
		t.Errorf("a later push changed the stack beyond the ignored input (-first +later):\n%s", diff)
	}
	_, alb := first.Find(t, "aws_lb", "Service/LoadBalancer")
	if alb["name"] != "lms-alb-pr4892-${terraform_data.PRSuffix-lms-pr4892.output.suffix}" {
		t.Errorf("ALB name = %v", alb["name"])
	}
}

// TestSamePREnvironmentTwice: two stacks of one PR environment without a pin, in one
// region, would share IAM role names once Terraform resolves the suffix (both stacks
// store the same first-deploy suffix): the registry compares the names with the suffix
// written as a placeholder, and says which.
func TestSamePREnvironmentTwice(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	app := testutil.NewAppIn(out)
	cfg, err := tapstackapp.ConfigFromLookup(testutil.Lookup(map[string]string{"ENVIRONMENT_SUFFIX": "pr5"}), apptest.Clock)
	if err != nil {
		t.Fatal(err)
	}
	tapstack.New(app, "A", cfg)
	tapstack.New(app, "B", cfg)
	msg := testutil.SynthFails(t, app, out)
	want := `IAM role name "lms-ecs-task-role-pr5-{PR suffix of lms/pr5}-ca-central-1" is defined twice in the account (every region) (stacks A and B), by A/Service/TaskRole and by B/Service/TaskRole`
	if !strings.Contains(msg, want) {
		t.Errorf("synth error\n%s\nlacks\n%s", msg, want)
	}
}

// TestConflictStopsAStackWithoutNames: a stack that defines no registered name, written
// before the stack that holds a conflict, is not written either.
func TestConflictStopsAStackWithoutNames(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	app := testutil.NewAppIn(out)
	testutil.NewStackIn(app, "Plain", "ca-central-1") // synthesized first, claims nothing
	cfg := apptest.TapStack(t, map[string]string{})
	tapstack.New(app, "TapStackstage", cfg)
	tapstack.New(app, "TapStackstage-copy", cfg)
	msg := testutil.SynthFails(t, app, out) // fails if anything was written
	if !strings.Contains(msg, "[Plain]") {
		t.Errorf("the first stack did not stop the synthesis:\n%s", msg)
	}
}
