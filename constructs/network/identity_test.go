package network_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawssubnets"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsvpc"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/constructs/network"
	"github.com/tapstack/infra/internal/testutil"
)

func init() {
	// Two networks of one environment in one stack, told apart by Component.
	variants.Add("components", func() cdktf.TerraformStack {
		stack := testutil.NewStack("Test")
		built["components-edge"] = network.New(stack, "Edge", network.Config{Environment: stage, Component: "edge", Endpoints: true, FlowLogs: true})
		built["components-data"] = network.New(stack, "Data", network.Config{Environment: stage, Component: "data", CIDR: "10.1.0.0/16", Endpoints: true, FlowLogs: true})
		for name, n := range map[string]*network.Network{"edge": built["components-edge"], "data": built["components-data"]} {
			group, _ := n.FlowLogGroup()
			cdktf.NewTerraformOutput(stack, jsii.String(name+"_flow_log_group"), &cdktf.TerraformOutputConfig{Value: group.Name()})
		}
		return stack
	}, `module.components.edge_flow_log_group == "/vpc/lms-stage/edge/flow-logs"`, `module.components.data_flow_log_group == "/vpc/lms-stage/data/flow-logs"`)
	// A PR environment without a pinned suffix: names refer to the suffix kept in state.
	variants.Add("pr-kept-suffix", func() cdktf.TerraformStack {
		stack := testutil.NewStack("Test")
		env := naming.MustEnvironment("pr77", naming.Options{Clock: fixedClock})
		n := network.New(stack, "Network", network.Config{Environment: env, Endpoints: true, FlowLogs: true})
		built["pr-kept-suffix"] = n
		group, _ := n.FlowLogGroup()
		cdktf.NewTerraformOutput(stack, jsii.String("flow_log_group"), &cdktf.TerraformOutputConfig{Value: group.Name()})
		return stack
	}, `module.pr-kept-suffix.flow_log_group == "/vpc/lms-pr77-000042/flow-logs"`)
}

// fixedClock gives the suffix 000042.
func fixedClock() time.Time { return time.Unix(1_700_000_042, 0) }

func TestComponentsNameEverything(t *testing.T) {
	s := variants.Synth(t, "components")
	got := map[string]any{}
	for _, c := range []string{"Edge", "Data"} {
		_, sg := s.Find(t, "aws_security_group", c+"/EndpointSecurityGroup")
		_, role := s.Find(t, "aws_iam_role", c+"/FlowLogRole")
		_, lg := s.Find(t, "aws_cloudwatch_log_group", c+"/FlowLogGroup")
		_, vpc := s.Find(t, "aws_vpc", c+"/VPC")
		got[c] = []any{sg["name"], role["name"], lg["name"], vpc["tags"].(map[string]any)["Name"]}
	}
	want := map[string]any{
		"Edge": []any{"lms-edge-endpoints-stage", "lms-edge-vpc-flow-logs-stage-ca-central-1", "/vpc/lms-stage/edge/flow-logs", "lms-edge-vpc-stage"},
		"Data": []any{"lms-data-endpoints-stage", "lms-data-vpc-flow-logs-stage-ca-central-1", "/vpc/lms-stage/data/flow-logs", "lms-data-vpc-stage"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("names (-want +got):\n%s", diff)
	}
	// Security groups that AWS replaces must be created before the old ones go.
	_, sg := s.Find(t, "aws_security_group", "Edge/EndpointSecurityGroup")
	if lc, _ := sg["lifecycle"].(map[string]any); lc["create_before_destroy"] != true {
		t.Errorf("endpoint security group lifecycle = %v", sg["lifecycle"])
	}
}

func TestDefaultsFollowTheProfile(t *testing.T) {
	// A PR environment gets no NAT (no Elastic IP) unless asked, from the network
	// itself, not only from the TapStack.
	stack := testutil.NewStack("Test")
	n := network.New(stack, "Network", network.Config{Environment: pr, Endpoints: true, FlowLogs: true, FlowLogRetentionDays: new(0)})
	s := testutil.Synth(t, stack)
	s.Absent(t, "aws_nat_gateway", "aws_eip")
	_, lg := s.Find(t, "aws_cloudwatch_log_group", "Network/FlowLogGroup")
	// 0 is honored (never expire), not replaced by the profile's 3 days.
	if n.Egress() != network.EgressEndpoints || lg["retention_in_days"] != 0.0 {
		t.Errorf("Egress %q, flow log retention %v", n.Egress(), lg["retention_in_days"])
	}
	layouts := []network.Layout{network.Config{Environment: pr}.Layout(), network.Config{Environment: stage, AZCount: 3}.Layout()}
	want := []network.Layout{{Egress: network.EgressNone, PublicSubnets: 2, PrivateSubnets: 2}, {Egress: network.EgressNAT, PublicSubnets: 3, PrivateSubnets: 3}}
	if diff := cmp.Diff(want, layouts); diff != "" {
		t.Errorf("layouts (-want +got):\n%s", diff)
	}
}

func TestKeptSuffixIsAReference(t *testing.T) {
	s := variants.Synth(t, "pr-kept-suffix")
	data := s.Resources("terraform_data")
	if len(data) != 1 {
		t.Fatalf("terraform_data resources: %v", data)
	}
	suffix, ok := data["PRSuffix-lms-pr77"]
	if !ok {
		t.Fatalf("no terraform_data.PRSuffix-lms-pr77: %v", data)
	}
	want := map[string]any{"input": map[string]any{"suffix": "000042"}, "lifecycle": map[string]any{"ignore_changes": []any{"input"}}}
	if diff := cmp.Diff(want, suffix); diff != "" {
		t.Errorf("suffix resource (-want +got):\n%s", diff)
	}
	ref := "${terraform_data.PRSuffix-lms-pr77.output.suffix}"
	_, lg := s.Find(t, "aws_cloudwatch_log_group", "Network/FlowLogGroup")
	_, role := s.Find(t, "aws_iam_role", "Network/FlowLogRole")
	_, sg := s.Find(t, "aws_security_group", "Network/EndpointSecurityGroup")
	got := []any{lg["name"], role["name"], sg["name"]}
	wantNames := []any{"/vpc/lms-pr77-" + ref + "/flow-logs", "lms-vpc-flow-logs-pr77-" + ref + "-ca-central-1", "lms-endpoints-pr77-" + ref}
	if diff := cmp.Diff(wantNames, got); diff != "" {
		t.Errorf("names (-want +got):\n%s", diff)
	}
}

// TestReferencesAccepted: IDs from a data source or another stack are cdktf tokens:
// accepted as they are; a list token (a data source's ids) stands for an unknown number
// of subnets, and a string token too, since it may stand for a list.
func TestReferencesAccepted(t *testing.T) {
	stack := testutil.NewStack("Refs")
	subnets := dataawssubnets.NewDataAwsSubnets(stack, jsii.String("Private"), &dataawssubnets.DataAwsSubnetsConfig{})
	vpc := dataawsvpc.NewDataAwsVpc(stack, jsii.String("Shared"), &dataawsvpc.DataAwsVpcConfig{Default: jsii.Bool(true)})
	attrs := network.Attributes{Environment: stage, VPCID: *vpc.Id(), PrivateSubnetIDs: network.TokenList(subnets.Ids()),
		PublicSubnetIDs: []string{*cdktf.Token_AsString(subnets.Ids(), nil)}}
	if err := attrs.Validate(); err != nil {
		t.Fatalf("references refused: %v", err)
	}
	if got := attrs.Layout(); got.PrivateSubnets != -1 || got.PublicSubnets != -1 {
		t.Errorf("Layout() = %+v", got)
	}
	n := network.FromAttributes(stack, "Network", attrs)
	cdktf.NewTerraformOutput(stack, jsii.String("private"), &cdktf.TerraformOutputConfig{Value: cdktf.Token_AsAny(n.PrivateSubnetIDs())})
	out := testutil.Synth(t, stack).Outputs()["private"]["value"]
	if out != "${data.aws_subnets.Private.ids}" {
		t.Errorf("private subnet IDs = %v, want the data source's list", out)
	}
}

// TestNameConflicts: two networks of one environment in one stack, both without a
// Component: the synthesis fails before anything is written, with one line per
// conflict naming both construct paths, the name and the field that resolves it.
func TestNameConflicts(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	app := testutil.NewAppIn(out)
	stack := testutil.NewStackIn(app, "Twice", "eu-west-1")
	cfg := network.Config{Environment: stage, Endpoints: true, FlowLogs: true}
	network.New(stack, "A", cfg)
	network.New(stack, "B", cfg)
	msg := testutil.SynthFails(t, app, out)
	want := []string{
		`IAM role name "lms-vpc-flow-logs-stage-eu-west-1" is defined twice in the account (every region) (stack Twice), by Twice/A/FlowLogRole and by Twice/B/FlowLogRole: give one of them its own network.Config.Component`,
		`log group name "/vpc/lms-stage/flow-logs" is defined twice in region eu-west-1 (stack Twice), by Twice/A/FlowLogGroup and by Twice/B/FlowLogGroup: give one of them its own network.Config.Component`,
	}
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("synth error\n%s\nlacks\n%s", msg, w)
		}
	}
	// Two VPCs: their endpoint security groups may share a name.
	if strings.Contains(msg, "security group") {
		t.Errorf("security groups of two VPCs reported as a conflict:\n%s", msg)
	}
}

// TestRegionsKeepAccountWideNamesApart: one environment in two regions of one app.
func TestRegionsKeepAccountWideNamesApart(t *testing.T) {
	app := testutil.NewApp()
	var roles []any
	for _, region := range []string{"ca-central-1", "eu-west-1"} {
		stack := cdktf.NewTerraformStack(app, jsii.String("Net-"+region))
		provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{Region: jsii.String(region)})
		network.New(stack, "Network", network.Config{Environment: stage, FlowLogs: true})
		_, role := testutil.Synth(t, stack).Find(t, "aws_iam_role", "Network/FlowLogRole")
		roles = append(roles, role["name"])
	}
	if diff := cmp.Diff([]any{"lms-vpc-flow-logs-stage-ca-central-1", "lms-vpc-flow-logs-stage-eu-west-1"}, roles); diff != "" {
		t.Errorf("role names (-want +got):\n%s", diff)
	}
}

func TestStackWithoutLiteralRegion(t *testing.T) {
	stack := cdktf.NewTerraformStack(testutil.NewApp(), jsii.String("NoRegion"))
	provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{})
	msg := testutil.MustPanic(t, func() { network.New(stack, "Network", network.Config{Environment: stage, FlowLogs: true}) })
	if !strings.Contains(msg, `network.New("Network"): NoRegion/Network: the stack's default AWS provider has no literal region: IAM role names carry it`) {
		t.Errorf("panic = %q", msg)
	}
	// Refused before anything was defined.
	if child := stack.Node().TryFindChild(jsii.String("Network")); child != nil {
		t.Error("the refused network was defined")
	}
	// Without account-wide names the region is not needed.
	network.New(stack, "Plain", network.Config{Environment: stage, Component: "plain", Endpoints: true})
}
