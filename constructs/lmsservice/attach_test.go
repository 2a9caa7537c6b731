package lmsservice_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/jsii-runtime-go"
	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/constructs/cache"
	"github.com/tapstack/infra/constructs/lmsservice"
	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/constructs/network"
	"github.com/tapstack/infra/internal/testutil"
)

// The shared platform the attached variants use (literal IDs, as the platform app's
// outputs give them).
const (
	listenerARN = "arn:aws:elasticloadbalancing:ca-central-1:123456789012:listener/app/lms-alb-platform/0123456789abcdef/fedcba9876543210"
	platformSG  = "sg-0a1b2c3d4e5f60718"
	platformVPC = "vpc-0a1b2c3d"
	previewZone = "preview.example.com"
)

// platformNetwork adopts the platform's VPC, whose private subnets have egress.
func platformNetwork(env naming.Environment, egress network.Egress) network.Config {
	return network.Config{Environment: env, ExistingVPCID: platformVPC, ExistingEgress: egress,
		PublicSubnetIDs: []string{"subnet-0000000a", "subnet-0000000b"}, PrivateSubnetIDs: []string{"subnet-0000000c", "subnet-0000000d"}}
}

func attach(env naming.Environment) *lmsservice.Attachment {
	return &lmsservice.Attachment{ListenerARN: listenerARN, LoadBalancerSecurityGroupID: platformSG, Host: env.Name() + "." + previewZone}
}

var pr77 = naming.MustEnvironment("pr77", naming.Options{Clock: func() time.Time { return time.Unix(1_700_000_042, 0) }})

// ruleOutputs adds the rule's priority and host as outputs, for the mock apply.
func ruleOutputs(stack cdktf.TerraformStack, prefix string, s *lmsservice.Service) {
	rule := s.ListenerRule()
	cdktf.NewTerraformOutput(stack, jsii.String(prefix+"priority"), &cdktf.TerraformOutputConfig{Value: rule.Priority()})
	cdktf.NewTerraformOutput(stack, jsii.String(prefix+"condition"), &cdktf.TerraformOutputConfig{Value: rule.Condition()})
}

func init() {
	// A PR environment on the platform: tasks with public IPs in the platform's public
	// subnets, in the platform's cluster, behind a host rule on the shared listener.
	add("attached", variant{
		net: platformNetwork(pr, network.EgressNone), withCache: true, secret: true,
		svc: lmsservice.Config{Environment: pr, Image: image, AssignPublicIP: true, ExistingClusterARN: cluster, Attach: attach(pr)},
	})
	// Private tasks (the platform has NAT), a cluster of the service's own, the suffix
	// kept in state.
	add("attached-private", variant{
		net: platformNetwork(pr77, network.EgressNAT),
		svc: lmsservice.Config{Environment: pr77, Image: image, ContainerPort: 8080, Attach: attach(pr77)},
	})
	// Two PR environments on one listener, in one stack: distinct priorities and hosts.
	variants.Add("two-prs", func() cdktf.TerraformStack {
		stack := testutil.NewStack("Test")
		for _, env := range []naming.Environment{pr, pr77} {
			net := network.New(stack, "Network-"+env.Name(), platformNetwork(env, network.EgressNone))
			s := lmsservice.New(stack, "Service-"+env.Name(), lmsservice.Config{Environment: env, Network: net, Image: image,
				AssignPublicIP: true, ExistingClusterARN: cluster, Attach: attach(env)})
			built["two-prs/"+env.Name()] = s
			ruleOutputs(stack, env.Name()+"_", s)
		}
		return stack
	}, `module.two-prs.pr4892_priority == 4892`, `one(one(module.two-prs.pr4892_condition).host_header).values == toset(["pr4892.preview.example.com"])`,
		`module.two-prs.pr77_priority == 77`, `one(one(module.two-prs.pr77_condition).host_header).values == toset(["pr77.preview.example.com"])`)
}

// TestAttachedCreatesNoLoadBalancer: an attached service defines its target group and
// one rule on the shared listener, and no load balancer, listener, load balancer
// security group, cluster (with ExistingClusterARN), VPC, NAT or Elastic IP.
func TestAttachedCreatesNoLoadBalancer(t *testing.T) {
	for _, name := range []string{"attached", "two-prs"} {
		t.Run(name, func(t *testing.T) {
			s := variants.Synth(t, name)
			s.Absent(t, "aws_lb", "aws_lb_listener", "aws_ecs_cluster", "aws_vpc", "aws_subnet", "aws_nat_gateway", "aws_eip", "aws_internet_gateway")
			for id, sg := range s.Resources("aws_security_group") {
				if strings.Contains(sg["name"].(string), "alb") {
					t.Errorf("load balancer group %s (%v) defined", id, sg["name"])
				}
			}
		})
	}
	s := variants.Synth(t, "attached")
	rule := s.Only(t, "aws_lb_listener_rule")
	want := map[string]any{
		"listener_arn": listenerARN,
		"priority":     4892.0,
		"action":       []any{map[string]any{"type": "forward", "target_group_arn": s.RefTo(t, "aws_lb_target_group", "Service/TargetGroup", "arn")}},
		"condition":    []any{map[string]any{"host_header": map[string]any{"values": []any{"pr4892.preview.example.com"}}}},
	}
	if diff := cmp.Diff(want, pick(rule, "listener_arn", "priority", "action", "condition")); diff != "" {
		t.Errorf("listener rule (-want +got):\n%s", diff)
	}
	if _, ok := rule["lifecycle"]; ok {
		t.Errorf("the rule has a lifecycle %v: create_before_destroy would hold its priority twice on one listener", rule["lifecycle"])
	}
	svc := s.Only(t, "aws_ecs_service")
	if diff := cmp.Diff([]any{"aws_lb_listener_rule." + mustName(t, s, "aws_lb_listener_rule", "Service/ListenerRule")}, svc["depends_on"]); diff != "" {
		t.Errorf("the service must wait for the rule (ECS refuses a target group without a load balancer) (-want +got):\n%s", diff)
	}
	if got := svc["cluster"]; got != cluster {
		t.Errorf("cluster = %v", got)
	}
	tg := s.Only(t, "aws_lb_target_group")
	if diff := cmp.Diff(map[string]any{"name": "lms-tg-pr4892-123456", "vpc_id": platformVPC, "port": 80.0},
		pick(tg, "name", "vpc_id", "port")); diff != "" {
		t.Errorf("target group (-want +got):\n%s", diff)
	}
	_, listener := s.FindData(t, "aws_lb_listener", "Service/SharedListener")
	_, shared := s.FindData(t, "aws_lb", "Service/SharedLoadBalancer")
	if listener["arn"] != listenerARN || shared["arn"] != "${data.aws_lb_listener."+mustDataName(t, s, "aws_lb_listener", "Service/SharedListener")+".load_balancer_arn}" {
		t.Errorf("shared listener %v, load balancer %v", listener, shared)
	}
}

func mustName(t *testing.T, s *testutil.Synthesized, typ, path string) string {
	t.Helper()
	name, _ := s.Find(t, typ, path)
	return name
}

func mustDataName(t *testing.T, s *testutil.Synthesized, typ, path string) string {
	t.Helper()
	name, _ := s.FindData(t, typ, path)
	return name
}

// TestAttachedTasks: the tasks admit only the shared load balancer's group, on the
// container port; no rule is added to the shared group; tasks run in the public
// subnets with public IPs by default and in the private subnets when the platform's
// private subnets have egress.
func TestAttachedTasks(t *testing.T) {
	tests := []struct {
		variant  string
		port     float64
		subnets  []any
		publicIP bool
	}{
		{"attached", 80, []any{"subnet-0000000a", "subnet-0000000b"}, true},
		{"attached-private", 8080, []any{"subnet-0000000c", "subnet-0000000d"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.variant, func(t *testing.T) {
			s := variants.Synth(t, tt.variant)
			_, ingress := s.Find(t, "aws_vpc_security_group_ingress_rule", "Service/TaskIngress")
			want := map[string]any{"security_group_id": s.RefTo(t, "aws_security_group", "Service/TaskSecurityGroup", "id"),
				"referenced_security_group_id": platformSG, "from_port": tt.port, "to_port": tt.port}
			if diff := cmp.Diff(want, pick(ingress, "security_group_id", "referenced_security_group_id", "from_port", "to_port")); diff != "" {
				t.Errorf("task ingress (-want +got):\n%s", diff)
			}
			for _, typ := range []string{"aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"} {
				for id, r := range s.Resources(typ) {
					if r["security_group_id"] == platformSG {
						t.Errorf("%s %s changes the platform's load balancer group", typ, id)
					}
				}
			}
			net := s.Only(t, "aws_ecs_service")["network_configuration"].(map[string]any)
			if diff := cmp.Diff(map[string]any{"subnets": tt.subnets, "assign_public_ip": tt.publicIP}, pick(net, "subnets", "assign_public_ip")); diff != "" {
				t.Errorf("placement (-want +got):\n%s", diff)
			}
		})
	}
	// A cluster of its own without ExistingClusterARN.
	if n := variants.Synth(t, "attached-private").Count("aws_ecs_cluster"); n != 1 {
		t.Errorf("attached-private: %d clusters, want its own", n)
	}
}

// TestTwoPRsOnOneListener: two PR environments attached to one listener get distinct
// priorities (their PR numbers) and hosts.
func TestTwoPRsOnOneListener(t *testing.T) {
	s := variants.Synth(t, "two-prs")
	type rule struct {
		Priority any
		Host     any
	}
	got := map[string]rule{}
	for _, env := range []string{"pr4892", "pr77"} {
		_, r := s.Find(t, "aws_lb_listener_rule", "Service-"+env+"/ListenerRule")
		got[env] = rule{r["priority"], r["condition"].([]any)[0].(map[string]any)["host_header"].(map[string]any)["values"].([]any)[0]}
		if a, ok := built["two-prs/"+env].Attachment(); !ok || float64(a.Priority) != r["priority"] {
			t.Errorf("%s: Attachment() = %+v, %v", env, a, ok)
		}
	}
	want := map[string]rule{"pr4892": {4892.0, "pr4892.preview.example.com"}, "pr77": {77.0, "pr77.preview.example.com"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
	if got["pr4892"].Priority == got["pr77"].Priority || got["pr4892"].Host == got["pr77"].Host {
		t.Error("two PR environments share a priority or a host on one listener")
	}
}

func TestRulePriority(t *testing.T) {
	env := func(name string) naming.Environment {
		return naming.MustEnvironment(name, naming.Options{Timestamp: "123456"})
	}
	tests := []struct {
		env  string
		want int
	}{
		{"pr1", 1}, {"pr77", 77}, {"pr4892", 4892}, {"pr49999", 49999}, {"pr50000", 50000},
		{"pr50001", 1}, {"pr54892", 4892}, {"pr123456", 23456}, {"pr0", 50000}, {"pr007", 7},
		{"pr" + strings.Repeat("9", 30), 49999}, // 10^30 - 1 modulo 50000, on the digits
	}
	for _, tt := range tests {
		if got := lmsservice.RulePriority(env(tt.env)); got != tt.want {
			t.Errorf("RulePriority(%s) = %d, want %d", tt.env, got, tt.want)
		}
	}
	// Not from the suffix: a pinned and a state-kept suffix give the same priority.
	if lmsservice.RulePriority(pr77) != 77 {
		t.Error("the kept suffix changed the priority")
	}
	// Other environments: a stable hash in range, different for different names.
	seen := map[int]string{}
	for _, name := range []string{"stage", "preview", "qa", "dev-eu", "prod"} {
		p := lmsservice.RulePriority(env(name))
		if p < 1 || p > lmsservice.MaxRulePriority || p != lmsservice.RulePriority(env(name)) {
			t.Errorf("RulePriority(%s) = %d", name, p)
		}
		if other, dup := seen[p]; dup {
			t.Errorf("%s and %s share priority %d", name, other, p)
		}
		seen[p] = name
	}
	if lmsservice.RulePriority(naming.Environment{}) != 0 {
		t.Error("zero Environment")
	}
}

func TestValidateAttachment(t *testing.T) {
	plan := platformNetwork(pr, network.EgressNone).Plan()
	base := func(a lmsservice.Attachment, c lmsservice.Config) lmsservice.Config {
		c.Environment, c.Network, c.Image, c.AssignPublicIP, c.Attach = pr, plan, image, true, &a
		return c
	}
	good := *attach(pr)
	tests := []struct {
		desc string
		cfg  lmsservice.Config
		want []string
	}{
		{"nothing given", base(lmsservice.Attachment{}, lmsservice.Config{}),
			[]string{"Attach.ListenerARN is required", "Attach.LoadBalancerSecurityGroupID is required", "Attach.Host is required"}},
		{"not a listener", base(lmsservice.Attachment{ListenerARN: "arn:aws:elasticloadbalancing:ca-central-1:123456789012:loadbalancer/app/x/0123456789abcdef", LoadBalancerSecurityGroupID: "sg-x", Host: "Pr1.example.com"}, lmsservice.Config{}),
			[]string{`Attach.ListenerARN "arn:aws:elasticloadbalancing:ca-central-1:123456789012:loadbalancer/app/x/0123456789abcdef" is not an Application Load Balancer listener ARN`,
				`Attach.LoadBalancerSecurityGroupID "sg-x" is not a security group ID (sg- and 8 or 17 hex digits)`,
				`Attach.Host "Pr1.example.com" is not a DNS name: label "Pr1" must be lowercase`}},
		{"host too long for a rule", base(lmsservice.Attachment{ListenerARN: listenerARN, LoadBalancerSecurityGroupID: platformSG, Host: strings.Repeat("a", 60) + "." + strings.Repeat("b", 60) + ".example.com"}, lmsservice.Config{}),
			[]string{"is 133 characters, over the 128 a listener rule's host condition takes"}},
		{"priority out of range", base(lmsservice.Attachment{ListenerARN: listenerARN, LoadBalancerSecurityGroupID: platformSG, Host: "a.example.com", Priority: 50001}, lmsservice.Config{}),
			[]string{"Attach.Priority 50001 is out of range 1-50000 (0 derives it from the environment: lmsservice.RulePriority)"}},
		{"negative priority", base(lmsservice.Attachment{ListenerARN: listenerARN, LoadBalancerSecurityGroupID: platformSG, Host: "a.example.com", Priority: -1}, lmsservice.Config{}),
			[]string{"Attach.Priority -1 is out of range"}},
		{"own load balancer options", base(good, lmsservice.Config{CertificateARN: certARN, SSLPolicy: "ELBSecurityPolicy-TLS13-1-3-2021-06", AccessLogsBucket: "logs"}),
			[]string{`CertificateARN "` + certARN + `" configures the service's own load balancer, which an attached service (Attach) does not have: the shared listener's certificate serves Attach.Host; leave it empty`,
				`SSLPolicy "ELBSecurityPolicy-TLS13-1-3-2021-06" configures the service's own load balancer`,
				`AccessLogsBucket "logs" configures the service's own load balancer, which an attached service (Attach) does not have: access logs are a setting of the shared load balancer`}},
		{"public IPs without public subnets", lmsservice.Config{Environment: pr, Image: image, AssignPublicIP: true, Attach: &good,
			Network: network.Config{Environment: pr, ExistingVPCID: platformVPC, PrivateSubnetIDs: []string{"subnet-0000000c", "subnet-0000000d"}}.Plan()},
			[]string{"AssignPublicIP runs the tasks in the public subnets, and Network has none"}},
		{"private tasks without egress", lmsservice.Config{Environment: pr, Image: image, Attach: &good, Network: plan},
			[]string{"tasks in the private subnets could not pull images or read secrets"}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) { testutil.ErrorContains(t, tt.cfg.Validate(), tt.want...) })
	}
	// Valid: literals, Terraform references (passed through), no public subnets needed
	// for private tasks, and the caller's Attachment is not modified by the defaults.
	for desc, cfg := range map[string]lmsservice.Config{
		"literals": base(good, lmsservice.Config{}),
		"references": base(lmsservice.Attachment{ListenerARN: "${data.terraform_remote_state.platform.outputs.listener_arn}",
			LoadBalancerSecurityGroupID: "${TfToken[TOKEN.7]}", Host: "${var.host}", Priority: 50000}, lmsservice.Config{}),
		"private, no public subnets": {Environment: pr, Image: image, Attach: &good,
			Network: network.Config{Environment: pr, ExistingVPCID: platformVPC, PrivateSubnetIDs: []string{"subnet-0000000c", "subnet-0000000d"}, ExistingEgress: network.EgressNAT}.Plan()},
	} {
		if err := cfg.Validate(); err != nil {
			t.Errorf("%s: %v", desc, err)
		}
	}
	if good.Priority != 0 {
		t.Errorf("Validate wrote the default priority into the caller's Attachment: %+v", good)
	}
}

// TestListenerRuleConflicts: two services of one environment (two components) attached
// to one listener derive the same priority, and two rules for one host would shadow
// each other: the synthesis fails before anything is written, one line each.
func TestListenerRuleConflicts(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	app := testutil.NewAppIn(out)
	stack := testutil.NewStackIn(app, "Shared", testutil.Region)
	net := network.New(stack, "Network", platformNetwork(pr, network.EgressNAT))
	c := cache.New(stack, "Cache", cache.Config{Environment: pr, Network: net})
	for _, comp := range []string{"web", "api"} {
		lmsservice.New(stack, comp, lmsservice.Config{Environment: pr, Component: comp, Network: net, Cache: c, Image: image, Attach: attach(pr)})
	}
	msg := testutil.SynthFails(t, app, out)
	for _, w := range []string{
		"listener rule priority 4892 is used twice on listener " + listenerARN + ", by Shared/web/ListenerRule and by Shared/api/ListenerRule: set lmsservice.Attachment.Priority of one of them",
		`host "pr4892.preview.example.com" is matched twice on listener ` + listenerARN + ", by Shared/web/ListenerRule and by Shared/api/ListenerRule: only the rule with the lower priority would ever see its requests",
	} {
		if !strings.Contains(msg, w) {
			t.Errorf("synth error lacks\n%s\nwhole message:\n%s", w, msg)
		}
	}
}
