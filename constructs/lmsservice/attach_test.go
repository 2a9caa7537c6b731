package lmsservice_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/constructs/cache"
	"github.com/tapstack/infra/constructs/cluster"
	"github.com/tapstack/infra/constructs/lmsservice"
	"github.com/tapstack/infra/constructs/loadbalancer"
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

// platformNetwork adopts the platform's VPC.
func platformNetwork(env naming.Environment, egress network.Egress) network.Attributes {
	return network.Attributes{Environment: env, VPCID: platformVPC, Egress: egress,
		PublicSubnetIDs: []string{"subnet-0000000a", "subnet-0000000b"}, PrivateSubnetIDs: []string{"subnet-0000000c", "subnet-0000000d"}}
}

// sharedListener adopts the platform's listener in stack.
func sharedListener(stack cdktf.TerraformStack, id string) *loadbalancer.Listener {
	return loadbalancer.ListenerFromAttributes(stack, id, loadbalancer.ListenerAttributes{ARN: listenerARN, SecurityGroupID: platformSG})
}

var pr77 = naming.MustEnvironment("pr77", naming.Options{Clock: testutil.ClockAt(1_700_000_042)})

// attachVariant is a service of env attached to the platform by its host.
func attachVariant(name string, env naming.Environment, egress network.Egress, withCluster bool, svc lmsservice.Config) {
	variants.Add(name, func() cdktf.TerraformStack {
		stack := testutil.NewStack("Test")
		svc.Environment, svc.Image = env, image
		svc.Network = network.FromAttributes(stack, "Network", platformNetwork(env, egress))
		svc.Attach = &lmsservice.Attachment{Listener: sharedListener(stack, "SharedListener"), Hosts: []string{env.Name() + "." + previewZone}}
		if withCluster {
			svc.Cluster = cluster.FromAttributes(stack, "Cluster", cluster.Attributes{ARN: clusterARN, FargateSpot: true})
		}
		s := lmsservice.New(stack, "Service", svc)
		built[name] = map[string]*lmsservice.Service{"Service": s}
		dns, _ := s.LoadBalancerDNSName()
		cdktf.NewTerraformOutput(stack, jsii.String("alb_dns_name"), &cdktf.TerraformOutputConfig{Value: dns})
		return stack
	}, `module.`+name+`.alb_dns_name == "`+testutil.SharedLoadBalancerDNSName+`"`)
}

func init() {
	// A PR environment on the platform: tasks with public IPs in the platform's public
	// subnets, in the platform's cluster (on Spot), behind a host rule on the shared
	// listener.
	attachVariant("attached", pr, network.EgressNone, true, lmsservice.Config{AssignPublicIP: true})
	// Private tasks (the platform has NAT), a cluster of the service's own, the suffix
	// kept in state.
	attachVariant("attached-private", pr77, network.EgressNAT, false, lmsservice.Config{ContainerPort: 8080})
	// Two PR environments on one listener, in one stack: distinct priorities and hosts.
	variants.Add("two-prs", func() cdktf.TerraformStack {
		stack := testutil.NewStack("Test")
		built["two-prs"] = map[string]*lmsservice.Service{}
		listener := sharedListener(stack, "SharedListener")
		for _, env := range []naming.Environment{pr, pr77} {
			net := network.FromAttributes(stack, "Network-"+env.Name(), platformNetwork(env, network.EgressNone))
			s := lmsservice.New(stack, "Service-"+env.Name(), lmsservice.Config{Environment: env, Network: net, Image: image, AssignPublicIP: true,
				Cluster: cluster.FromAttributes(stack, "Cluster-"+env.Name(), cluster.Attributes{ARN: clusterARN, FargateSpot: true}),
				Attach:  &lmsservice.Attachment{Listener: listener, Hosts: []string{env.Name() + "." + previewZone}}})
			built["two-prs"]["Service-"+env.Name()] = s
			rule, _ := s.ListenerRule()
			cdktf.NewTerraformOutput(stack, jsii.String(env.Name()+"_priority"), &cdktf.TerraformOutputConfig{Value: rule.Priority()})
			cdktf.NewTerraformOutput(stack, jsii.String(env.Name()+"_condition"), &cdktf.TerraformOutputConfig{Value: rule.Condition()})
		}
		return stack
	}, `module.two-prs.pr4892_priority == 4892`, `one(one(module.two-prs.pr4892_condition).host_header).values == toset(["pr4892.preview.example.com"])`,
		`module.two-prs.pr77_priority == 77`, `one(one(module.two-prs.pr77_condition).host_header).values == toset(["pr77.preview.example.com"])`)
}

// TestAttachedCreatesNoLoadBalancer: an attached service defines its target group and
// one rule on the shared listener, and no load balancer, listener, load balancer
// security group, cluster (with an existing one), VPC, NAT or Elastic IP.
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
	if diff := cmp.Diff(want, testutil.Pick(rule, "listener_arn", "priority", "action", "condition")); diff != "" {
		t.Errorf("listener rule (-want +got):\n%s", diff)
	}
	if _, ok := rule["lifecycle"]; ok {
		t.Errorf("the rule has a lifecycle %v: create_before_destroy would hold its priority twice on one listener", rule["lifecycle"])
	}
	svc := s.Only(t, "aws_ecs_service")
	ruleName, _ := s.Find(t, "aws_lb_listener_rule", "Service/ListenerRule")
	if diff := cmp.Diff([]any{"aws_lb_listener_rule." + ruleName}, svc["depends_on"]); diff != "" {
		t.Errorf("the service must wait for the rule (ECS refuses a target group without a load balancer) (-want +got):\n%s", diff)
	}
	if got := svc["cluster"]; got != clusterARN {
		t.Errorf("cluster = %v", got)
	}
	tg := s.Only(t, "aws_lb_target_group")
	if diff := cmp.Diff(map[string]any{"name": "lms-tg-pr4892-123456", "vpc_id": platformVPC, "port": 80.0},
		testutil.Pick(tg, "name", "vpc_id", "port")); diff != "" {
		t.Errorf("target group (-want +got):\n%s", diff)
	}
	listenerName, listener := s.FindData(t, "aws_lb_listener", "SharedListener/Listener")
	_, shared := s.FindData(t, "aws_lb", "SharedListener/LoadBalancer")
	if listener["arn"] != listenerARN || shared["arn"] != "${data.aws_lb_listener."+listenerName+".load_balancer_arn}" {
		t.Errorf("shared listener %v, load balancer %v", listener, shared)
	}
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
			if diff := cmp.Diff(want, testutil.Pick(ingress, "security_group_id", "referenced_security_group_id", "from_port", "to_port")); diff != "" {
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
			if diff := cmp.Diff(map[string]any{"subnets": tt.subnets, "assign_public_ip": tt.publicIP}, testutil.Pick(net, "subnets", "assign_public_ip")); diff != "" {
				t.Errorf("placement (-want +got):\n%s", diff)
			}
		})
	}
	// A cluster of its own without Cluster.
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
		if a, ok := services(t, "two-prs")["Service-"+env].Attachment(); !ok || float64(a.Priority) != r["priority"] {
			t.Errorf("%s: Attachment() = %+v, %v", env, a, ok)
		}
	}
	want := map[string]rule{"pr4892": {4892.0, "pr4892.preview.example.com"}, "pr77": {77.0, "pr77.preview.example.com"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
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
	layout := platformNetwork(pr, network.EgressNone).Layout()
	stack := testutil.NewStack("Validate")
	listener := sharedListener(stack, "Shared")
	base := func(a lmsservice.Attachment, c lmsservice.Config) lmsservice.Config {
		if a.Listener == nil {
			a.Listener = listener
		}
		c.Environment, c.Image, c.AssignPublicIP, c.Attach = pr, image, true, &a
		return c
	}
	good := lmsservice.Attachment{Listener: listener, Hosts: []string{"pr4892." + previewZone}}
	tests := []struct {
		desc string
		cfg  lmsservice.Config
		want []string
	}{
		{"no condition", base(lmsservice.Attachment{}, lmsservice.Config{}), []string{"Attach needs a condition: set Hosts, Paths or both"}},
		{"bad host and path", base(lmsservice.Attachment{Hosts: []string{"Pr1.example.com"}, Paths: []string{"api"}}, lmsservice.Config{}),
			[]string{`Attach.Hosts[0] "Pr1.example.com" is not a DNS name: label "Pr1" must be lowercase`,
				`Attach.Paths[0] "api" must start with '/'`}},
		{"a Terraform expression as a host", base(lmsservice.Attachment{Hosts: []string{"${var.host}"}}, lmsservice.Config{}),
			[]string{`Attach.Hosts[0] "${var.host}" holds "${", which Terraform would read as an expression`}},
		{"host too long for a rule", base(lmsservice.Attachment{Hosts: []string{strings.Repeat("a", 60) + "." + strings.Repeat("b", 60) + ".example.com"}}, lmsservice.Config{}),
			[]string{"is 133 characters, over the 128 a listener rule's host condition takes"}},
		{"too many values", base(lmsservice.Attachment{Hosts: []string{"a.example.com", "b.example.com", "c.example.com"}, Paths: []string{"/a", "/b", "/c"}}, lmsservice.Config{}),
			[]string{"Attach has 6 host and path values; a listener rule takes at most 5"}},
		{"priority out of range", base(lmsservice.Attachment{Hosts: []string{"a.example.com"}, Priority: 50001}, lmsservice.Config{}),
			[]string{"Attach.Priority 50001 is out of range 1-50000 (0 derives it from the environment: lmsservice.RulePriority)"}},
		{"negative priority", base(lmsservice.Attachment{Hosts: []string{"a.example.com"}, Priority: -1}, lmsservice.Config{}),
			[]string{"Attach.Priority -1 is out of range"}},
		{"own load balancer options", base(good, lmsservice.Config{CertificateARN: certARN, SSLPolicy: "ELBSecurityPolicy-TLS13-1-3-2021-06", AccessLogsBucket: "logs"}),
			[]string{`CertificateARN "` + certARN + `" configures the service's own load balancer, and the service has no load balancer of its own (Attach, or IngressNone): leave it empty`,
				`SSLPolicy "ELBSecurityPolicy-TLS13-1-3-2021-06" configures the service's own load balancer`,
				`AccessLogsBucket "logs" configures the service's own load balancer`}},
		{"ingress with attach", base(good, lmsservice.Config{Ingress: lmsservice.IngressInternal}), []string{`Ingress "internal" is decided by Attach`}},
		{"private tasks without egress", lmsservice.Config{Environment: pr, Image: image, Attach: &good},
			[]string{"Network gives tasks in the private subnets no way to pull images or read secrets"}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) { testutil.ErrorContains(t, tt.cfg.ValidateFor(layout), tt.want...) })
	}
	noPublic := network.Attributes{Environment: pr, VPCID: platformVPC, PrivateSubnetIDs: []string{"subnet-0000000c", "subnet-0000000d"}}
	testutil.ErrorContains(t, lmsservice.Config{Environment: pr, Image: image, AssignPublicIP: true, Attach: &good}.ValidateFor(noPublic.Layout()),
		`AssignPublicIP "true" runs the tasks in the public subnets, and Network has none`)
	// Valid: literals, tokens (passed through), no public subnets needed for private
	// tasks, and the caller's Attachment is not modified by the defaults.
	noPublic.Egress = network.EgressNAT
	for desc, c := range map[string]struct {
		cfg    lmsservice.Config
		layout network.Layout
	}{
		"literals":                   {base(good, lmsservice.Config{}), layout},
		"tokens":                     {base(lmsservice.Attachment{Hosts: []string{"${TfToken[TOKEN.7]}"}, Priority: 50000}, lmsservice.Config{}), layout},
		"private, no public subnets": {lmsservice.Config{Environment: pr, Image: image, Attach: &good}, noPublic.Layout()},
	} {
		if err := c.cfg.ValidateFor(c.layout); err != nil {
			t.Errorf("%s: %v", desc, err)
		}
	}
	if good.Priority != 0 {
		t.Errorf("Validate wrote the default priority into the caller's Attachment: %+v", good)
	}
	testutil.ErrorContains(t, lmsservice.Config{Environment: pr, Image: image, Attach: &lmsservice.Attachment{Hosts: []string{"a.example.com"}}}.Validate(),
		"Attach.Listener is required")
}

// TestListenerRuleConflicts: two services of one environment (two components) attached
// to one listener with the same priority, and with the same conditions: the synthesis
// fails before anything is written, one line each, naming the listener resolved (the
// same listener read twice is one listener).
func TestListenerRuleConflicts(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	app := testutil.NewAppIn(out)
	stack := testutil.NewStackIn(app, "Shared", testutil.Region)
	net := network.FromAttributes(stack, "Network", platformNetwork(pr, network.EgressNAT))
	c := cache.New(stack, "Cache", cache.Config{Environment: pr, Network: net})
	edge := loadbalancer.New(stack, "Edge", loadbalancer.Config{Environment: pr, Network: net})
	for _, comp := range []string{"web", "api"} {
		listener := edge.Listener()
		lmsservice.New(stack, comp, lmsservice.Config{Environment: pr, Component: comp, Network: net, Cache: c, Image: image,
			Attach: &lmsservice.Attachment{Listener: listener, Hosts: []string{"pr4892." + previewZone}, Priority: 7}})
	}
	msg := testutil.SynthFails(t, app, out)
	listener := "${aws_lb_listener.Edge_HTTPListener_"
	for _, w := range []string{
		"listener rule priority 7 is used twice on listener " + listener,
		"by Shared/web/ListenerRule and by Shared/api/ListenerRule: set lmsservice.Attachment.Priority of one of them",
		"the rules Shared/web/ListenerRule and Shared/api/ListenerRule on listener " + listener,
		"match the same requests (host pr4892.preview.example.com): only the one with the lower priority would ever see them",
	} {
		if !strings.Contains(msg, w) {
			t.Errorf("synth error lacks\n%s\nwhole message:\n%s", w, msg)
		}
	}
	if strings.Contains(msg, "TfToken") {
		t.Errorf("the message prints a raw token:\n%s", msg)
	}
}
