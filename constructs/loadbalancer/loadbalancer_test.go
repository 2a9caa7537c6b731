package loadbalancer_test

import (
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/awsid"
	"github.com/tapstack/infra/constructs/loadbalancer"
	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/constructs/network"
	"github.com/tapstack/infra/internal/testutil"
)

func TestMain(m *testing.M) { testutil.Main(m) }

var (
	stage = naming.MustEnvironment("stage", naming.Options{})
	pr    = naming.MustEnvironment("pr4892", naming.Options{Timestamp: "123456"})
)

const (
	certARN     = testutil.CertificateARN
	listenerARN = "arn:aws:elasticloadbalancing:ca-central-1:123456789012:listener/app/lms-alb-platform/0123456789abcdef/fedcba9876543210"
)

var (
	variants = testutil.NewVariants()
	built    = map[string]*loadbalancer.LoadBalancer{}
)

func get(t *testing.T, name string) *loadbalancer.LoadBalancer {
	t.Helper()
	variants.Synth(t, name)
	return built[name]
}

func add(name string, env naming.Environment, cfg loadbalancer.Config, asserts ...string) {
	variants.Add(name, func() cdktf.TerraformStack {
		stack := testutil.NewStack("Test")
		cfg.Environment = env
		cfg.Network = network.New(stack, "Network", network.Config{Environment: env})
		b := loadbalancer.New(stack, "Edge", cfg)
		built[name] = b
		cdktf.NewTerraformOutput(stack, jsii.String("listener_arn"), &cdktf.TerraformOutputConfig{Value: b.Listener().ARN()})
		cdktf.NewTerraformOutput(stack, jsii.String("dns_name"), &cdktf.TerraformOutputConfig{Value: b.DNSName()})
		return stack
	}, append([]string{`module.` + name + `.dns_name == "mock-123456789.ca-central-1.elb.amazonaws.com"`,
		`module.` + name + `.listener_arn == "arn:aws:elasticloadbalancing:ca-central-1:123456789012:listener/app/mock/0123456789abcdef/0123456789abcdef"`}, asserts...)...)
}

func init() {
	add("http", stage, loadbalancer.Config{})
	add("https", stage, loadbalancer.Config{Component: "edge", CertificateARN: certARN, NotFoundBody: "Nothing here.\n",
		TargetPorts: network.TCPRange(8000, 8100), AccessLogsBucket: "shop-alb-logs"})
	add("internal", pr, loadbalancer.Config{Internal: true, DeletionProtection: new(true)})
	variants.Add("adopted", func() cdktf.TerraformStack {
		stack := testutil.NewStack("Test")
		l := loadbalancer.ListenerFromAttributes(stack, "Shared", loadbalancer.ListenerAttributes{ARN: listenerARN, SecurityGroupID: "sg-0a1b2c3d"})
		cdktf.NewTerraformOutput(stack, jsii.String("dns_name"), &cdktf.TerraformOutputConfig{Value: l.LoadBalancerDNSName()})
		return stack
	}, `module.adopted.dns_name == "`+testutil.SharedLoadBalancerDNSName+`"`)
}

func TestTerraform(t *testing.T) { variants.CheckTerraform(t) }

func TestInternetFacing(t *testing.T) {
	s := variants.Synth(t, "https")
	alb := s.Only(t, "aws_lb")
	want := map[string]any{"name": "lms-edge-alb-stage", "internal": false, "drop_invalid_header_fields": true, "enable_deletion_protection": true,
		"subnets":     []any{s.RefTo(t, "aws_subnet", "Network/PublicSubnet0", "id"), s.RefTo(t, "aws_subnet", "Network/PublicSubnet1", "id")},
		"access_logs": map[string]any{"bucket": "shop-alb-logs", "prefix": "lms-stage/edge", "enabled": true}}
	if diff := cmp.Diff(want, testutil.Pick(alb, "name", "internal", "drop_invalid_header_fields", "enable_deletion_protection", "subnets", "access_logs")); diff != "" {
		t.Errorf("load balancer (-want +got):\n%s", diff)
	}
	sg := s.RefTo(t, "aws_security_group", "Edge/LoadBalancerSecurityGroup", "id")
	type rule struct{ CIDR, From, To, Description any }
	got := map[string]rule{}
	for name, r := range s.Resources("aws_vpc_security_group_ingress_rule") {
		if r["security_group_id"] == sg {
			got[name] = rule{r["cidr_ipv4"], r["from_port"], r["to_port"], r["description"]}
		}
	}
	for name, r := range s.Resources("aws_vpc_security_group_egress_rule") {
		if r["security_group_id"] == sg {
			got[name] = rule{r["cidr_ipv4"], r["from_port"], r["to_port"], r["description"]}
		}
	}
	vpc := s.RefTo(t, "aws_vpc", "Network/VPC", "cidr_block")
	wantRules := map[string]rule{
		mustName(t, s, "aws_vpc_security_group_ingress_rule", "Edge/LoadBalancerIngressHTTP"):  {"0.0.0.0/0", 80.0, 80.0, "HTTP (redirected to HTTPS) from the internet"},
		mustName(t, s, "aws_vpc_security_group_ingress_rule", "Edge/LoadBalancerIngressHTTPS"): {"0.0.0.0/0", 443.0, 443.0, "HTTPS from the internet"},
		mustName(t, s, "aws_vpc_security_group_egress_rule", "Edge/LoadBalancerEgress"):        {vpc, 8000.0, 8100.0, "To attached services in the VPC on the target ports"},
	}
	if diff := cmp.Diff(wantRules, got); diff != "" {
		t.Errorf("rules of the load balancer's group (-want +got):\n%s", diff)
	}
	_, https := s.Find(t, "aws_lb_listener", "Edge/HTTPSListener")
	wantHTTPS := []any{map[string]any{"type": "fixed-response", "fixed_response": map[string]any{"content_type": "text/plain", "message_body": "Nothing here.\n", "status_code": "404"}}}
	if diff := cmp.Diff(wantHTTPS, https["default_action"]); diff != "" || https["ssl_policy"] != loadbalancer.DefaultSSLPolicy {
		t.Errorf("HTTPS default action (-want +got):\n%s; policy %v", diff, https["ssl_policy"])
	}
	b := get(t, "https")
	if b.Listener().Port() != 443 || b.Name() != "lms-edge-alb-stage" || b.ALB() == nil || b.SecurityGroup() == nil {
		t.Error("accessors")
	}
	if _, ok := b.HTTPSListener(); !ok {
		t.Error("HTTPSListener")
	}
	if lb, ok := b.Listener().LoadBalancer(); !ok || lb != b {
		t.Error("the listener's load balancer")
	}
}

// TestReferences: every accessor refers to the attribute of the resource it names, as
// Terraform will see it.
func TestReferences(t *testing.T) {
	s := variants.Synth(t, "https")
	b := get(t, "https")
	l := b.Listener()
	sg := s.RefTo(t, "aws_security_group", "Edge/LoadBalancerSecurityGroup", "id")
	for what, got := range map[string]struct {
		v    *string
		want string
	}{
		"ARN":                         {b.ARN(), s.RefTo(t, "aws_lb", "Edge/LoadBalancer", "arn")},
		"DNSName":                     {b.DNSName(), s.RefTo(t, "aws_lb", "Edge/LoadBalancer", "dns_name")},
		"ZoneID":                      {b.ZoneID(), s.RefTo(t, "aws_lb", "Edge/LoadBalancer", "zone_id")},
		"HTTPListener":                {b.HTTPListener().Arn(), s.RefTo(t, "aws_lb_listener", "Edge/HTTPListener", "arn")},
		"Listener().ARN":              {l.ARN(), s.RefTo(t, "aws_lb_listener", "Edge/HTTPSListener", "arn")},
		"Listener().LoadBalancerARN":  {l.LoadBalancerARN(), s.RefTo(t, "aws_lb", "Edge/LoadBalancer", "arn")},
		"Listener().LoadBalancerDNS":  {l.LoadBalancerDNSName(), s.RefTo(t, "aws_lb", "Edge/LoadBalancer", "dns_name")},
		"Connections().SecurityGroup": {b.Connections().SecurityGroupID(), sg},
		"Listener().Connections()...": {l.Connections().SecurityGroupID(), sg},
	} {
		if v := testutil.ResolveString(b, got.v); v != got.want {
			t.Errorf("%s = %s, want %s", what, v, got.want)
		}
	}
	if want := (awsid.Place{Partition: "aws", Region: "ca-central-1"}); l.Place() != want {
		t.Errorf("Listener().Place() = %v, want %v", l.Place(), want)
	}
}

func TestHTTPOnly(t *testing.T) {
	s := variants.Synth(t, "http")
	l := s.Only(t, "aws_lb_listener")
	want := []any{map[string]any{"type": "fixed-response", "fixed_response": map[string]any{"content_type": "text/plain", "message_body": loadbalancer.DefaultNotFoundBody, "status_code": "404"}}}
	if diff := cmp.Diff(want, l["default_action"]); diff != "" {
		t.Errorf("default action (-want +got):\n%s", diff)
	}
	// It reaches nothing until a target is attached.
	if n := s.Count("aws_vpc_security_group_egress_rule"); n != 0 {
		t.Errorf("%d egress rules without a target", n)
	}
	if _, ok := get(t, "http").HTTPSListener(); ok || get(t, "http").Listener().Port() != 80 {
		t.Error("an HTTPS listener without a certificate")
	}
}

func TestInternal(t *testing.T) {
	s := variants.Synth(t, "internal")
	alb := s.Only(t, "aws_lb")
	if alb["internal"] != true || alb["enable_deletion_protection"] != true || !cmp.Equal(alb["subnets"],
		[]any{s.RefTo(t, "aws_subnet", "Network/PrivateSubnet0", "id"), s.RefTo(t, "aws_subnet", "Network/PrivateSubnet1", "id")}) {
		t.Errorf("internal load balancer = %v", alb)
	}
	for _, r := range s.Resources("aws_vpc_security_group_ingress_rule") {
		if r["cidr_ipv4"] != s.RefTo(t, "aws_vpc", "Network/VPC", "cidr_block") {
			t.Errorf("an internal load balancer admits %v", r["cidr_ipv4"])
		}
	}
	_, sg := s.Find(t, "aws_security_group", "Edge/LoadBalancerSecurityGroup")
	if !strings.HasPrefix(sg["description"].(string), "The VPC to the internal load balancer") {
		t.Errorf("description = %v", sg["description"])
	}
}

func TestListenerFromAttributes(t *testing.T) {
	s := variants.Synth(t, "adopted")
	name, l := s.FindData(t, "aws_lb_listener", "Shared/Listener")
	_, alb := s.FindData(t, "aws_lb", "Shared/LoadBalancer")
	if l["arn"] != listenerARN || alb["arn"] != "${data.aws_lb_listener."+name+".load_balancer_arn}" {
		t.Errorf("data sources: %v, %v", l, alb)
	}
	s.Absent(t, "aws_lb", "aws_security_group", "aws_vpc_security_group_egress_rule")
}

func TestValidate(t *testing.T) {
	layout := network.Config{Environment: stage}.Layout()
	layout.Place = awsid.In("ca-central-1")
	onePublic := network.Attributes{Environment: stage, VPCID: "vpc-0a1b2c3d", PrivateSubnetIDs: []string{"subnet-0000000c", "subnet-0000000d"}}
	for desc, c := range map[string]struct {
		err  error
		want []string
	}{
		"nothing": {loadbalancer.Config{}.Validate(), []string{"Network is required", "Environment is required"}},
		"bad values": {loadbalancer.Config{Environment: stage, CertificateARN: "arn:aws:acm:eu-west-1:123456789012:certificate/x", SSLPolicy: "modern",
			NotFoundBody: "${x}", TargetPorts: network.TCPRange(90, 80), AccessLogsBucket: "Bad_Bucket", DefaultTargetGroupARN: "arn:literal"}.ValidateFor(layout),
			[]string{`CertificateARN "arn:aws:acm:eu-west-1:123456789012:certificate/x" is in region eu-west-1, not the stack's region ca-central-1`,
				`SSLPolicy "modern" is not an ELB security policy name`, `NotFoundBody "${x}" holds "${"`, `TargetPorts "90-80" is not a port range`,
				`AccessLogsBucket "Bad_Bucket" is not an S3 bucket name`, `DefaultTargetGroupARN "arn:literal" must be a reference to a target group`}},
		"no public subnets":  {loadbalancer.Config{Environment: stage}.ValidateFor(onePublic.Layout()), []string{"Network has 0 public subnet(s): an internet-facing load balancer needs two"}},
		"internal is fine":   {loadbalancer.Config{Environment: stage, Internal: true}.ValidateFor(onePublic.Layout()), nil},
		"no listener ARN":    {loadbalancer.ListenerAttributes{}.Validate(), []string{"ARN is required", "SecurityGroupID is required"}},
		"not a listener":     {loadbalancer.ListenerAttributes{ARN: "arn:aws:elasticloadbalancing:ca-central-1:123456789012:loadbalancer/app/x/0123456789abcdef", SecurityGroupID: "sg-x"}.Validate(), []string{"is not an Application Load Balancer listener ARN", `SecurityGroupID "sg-x" is not a security group ID`}},
		"listener elsewhere": {loadbalancer.ListenerAttributes{ARN: strings.Replace(listenerARN, "123456789012", "210987654321", 1), SecurityGroupID: "sg-0a1b2c3d"}.ValidateIn(awsid.Place{Partition: "aws", Region: "ca-central-1", Account: "123456789012"}), []string{"is in account 210987654321, not the stack's account 123456789012"}},
	} {
		t.Run(desc, func(t *testing.T) {
			if c.want == nil {
				if c.err != nil {
					t.Errorf("refused: %v", c.err)
				}
				return
			}
			testutil.ErrorContains(t, c.err, c.want...)
		})
	}
}

func mustName(t *testing.T, s *testutil.Synthesized, typ, path string) string {
	t.Helper()
	name, _ := s.Find(t, typ, path)
	return name
}
