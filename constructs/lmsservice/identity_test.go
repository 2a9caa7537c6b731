package lmsservice_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/constructs/cache"
	"github.com/tapstack/infra/constructs/cluster"
	"github.com/tapstack/infra/constructs/lmsservice"
	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/constructs/network"
	"github.com/tapstack/infra/internal/testutil"
)

func init() {
	// Two services (web, worker) and two caches sharing one network.
	variants.Add("two-services", func() cdktf.TerraformStack {
		stack := testutil.NewStack("Test")
		net := network.New(stack, "Network", network.Config{Environment: stage})
		sessions := cache.New(stack, "Sessions", cache.Config{Environment: stage, Component: "web", Network: net, ConnectionSecret: true})
		jobs := cache.New(stack, "Jobs", cache.Config{Environment: stage, Component: "worker", Network: net})
		web := lmsservice.New(stack, "Web", lmsservice.Config{Environment: stage, Component: "web", Network: net, Cache: sessions, Image: image, DBSecret: true})
		worker := lmsservice.New(stack, "Worker", lmsservice.Config{Environment: stage, Component: "worker", Network: net, Cache: jobs, Image: image, DBSecret: true,
			MinHealthyPercent: new(0), DeregistrationDelaySeconds: new(0), HealthCheckGracePeriodSeconds: new(0), LogRetentionDays: new(0)})
		for name, s := range map[string]*lmsservice.Service{"web": web, "worker": worker} {
			cdktf.NewTerraformOutput(stack, jsii.String(name+"_service"), &cdktf.TerraformOutputConfig{Value: s.ServiceName()})
		}
		built["two-services"] = map[string]*lmsservice.Service{"Web": web, "Worker": worker}
		return stack
	}, `module.two-services.web_service == "lms-web-service-stage"`, `module.two-services.worker_service == "lms-worker-service-stage"`)
	// Names too long for their kinds, shortened with a hash: Terraform checks every one
	// against the provider's own limits (ALB and target group 32, roles 64, cache 40).
	variants.Add("long-names", func() cdktf.TerraformStack {
		stack := testutil.NewStack("Test")
		env := naming.MustEnvironment("pr123456789012", naming.Options{Timestamp: "123456"})
		net := network.New(stack, "Network", network.Config{Environment: env, NAT: network.NATSingle})
		c := cache.New(stack, "Cache", cache.Config{Environment: env, Component: "frontend-edge-2", Network: net})
		s := lmsservice.New(stack, "Service", lmsservice.Config{Environment: env, Component: "frontend-edge-2", Network: net, Cache: c, Image: image})
		built["long-names"] = map[string]*lmsservice.Service{"Service": s}
		lb, _ := s.LoadBalancer()
		tg, _ := s.TargetGroup()
		for name, v := range map[string]*string{"alb": lb.ALB().Name(), "tg": tg.Name(), "cache": c.NameRef(), "role": s.ExecutionRole().Name()} {
			cdktf.NewTerraformOutput(stack, jsii.String(name), &cdktf.TerraformOutputConfig{Value: v})
		}
		return stack
	}, `length(module.long-names.alb) == 32`, `length(module.long-names.tg) == 32`, `length(module.long-names.cache) == 40`, `length(module.long-names.role) == 64`)
	// A PR environment without a pinned suffix.
	variants.Add("pr-kept-suffix", func() cdktf.TerraformStack {
		stack := testutil.NewStack("Test")
		env := naming.MustEnvironment("pr77", naming.Options{Clock: testutil.ClockAt(1_700_000_042)})
		net := network.New(stack, "Network", network.Config{Environment: env})
		s := lmsservice.New(stack, "Service", lmsservice.Config{Environment: env, Network: net, Image: image, AssignPublicIP: true})
		built["pr-kept-suffix"] = map[string]*lmsservice.Service{"Service": s}
		lb, _ := s.LoadBalancer()
		cdktf.NewTerraformOutput(stack, jsii.String("log_group"), &cdktf.TerraformOutputConfig{Value: s.LogGroupName()})
		cdktf.NewTerraformOutput(stack, jsii.String("alb"), &cdktf.TerraformOutputConfig{Value: lb.ALB().Name()})
		return stack
	}, `module.pr-kept-suffix.log_group == "/ecs/lms-pr77-000042"`, `module.pr-kept-suffix.alb == "lms-alb-pr77-000042"`)
}

func TestTwoServicesShareNothingNamed(t *testing.T) {
	s := variants.Synth(t, "two-services")
	names := func(c string) []any {
		var out []any
		for _, r := range []struct{ typ, child, attr string }{
			{"aws_ecs_cluster", "Cluster", "name"}, {"aws_ecs_service", "Service", "name"}, {"aws_ecs_task_definition", "TaskDefinition", "family"},
			{"aws_lb", "LoadBalancer", "name"}, {"aws_lb_target_group", "TargetGroup", "name"},
			{"aws_iam_role", "ExecutionRole", "name"}, {"aws_iam_role", "TaskRole", "name"},
			{"aws_security_group", "LoadBalancerSecurityGroup", "name"}, {"aws_security_group", "TaskSecurityGroup", "name"},
			{"aws_cloudwatch_log_group", "LogGroup", "name"}, {"aws_secretsmanager_secret", "DBSecret", "name"},
		} {
			_, body := s.Find(t, r.typ, c+"/"+r.child)
			out = append(out, body[r.attr])
		}
		return out
	}
	want := map[string][]any{
		"Web": {"lms-web-cluster-stage", "lms-web-service-stage", "lms-web-task-stage", "lms-web-alb-stage", "lms-web-tg-stage",
			"lms-web-ecs-task-execution-role-stage-ca-central-1", "lms-web-ecs-task-role-stage-ca-central-1", "lms-web-alb-sg-stage",
			"lms-web-tasks-sg-stage", "/ecs/lms-stage/web", "lms/stage/web/db-credentials"},
		"Worker": {"lms-worker-cluster-stage", "lms-worker-service-stage", "lms-worker-task-stage", "lms-worker-alb-stage", "lms-worker-tg-stage",
			"lms-worker-ecs-task-execution-role-stage-ca-central-1", "lms-worker-ecs-task-role-stage-ca-central-1", "lms-worker-alb-sg-stage",
			"lms-worker-tasks-sg-stage", "/ecs/lms-stage/worker", "lms/stage/worker/db-credentials"},
	}
	got := map[string][]any{"Web": names("Web"), "Worker": names("Worker")}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("names (-want +got):\n%s", diff)
	}
	// Each cache admits exactly its own service's tasks, once.
	for cacheName, svc := range map[string]string{"Sessions": "Web", "Jobs": "Worker"} {
		_, rule := s.Find(t, "aws_vpc_security_group_ingress_rule", cacheName+"/AllowFrom0")
		if rule["referenced_security_group_id"] != s.RefTo(t, "aws_security_group", svc+"/TaskSecurityGroup", "id") {
			t.Errorf("%s admits %v", cacheName, rule["referenced_security_group_id"])
		}
	}
	if n := s.Count("aws_vpc_security_group_ingress_rule"); n != 2+2*2 {
		t.Errorf("%d ingress rules, want 2 cache rules and 2 per service", n)
	}
	// The log stream prefix is the project and component.
	_, td := s.Find(t, "aws_ecs_task_definition", "Worker/TaskDefinition")
	var containers []map[string]any
	if err := json.Unmarshal([]byte(td["container_definitions"].(string)), &containers); err != nil {
		t.Fatal(err)
	}
	if p := containers[0]["logConfiguration"].(map[string]any)["options"].(map[string]any)["awslogs-stream-prefix"]; p != "lms-worker" {
		t.Errorf("stream prefix = %v", p)
	}
	// Zero is honored, not replaced by a default.
	_, svc := s.Find(t, "aws_ecs_service", "Worker/Service")
	_, tg := s.Find(t, "aws_lb_target_group", "Worker/TargetGroup")
	_, lg := s.Find(t, "aws_cloudwatch_log_group", "Worker/LogGroup")
	zeros := []any{svc["deployment_minimum_healthy_percent"], svc["health_check_grace_period_seconds"], tg["deregistration_delay"], lg["retention_in_days"]}
	if diff := cmp.Diff([]any{0.0, 0.0, "0", 0.0}, zeros); diff != "" {
		t.Errorf("zeros (-want +got):\n%s", diff)
	}
	// Renames replace named resources that AWS keeps in use: create before destroy.
	for _, r := range []struct{ typ, path string }{
		{"aws_lb_target_group", "Web/TargetGroup"}, {"aws_security_group", "Web/LoadBalancerSecurityGroup"}, {"aws_security_group", "Web/TaskSecurityGroup"},
	} {
		_, body := s.Find(t, r.typ, r.path)
		if lc, _ := body["lifecycle"].(map[string]any); lc["create_before_destroy"] != true {
			t.Errorf("%s lifecycle = %v", r.path, body["lifecycle"])
		}
	}
}

func TestKeptSuffixNames(t *testing.T) {
	s := variants.Synth(t, "pr-kept-suffix")
	ref := "${terraform_data.PRSuffix-lms-pr77.output.suffix}"
	_, exec := s.Find(t, "aws_iam_role", "Service/ExecutionRole")
	got := []any{s.Only(t, "aws_lb")["name"], s.Only(t, "aws_lb_target_group")["name"], exec["name"], s.Only(t, "aws_cloudwatch_log_group")["name"]}
	want := []any{"lms-alb-pr77-" + ref, "lms-tg-pr77-" + ref, "lms-ecs-task-execution-role-pr77-" + ref + "-ca-central-1", "/ecs/lms-pr77-" + ref}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("names (-want +got):\n%s", diff)
	}
}

// TestNameConflicts: two services of one environment sharing a network and a cache,
// neither with a Component: the synthesis fails before anything is written, with one
// line per conflict naming both construct paths, the name and the field to set.
func TestNameConflicts(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	app := testutil.NewAppIn(out)
	stack := testutil.NewStackIn(app, "Twice", "ca-central-1")
	net := network.New(stack, "Network", network.Config{Environment: stage})
	c := cache.New(stack, "Cache", cache.Config{Environment: stage, Network: net})
	lmsservice.New(stack, "A", lmsservice.Config{Environment: stage, Network: net, Cache: c, Image: image, DBSecret: true})
	lmsservice.New(stack, "B", lmsservice.Config{Environment: stage, Network: net, Cache: c, Image: image, DBSecret: true})
	msg := testutil.SynthFails(t, app, out)
	var lines []string
	for _, l := range strings.Split(msg, "\n") {
		if l = strings.TrimSpace(l); strings.HasPrefix(l, "[Twice] ") {
			lines = append(lines, strings.TrimPrefix(l, "[Twice] "))
		}
	}
	line := func(kind, name, where, child, fix string) string {
		return kind + ` name "` + name + `" is defined twice in ` + where + ` (stack Twice), by Twice/A/` + child + ` and by Twice/B/` + child + `: give one of them its own ` + fix
	}
	const svc = "lmsservice.Config.Component"
	want := []string{
		line("ECS cluster", "lms-cluster-stage", "region ca-central-1", "Cluster/Default", svc),
		line("task family", "lms-task-stage", "region ca-central-1", "TaskDefinition", svc),
		line("log group", "/ecs/lms-stage", "region ca-central-1", "LogGroup", svc),
		line("IAM role", "lms-ecs-task-execution-role-stage-ca-central-1", "the account (every region)", "ExecutionRole", svc),
		line("IAM role", "lms-ecs-task-role-stage-ca-central-1", "the account (every region)", "TaskRole", svc),
		line("security group", "lms-tasks-sg-stage", "one VPC", "TaskSecurityGroup", svc),
		line("secret", "lms/stage/db-credentials", "region ca-central-1", "DBSecret", svc),
		line("target group", "lms-tg-stage", "region ca-central-1", "TargetGroup", svc),
		line("security group", "lms-alb-sg-stage", "one VPC", "Default/LoadBalancerSecurityGroup", svc),
		line("load balancer", "lms-alb-stage", "region ca-central-1", "Default/LoadBalancer", svc),
	}
	sortLines := func(xs []string) []string {
		out := append([]string(nil), xs...)
		for i := range out {
			for j := i + 1; j < len(out); j++ {
				if out[j] < out[i] {
					out[i], out[j] = out[j], out[i]
				}
			}
		}
		return out
	}
	if diff := cmp.Diff(sortLines(want), sortLines(lines)); diff != "" {
		t.Errorf("conflicts (-want +got):\n%s\nwhole message:\n%s", diff, msg)
	}
}

// TestServicesInOneCluster: two services without a Component in one cluster share the
// service name, which ECS keeps unique per cluster.
func TestServicesInOneCluster(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	app := testutil.NewAppIn(out)
	stack := testutil.NewStackIn(app, "Shared", "ca-central-1")
	net := network.New(stack, "Network", network.Config{Environment: stage})
	shared := cluster.FromAttributes(stack, "Cluster", cluster.Attributes{ARN: clusterARN})
	for _, id := range []string{"A", "B"} {
		lmsservice.New(stack, id, lmsservice.Config{Environment: stage, Component: strings.ToLower(id), Network: net, Image: image, Cluster: shared,
			Ingress: lmsservice.IngressNone})
	}
	lmsservice.New(stack, "C", lmsservice.Config{Environment: stage, Component: "a", Network: net, Image: image, Cluster: shared, Ingress: lmsservice.IngressNone})
	msg := testutil.SynthFails(t, app, out)
	want := `ECS service name "lms-a-service-stage" is defined twice in one ECS cluster (stack Shared), by Shared/A/Service and by Shared/C/Service: give one of them its own lmsservice.Config.Component`
	if !strings.Contains(msg, want) {
		t.Errorf("synth error\n%s\nlacks\n%s", msg, want)
	}
}

func TestStackWithoutLiteralRegion(t *testing.T) {
	stack := cdktf.NewTerraformStack(testutil.NewApp(), jsii.String("NoRegion"))
	provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{})
	net := network.New(stack, "Network", network.Config{Environment: stage})
	msg := testutil.MustPanic(t, func() {
		lmsservice.New(stack, "Service", lmsservice.Config{Environment: stage, Network: net, Image: image})
	})
	if !strings.Contains(msg, `lmsservice.New("Service"): NoRegion/Service: the stack's default AWS provider has no literal region`) {
		t.Errorf("panic = %q", msg)
	}
	if child := stack.Node().TryFindChild(jsii.String("Service")); child != nil {
		t.Error("the refused service was defined")
	}
}

// TestOneRegion: a service uses nothing of another region: network, cluster, cache.
func TestOneRegion(t *testing.T) {
	app := testutil.NewApp()
	canada := testutil.NewStackIn(app, "Canada", "ca-central-1")
	net := network.New(canada, "Network", network.Config{Environment: stage})
	ireland := testutil.NewStackIn(app, "Ireland", "eu-west-1")
	irishNet := network.New(ireland, "Network", network.Config{Environment: stage})
	irishCache := cache.New(ireland, "Cache", cache.Config{Environment: stage, Network: irishNet})
	for desc, cfg := range map[string]lmsservice.Config{
		"network": {Environment: stage, Network: net, Image: image},
		"cache":   {Environment: stage, Component: "c", Network: irishNet, Cache: irishCache, Image: image},
	} {
		stack := canada
		if desc == "network" {
			stack = ireland
		}
		if desc == "cache" {
			stack = testutil.NewStackIn(app, "Canada2", "ca-central-1")
			cfg.Network = network.New(stack, "Network", network.Config{Environment: stage, Component: "n"})
		}
		msg := testutil.MustPanic(t, func() { lmsservice.New(stack, "Service", cfg) })
		if !strings.Contains(msg, "not the stack's region") {
			t.Errorf("%s: panic = %q", desc, msg)
		}
	}
}

// TestHashCollisionNamed: two long components whose load balancer names are cut to the
// same 26 characters and whose hashes collide (found by search). Both have their own
// Component, so the message does not ask for one: it names the hash and the way out.
func TestHashCollisionNamed(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	app := testutil.NewAppIn(out)
	stack := testutil.NewStackIn(app, "Long", "ca-central-1")
	env := naming.MustEnvironment("stage", naming.Options{Project: "learningplat"})
	net := network.New(stack, "Network", network.Config{Environment: env})
	for _, component := range []string{"sessions-worker657", "sessions-worker1493"} {
		lmsservice.New(stack, component, lmsservice.Config{Environment: env, Component: component, Network: net, Image: image})
	}
	msg := testutil.SynthFails(t, app, out)
	want := `load balancer name "learningplat-sessions-work-eb8e0" is defined twice in region ca-central-1 (stack Long), by Long/sessions-worker657/Default/LoadBalancer and by Long/sessions-worker1493/Default/LoadBalancer: the name is a longer name cut to 26 characters and ended by a hash (naming.Fit), and two different longer names met in it: shorten lmsservice.Config.Component (or the project) of one of them, so that its name fits in 32 characters without a hash`
	if !strings.Contains(msg, want) {
		t.Errorf("synth error\n%s\nlacks\n%s", msg, want)
	}
	if strings.Contains(msg, "give one of them its own") {
		t.Errorf("the message asks for a Component that both have:\n%s", msg)
	}
}
