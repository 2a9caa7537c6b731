package tapstack_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/constructs/network"
	"github.com/tapstack/infra/examples/tapstack"
	"github.com/tapstack/infra/internal/apptest"
	"github.com/tapstack/infra/internal/tapstackapp"
	"github.com/tapstack/infra/internal/testutil"
)

func TestMain(m *testing.M) { testutil.Main(m, closeDeployments) }

var (
	variants = testutil.NewVariants()
	stacks   = map[string]*tapstack.TapStack{}
	envs     = map[string]map[string]string{
		"default":       {},
		"prod":          {"ENVIRONMENT_SUFFIX": "prod", "TERRAFORM_STATE_BUCKET": "iac-tf-states"},
		"pr4892":        {"ENVIRONMENT_SUFFIX": "pr4892", "PR_TIMESTAMP_SUFFIX": "123456"},
		"pr-unpinned":   {"ENVIRONMENT_SUFFIX": "pr4892"}, // the suffix lives in state
		"cache-limits":  {"ENABLE_CACHE_LIMITS": "true"},
		"s3-backend":    {"TERRAFORM_STATE_BUCKET": "iac-tf-states", "TERRAFORM_STATE_BUCKET_REGION": "us-east-2"},
		"stage-no-nat":  {"CREATE_NAT_GATEWAY": "false"},
		"pr-nat-forced": {"ENVIRONMENT_SUFFIX": "pr7", "PR_TIMESTAMP_SUFFIX": "000001", "CREATE_NAT_GATEWAY": "1", "AWS_REGION": "us-west-2"},
	}
)

// mustConfig parses vars like the app does, for variant builders (which run outside a
// test): a bad fixture is a programming error.
func mustConfig(vars map[string]string) tapstack.Config {
	cfg, err := tapstackapp.ConfigFromLookup(testutil.Lookup(vars), apptest.Clock)
	if err != nil {
		panic(fmt.Sprintf("variant fixture %v: %v", vars, err))
	}
	return cfg
}

// stackAsserts are what the seven outputs must be after the mock apply: the names the
// stack gives the cluster, service and cache, and the mocked VPC, ALB and secrets.
func stackAsserts(variant string, cfg tapstack.Config) []string {
	m := "module." + variant + "."
	id := cfg.Environment.ID()
	if cfg.Environment.StampKept() {
		id = cfg.Environment.Name() + "-" + cfg.Environment.Timestamp() // what the suffix resolves to at the first apply
	}
	vpc, alb, cluster := "vpc-0123456789abcdef0", "mock-123456789.ca-central-1.elb.amazonaws.com", "lms-cluster-"+id
	if cfg.ExistingVPCID != "" {
		vpc = cfg.ExistingVPCID
	}
	var extra []string
	if p := cfg.Platform; p != nil {
		// The platform's VPC and cluster, the shared load balancer (read by data sources).
		vpc, alb, cluster = p.VPCID, testutil.SharedLoadBalancerDNSName, "lms-cluster-platform"
		extra = append(extra, m+tapstack.OutputPreviewURL+` == "https://`+cfg.Environment.Name()+`.preview.example.com"`)
	}
	secret := "arn:aws:secretsmanager:ca-central-1:123456789012:secret:mock-AbCdEf"
	return append(extra,
		m+tapstack.OutputVPCID+` == "`+vpc+`"`,
		m+tapstack.OutputALBDNSName+` == "`+alb+`"`,
		m+tapstack.OutputClusterName+` == "`+cluster+`"`,
		m+tapstack.OutputServiceName+` == "lms-service-`+id+`"`,
		m+tapstack.OutputCacheName+` == "lms-redis-`+id+`"`,
		m+tapstack.OutputDBSecretARN+` == "`+secret+`"`,
		m+tapstack.OutputRedisSecretARN+` == "`+secret+`"`,
	)
}

func init() {
	for name, vars := range envs {
		cfg := mustConfig(vars)
		variants.Add(name, func() cdktf.TerraformStack {
			s := tapstack.New(testutil.NewApp(), cfg.StackName(), cfg)
			stacks[name] = s
			return s
		}, stackAsserts(name, cfg)...)
	}
	existing := tapstack.Config{ExistingVPCID: "vpc-0a1b2c3d",
		PublicSubnetIDs: []string{"subnet-00000001", "subnet-00000002"}, PrivateSubnetIDs: []string{"subnet-00000003", "subnet-00000004"}}
	existing.Environment = mustConfig(map[string]string{}).Environment
	variants.Add("existing-vpc", func() cdktf.TerraformStack {
		s := tapstack.New(testutil.NewApp(), existing.StackName(), existing)
		stacks["existing-vpc"] = s
		return s
	}, stackAsserts("existing-vpc", existing)...)
}

func TestGolden(t *testing.T) {
	for _, name := range []string{"default", "prod", "pr4892", "cache-limits", "s3-backend", "stage-no-nat", "platform-pr4892"} {
		t.Run(name, func(t *testing.T) { testutil.Golden(t, name, variants.Synth(t, name)) })
	}
}

// TestTerraform validates every variant, and the stack of examples/consumer, against the
// real AWS provider, plans it with the real provider and applies it against a mocked one,
// where every output must have the value its assertion gives.
func TestTerraform(t *testing.T) {
	var extra []testutil.Case
	t.Run("consumer", func(t *testing.T) { extra = append(extra, consumerCase(consumerStack(t))) })
	variants.CheckTerraform(t, extra...)
}

func TestOutputsContract(t *testing.T) {
	for _, name := range variants.Names() {
		s := variants.Synth(t, name)
		var got []string
		// Known at synth: the adopted VPC's ID, and on the platform its cluster (read
		// from the ARN) and the preview URL.
		literals := map[string]bool{}
		want := tapstack.Outputs()
		switch {
		case name == "existing-vpc":
			literals["vpc_id"] = true
		case stacks[name].Config().Platform != nil:
			literals["vpc_id"], literals["ecs_cluster_name"], literals["preview_url"] = true, true, true
			want = append(append([]string(nil), want...), tapstack.OutputPreviewURL)
		}
		for out, body := range s.Outputs() {
			got = append(got, out)
			if d, _ := body["description"].(string); d == "" {
				t.Errorf("%s: output %s has no description", name, out)
			}
			if v, _ := body["value"].(string); strings.HasPrefix(v, "${") == literals[out] {
				t.Errorf("%s: output %s = %q, want a reference: %v", name, out, v, !literals[out])
			}
		}
		if diff := cmp.Diff(want, got, cmpSorted); diff != "" {
			t.Errorf("%s: outputs (-want +got):\n%s", name, diff)
		}
	}
	s := variants.Synth(t, "default")
	want := map[string]string{
		"vpc_id":           s.RefTo(t, "aws_vpc", "Network/VPC", "id"),
		"alb_dns_name":     s.RefTo(t, "aws_lb", "Service/LoadBalancer", "dns_name"),
		"ecs_cluster_name": s.RefTo(t, "aws_ecs_cluster", "Service/Cluster", "name"),
		"ecs_service_name": s.RefTo(t, "aws_ecs_service", "Service/Service", "name"),
		"redis_cache_name": s.RefTo(t, "aws_elasticache_serverless_cache", "Cache/ServerlessCache", "name"),
		"db_secret_arn":    s.RefTo(t, "aws_secretsmanager_secret", "Service/DBSecret", "arn"),
		"redis_secret_arn": s.RefTo(t, "aws_secretsmanager_secret", "Cache/ConnectionSecret", "arn"),
	}
	got := map[string]string{}
	for out, body := range s.Outputs() {
		got[out] = body["value"].(string)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("output values (-want +got):\n%s", diff)
	}
}

var cmpSorted = cmp.Transformer("sort", func(xs []string) []string {
	out := append([]string(nil), xs...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
})

func TestStackNamesAndDefaults(t *testing.T) {
	tests := []struct {
		variant, stack, region, cluster, alb, logGroup string
		nat, eips                                      int
	}{
		{"default", "TapStackstage", "ca-central-1", "lms-cluster-stage", "lms-alb-stage", "/ecs/lms-stage", 1, 1},
		{"prod", "TapStackprod", "ca-central-1", "lms-cluster-prod", "lms-alb-prod", "/ecs/lms-prod", 1, 1},
		{"pr4892", "TapStackpr4892", "ca-central-1", "lms-cluster-pr4892-123456", "lms-alb-pr4892-123456", "/ecs/lms-pr4892-123456", 0, 0},
		{"stage-no-nat", "TapStackstage", "ca-central-1", "lms-cluster-stage", "lms-alb-stage", "/ecs/lms-stage", 0, 0},
		{"pr-nat-forced", "TapStackpr7", "us-west-2", "lms-cluster-pr7-000001", "lms-alb-pr7-000001", "/ecs/lms-pr7-000001", 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.variant, func(t *testing.T) {
			s := variants.Synth(t, tt.variant)
			got := []any{*stacks[tt.variant].Node().Id(), s.JSON["provider"].(map[string]any)["aws"].([]any)[0].(map[string]any)["region"],
				s.Only(t, "aws_ecs_cluster")["name"], s.Only(t, "aws_lb")["name"], logGroup(t, s, "Service/LogGroup"),
				s.Count("aws_nat_gateway"), s.Count("aws_eip")}
			want := []any{tt.stack, tt.region, tt.cluster, tt.alb, tt.logGroup, tt.nat, tt.eips}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("stack (-want +got):\n%s", diff)
			}
		})
	}
}

func TestProviderDefaultTags(t *testing.T) {
	p := variants.Synth(t, "pr4892").JSON["provider"].(map[string]any)["aws"].([]any)[0].(map[string]any)
	want := []any{map[string]any{"tags": map[string]any{"Project": "lms", "Environment": "pr4892", "ManagedBy": "cdktf"}}}
	if diff := cmp.Diff(want, p["default_tags"]); diff != "" {
		t.Errorf("default_tags (-want +got):\n%s", diff)
	}
}

func TestBackend(t *testing.T) {
	terraform := func(name string) map[string]any { return variants.Synth(t, name).JSON["terraform"].(map[string]any) }
	// The S3 arguments plus the lock file, and the version that knows it.
	want := map[string]any{"s3": map[string]any{"bucket": "iac-tf-states", "key": "stage/TapStackstage.tfstate", "region": "us-east-2", "encrypt": true, "use_lockfile": true}}
	if diff := cmp.Diff(want, terraform("s3-backend")["backend"]); diff != "" {
		t.Errorf("S3 backend (-want +got):\n%s", diff)
	}
	// The local backend's path is relative to the stack directory: the same JSON from
	// any working directory, and a state file outside what synthesis rewrites.
	want = map[string]any{"local": map[string]any{"path": "../../../terraform.TapStackstage.tfstate"}}
	if diff := cmp.Diff(want, terraform("default")["backend"]); diff != "" {
		t.Errorf("local backend (-want +got):\n%s", diff)
	}
	for _, name := range variants.Names() {
		if got := terraform(name)["required_version"]; got != ">= 1.11" {
			t.Errorf("%s: required_version = %v, want >= 1.11", name, got)
		}
	}
	cfg := apptest.TapStack(t, map[string]string{"ENVIRONMENT_SUFFIX": "pr4892", "PR_TIMESTAMP_SUFFIX": "654321", "TERRAFORM_STATE_BUCKET": "b-1"})
	if cfg.StateKey(cfg.StackName()) != "pr4892/TapStackpr4892.tfstate" || cfg.StackName() != "TapStackpr4892" {
		t.Errorf("PR state key %q, stack %q carry the timestamp", cfg.StateKey(cfg.StackName()), cfg.StackName())
	}
}

func TestEgressPath(t *testing.T) {
	tests := []struct {
		variant  string
		egress   network.Egress
		publicIP bool
	}{
		{"default", network.EgressNAT, false},
		{"pr4892", network.EgressNone, true},
		{"stage-no-nat", network.EgressNone, true},
		{"existing-vpc", network.EgressNAT, false},
		{"platform-pr4892", network.EgressNone, true},
		{"platform-pr77", network.EgressNAT, false},
	}
	for _, tt := range tests {
		t.Run(tt.variant, func(t *testing.T) {
			s := variants.Synth(t, tt.variant)
			st := stacks[tt.variant]
			svc := s.Only(t, "aws_ecs_service")["network_configuration"].(map[string]any)
			if st.Network().Egress() != tt.egress || svc["assign_public_ip"] != tt.publicIP {
				t.Errorf("egress %q, assign_public_ip %v; want %q, %v", st.Network().Egress(), svc["assign_public_ip"], tt.egress, tt.publicIP)
			}
		})
	}
	// With endpoints instead, tasks stay private.
	cfg := apptest.TapStack(t, map[string]string{"ENVIRONMENT_SUFFIX": "pr1", "PR_TIMESTAMP_SUFFIX": "000001"})
	cfg.Endpoints = true
	s := testutil.Synth(t, tapstack.New(testutil.NewApp(), cfg.StackName(), cfg))
	if got := s.Only(t, "aws_ecs_service")["network_configuration"].(map[string]any)["assign_public_ip"]; got != false || s.Count("aws_vpc_endpoint") != 5 {
		t.Errorf("endpoints: assign_public_ip %v, %d endpoints", got, s.Count("aws_vpc_endpoint"))
	}
}

func TestCacheLimits(t *testing.T) {
	if _, ok := variants.Synth(t, "default").Only(t, "aws_elasticache_serverless_cache")["cache_usage_limits"]; ok {
		t.Error("default has cache_usage_limits")
	}
	limits := variants.Synth(t, "cache-limits").Only(t, "aws_elasticache_serverless_cache")["cache_usage_limits"]
	want := []any{map[string]any{"data_storage": []any{map[string]any{"maximum": 10.0, "unit": "GB"}}, "ecpu_per_second": []any{map[string]any{"maximum": 5000.0}}}}
	if diff := cmp.Diff(want, limits); diff != "" {
		t.Errorf("cache_usage_limits (-want +got):\n%s", diff)
	}
}

func TestSecretsAndEndpointReferences(t *testing.T) {
	s := variants.Synth(t, "pr4892")
	var names []string
	for _, sec := range s.Resources("aws_secretsmanager_secret") {
		names = append(names, sec["name"].(string))
		if sec["recovery_window_in_days"] != 0.0 {
			t.Errorf("PR secret %v has a recovery window", sec["name"])
		}
	}
	if diff := cmp.Diff([]string{"lms/pr4892-123456/db-credentials", "lms/pr4892-123456/redis-connection"}, names, cmpSorted); diff != "" {
		t.Errorf("secret names (-want +got):\n%s", diff)
	}
	raw := string(s.Raw)
	if strings.Contains(raw, "to-be-updated") || !strings.Contains(raw, ".endpoint[0].address}") {
		t.Error("the Redis endpoint is not a Terraform reference")
	}
}

func TestReSynthIsStable(t *testing.T) {
	vars := map[string]string{"ENVIRONMENT_SUFFIX": "pr4892", "PR_TIMESTAMP_SUFFIX": "123456"}
	a := variants.Synth(t, "pr4892")
	cfg := apptest.TapStack(t, vars)
	b := testutil.Synth(t, tapstack.New(testutil.NewApp(), cfg.StackName(), cfg))
	if diff := cmp.Diff(a.JSON, b.JSON); diff != "" {
		t.Errorf("re-synthesizing the same pinned deployment changed it (-first +second):\n%s", diff)
	}
}

func TestNewPanicsOnInvalidConfig(t *testing.T) {
	msg := testutil.MustPanic(t, func() { tapstack.New(testutil.NewApp(), "TapStackx", tapstack.Config{Region: "moon-1"}) })
	for _, w := range []string{`tapstack.New("TapStackx"): invalid Config`, "Environment is required", `Region "moon-1" is not a region of any AWS partition`} {
		if !strings.Contains(msg, w) {
			t.Errorf("panic %q does not contain %q", msg, w)
		}
	}
}

func TestAccessors(t *testing.T) {
	variants.Synth(t, "default")
	st := stacks["default"]
	if st.Network() == nil || st.Cache() == nil || st.Service() == nil || st.Config().Image != tapstack.DefaultImage || st.Network().Egress() != network.EgressNAT {
		t.Errorf("accessors: %+v", st.Config())
	}
}

func logGroup(t *testing.T, s *testutil.Synthesized, path string) any {
	t.Helper()
	_, g := s.Find(t, "aws_cloudwatch_log_group", path)
	return g["name"]
}

func TestFlowLogs(t *testing.T) {
	s := variants.Synth(t, "pr4892")
	want := map[string]any{"name": "/vpc/lms-pr4892-123456/flow-logs", "retention": 3.0}
	_, g := s.Find(t, "aws_cloudwatch_log_group", "Network/FlowLogGroup")
	got := map[string]any{"name": g["name"], "retention": g["retention_in_days"]}
	if diff := cmp.Diff(want, got); diff != "" || s.Only(t, "aws_flow_log")["vpc_id"] != s.RefTo(t, "aws_vpc", "Network/VPC", "id") {
		t.Errorf("flow logs (-want +got):\n%s", diff)
	}
	variants.Synth(t, "existing-vpc").Absent(t, "aws_flow_log")
}

// TestSecurityInvariants holds, for every variant, what no scanner checks: the cache
// sits in the private subnets behind its own group, which admits only the service's
// task group; the only world-open ingress is the ALB's.
func TestSecurityInvariants(t *testing.T) {
	for _, name := range variants.Names() {
		t.Run(name, func(t *testing.T) {
			s := variants.Synth(t, name)
			c := s.Only(t, "aws_elasticache_serverless_cache")
			want := []any{}
			for _, id := range testutil.ResolveStrings(stacks[name], stacks[name].Network().PrivateSubnetIDs()) {
				want = append(want, id)
			}
			if diff := cmp.Diff(want, c["subnet_ids"]); diff != "" {
				t.Errorf("cache subnets (-private +got):\n%s", diff)
			}
			cacheSG := s.RefTo(t, "aws_security_group", "Cache/SecurityGroup", "id")
			taskSG := s.RefTo(t, "aws_security_group", "Service/TaskSecurityGroup", "id")
			albSG := "" // on the platform: nothing of the stack is open to the world
			if stacks[name].Config().Platform == nil {
				albSG = s.RefTo(t, "aws_security_group", "Service/LoadBalancerSecurityGroup", "id")
			}
			for id, r := range s.Resources("aws_vpc_security_group_ingress_rule") {
				switch {
				case r["security_group_id"] == cacheSG && r["referenced_security_group_id"] != taskSG:
					t.Errorf("%s admits %v into the cache", id, r)
				case r["cidr_ipv4"] == "0.0.0.0/0" && r["security_group_id"] != albSG:
					t.Errorf("%s opens a non-ALB group to the world", id)
				}
			}
		})
	}
}
