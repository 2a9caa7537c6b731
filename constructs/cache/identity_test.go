package cache_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/securitygroup"
	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/constructs/cache"
	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/constructs/network"
	"github.com/tapstack/infra/internal/testutil"
)

func init() {
	// Two caches sharing one network, told apart by Component; one of them Valkey.
	variants.Add("components", func() cdktf.TerraformStack {
		stack := testutil.NewStack("Test")
		net := network.New(stack, "Network", network.Config{Environment: stage, NAT: network.NATNone})
		sessions := cache.New(stack, "Sessions", cache.Config{Environment: stage, Component: "sessions", Network: net, ConnectionSecret: true})
		jobs := cache.New(stack, "Jobs", cache.Config{Environment: stage, Component: "jobs", Network: net, Engine: cache.EngineValkey, MajorEngineVersion: "8", ConnectionSecret: true})
		for name, c := range map[string]*cache.Cache{"sessions": sessions, "jobs": jobs} {
			cdktf.NewTerraformOutput(stack, jsii.String(name), &cdktf.TerraformOutputConfig{Value: c.NameRef()})
		}
		return stack
	}, `module.components.sessions == "lms-sessions-redis-stage"`, `module.components.jobs == "lms-jobs-redis-stage"`)
	// A PR environment without a pinned suffix: the suffix lives in state.
	variants.Add("pr-kept-suffix", func() cdktf.TerraformStack {
		stack := testutil.NewStack("Test")
		env := naming.MustEnvironment("pr77", naming.Options{Clock: testutil.ClockAt(1_700_000_042)})
		net := network.New(stack, "Network", network.Config{Environment: env})
		c := cache.New(stack, "Cache", cache.Config{Environment: env, Network: net, ConnectionSecret: true})
		cdktf.NewTerraformOutput(stack, jsii.String("name"), &cdktf.TerraformOutputConfig{Value: c.NameRef()})
		cdktf.NewTerraformOutput(stack, jsii.String("name_accessor"), &cdktf.TerraformOutputConfig{Value: c.Name()})
		return stack
	}, `module.pr-kept-suffix.name == "lms-redis-pr77-000042"`, `module.pr-kept-suffix.name_accessor == "lms-redis-pr77-000042"`)
}

func TestComponentNames(t *testing.T) {
	s := variants.Synth(t, "components")
	got := map[string]any{}
	for _, c := range []string{"Sessions", "Jobs"} {
		_, cc := s.Find(t, "aws_elasticache_serverless_cache", c+"/ServerlessCache")
		_, sg := s.Find(t, "aws_security_group", c+"/SecurityGroup")
		_, sec := s.Find(t, "aws_secretsmanager_secret", c+"/ConnectionSecret")
		got[c] = []any{cc["name"], sg["name"], sec["name"], cc["description"]}
	}
	want := map[string]any{
		"Sessions": []any{"lms-sessions-redis-stage", "lms-sessions-cache-stage", "lms/stage/sessions/redis-connection", "redis cache for stage"},
		// The names do not follow the engine: Redis to Valkey is an upgrade in place.
		"Jobs": []any{"lms-jobs-redis-stage", "lms-jobs-cache-stage", "lms/stage/jobs/redis-connection", "valkey cache for stage"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("names (-want +got):\n%s", diff)
	}
}

func TestKeptSuffix(t *testing.T) {
	s := variants.Synth(t, "pr-kept-suffix")
	ref := "${terraform_data.PRSuffix-lms-pr77.output.suffix}"
	c := s.Only(t, "aws_elasticache_serverless_cache")
	sec := s.Only(t, "aws_secretsmanager_secret")
	got := []any{c["name"], c["description"], sec["name"]}
	want := []any{"lms-redis-pr77-" + ref, "redis cache for pr77-" + ref, "lms/pr77-" + ref + "/redis-connection"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("names (-want +got):\n%s", diff)
	}
	// One suffix resource per environment and stack, shared by network and cache.
	if n := s.Count("terraform_data"); n != 1 {
		t.Errorf("%d terraform_data resources", n)
	}
}

// TestAllowFromIsOneWiringPoint: the same client admitted twice adds one rule (AWS
// rejects a duplicate rule at apply); nil is refused at once.
func TestAllowFromIsOneWiringPoint(t *testing.T) {
	stack := testutil.NewStack("Allow")
	net := network.New(stack, "Network", network.Config{Environment: stage})
	c := cache.New(stack, "Cache", cache.Config{Environment: stage, Network: net})
	client := func(id string) *network.Connections {
		sg := securitygroup.NewSecurityGroup(stack, jsii.String(id), &securitygroup.SecurityGroupConfig{VpcId: net.VPCID(), Description: jsii.String(id)})
		return network.NewConnections(stack, sg.Id(), id)
	}
	a, b := client("A"), client("B")
	c.AllowFrom(a)
	c.AllowFrom(a)
	c.AllowFrom(b)
	s := testutil.Synth(t, stack)
	var sources []any
	for _, r := range s.Resources("aws_vpc_security_group_ingress_rule") {
		sources = append(sources, r["referenced_security_group_id"])
	}
	want := []any{s.RefTo(t, "aws_security_group", "A", "id"), s.RefTo(t, "aws_security_group", "B", "id")}
	if diff := cmp.Diff(want, sources, cmpSortAny); diff != "" {
		t.Errorf("ingress sources (-want +got):\n%s", diff)
	}
	if n := s.Count("aws_vpc_security_group_egress_rule"); n != 2 {
		t.Errorf("%d client egress rules, want 2", n)
	}
	msg := testutil.MustPanic(t, func() { c.AllowFrom(nil) })
	if !strings.Contains(msg, "AllowFrom needs a client's Connections, got nil") {
		t.Errorf("panic = %q", msg)
	}
	msg = testutil.MustPanic(t, func() { cache.New(stack, "NoNetwork", cache.Config{Environment: stage, Component: "x"}) })
	if !strings.Contains(msg, `cache.New("NoNetwork"): invalid Config`) || !strings.Contains(msg, "Network is required") {
		t.Errorf("New without a network: %q", msg)
	}
}

var cmpSortAny = cmp.Transformer("sort", func(xs []any) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = x.(string)
	}
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
})

// TestNameConflicts: two caches of one environment in one stack without Component;
// the explicit Name of a third collides with the first.
func TestNameConflicts(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	app := testutil.NewAppIn(out)
	stack := testutil.NewStackIn(app, "Twice", "ca-central-1")
	net := network.New(stack, "Network", network.Config{Environment: stage})
	cache.New(stack, "A", cache.Config{Environment: stage, Network: net, ConnectionSecret: true})
	cache.New(stack, "B", cache.Config{Environment: stage, Network: net, ConnectionSecret: true})
	cache.New(stack, "C", cache.Config{Environment: stage, Component: "c", Network: net, Name: "lms-redis-stage"})
	msg := testutil.SynthFails(t, app, out)
	for _, w := range []string{
		`serverless cache name "lms-redis-stage" is defined twice in region ca-central-1 (stack Twice), by Twice/A/ServerlessCache and by Twice/B/ServerlessCache: give one of them its own cache.Config.Component`,
		`security group name "lms-cache-stage" is defined twice in one VPC (stack Twice), by Twice/A/SecurityGroup and by Twice/B/SecurityGroup: give one of them its own cache.Config.Component`,
		`secret name "lms/stage/redis-connection" is defined twice in region ca-central-1 (stack Twice), by Twice/A/ConnectionSecret and by Twice/B/ConnectionSecret: give one of them its own cache.Config.Component`,
		`serverless cache name "lms-redis-stage" is defined twice in region ca-central-1 (stack Twice), by Twice/A/ServerlessCache and by Twice/C/ServerlessCache: change cache.Config.Component of Twice/A or cache.Config.Name of Twice/C`,
	} {
		if !strings.Contains(msg, w) {
			t.Errorf("synth error\n%s\nlacks\n%s", msg, w)
		}
	}
}
