package tapstack_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/examples/tapstack"
	"github.com/tapstack/infra/internal/apptest"
	"github.com/tapstack/infra/internal/testutil"
)

// Two PR environments on one platform, synthesized by one app (so the app's listener
// rule check sees both): pr4892 with a pinned suffix and public-IP tasks, pr77 with its
// suffix in state and private tasks (the platform has NAT).
var platformConfigs = map[string]tapstack.Config{
	"platform-pr4892": mustConfig(apptest.PlatformVars(map[string]string{"ENVIRONMENT_SUFFIX": "pr4892", "PR_TIMESTAMP_SUFFIX": "123456"})),
	"platform-pr77":   mustConfig(apptest.PlatformVars(map[string]string{"ENVIRONMENT_SUFFIX": "pr77", "PLATFORM_EGRESS": "nat", "TERRAFORM_STATE_BUCKET": "iac-tf-states"})),
}

func init() {
	var app cdktf.App
	for name, cfg := range platformConfigs {
		variants.Add(name, func() cdktf.TerraformStack {
			if app == nil {
				app = testutil.NewApp()
				for n, c := range platformConfigs {
					stacks[n] = tapstack.New(app, c.StackName(), c)
				}
			}
			return stacks[name]
		}, stackAsserts(name, cfg)...)
	}
}

// TestPlatformStackCreatesOnlyItsOwn: a PR environment on the platform creates no VPC,
// subnet, gateway, NAT, Elastic IP, load balancer, listener or cluster, and nothing of
// it is open to the world; it keeps its cache, secrets, roles, task and service.
func TestPlatformStackCreatesOnlyItsOwn(t *testing.T) {
	for name := range platformConfigs {
		t.Run(name, func(t *testing.T) {
			s := variants.Synth(t, name)
			s.Absent(t, "aws_vpc", "aws_subnet", "aws_internet_gateway", "aws_nat_gateway", "aws_eip", "aws_route_table", "aws_flow_log",
				"aws_lb", "aws_lb_listener", "aws_ecs_cluster", "aws_vpc_endpoint")
			for id, r := range s.Resources("aws_vpc_security_group_ingress_rule") {
				if r["cidr_ipv4"] != nil {
					t.Errorf("%s admits a CIDR: %v", id, r)
				}
			}
			for _, typ := range []string{"aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"} {
				for id, r := range s.Resources(typ) {
					if r["security_group_id"] == apptest.SecurityGroupID {
						t.Errorf("%s adds a rule to the platform's load balancer group", id)
					}
				}
			}
			_, ingress := s.Find(t, "aws_vpc_security_group_ingress_rule", "Service/TaskIngress")
			if ingress["referenced_security_group_id"] != apptest.SecurityGroupID || ingress["from_port"] != 80.0 {
				t.Errorf("task ingress = %v, want the platform's load balancer group on 80", ingress)
			}
			want := map[string]int{"aws_lb_listener_rule": 1, "aws_lb_target_group": 1, "aws_ecs_service": 1, "aws_elasticache_serverless_cache": 1, "aws_security_group": 2}
			if diff := cmp.Diff(want, s.Counts("aws_lb_listener_rule", "aws_lb_target_group", "aws_ecs_service", "aws_elasticache_serverless_cache", "aws_security_group")); diff != "" {
				t.Errorf("counts (-want +got):\n%s", diff)
			}
			svc := s.Only(t, "aws_ecs_service")
			if svc["cluster"] != "arn:aws:ecs:ca-central-1:123456789012:cluster/lms-cluster-platform" {
				t.Errorf("cluster = %v", svc["cluster"])
			}
		})
	}
}

// TestTwoPREnvironmentsOnThePlatform: two attached PR environments get distinct
// priorities (their PR numbers) and hosts, and each its own preview URL.
func TestTwoPREnvironmentsOnThePlatform(t *testing.T) {
	type rule struct{ Priority, Host, URL any }
	got := map[string]rule{}
	for name := range platformConfigs {
		s := variants.Synth(t, name)
		r := s.Only(t, "aws_lb_listener_rule")
		if r["listener_arn"] != apptest.ListenerARN {
			t.Errorf("%s: listener %v", name, r["listener_arn"])
		}
		host := r["condition"].([]any)[0].(map[string]any)["host_header"].(map[string]any)["values"].([]any)[0]
		got[name] = rule{r["priority"], host, s.Outputs()["preview_url"]["value"]}
	}
	want := map[string]rule{
		"platform-pr4892": {4892.0, "pr4892.preview.example.com", "https://pr4892.preview.example.com"},
		"platform-pr77":   {77.0, "pr77.preview.example.com", "https://pr77.preview.example.com"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
	// Explicit priority: PLATFORM_RULE_PRIORITY, the way out of a collision.
	cfg := apptest.TapStack(t, apptest.PlatformVars(map[string]string{"ENVIRONMENT_SUFFIX": "pr54892", "PR_TIMESTAMP_SUFFIX": "000001", "PLATFORM_RULE_PRIORITY": "31337"}))
	s := testutil.Synth(t, tapstack.New(testutil.NewApp(), cfg.StackName(), cfg))
	if p := s.Only(t, "aws_lb_listener_rule")["priority"]; p != 31337.0 {
		t.Errorf("PLATFORM_RULE_PRIORITY: priority %v", p)
	}
}

// TestPlatformCollisionFailsAtSynth: two environments of one app on one listener with
// one priority (pr4892 and pr54892 are 50000 apart) fail the synthesis, naming both.
func TestPlatformCollisionFailsAtSynth(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	app := testutil.NewAppIn(out)
	for _, env := range []string{"pr4892", "pr54892"} {
		cfg := apptest.TapStack(t, apptest.PlatformVars(map[string]string{"ENVIRONMENT_SUFFIX": env, "PR_TIMESTAMP_SUFFIX": "123456"}))
		tapstack.New(app, cfg.StackName(), cfg)
	}
	msg := testutil.SynthFails(t, app, out)
	want := "listener rule priority 4892 is used twice on listener " + apptest.ListenerARN + ", by TapStackpr4892/Service/ListenerRule and by TapStackpr54892/Service/ListenerRule: set lmsservice.Attachment.Priority of one of them"
	if !strings.Contains(msg, want) {
		t.Errorf("synth error lacks\n%s\nwhole message:\n%s", want, msg)
	}
}

// TestConfigValidatePlatform: the fields the platform decides are refused with it,
// for library users who build a Config by hand.
func TestConfigValidatePlatform(t *testing.T) {
	cfg := apptest.TapStack(t, apptest.PlatformVars(map[string]string{"ENVIRONMENT_SUFFIX": "pr4892"}))
	cfg.NAT, cfg.Endpoints, cfg.ExistingVPCID, cfg.CertificateARN = "single", true, "vpc-0a1b2c3d", "arn:aws:acm:ca-central-1:123456789012:certificate/x"
	cfg.PublicSubnetIDs, cfg.PrivateSubnetIDs, cfg.ExistingEgress = []string{"subnet-00000001"}, []string{"subnet-00000002"}, "nat"
	cfg.ExistingPrivateRouteTableIDs = []string{"rtb-0a1b2c3d"}
	testutil.ErrorContains(t, cfg.Validate(),
		`NAT "single" is decided by the shared platform (Platform): leave it unset`, `Endpoints "true" is decided`, `ExistingVPCID "vpc-0a1b2c3d" is decided`,
		`PublicSubnetIDs "subnet-00000001" is decided`, `PrivateSubnetIDs "subnet-00000002" is decided`, `ExistingEgress "nat" is decided`, `CertificateARN "arn:aws:acm:`,
		`ExistingPrivateRouteTableIDs "rtb-0a1b2c3d" is decided by the shared platform`)
	empty := tapstack.Config{Environment: cfg.Environment, Platform: &tapstack.Platform{}}
	testutil.ErrorContains(t, empty.Validate(), "Platform.ListenerARN is required", "Platform.ClusterARN is required", "Platform.VPCID is required",
		"Platform.LoadBalancerSecurityGroupID is required", "Platform.PreviewDomain is required",
		"Platform.PrivateSubnetIDs has 0 subnet(s); an existing VPC needs at least 2 private subnets",
		"Platform.PublicSubnetIDs has 0 subnet(s): with Platform.Egress none the tasks run in the public subnets: give at least one")
	if empty.Platform.Egress != "" {
		t.Error("Validate wrote the default egress into the caller's Platform")
	}
	// cdktf tokens pass through (another stack's outputs, read through remote state),
	// the cluster ARN too (its name is then read by Terraform); text that Terraform would
	// read as an expression is refused.
	stack := testutil.NewStack("Tokens")
	remote := cdktf.NewDataTerraformRemoteStateS3(stack, jsii.String("platform"), &cdktf.DataTerraformRemoteStateS3Config{
		Bucket: jsii.String("iac-tf-states"), Key: jsii.String("platform/Platformplatform.tfstate"), Region: jsii.String("us-east-1")})
	refs := apptest.TapStack(t, apptest.PlatformVars(map[string]string{"ENVIRONMENT_SUFFIX": "pr4892"}))
	refs.Platform.ListenerARN, refs.Platform.VPCID = *remote.GetString(jsii.String("listener_arn")), *remote.GetString(jsii.String("vpc_id"))
	refs.Platform.ClusterARN = *remote.GetString(jsii.String("cluster_arn"))
	if err := refs.Validate(); err != nil {
		t.Errorf("tokens refused: %v", err)
	}
	refs.Platform.ListenerARN = "${data.terraform_remote_state.platform.outputs.listener_arn}"
	testutil.ErrorContains(t, refs.Validate(), `Platform.ListenerARN "${data.terraform_remote_state.platform.outputs.listener_arn}" holds "${", which Terraform would read as an expression`)
}
