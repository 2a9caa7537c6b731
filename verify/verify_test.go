package verify

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/tapstack/infra/internal/engine"
	"github.com/tapstack/infra/internal/tfjson"
)

// These tests run the real Terraform CLI and the real hashicorp/aws provider from the
// local mirror, offline. Without them they skip, unless TAPSTACK_REQUIRE_TERRAFORM=1
// (make test sets it), which turns a missing tool into a failure.

const requireEnv = "TAPSTACK_REQUIRE_TERRAFORM"

func requireEngine(t testing.TB) {
	t.Helper()
	if _, err := FindEngine(); err != nil {
		if os.Getenv(requireEnv) == "1" {
			t.Fatalf("%s=1 but %v", requireEnv, err)
		}
		t.Skipf("skipping: %v", err)
	}
}

// goldens are the TapStacks TestControl deploys, the one attached to the shared platform
// among them (its data sources read the shared listener and load balancer: verify's
// built-in fakes, no Options). s3-backend is not among them: it is default with a
// backend, which verify drops, so its control would be default's (TestBackendDropped
// holds that).
var goldens = []string{"default", "prod", "pr4892", "platform-pr4892", "cache-limits", "stage-no-nat"}

// TestBackendDropped: the stack verify plans has no backend, so a stack that differs
// from another only in its backend plans the same.
func TestBackendDropped(t *testing.T) {
	withBackend, err := prepare(golden(t, "s3-backend"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	without, err := prepare(golden(t, "default"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(without.doc, withBackend.doc); diff != "" {
		t.Errorf("s3-backend prepared differs from default (-default +s3-backend):\n%s", diff)
	}
	if _, ok := tfjson.MapOf(withBackend.doc["terraform"])["backend"]; ok {
		t.Error("the backend is still there")
	}
}

func golden(t testing.TB, name string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "examples", "tapstack", "testdata", name+".golden.json"))
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// deployments are shared by the tests of this package: each golden is fake-applied once.
var deployments struct {
	mu   sync.Mutex
	once map[string]*sync.Once
	d    map[string]*Deployment
	err  map[string]error
	took map[string]time.Duration
}

func deployment(t *testing.T, name string) *Deployment {
	t.Helper()
	requireEngine(t)
	deployments.mu.Lock()
	if deployments.once == nil {
		deployments.once, deployments.d = map[string]*sync.Once{}, map[string]*Deployment{}
		deployments.err, deployments.took = map[string]error{}, map[string]time.Duration{}
	}
	once := deployments.once[name]
	if once == nil {
		once = &sync.Once{}
		deployments.once[name] = once
	}
	deployments.mu.Unlock()
	once.Do(func() {
		start := time.Now()
		d, err := Deploy(context.Background(), golden(t, name), Options{})
		deployments.mu.Lock()
		deployments.d[name], deployments.err[name], deployments.took[name] = d, err, time.Since(start)
		deployments.mu.Unlock()
	})
	deployments.mu.Lock()
	defer deployments.mu.Unlock()
	if err := deployments.err[name]; err != nil {
		t.Fatalf("Deploy(%s): %v", name, err)
	}
	t.Logf("Deploy(%s) took %v", name, deployments.took[name].Round(time.Millisecond))
	return deployments.d[name]
}

func TestMain(m *testing.M) {
	flag.Parse()
	if _, err := FindEngine(); err != nil && os.Getenv(requireEnv) != "1" {
		// The examples run the engine and cannot skip: without it, only the tests run
		// (and skip what needs the engine).
		if f := flag.Lookup("test.run"); f != nil && f.Value.String() == "" {
			fmt.Fprintf(os.Stderr, "verify: %v: the examples are not run\n", err)
			_ = f.Value.Set("^(Test|Benchmark|Fuzz)")
		}
	}
	code := m.Run()
	if store.d != nil {
		_ = store.d.Close()
	}
	for _, d := range deployments.d {
		if d != nil {
			_ = d.Close()
		}
	}
	os.Exit(code)
}

func plan(t *testing.T, d *Deployment, stack []byte) *Report {
	t.Helper()
	start := time.Now()
	r, err := d.Plan(context.Background(), stack)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Plan took %v", time.Since(start).Round(time.Millisecond))
	return r
}

// TestControl plans every golden TapStack against its own fake apply: the real provider
// must see nothing to change, which proves the fakes consistent with what it planned.
// With -short, only the goldens the other tests deploy anyway.
func TestControl(t *testing.T) {
	for _, name := range goldens {
		t.Run(name, func(t *testing.T) {
			if testing.Short() && name != "default" && name != "pr4892" {
				t.Skip("-short: only default and pr4892")
			}
			t.Parallel()
			d := deployment(t, name)
			if d.waves != 1 {
				t.Errorf("the fake apply took %d waves, want 1 (every reference of the TapStack is predictable)", d.waves)
			}
			var doc map[string]map[string]map[string]any
			if err := json.Unmarshal(golden(t, name), &struct {
				Resource *map[string]map[string]map[string]any `json:"resource"`
			}{&doc}); err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, named := range doc {
				n += len(named)
			}
			if len(d.state) != n {
				t.Errorf("the fake state has %d resources, the stack %d", len(d.state), n)
			}
			r := plan(t, d, golden(t, name))
			if len(r.Changes) != 0 {
				t.Errorf("the control planned changes; the fake apply is inconsistent with the provider:\n%s", r)
			}
			AssertNoReplacements(t, r)
		})
	}
}

// TestCacheLimits: enabling the cache usage limits updates the cache in place.
func TestCacheLimits(t *testing.T) {
	t.Parallel()
	d := deployment(t, "default")
	r := plan(t, d, golden(t, "cache-limits"))
	want := []Change{{Address: "aws_elasticache_serverless_cache.Cache_ServerlessCache_CFF03C51",
		Type: "aws_elasticache_serverless_cache", Path: "aws_elasticache_serverless_cache.Cache_ServerlessCache_CFF03C51", Action: Update}}
	if diff := cmp.Diff(want, r.Changes); diff != "" {
		t.Errorf("verdict (-want +got):\n%s\n%s", diff, r)
	}
	AssertNoReplacements(t, r)
}

// TestPRSuffixChange: a new PR suffix renames everything named: the provider replaces
// every named resource, and whatever references a replaced one.
func TestPRSuffixChange(t *testing.T) {
	t.Parallel()
	d := deployment(t, "pr4892")
	after := []byte(strings.ReplaceAll(string(golden(t, "pr4892")), "123456", "654321"))
	r := plan(t, d, after)
	type verdict struct {
		Action Action
		Paths  string
	}
	got := map[string]verdict{}
	for _, c := range r.Changes {
		got[c.Address] = verdict{c.Action, strings.Join(c.ReplacePaths, ",")}
	}
	replace := func(paths string) verdict { return verdict{Replace, paths} }
	update := verdict{Update, ""}
	want := map[string]verdict{
		"aws_cloudwatch_log_group.Network_FlowLogGroup_1F868030":                        replace("name"),
		"aws_cloudwatch_log_group.Service_LogGroup_90084B16":                            replace("name"),
		"aws_ecs_cluster.Service_Cluster_EC592A3A":                                      replace("name"),
		"aws_ecs_cluster_capacity_providers.Service_Cluster_CapacityProviders_D6BD9FB5": replace("cluster_name"),
		"aws_ecs_service.Service_D69D759B":                                              replace("cluster,name"),
		"aws_ecs_task_definition.Service_TaskDefinition_4B51B9EA":                       replace("container_definitions,execution_role_arn,family,task_role_arn"),
		"aws_elasticache_serverless_cache.Cache_ServerlessCache_CFF03C51":               replace("name"),
		"aws_flow_log.Network_FlowLog_C0B00A8E":                                         replace("iam_role_arn,log_destination"),
		"aws_iam_role.Network_FlowLogRole_77F83AC2":                                     replace("name"),
		"aws_iam_role.Service_ExecutionRole_BE49F39A":                                   replace("name"),
		"aws_iam_role.Service_TaskRole_2C0917DF":                                        replace("name"),
		"aws_iam_role_policy.Network_FlowLogRolePolicy_EDF4226D":                        replace("role"),
		"aws_iam_role_policy.Service_ExecutionRoleSecrets_CF9841ED":                     replace("role"),
		"aws_iam_role_policy_attachment.Service_ExecutionRoleManagedPolicy_D2D4B3B2":    replace("role"),
		"aws_lb.Service_LoadBalancer_8673CF3F":                                          replace("name"),
		"aws_lb_listener.Service_HTTPListener_1A539937":                                 replace("load_balancer_arn"),
		"aws_lb_target_group.Service_TargetGroup_65AC6B40":                              replace("name"),
		"aws_secretsmanager_secret.Cache_ConnectionSecret_E2AC2280":                     replace("name"),
		"aws_secretsmanager_secret.Service_DBSecret_425CC3D4":                           replace("name"),
		"aws_secretsmanager_secret_version.Cache_ConnectionSecretVersion_FC086D4F":      replace("secret_id,secret_string"),
		"aws_secretsmanager_secret_version.Service_DBSecretVersion_EEDF8B45":            replace("secret_id"),
		"aws_security_group.Cache_SecurityGroup_24A10A71":                               replace("description,name"),
		"aws_security_group.Service_LoadBalancerSecurityGroup_4C854F07":                 replace("description,name"),
		"aws_security_group.Service_TaskSecurityGroup_AC06778A":                         replace("description,name"),
		"aws_vpc_security_group_egress_rule.Service_LoadBalancerEgress_57A5E12A":        replace("security_group_id"),
		"aws_vpc_security_group_egress_rule.Service_TaskEgressCache_C449091A":           replace("security_group_id"),
		"aws_vpc_security_group_egress_rule.Service_TaskEgressHTTPS_62F2690C":           replace("security_group_id"),
		"aws_vpc_security_group_ingress_rule.Cache_AllowFrom0_C8233DFF":                 replace("security_group_id"),
		"aws_vpc_security_group_ingress_rule.Service_LoadBalancerIngressHTTP_3E83C8C6":  replace("security_group_id"),
		"aws_vpc_security_group_ingress_rule.Service_TaskIngress_C2113C16":              replace("security_group_id"),
		// Only their Name tags carry the suffix.
		"aws_default_security_group.Network_DefaultSecurityGroup_6811E764": update,
		"aws_internet_gateway.Network_InternetGateway_D8FF3F66":            update,
		"aws_route_table.Network_PrivateRouteTable0_08C77454":              update,
		"aws_route_table.Network_PrivateRouteTable1_027AC5C9":              update,
		"aws_route_table.Network_PublicRouteTable_80927F7B":                update,
		"aws_subnet.Network_PrivateSubnet0_A7C21DEC":                       update,
		"aws_subnet.Network_PrivateSubnet1_E8491189":                       update,
		"aws_subnet.Network_PublicSubnet0_B2FC5C28":                        update,
		"aws_subnet.Network_PublicSubnet1_3B56D098":                        update,
		"aws_vpc.Network_VPC_F81DA5AA":                                     update,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("verdict (-want +got):\n%s\n%s", diff, r)
	}
	// The target group and the security groups are create_before_destroy (a listener
	// and rules must always have one to point at); the others go first.
	for _, c := range r.Replaced() {
		cbd := c.Type == "aws_lb_target_group" || c.Type == "aws_security_group"
		if c.Reason != "replace_because_cannot_update" || c.CreateBeforeDestroy != cbd {
			t.Errorf("%s: reason %q, create before destroy %v, want %v", c.Address, c.Reason, c.CreateBeforeDestroy, cbd)
		}
	}
	// Every stateful kind of the TapStack but the network is replaced, by its name.
	for _, typ := range []string{"aws_elasticache_serverless_cache", "aws_secretsmanager_secret", "aws_cloudwatch_log_group", "aws_lb", "aws_ecs_cluster", "aws_iam_role"} {
		if StatefulReason(typ) == "" {
			t.Errorf("%s is not in Stateful", typ)
		}
		if len(r.Replaced(typ)) == 0 {
			t.Errorf("no %s replaced", typ)
		}
		for _, c := range r.Replaced(typ) {
			if !strings.Contains(strings.Join(c.ReplacePaths, ","), "name") {
				t.Errorf("%s replaced by %v, want name among them", c.Address, c.ReplacePaths)
			}
		}
	}
	rec := &recorder{}
	AssertNoReplacements(rec, r, Stateful()...)
	if !rec.failed || !strings.Contains(rec.msg, "+ replace (delete, then create) aws_lb.Service_LoadBalancer_8673CF3F, forced by name") {
		t.Errorf("AssertNoReplacements did not report the ALB replacement:\n%s", rec.msg)
	}

	// The binary plan reader and the engine's own JSON rendering agree.
	d.mu.Lock()
	defer d.mu.Unlock()
	fromFile, err := engine.ReadPlanFile(filepath.Join(d.dir, planFile))
	if err != nil {
		t.Fatal(err)
	}
	out, err := d.eng.Run(context.Background(), d.dir, "show", "-json", planFile)
	if err != nil {
		t.Fatalf("show -json: %v\n%s", err, out)
	}
	fromJSON, err := engine.ReadPlanJSON(out)
	if err != nil {
		t.Fatal(err)
	}
	comparePlans(t, d, fromFile, fromJSON)
}

// comparePlans checks that both plan readers give the same changes, values included.
func comparePlans(t *testing.T, d *Deployment, a, b []engine.Change) {
	t.Helper()
	if len(a) != len(b) || len(a) == 0 {
		t.Fatalf("%d changes from the plan file, %d from show -json", len(a), len(b))
	}
	byAddr := func(l []engine.Change) {
		sort.Slice(l, func(i, j int) bool { return l[i].Addr < l[j].Addr })
	}
	byAddr(a)
	byAddr(b)
	s, err := d.schemaWait()
	if err != nil {
		t.Fatal(err)
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.Addr != y.Addr || x.Action != y.Action || x.Reason != y.Reason || x.Provider != y.Provider {
			t.Errorf("change %d: file %s %s %q %s, JSON %s %s %q %s", i, x.Addr, x.Action, x.Reason, x.Provider, y.Addr, y.Action, y.Reason, y.Provider)
			continue
		}
		if diff := cmp.Diff(fmt.Sprint(x.ReplacePaths), fmt.Sprint(y.ReplacePaths)); diff != "" {
			t.Errorf("%s replace paths (-file +json):\n%s", x.Addr, diff)
		}
		rs, err := s.resource(x.Provider, x.Type)
		if err != nil {
			t.Fatal(err)
		}
		for _, pair := range [][2]any{{x.Before, y.Before}, {x.After, y.After}} {
			fx, _ := json.Marshal(normalize(pair[0], rs.typ))
			fy, _ := json.Marshal(normalize(pair[1], rs.typ))
			if string(fx) != string(fy) {
				t.Errorf("%s values differ:\nfile %s\njson %s", x.Addr, fx, fy)
			}
		}
		sensitive := func(paths [][]tfjson.Part) []string {
			var out []string
			for _, p := range paths {
				out = append(out, tfjson.RenderParts(p))
			}
			sort.Strings(out)
			return out
		}
		// The JSON rendering adds what the schema marks sensitive; the plan file holds
		// the marks of the values only.
		fromJSON := strings.Join(sensitive(y.AfterSensitive), " ")
		for _, p := range sensitive(x.AfterSensitive) {
			if !strings.Contains(" "+fromJSON+" ", " "+p+" ") {
				t.Errorf("%s: sensitive path %s of the plan file is not sensitive in show -json (%s)", x.Addr, p, fromJSON)
			}
		}

	}
}

// TestDeleteAndCreate: a resource removed from the configuration is deleted, a new one
// created; the construct path is the one the stack carries.
func TestDeleteAndCreate(t *testing.T) {
	t.Parallel()
	d := deployment(t, "default")
	doc, err := tfjson.Parse(golden(t, "default"))
	if err != nil {
		t.Fatal(err)
	}
	res := doc["resource"].(map[string]any)
	delete(res["aws_vpc_security_group_egress_rule"].(map[string]any), "Service_TaskEgressHTTPS_62F2690C")
	res["aws_cloudwatch_log_group"].(map[string]any)["Audit_LogGroup_0A1B2C3D"] = map[string]any{
		"//":                map[string]any{"metadata": map[string]any{"path": "TapStackstage/Audit/LogGroup", "uniqueId": "Audit_LogGroup_0A1B2C3D"}},
		"name":              "/audit/lms-stage",
		"retention_in_days": 90,
	}
	after, _ := json.Marshal(doc)
	r := plan(t, d, after)
	want := []Change{
		{Address: "aws_cloudwatch_log_group.Audit_LogGroup_0A1B2C3D", Type: "aws_cloudwatch_log_group", Path: "TapStackstage/Audit/LogGroup", Action: Create},
		{Address: "aws_vpc_security_group_egress_rule.Service_TaskEgressHTTPS_62F2690C", Type: "aws_vpc_security_group_egress_rule",
			Path: "aws_vpc_security_group_egress_rule.Service_TaskEgressHTTPS_62F2690C", Action: Delete, Reason: "delete_because_no_resource_config"},
	}
	if diff := cmp.Diff(want, r.Changes); diff != "" {
		t.Errorf("verdict (-want +got):\n%s\n%s", diff, r)
	}
	// A stack with nothing left deletes everything (its resources still need the
	// deployed stack's provider, offline).
	empty := plan(t, d, []byte(`{}`))
	if len(empty.Changes) != len(d.state) || empty.Count(Delete) != len(d.state) {
		t.Errorf("an empty stack: %d changes, %d deletes, %d resources in state\n%s", len(empty.Changes), empty.Count(Delete), len(d.state), empty)
	}
}

// The terraform_data stack of a PR environment's suffix: kept in input, ignored later.
const suffixStack = `{
  "resource": {
    "terraform_data": {
      "suffix": {
        "//": {"metadata": {"path": "TapStackpr1/Suffix"}},
        "input": "123456",
        "lifecycle": {"ignore_changes": ["input"]}
      },
      "user": {"input": {"suffix": "${terraform_data.suffix.output}", "n": 2}}
    }
  }
}`

// TestRemoteState: a stack that reads another stack's outputs (terraform_remote_state)
// deploys with no options: each output it reads is a fake string.
func TestRemoteState(t *testing.T) {
	t.Parallel()
	stack := `{
	  "data": {"terraform_remote_state": {"platform": {"backend": "s3", "config": {"bucket": "states", "key": "platform.tfstate", "region": "ca-central-1"}}}},
	  "resource": {"terraform_data": {"app": {"input": {"listener": "${data.terraform_remote_state.platform.outputs.listener_arn}",
	    "vpc": "vpc of ${data.terraform_remote_state.platform.outputs.vpc_id}"}}}}
	}`
	d := deployRaw(t, []byte(stack))
	got := d.state["terraform_data.app"].attrs["output"].(tfjson.DynamicValue).Value
	if diff := cmp.Diff(map[string]any{"listener": "listener_arn-verify-fake", "vpc": "vpc of vpc_id-verify-fake"}, got); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
	if r := plan(t, d, []byte(stack)); len(r.Changes) != 0 {
		t.Errorf("control:\n%s", r)
	}
}

// TestTerraformData: terraform_data's output is its input, and a new input under
// ignore_changes = [input] plans no change.
func TestTerraformData(t *testing.T) {
	t.Parallel()
	requireEngine(t)
	ctx := context.Background()
	d, err := Deploy(ctx, []byte(suffixStack), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = d.Close() }()
	if out := d.state["terraform_data.suffix"].attrs["output"]; fmt.Sprint(out) != fmt.Sprint(tfjson.DynamicValue{Type: json.RawMessage(`"string"`), Value: "123456"}) {
		t.Errorf("terraform_data.suffix output = %v, want the input", out)
	}
	if r := plan(t, d, []byte(suffixStack)); len(r.Changes) != 0 {
		t.Errorf("control:\n%s", r)
	}
	renamed := strings.ReplaceAll(suffixStack, "123456", "654321")
	if r := plan(t, d, []byte(renamed)); len(r.Changes) != 0 {
		t.Errorf("a new suffix under ignore_changes planned changes:\n%s", r)
	}
	// Without ignore_changes the new input is an update, which the user sees too.
	unpinned := strings.Replace(renamed, `"lifecycle": {"ignore_changes": ["input"]}`, `"triggers_replace": "x"`, 1)
	r := plan(t, d, []byte(unpinned))
	want := []Change{
		{Address: "terraform_data.suffix", Type: "terraform_data", Path: "TapStackpr1/Suffix", Action: Replace,
			ReplacePaths: []string{"triggers_replace"}, Reason: "replace_because_cannot_update"},
		{Address: "terraform_data.user", Type: "terraform_data", Path: "terraform_data.user", Action: Update},
	}
	if diff := cmp.Diff(want, r.Changes); diff != "" {
		t.Errorf("verdict (-want +got):\n%s\n%s", diff, r)
	}
}

// TestWaves: a reference verify cannot evaluate (a function of another resource's
// value) waits for a second planned wave, and the result is as consistent.
func TestWaves(t *testing.T) {
	t.Parallel()
	requireEngine(t)
	stack := `{"resource": {"terraform_data": {
	  "a": {"input": "${upper(\"x\")}"},
	  "b": {"input": "${terraform_data.a.output}-b", "count": 2},
	  "c": {"input": "${terraform_data.b[0].output}", "depends_on": ["terraform_data.a"]}
	}}}`
	d, err := Deploy(context.Background(), []byte(stack), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = d.Close() }()
	if d.waves != 2 {
		t.Errorf("waves = %d, want 2", d.waves)
	}
	if got := d.state["terraform_data.c"].attrs["output"].(tfjson.DynamicValue).Value; got != "X-b" {
		t.Errorf("terraform_data.c output = %v, want X-b", got)
	}
	if r := plan(t, d, []byte(stack)); len(r.Changes) != 0 {
		t.Errorf("control:\n%s", r)
	}
	r := plan(t, d, []byte(strings.Replace(stack, `"count": 2`, `"count": 1`, 1)))
	if len(r.Changes) != 1 || r.Changes[0].Address != "terraform_data.b[1]" || r.Changes[0].Action != Delete ||
		r.Changes[0].Reason != "delete_because_count_index" {
		t.Errorf("count 2 -> 1:\n%s", r)
	}
}

// TestRejectedConfig: a stack Terraform rejects fails with Terraform's diagnostics.
func TestRejectedConfig(t *testing.T) {
	t.Parallel()
	requireEngine(t)
	stack := `{"resource": {"terraform_data": {"x": {"inputs": "typo"}}}}`
	_, err := Deploy(context.Background(), []byte(stack), Options{})
	if err == nil || !strings.Contains(err.Error(), `No argument or block type is named "inputs"`) || !strings.Contains(err.Error(), "plan of the stack to deploy") {
		t.Fatalf("err = %v, want the diagnostics of the failed plan", err)
	}
	d, err := Deploy(context.Background(), []byte(suffixStack), Options{Keep: true, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = d.Close() }()
	if _, err := d.Plan(context.Background(), []byte(stack)); err == nil || !strings.Contains(err.Error(), `main.tf.json:5: Extraneous JSON object property`) {
		t.Errorf("Plan err = %v, want the diagnostics", err)
	}
	if _, err := d.Plan(context.Background(), []byte(`[1]`)); err == nil || !strings.Contains(err.Error(), "not Terraform JSON") {
		t.Errorf("Plan of a non-object: %v", err)
	}
	dir := d.Dir()
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "terraform.tfstate")); err != nil {
		t.Errorf("Keep: the working directory is gone: %v", err)
	}
	if _, err := d.Plan(context.Background(), []byte(suffixStack)); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Errorf("Plan after Close: %v", err)
	}
}

// TestMissingEngine: without the CLI, Deploy says what is missing and what to set.
func TestMissingEngine(t *testing.T) {
	stack := []byte(suffixStack)
	if _, err := Deploy(context.Background(), stack, Options{Engine: Engine{Binary: "/nonexistent/terraform"}}); err == nil || !strings.Contains(err.Error(), `"/nonexistent/terraform" not found`) {
		t.Errorf("explicit binary: %v", err)
	}
	t.Setenv(BinaryEnv, "no-such-terraform-binary")
	if _, err := Compare(context.Background(), stack, stack, Options{}); err == nil || !strings.Contains(err.Error(), BinaryEnv) {
		t.Errorf("discovered binary: %v", err)
	}
	if _, err := FindEngine(); err == nil || !strings.Contains(err.Error(), `"no-such-terraform-binary" not found on PATH`) {
		t.Errorf("FindEngine: %v", err)
	}
	t.Setenv(BinaryEnv, "")
	t.Setenv(PluginDirEnv, t.TempDir())
	if _, err := FindEngine(); err == nil || !strings.Contains(err.Error(), PluginDirEnv+"=") {
		t.Errorf("FindEngine with an empty mirror: %v", err)
	}
	if _, err := Deploy(context.Background(), stack, Options{Engine: Engine{Binary: "sh"}}); err == nil || !strings.Contains(err.Error(), PluginDirEnv) {
		t.Errorf("Deploy with an empty mirror: %v", err)
	}
}

// TestUnknownDataSource: a data source that would call AWS and has no fake is an error
// naming it and telling how to pass a fake.
func TestUnknownDataSource(t *testing.T) {
	stack := `{"data": {"aws_ami": {"ubuntu": {"most_recent": true}}, "external": {"x": {}}},
	  "resource": {"aws_instance": {"web": {"ami": "${data.aws_ami.ubuntu.id}"}}}}`
	_, err := Compare(context.Background(), []byte(stack), []byte(stack), Options{})
	for _, want := range []string{"data.external.x (type external)", `Options.DataSources["<type>"]`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("err = %v, want it to contain %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "aws_ami") {
		t.Errorf("aws_ami has a built-in fake, but: %v", err)
	}
}

// recorder is a TB that records failures instead of failing.
type recorder struct {
	failed bool
	msg    string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.failed, r.msg = true, r.msg+fmt.Sprintf(format, args...)
}

// TestOpenTofu runs a verdict with OpenTofu as the engine, when TOFU_BINARY_NAME names
// one (make test sets it to the pinned build), and holds it against Terraform's verdict
// of the same change: the checker accepts either engine, and both engines agree.
func TestOpenTofu(t *testing.T) {
	name := os.Getenv("TOFU_BINARY_NAME")
	if name == "" {
		t.Skip("TOFU_BINARY_NAME is not set: Terraform only")
	}
	t.Parallel()
	requireEngine(t)
	tf, err := FindEngine()
	if err != nil {
		t.Fatal(err)
	}
	tofu := Engine{Binary: name, PluginDir: tf.PluginDir}
	before := golden(t, "pr4892")
	after := []byte(strings.ReplaceAll(string(before), "123456", "654321"))
	verdict := func(r *Report) map[string]string {
		v := map[string]string{}
		for _, c := range r.Changes {
			v[c.Address] = string(c.Action) + " " + strings.Join(c.ReplacePaths, ",")
		}
		return v
	}
	// Terraform's verdict comes from the deployment the other tests share; OpenTofu's
	// from a Compare of its own.
	verdicts := map[string]map[string]string{"terraform": verdict(plan(t, deployment(t, "pr4892"), after))}
	r, err := Compare(context.Background(), before, after, Options{Engine: tofu})
	if err != nil {
		t.Fatalf("tofu: %v", err)
	}
	verdicts["tofu"] = verdict(r)
	if len(verdicts["terraform"]) == 0 {
		t.Fatal("Terraform planned no change for a renamed environment")
	}
	if len(verdicts["tofu"]) == 0 {
		t.Fatal("OpenTofu planned no change for a renamed environment")
	}
	if diff := cmp.Diff(verdicts["terraform"], verdicts["tofu"]); diff != "" {
		t.Errorf("the engines disagree (-terraform +tofu):\n%s", diff)
	}
}
