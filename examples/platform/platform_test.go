package platform_test

import (
	"sort"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsacmcertificate"
	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/constructs/network"
	"github.com/tapstack/infra/examples/platform"
	"github.com/tapstack/infra/internal/apptest"
	"github.com/tapstack/infra/internal/testutil"
)

func TestMain(m *testing.M) { testutil.Main(m) }

const (
	certARN = testutil.CertificateARN
	certEU  = "arn:aws:acm:eu-west-1:123456789012:certificate/0b6c8f7e-1234-4d5e-9f00-0123456789ab"
)

func mustPR() naming.Environment {
	return naming.MustEnvironment("pr12", naming.Options{Timestamp: "000001"})
}

func mustEnv(name, project string) naming.Environment {
	return naming.MustEnvironment(name, naming.Options{Project: project})
}

var (
	variants = testutil.NewVariants()
	stacks   = map[string]*platform.Platform{}
	envs     = map[string]map[string]string{
		"default": {},
		// No NAT: endpoints for private tasks; another region, its own certificate; a
		// target port range; access logs.
		"endpoints": {"PLATFORM_NAT": "none", "PLATFORM_ENDPOINTS": "true", "AWS_REGION": "eu-west-1", "PLATFORM_CERTIFICATE_ARN": certEU,
			"PLATFORM_TARGET_PORTS": "8000-8100", "PLATFORM_ACCESS_LOGS_BUCKET": "shop-alb-logs", "PLATFORM_NAME": "platform-shared"},
		"per-az": {"PLATFORM_NAT": "per-az", "ALLOW_LOCAL_STATE": "true", "TERRAFORM_STATE_BUCKET": ""},
	}
)

// platformAsserts are what the nine outputs must be after the mock apply.
func platformAsserts(variant string, cfg platform.Config) []string {
	m := "module." + variant + "."
	egress := "nat"
	if cfg.NAT == "none" {
		egress = "endpoints"
	}
	return []string{
		m + platform.OutputListenerARN + ` == "arn:aws:elasticloadbalancing:ca-central-1:123456789012:listener/app/mock/0123456789abcdef/0123456789abcdef"`,
		m + platform.OutputALBSecurityGroupID + ` == "sg-0123456789abcdef0"`,
		m + platform.OutputClusterARN + ` == "arn:aws:ecs:ca-central-1:123456789012:cluster/mock"`,
		m + platform.OutputVPCID + ` == "vpc-0123456789abcdef0"`,
		`length(` + m + platform.OutputPublicSubnetIDs + `) == 2`,
		`length(` + m + platform.OutputPrivateSubnetIDs + `) == 2`,
		m + platform.OutputALBDNSName + ` == "mock-123456789.ca-central-1.elb.amazonaws.com"`,
		m + platform.OutputALBZoneID + ` == "ZQSVJUPU6J1EY"`,
		m + platform.OutputPrivateSubnetEgress + ` == "` + egress + `"`,
	}
}

func init() {
	for name, vars := range envs {
		cfg := apptest.Platform(vars)
		variants.Add(name, func() cdktf.TerraformStack {
			p := platform.New(testutil.NewApp(), cfg.StackName(), cfg)
			stacks[name] = p
			return p
		}, platformAsserts(name, cfg)...)
	}
}

// TestTerraform validates every variant against the real AWS provider, plans it with
// the real provider, and applies it against a mocked one, comparing every output.
func TestTerraform(t *testing.T) { variants.CheckTerraform(t) }

func TestGolden(t *testing.T) { testutil.Golden(t, "default", variants.Synth(t, "default")) }

// TestSharedPieces: one network, one internet-facing ALB with an HTTPS listener (the
// certificate, the TLS 1.3 policy, a fixed 404 by default) and an HTTP listener that
// redirects, one cluster; and nothing of a service.
func TestSharedPieces(t *testing.T) {
	s := variants.Synth(t, "default")
	want := map[string]int{"aws_vpc": 1, "aws_nat_gateway": 1, "aws_eip": 1, "aws_lb": 1, "aws_lb_listener": 2, "aws_ecs_cluster": 1, "aws_flow_log": 1,
		"aws_lb_target_group": 0, "aws_lb_listener_rule": 0, "aws_ecs_service": 0, "aws_vpc_endpoint": 0}
	var types []string
	for typ := range want {
		types = append(types, typ)
	}
	if diff := cmp.Diff(want, s.Counts(types...)); diff != "" {
		t.Errorf("resources (-want +got):\n%s", diff)
	}
	alb := s.Only(t, "aws_lb")
	wantALB := map[string]any{"name": "lms-alb-platform", "internal": false, "load_balancer_type": "application", "drop_invalid_header_fields": true,
		"enable_deletion_protection": true, "security_groups": []any{s.RefTo(t, "aws_security_group", "LoadBalancerSecurityGroup", "id")},
		"subnets": []any{s.RefTo(t, "aws_subnet", "Network/PublicSubnet0", "id"), s.RefTo(t, "aws_subnet", "Network/PublicSubnet1", "id")}}
	if diff := cmp.Diff(wantALB, testutil.Pick(alb, "name", "internal", "load_balancer_type", "drop_invalid_header_fields", "enable_deletion_protection", "security_groups", "subnets")); diff != "" {
		t.Errorf("ALB (-want +got):\n%s", diff)
	}
	_, https := s.Find(t, "aws_lb_listener", "HTTPSListener")
	wantHTTPS := map[string]any{"port": 443.0, "protocol": "HTTPS", "certificate_arn": certARN, "ssl_policy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
		"default_action": []any{map[string]any{"type": "fixed-response", "fixed_response": map[string]any{
			"content_type": "text/plain", "message_body": platform.NotFoundBody, "status_code": "404"}}}}
	if diff := cmp.Diff(wantHTTPS, testutil.Pick(https, "port", "protocol", "certificate_arn", "ssl_policy", "default_action")); diff != "" {
		t.Errorf("HTTPS listener (-want +got):\n%s", diff)
	}
	_, http := s.Find(t, "aws_lb_listener", "HTTPListener")
	wantHTTP := []any{map[string]any{"type": "redirect", "redirect": map[string]any{"port": "443", "protocol": "HTTPS", "status_code": "HTTP_301"}}}
	if diff := cmp.Diff(wantHTTP, http["default_action"]); diff != "" || http["port"] != 80.0 {
		t.Errorf("HTTP listener %v (-want +got):\n%s", http["port"], diff)
	}
	if c := s.Only(t, "aws_ecs_cluster"); c["name"] != "lms-cluster-platform" {
		t.Errorf("cluster = %v", c["name"])
	}
	// Outputs are references to what the stack defines; the egress is known at synth.
	got := map[string]any{}
	for name, o := range s.Outputs() {
		got[name] = o["value"]
	}
	wantOut := map[string]any{
		"listener_arn":          s.RefTo(t, "aws_lb_listener", "HTTPSListener", "arn"),
		"alb_security_group_id": s.RefTo(t, "aws_security_group", "LoadBalancerSecurityGroup", "id"),
		"cluster_arn":           s.RefTo(t, "aws_ecs_cluster", "Cluster", "arn"),
		"vpc_id":                s.RefTo(t, "aws_vpc", "Network/VPC", "id"),
		"public_subnet_ids":     []any{s.RefTo(t, "aws_subnet", "Network/PublicSubnet0", "id"), s.RefTo(t, "aws_subnet", "Network/PublicSubnet1", "id")},
		"private_subnet_ids":    []any{s.RefTo(t, "aws_subnet", "Network/PrivateSubnet0", "id"), s.RefTo(t, "aws_subnet", "Network/PrivateSubnet1", "id")},
		"alb_dns_name":          s.RefTo(t, "aws_lb", "LoadBalancer", "dns_name"),
		"alb_zone_id":           s.RefTo(t, "aws_lb", "LoadBalancer", "zone_id"),
		"private_subnet_egress": "nat",
	}
	if diff := cmp.Diff(wantOut, got); diff != "" {
		t.Errorf("outputs (-want +got):\n%s", diff)
	}
	for name, o := range s.Outputs() {
		if d, _ := o["description"].(string); d == "" {
			t.Errorf("output %s has no description", name)
		}
	}
	variants.Synth(t, "default")
	p := stacks["default"]
	_, hasHTTPS := p.LoadBalancer().HTTPSListener()
	if p.Network() == nil || !hasHTTPS || p.LoadBalancer().Listener().Port() != 443 || p.Cluster() == nil ||
		p.Config().TargetPorts != network.TCP(80) {
		t.Error("an accessor is nil, or the defaults are not applied")
	}
}

// TestOnlyTheALBIsOpenToTheWorld: in every variant the only world-open ingress is the
// ALB's group on 80 and 443, and its only egress is TCP on the target ports to the
// VPC's CIDR (attached services admit it on their container port; none adds a rule).
func TestOnlyTheALBIsOpenToTheWorld(t *testing.T) {
	for _, name := range variants.Names() {
		t.Run(name, func(t *testing.T) {
			s := variants.Synth(t, name)
			albSG := s.RefTo(t, "aws_security_group", "LoadBalancerSecurityGroup", "id")
			world := []float64{}
			for id, r := range s.Resources("aws_vpc_security_group_ingress_rule") {
				switch cidr, _ := r["cidr_ipv4"].(string); {
				case cidr == "0.0.0.0/0" && r["security_group_id"] == albSG && r["from_port"] == r["to_port"]:
					world = append(world, r["from_port"].(float64))
				case cidr == "0.0.0.0/0":
					t.Errorf("%s opens %v to the world", id, r)
				}
			}
			sort.Float64s(world)
			if diff := cmp.Diff([]float64{80, 443}, world); diff != "" {
				t.Errorf("world-open ports (-want +got):\n%s", diff)
			}
			ports := stacks[name].Config().TargetPorts
			_, egress := s.Find(t, "aws_vpc_security_group_egress_rule", "LoadBalancerEgress")
			want := map[string]any{"security_group_id": albSG, "ip_protocol": "tcp", "from_port": float64(ports.From), "to_port": float64(ports.To),
				"cidr_ipv4": s.RefTo(t, "aws_vpc", "Network/VPC", "cidr_block")}
			if diff := cmp.Diff(want, testutil.Pick(egress, "security_group_id", "ip_protocol", "from_port", "to_port", "cidr_ipv4")); diff != "" {
				t.Errorf("ALB egress (-want +got):\n%s", diff)
			}
			if n := s.Count("aws_vpc_security_group_egress_rule"); n != 1 {
				t.Errorf("%d egress rules, want the ALB's one", n)
			}
		})
	}
}

// TestNetworkChoices: the network construct's NAT and endpoint choices, reported to
// attached stacks through private_subnet_egress.
func TestNetworkChoices(t *testing.T) {
	tests := []struct {
		variant         string
		nat, endpoints  int
		egress, region  string
		name, stateKey  string
		accessLogs      bool
		deletionProtect bool
	}{
		{"default", 1, 0, "nat", "ca-central-1", "lms-alb-platform", "platform/Platformplatform.tfstate", false, true},
		{"endpoints", 0, 5, "endpoints", "eu-west-1", "lms-alb-platform-shared", "platform-shared/Platformplatform-shared.tfstate", true, true},
		{"per-az", 2, 0, "nat", "ca-central-1", "lms-alb-platform", "", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.variant, func(t *testing.T) {
			s := variants.Synth(t, tt.variant)
			alb := s.Only(t, "aws_lb")
			_, logs := alb["access_logs"]
			backend := s.JSON["terraform"].(map[string]any)["backend"].(map[string]any)
			key := ""
			if s3, ok := backend["s3"].(map[string]any); ok {
				key = s3["key"].(string)
			}
			got := []any{s.Count("aws_nat_gateway"), s.Count("aws_eip"), s.Count("aws_vpc_endpoint"), s.Outputs()["private_subnet_egress"]["value"],
				s.JSON["provider"].(map[string]any)["aws"].([]any)[0].(map[string]any)["region"], alb["name"], key, logs, alb["enable_deletion_protection"]}
			want := []any{tt.nat, tt.nat, tt.endpoints, tt.egress, tt.region, tt.name, tt.stateKey, tt.accessLogs, tt.deletionProtect}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	if p := variants.Synth(t, "per-az").JSON["terraform"].(map[string]any)["backend"].(map[string]any)["local"]; p == nil {
		t.Error("ALLOW_LOCAL_STATE: want the local backend")
	}
}

func TestValidate(t *testing.T) {
	good := apptest.Platform(nil)
	with := func(f func(*platform.Config)) platform.Config {
		c := good
		f(&c)
		return c
	}
	tests := []struct {
		desc string
		cfg  platform.Config
		want []string
	}{
		{"nothing", platform.Config{}, []string{"Environment is required", "CertificateARN is required"}},
		{"PR environment", with(func(c *platform.Config) { c.Environment = mustPR() }),
			[]string{`Environment "pr12" is a PR environment: the platform outlives every PR, give it a platform name ("platform" or "platform-<name>")`}},
		{"an application environment's name", with(func(c *platform.Config) { c.Environment = mustEnv("stage", "") }),
			[]string{`Environment "stage" is not a platform name: give the platform "platform" or "platform-<name>", so that its names never meet an application environment's`}},
		{"certificate of another region", with(func(c *platform.Config) { c.CertificateARN = certEU }),
			[]string{`CertificateARN "` + certEU + `" is in region eu-west-1, not the stack's region ca-central-1: AWS uses an ACM certificate ARN only in its own region`}},
		{"not a certificate", with(func(c *platform.Config) { c.CertificateARN = "arn:aws:iam::123456789012:server-certificate/x" }),
			[]string{`CertificateARN "arn:aws:iam::123456789012:server-certificate/x" is not an ACM certificate ARN`}},
		{"port range", with(func(c *platform.Config) { c.TargetPorts = network.TCPRange(9000, 8000) }),
			[]string{`TargetPorts "9000-8000" is not a port range: want 1 <= From <= To <= 65535`}},
		{"port zero", with(func(c *platform.Config) { c.TargetPorts = network.TCPRange(0, 80) }), []string{`TargetPorts "0-80" is not a port range`}},
		{"bucket", with(func(c *platform.Config) { c.AccessLogsBucket = "Logs_Bucket" }), []string{`AccessLogsBucket "Logs_Bucket" is not an S3 bucket name`}},
		{"local state", with(func(c *platform.Config) { c.StateBucket = "" }),
			[]string{`StateBucket is empty: the shared platform "platform" needs remote state: set StateBucket, or set AllowLocalState to true to keep its state in a local file on purpose`}},
		{"network", with(func(c *platform.Config) { c.NAT = "all" }), []string{`NAT "all" is not a NAT mode`}},
		{"names", with(func(c *platform.Config) { c.Environment = mustEnv("platform", "sg") }), []string{`Environment "sg-alb-sg-platform" is not a security group name: it must not start with "sg-"`}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) { testutil.ErrorContains(t, tt.cfg.Validate(), tt.want...) })
	}
	cert := dataawsacmcertificate.NewDataAwsAcmCertificate(testutil.NewStack("Cert"), jsii.String("Preview"), &dataawsacmcertificate.DataAwsAcmCertificateConfig{Domain: jsii.String("*.preview.example.com")})
	if err := with(func(c *platform.Config) { c.CertificateARN = *cert.Arn() }).Validate(); err != nil {
		t.Errorf("a certificate token: %v", err)
	}
	msg := testutil.MustPanic(t, func() { platform.New(testutil.NewApp(), "Platformx", platform.Config{}) })
	if !strings.Contains(msg, `platform.New("Platformx"): invalid Config`) {
		t.Errorf("panic = %q", msg)
	}

}
