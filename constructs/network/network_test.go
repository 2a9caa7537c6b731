package network_test

import (
	"net/netip"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/awsid"
	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/constructs/network"
	"github.com/tapstack/infra/field"
	"github.com/tapstack/infra/internal/jsiix"
	"github.com/tapstack/infra/internal/testutil"
)

func TestMain(m *testing.M) { testutil.Main(m) }

var (
	stage = naming.MustEnvironment("stage", naming.Options{})
	pr    = naming.MustEnvironment("pr4892", naming.Options{Timestamp: "123456"})
)

// built keeps the Network of each variant for Go-side accessor checks; read it through
// get, which builds the variant first, so that every test stands alone.
var built = map[string]*network.Network{}

var variants = testutil.NewVariants()

// get returns the network of a variant, synthesizing the variant on first use.
func get(t *testing.T, name string) *network.Network {
	t.Helper()
	variants.Synth(t, name)
	return built[name]
}

// add registers a variant: a stack with one new network that outputs its VPC and subnet
// IDs, asserted after the mock apply (the mock's IDs; one subnet per zone), plus asserts.
func add(name string, cfg network.Config, asserts ...string) {
	addBuilt(name, func(stack cdktf.TerraformStack) *network.Network { return network.New(stack, "Network", cfg) },
		append(networkAsserts(name, cfg), asserts...)...)
}

// addExisting registers a variant of an adopted network, whose outputs are the IDs given.
func addExisting(name string, attrs network.Attributes) {
	list := func(ids []string) string {
		if len(ids) == 0 {
			return "[]"
		}
		return `["` + strings.Join(ids, `", "`) + `"]`
	}
	m := "module." + name + "."
	addBuilt(name, func(stack cdktf.TerraformStack) *network.Network {
		return network.FromAttributes(stack, "Network", attrs)
	},
		m+`vpc_id == "`+attrs.VPCID+`"`,
		"jsonencode("+m+"public_subnet_ids) == jsonencode("+list(attrs.PublicSubnetIDs)+")",
		"jsonencode("+m+"private_subnet_ids) == jsonencode("+list(attrs.PrivateSubnetIDs)+")")
}

func addBuilt(name string, build func(cdktf.TerraformStack) *network.Network, asserts ...string) {
	variants.Add(name, func() cdktf.TerraformStack {
		stack := testutil.NewStack("Test")
		n := build(stack)
		built[name] = n
		cdktf.NewTerraformOutput(stack, jsii.String("vpc_id"), &cdktf.TerraformOutputConfig{Value: n.VPCID()})
		cdktf.NewTerraformOutput(stack, jsii.String("public_subnet_ids"), &cdktf.TerraformOutputConfig{Value: cdktf.Token_AsAny(n.PublicSubnetIDs())})
		cdktf.NewTerraformOutput(stack, jsii.String("private_subnet_ids"), &cdktf.TerraformOutputConfig{Value: cdktf.Token_AsAny(n.PrivateSubnetIDs())})
		return stack
	}, asserts...)
}

// networkAsserts are what the outputs of add must be after the mock apply.
func networkAsserts(name string, cfg network.Config) []string {
	m := "module." + name + "."
	zones := cfg.AZCount
	if zones == 0 {
		zones = max(len(cfg.AvailabilityZones), network.DefaultAZCount)
	}
	n := strconv.Itoa(zones)
	return []string{
		m + `vpc_id == "vpc-0123456789abcdef0"`,
		"length(" + m + "public_subnet_ids) == " + n, "length(" + m + "private_subnet_ids) == " + n,
	}
}

func init() {
	add("nat-single", network.Config{Environment: stage})
	add("nat-none", network.Config{Environment: pr, NAT: network.NATNone})
	add("nat-none-endpoints", network.Config{Environment: pr, NAT: network.NATNone, Endpoints: true})
	add("nat-per-az", network.Config{Environment: stage, NAT: network.NATPerAZ,
		AvailabilityZones: []string{"ca-central-1a", "ca-central-1b", "ca-central-1d"}})
	add("flow-logs", network.Config{Environment: stage, CIDR: "10.20.0.0/20", FlowLogs: true, KeepDefaultSecurityGroupRules: true, AZCount: 3})
	addExisting("existing", network.Attributes{Environment: stage, VPCID: "vpc-0a1b2c3d",
		PublicSubnetIDs:  []string{"subnet-00000001", "subnet-00000002"},
		PrivateSubnetIDs: []string{"subnet-00000003", "subnet-00000004"}})
	addExisting("existing-endpoints", network.Attributes{Environment: pr, VPCID: "vpc-0123456789abcdef0",
		PrivateSubnetIDs:     []string{"subnet-00000003", "subnet-00000004"},
		PrivateRouteTableIDs: []string{"rtb-00000001", "rtb-00000002"}, Endpoints: true})
}

var countedTypes = []string{"aws_vpc", "aws_subnet", "aws_internet_gateway", "aws_nat_gateway", "aws_eip",
	"aws_route_table", "aws_route", "aws_route_table_association", "aws_vpc_endpoint", "aws_security_group",
	"aws_default_security_group", "aws_flow_log"}

func counts(pairs ...any) map[string]int {
	out := map[string]int{}
	for _, typ := range countedTypes {
		out[typ] = 0
	}
	for i := 0; i < len(pairs); i += 2 {
		out[pairs[i].(string)] = pairs[i+1].(int)
	}
	return out
}

func TestResourceCounts(t *testing.T) {
	base := []any{"aws_vpc", 1, "aws_internet_gateway", 1, "aws_default_security_group", 1}
	tests := []struct {
		variant string
		want    map[string]int
	}{
		// One NAT: 1 gateway, 1 EIP, a default route in each of the 2 private route tables.
		{"nat-single", counts(append(base, "aws_subnet", 4, "aws_nat_gateway", 1, "aws_eip", 1,
			"aws_route_table", 3, "aws_route", 3, "aws_route_table_association", 4)...)},
		// No NAT: no gateway and no EIP at all, private route tables without routes.
		{"nat-none", counts(append(base, "aws_subnet", 4, "aws_route_table", 3, "aws_route", 1,
			"aws_route_table_association", 4)...)},
		{"nat-none-endpoints", counts(append(base, "aws_subnet", 4, "aws_route_table", 3, "aws_route", 1,
			"aws_route_table_association", 4, "aws_vpc_endpoint", 5, "aws_security_group", 1)...)},
		// Per AZ over 3 zones: 3 gateways, 3 EIPs, 3 private routes.
		{"nat-per-az", counts(append(base, "aws_subnet", 6, "aws_nat_gateway", 3, "aws_eip", 3,
			"aws_route_table", 4, "aws_route", 4, "aws_route_table_association", 6)...)},
		{"flow-logs", counts("aws_vpc", 1, "aws_internet_gateway", 1, "aws_subnet", 6, "aws_nat_gateway", 1, "aws_eip", 1,
			"aws_route_table", 4, "aws_route", 4, "aws_route_table_association", 6, "aws_flow_log", 1)},
		// Existing VPC: nothing of the network itself is defined.
		{"existing", counts()},
		{"existing-endpoints", counts("aws_vpc_endpoint", 5, "aws_security_group", 1)},
	}
	for _, tt := range tests {
		t.Run(tt.variant, func(t *testing.T) {
			s := variants.Synth(t, tt.variant)
			if diff := cmp.Diff(tt.want, s.Counts(countedTypes...)); diff != "" {
				t.Errorf("resource counts (-want +got):\n%s", diff)
			}
		})
	}
}

func TestGolden(t *testing.T) {
	for _, v := range []string{"nat-none", "nat-single", "nat-per-az"} {
		t.Run(v, func(t *testing.T) { testutil.Golden(t, v, variants.Synth(t, v)) })
	}
}

func TestPrivateRoutesFollowNAT(t *testing.T) {
	tests := []struct {
		variant string
		azs     int
		nat     []int // NAT gateway index used by private route table i; nil: no route
	}{
		{"nat-single", 2, []int{0, 0}},
		{"nat-per-az", 3, []int{0, 1, 2}},
		{"nat-none", 2, nil},
	}
	for _, tt := range tests {
		t.Run(tt.variant, func(t *testing.T) {
			s := variants.Synth(t, tt.variant)
			routes := s.Resources("aws_route")
			for i := 0; i < tt.azs; i++ {
				idx := string(rune('0' + i))
				rt := s.RefTo(t, "aws_route_table", "Network/PrivateRouteTable"+idx, "id")
				var got []map[string]any
				for _, r := range routes {
					if r["route_table_id"] == rt {
						got = append(got, r)
					}
				}
				if tt.nat == nil {
					if len(got) != 0 {
						t.Errorf("private route table %d has routes without NAT: %v", i, got)
					}
					continue
				}
				want := []map[string]any{{
					"route_table_id":         rt,
					"destination_cidr_block": "0.0.0.0/0",
					"nat_gateway_id":         s.RefTo(t, "aws_nat_gateway", "Network/NATGateway"+string(rune('0'+tt.nat[i])), "id"),
				}}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("private route table %d routes (-want +got):\n%s", i, diff)
				}
			}
			// The public route table always routes through the internet gateway.
			_, pub := s.Find(t, "aws_route", "Network/PublicDefaultRoute")
			if pub["gateway_id"] != s.RefTo(t, "aws_internet_gateway", "Network/InternetGateway", "id") {
				t.Errorf("public default route = %v", pub)
			}
		})
	}
}

func TestNATGatewaysInPublicSubnetsWithEIPs(t *testing.T) {
	s := variants.Synth(t, "nat-per-az")
	for i := 0; i < 3; i++ {
		idx := string(rune('0' + i))
		_, gw := s.Find(t, "aws_nat_gateway", "Network/NATGateway"+idx)
		want := map[string]any{
			"subnet_id":     s.RefTo(t, "aws_subnet", "Network/PublicSubnet"+idx, "id"),
			"allocation_id": s.RefTo(t, "aws_eip", "Network/NATEIP"+idx, "allocation_id"),
		}
		got := map[string]any{"subnet_id": gw["subnet_id"], "allocation_id": gw["allocation_id"]}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("NAT gateway %d (-want +got):\n%s", i, diff)
		}
		if _, eip := s.Find(t, "aws_eip", "Network/NATEIP"+idx); eip["domain"] != "vpc" {
			t.Errorf("EIP %d domain = %v", i, eip["domain"])
		}
	}
}

func TestSubnetsAndAZs(t *testing.T) {
	t.Run("looked up", func(t *testing.T) {
		s := variants.Synth(t, "nat-single")
		name, az := s.FindData(t, "aws_availability_zones", "Network/AvailabilityZones")
		if az["state"] != "available" {
			t.Errorf("AZ lookup state = %v", az["state"])
		}
		_, sub := s.Find(t, "aws_subnet", "Network/PrivateSubnet1")
		want := map[string]any{
			"availability_zone": "${element(data.aws_availability_zones." + name + ".names, 1)}",
			"cidr_block":        "10.0.129.0/24",
			"vpc_id":            s.RefTo(t, "aws_vpc", "Network/VPC", "id"),
		}
		got := map[string]any{"availability_zone": sub["availability_zone"], "cidr_block": sub["cidr_block"], "vpc_id": sub["vpc_id"]}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("private subnet 1 (-want +got):\n%s", diff)
		}
	})
	t.Run("explicit", func(t *testing.T) {
		s := variants.Synth(t, "nat-per-az")
		if n := len(s.DataSources("aws_availability_zones")); n != 0 {
			t.Errorf("explicit zones still looked up (%d data sources)", n)
		}
		var got []string
		for i := 0; i < 3; i++ {
			_, sub := s.Find(t, "aws_subnet", "Network/PublicSubnet"+string(rune('0'+i)))
			got = append(got, sub["availability_zone"].(string)+" "+sub["cidr_block"].(string))
			if sub["map_public_ip_on_launch"] != false {
				t.Errorf("public subnet %d maps public IPs on launch", i)
			}
		}
		want := []string{"ca-central-1a 10.0.0.0/24", "ca-central-1b 10.0.1.0/24", "ca-central-1d 10.0.2.0/24"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("public subnets (-want +got):\n%s", diff)
		}
	})
	t.Run("vpc", func(t *testing.T) {
		_, v := variants.Synth(t, "nat-single").Find(t, "aws_vpc", "Network/VPC")
		want := map[string]any{"cidr_block": "10.0.0.0/16", "enable_dns_hostnames": true, "enable_dns_support": true}
		got := map[string]any{"cidr_block": v["cidr_block"], "enable_dns_hostnames": v["enable_dns_hostnames"], "enable_dns_support": v["enable_dns_support"]}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("VPC (-want +got):\n%s", diff)
		}
		if name := v["tags"].(map[string]any)["Name"]; name != "lms-vpc-stage" {
			t.Errorf("VPC Name tag = %v", name)
		}
	})
}

func TestSubnetCIDRs(t *testing.T) {
	tests := []struct {
		cfg           network.Config
		public, privs []string
	}{
		{network.Config{Environment: stage}, []string{"10.0.0.0/24", "10.0.1.0/24"}, []string{"10.0.128.0/24", "10.0.129.0/24"}},
		{network.Config{Environment: stage, CIDR: "10.20.0.0/20", AZCount: 3}, []string{"10.20.0.0/28", "10.20.0.16/28", "10.20.0.32/28"}, []string{"10.20.8.0/28", "10.20.8.16/28", "10.20.8.32/28"}},
		{network.Config{Environment: stage, CIDR: "172.16.0.0/16", SubnetPrefix: 20, AZCount: 3}, []string{"172.16.0.0/20", "172.16.16.0/20", "172.16.32.0/20"}, []string{"172.16.128.0/20", "172.16.144.0/20", "172.16.160.0/20"}},
		{network.Config{Environment: stage, CIDR: "10.1.2.0/24", AZCount: 2}, []string{"10.1.2.0/28", "10.1.2.16/28"}, []string{"10.1.2.128/28", "10.1.2.144/28"}},
	}
	for _, tt := range tests {
		t.Run(tt.cfg.CIDR, func(t *testing.T) {
			pub, priv, err := tt.cfg.SubnetCIDRs()
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([][]string{tt.public, tt.privs}, [][]string{pub, priv}); diff != "" {
				t.Errorf("subnets (-want +got):\n%s", diff)
			}
			all := append(append([]string(nil), pub...), priv...)
			vpc := netip.MustParsePrefix(all[0])
			if tt.cfg.CIDR != "" {
				vpc = netip.MustParsePrefix(tt.cfg.CIDR)
			}
			for i, a := range all {
				pa := netip.MustParsePrefix(a)
				if tt.cfg.CIDR != "" && (!vpc.Contains(pa.Addr()) || pa.Bits() < vpc.Bits()) {
					t.Errorf("%s is outside the VPC %s", a, vpc)
				}
				for _, b := range all[i+1:] {
					if pa.Overlaps(netip.MustParsePrefix(b)) {
						t.Errorf("%s overlaps %s", a, b)
					}
				}
			}
		})
	}
	if _, _, err := (network.Config{Environment: stage, CIDR: "bad"}).SubnetCIDRs(); err == nil {
		t.Error("SubnetCIDRs of an invalid Config gave no error")
	}
}

func TestEndpoints(t *testing.T) {
	s := variants.Synth(t, "nat-none-endpoints")
	region, _ := s.FindData(t, "aws_region", "Network/Region")
	sg := s.RefTo(t, "aws_security_group", "Network/EndpointSecurityGroup", "id")
	privateSubnets := []any{s.RefTo(t, "aws_subnet", "Network/PrivateSubnet0", "id"), s.RefTo(t, "aws_subnet", "Network/PrivateSubnet1", "id")}
	for _, e := range network.InterfaceEndpoints() {
		_, ep := s.Find(t, "aws_vpc_endpoint", "Network/"+e.ID)
		want := map[string]any{
			"service_name":        "com.amazonaws.${data.aws_region." + region + ".name}." + e.Service,
			"vpc_endpoint_type":   "Interface",
			"private_dns_enabled": true,
			"subnet_ids":          privateSubnets,
			"security_group_ids":  []any{sg},
		}
		got := map[string]any{}
		for k := range want {
			got[k] = ep[k]
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", e.ID, diff)
		}
	}
	_, s3 := s.Find(t, "aws_vpc_endpoint", "Network/S3Endpoint")
	wantRTs := []any{s.RefTo(t, "aws_route_table", "Network/PrivateRouteTable0", "id"), s.RefTo(t, "aws_route_table", "Network/PrivateRouteTable1", "id")}
	if diff := cmp.Diff(wantRTs, s3["route_table_ids"]); diff != "" || s3["vpc_endpoint_type"] != "Gateway" {
		t.Errorf("S3 gateway endpoint type %v, route tables (-want +got):\n%s", s3["vpc_endpoint_type"], diff)
	}
	// The endpoint security group admits HTTPS from the VPC CIDR and nothing else.
	rule := s.Only(t, "aws_vpc_security_group_ingress_rule")
	wantRule := map[string]any{"cidr_ipv4": s.RefTo(t, "aws_vpc", "Network/VPC", "cidr_block"), "from_port": 443.0, "to_port": 443.0, "ip_protocol": "tcp", "security_group_id": sg}
	for k, v := range wantRule {
		if rule[k] != v {
			t.Errorf("endpoint ingress %s = %v, want %v", k, rule[k], v)
		}
	}
	if _, grp := s.Find(t, "aws_security_group", "Network/EndpointSecurityGroup"); grp["name"] != "lms-endpoints-pr4892-123456" || grp["ingress"] != nil || grp["egress"] != nil {
		t.Errorf("endpoint security group = %v", grp)
	}
}

func TestEgress(t *testing.T) {
	want := map[string]network.Egress{
		"nat-single": network.EgressNAT, "nat-per-az": network.EgressNAT, "flow-logs": network.EgressNAT,
		"nat-none": network.EgressNone, "nat-none-endpoints": network.EgressEndpoints,
		"existing": network.EgressNone, "existing-endpoints": network.EgressEndpoints,
		"pr-kept-suffix": network.EgressEndpoints,
	}
	for name := range want {
		if got := get(t, name).Egress(); got != want[name] {
			t.Errorf("%s: Egress() = %q, want %q", name, got, want[name])
		}
	}
	// Declared NAT egress of an existing VPC wins over endpoints.
	stack := testutil.NewStack("Declared")
	n := network.FromAttributes(stack, "Network", network.Attributes{Environment: stage, VPCID: "vpc-0a1b2c3d",
		PrivateSubnetIDs: []string{"subnet-00000003", "subnet-00000004"}, Egress: network.EgressNAT,
		PrivateRouteTableIDs: []string{"rtb-00000001"}, Endpoints: true})
	if n.Egress() != network.EgressNAT {
		t.Errorf("declared NAT egress: Egress() = %q", n.Egress())
	}
}

func TestExistingVPC(t *testing.T) {
	s := variants.Synth(t, "existing")
	n := get(t, "existing")
	if got := *n.VPCID(); got != "vpc-0a1b2c3d" {
		t.Errorf("VPCID() = %q", got)
	}
	name, vpcData := s.FindData(t, "aws_vpc", "Network/ExistingVPC")
	if cidr := testutil.ResolveString(n, n.VPCCIDR()); vpcData["id"] != "vpc-0a1b2c3d" || cidr != "${data.aws_vpc."+name+".cidr_block}" {
		t.Errorf("existing VPC data %v, VPCCIDR() = %q", vpcData, cidr)
	}
	if diff := cmp.Diff([]string{"subnet-00000001", "subnet-00000002"}, jsiix.Values(n.PublicSubnetIDs())); diff != "" {
		t.Errorf("PublicSubnetIDs (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"subnet-00000003", "subnet-00000004"}, jsiix.Values(n.PrivateSubnetIDs())); diff != "" {
		t.Errorf("PrivateSubnetIDs (-want +got):\n%s", diff)
	}
	if _, ok := n.VPC(); ok || n.PublicSubnets() != nil || n.NATGateways() != nil || n.Endpoints() != nil || !n.HasPublicSubnets() {
		t.Error("existing VPC exposes resources it did not define")
	}
	s.Absent(t, "aws_vpc", "aws_subnet", "aws_internet_gateway", "aws_nat_gateway", "aws_eip", "aws_route_table", "aws_route")

	e := variants.Synth(t, "existing-endpoints")
	_, s3 := e.Find(t, "aws_vpc_endpoint", "Network/S3Endpoint")
	if diff := cmp.Diff([]any{"rtb-00000001", "rtb-00000002"}, s3["route_table_ids"]); diff != "" {
		t.Errorf("S3 endpoint route tables (-want +got):\n%s", diff)
	}
	_, ecr := e.Find(t, "aws_vpc_endpoint", "Network/EcrApiEndpoint")
	if diff := cmp.Diff([]any{"subnet-00000003", "subnet-00000004"}, ecr["subnet_ids"]); diff != "" {
		t.Errorf("endpoint subnets (-want +got):\n%s", diff)
	}
	if get(t, "existing-endpoints").HasPublicSubnets() {
		t.Error("HasPublicSubnets() with no public subnets")
	}
}

func TestAccessorsOfNewVPC(t *testing.T) {
	s := variants.Synth(t, "nat-none-endpoints")
	n := get(t, "nat-none-endpoints")
	if got, want := testutil.ResolveString(n, n.VPCID()), s.RefTo(t, "aws_vpc", "Network/VPC", "id"); got != want {
		t.Errorf("VPCID() = %q, want %q", got, want)
	}
	if got, want := testutil.ResolveStrings(n, n.PrivateRouteTableIDs()), []string{s.RefTo(t, "aws_route_table", "Network/PrivateRouteTable0", "id"), s.RefTo(t, "aws_route_table", "Network/PrivateRouteTable1", "id")}; !cmp.Equal(got, want) {
		t.Errorf("PrivateRouteTableIDs() = %v, want %v", got, want)
	}
	_, hasSG := n.EndpointSecurityGroup()
	_, hasVPC := n.VPC()
	_, hasFlowLogs := n.FlowLogGroup()
	if len(n.PublicSubnets()) != 2 || len(n.PrivateSubnets()) != 2 || len(n.PrivateRouteTables()) != 2 ||
		len(n.NATGateways()) != 0 || len(n.Endpoints()) != 5 || !hasSG || !hasVPC || hasFlowLogs {
		t.Error("escape hatches do not match the defined resources")
	}
	want := network.Layout{Egress: network.EgressEndpoints, PublicSubnets: 2, PrivateSubnets: 2, Place: n.Place()}
	if n.Environment().ID() != "pr4892-123456" || n.Layout() != want || n.Place().Region != testutil.Region || n.Identity().ID() != "pr4892-123456" {
		t.Errorf("Layout() = %+v, Place() = %+v", n.Layout(), n.Place())
	}
}

func TestDefaultSecurityGroupLockedDown(t *testing.T) {
	_, sg := variants.Synth(t, "nat-single").Find(t, "aws_default_security_group", "Network/DefaultSecurityGroup")
	if sg["ingress"] != nil || sg["egress"] != nil {
		t.Errorf("default security group keeps rules: %v", sg)
	}
	variants.Synth(t, "flow-logs").Absent(t, "aws_default_security_group")
}

func TestFlowLogs(t *testing.T) {
	s := variants.Synth(t, "flow-logs")
	group := s.RefTo(t, "aws_cloudwatch_log_group", "Network/FlowLogGroup", "arn")
	_, lg := s.Find(t, "aws_cloudwatch_log_group", "Network/FlowLogGroup")
	if lg["name"] != "/vpc/lms-stage/flow-logs" || lg["retention_in_days"] != 30.0 {
		t.Errorf("flow log group = %v", lg)
	}
	fl := s.Only(t, "aws_flow_log")
	if fl["log_destination"] != group || fl["traffic_type"] != "ALL" || fl["iam_role_arn"] != s.RefTo(t, "aws_iam_role", "Network/FlowLogRole", "arn") {
		t.Errorf("flow log = %v", fl)
	}
	policy := s.Only(t, "aws_iam_role_policy")["policy"].(string)
	if !strings.Contains(policy, `"Resource":["`+group+`","`+group+`:*"]`) {
		t.Errorf("flow log policy is not scoped to its log group: %s", policy)
	}
	if _, ok := get(t, "flow-logs").FlowLogGroup(); !ok {
		t.Error("FlowLogGroup() = nil")
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		desc string
		cfg  network.Config
		want []string
	}{
		{"no environment", network.Config{}, []string{"Environment is required"}},
		{"bad CIDR", network.Config{Environment: stage, CIDR: "10.0.0.0/33"}, []string{`CIDR "10.0.0.0/33" is not an IPv4 CIDR block`}},
		{"not canonical", network.Config{Environment: stage, CIDR: "10.0.0.1/16"}, []string{`CIDR "10.0.0.1/16" is not canonical (did you mean "10.0.0.0/16"?)`}},
		{"prefix too large", network.Config{Environment: stage, CIDR: "10.0.0.0/8"}, []string{`CIDR "10.0.0.0/8" has a prefix out of range: a VPC prefix must be /16 to /27`}},
		{"prefix too small for subnets", network.Config{Environment: stage, CIDR: "10.0.0.0/26", AZCount: 3}, []string{`AZCount 3 is more than the 2 subnets per tier that CIDR "10.0.0.0/26" with SubnetPrefix /28 fits`}},
		{"subnet prefix out of range", network.Config{Environment: stage, SubnetPrefix: 16}, []string{`SubnetPrefix 16 must be between /17`}},
		{"AZ count zero", network.Config{Environment: stage, AZCount: -1}, []string{`AZCount -1 must be at least 1`}},
		{"AZ count over the list", network.Config{Environment: stage, AZCount: 3, AvailabilityZones: []string{"ca-central-1a", "ca-central-1b"}}, []string{`AZCount 3 is more than the 2 AvailabilityZones given`}},
		{"bad AZ name", network.Config{Environment: stage, AvailabilityZones: []string{"ca-central-1a", "central"}}, []string{`AvailabilityZones[1] "central" is not an availability zone name`}},
		{"duplicate AZ", network.Config{Environment: stage, AvailabilityZones: []string{"ca-central-1a", "ca-central-1a"}}, []string{`AvailabilityZones "ca-central-1a" is listed twice`}},
		{"unknown NAT mode", network.Config{Environment: stage, NAT: "double"}, []string{`NAT "double" is not a NAT mode`}},
		{"negative retention", network.Config{Environment: stage, FlowLogs: true, FlowLogRetentionDays: new(-1)}, []string{"FlowLogRetentionDays -1 is not a CloudWatch Logs retention (valid: [0 1 3 5"}},
		{"retention not in the list", network.Config{Environment: stage, FlowLogs: true, FlowLogRetentionDays: new(2)}, []string{"FlowLogRetentionDays 2 is not a CloudWatch Logs retention"}},
		{"bad component", network.Config{Environment: stage, Component: "Edge_1"}, []string{`Component "Edge_1" is not a component: lowercase letters, digits and single hyphens`}},
		{"component too long", network.Config{Environment: stage, Component: strings.Repeat("a", 21)}, []string{"over the component limit of 20"}},
		{"names that break a rule", network.Config{Environment: naming.MustEnvironment("stage", naming.Options{Project: "sg"}), Endpoints: true}, []string{`Component "sg-endpoints-stage" is not a security group name: it must not start with "sg-"`}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) { testutil.ErrorContains(t, tt.cfg.Validate(), tt.want...) })
	}
	// Zones of another region than the stack's are refused with the place.
	eu := network.Config{Environment: stage, AvailabilityZones: []string{"ca-central-1a", "eu-west-1b"}}
	testutil.ErrorContains(t, eu.ValidateIn(awsid.In("ca-central-1")), `AvailabilityZones[1] "eu-west-1b" is a zone of region eu-west-1, not of the stack's region ca-central-1`)
	if err := eu.Validate(); err != nil {
		t.Errorf("zones checked against an unknown region: %v", err)
	}
	msg := testutil.MustPanic(t, func() { network.New(testutil.NewStack("Zones"), "Network", eu) })
	if !strings.Contains(msg, `"eu-west-1b" is a zone of region eu-west-1, not of the stack's region ca-central-1`) {
		t.Errorf("panic = %q", msg)
	}
	// Endpoints only where the library knows the endpoint service names.
	china := network.Config{Environment: stage, Endpoints: true}
	testutil.ErrorContains(t, china.ValidateIn(awsid.In("cn-north-1")), `Endpoints is not available in partition aws-cn (the stack's region cn-north-1)`)
	attrs := network.Attributes{Environment: stage, VPCID: "vpc-0a1b2c3d", PrivateSubnetIDs: []string{"subnet-00000003", "subnet-00000004"},
		PrivateRouteTableIDs: []string{"rtb-0a1b2c3d"}, Endpoints: true}
	testutil.ErrorContains(t, attrs.ValidateIn(awsid.In("cn-northwest-1")), `Endpoints is not available in partition aws-cn`)
	for _, region := range []string{"ca-central-1", "us-gov-west-1"} {
		if err := china.ValidateIn(awsid.In(region)); err != nil {
			t.Errorf("endpoints in %s: %v", region, err)
		}
	}
}

func TestValidateAttributes(t *testing.T) {
	existing := func(a network.Attributes) network.Attributes {
		a.Environment = stage
		if a.VPCID == "" {
			a.VPCID = "vpc-0a1b2c3d"
		}
		if a.PrivateSubnetIDs == nil {
			a.PrivateSubnetIDs = []string{"subnet-00000003", "subnet-00000004"}
		}
		return a
	}
	tests := []struct {
		desc  string
		attrs network.Attributes
		want  []string
	}{
		{"no environment, no VPC", network.Attributes{}, []string{"Environment is required", "VPCID is required"}},
		{"a bad literal beside tokens", existing(network.Attributes{VPCID: "${TfToken[TOKEN.7]}", PrivateSubnetIDs: []string{"${TfToken[TOKEN.8]}", "subnet-zz"}}),
			[]string{`PrivateSubnetIDs[1] "subnet-zz" is not a subnet ID`}},
		{"a Terraform expression typed as text", existing(network.Attributes{VPCID: "vpc-${x}"}), []string{`VPCID "vpc-${x}" holds "${", which Terraform would read as an expression`}},
		{"bad VPC ID", existing(network.Attributes{VPCID: "vpc-123"}), []string{`VPCID "vpc-123" is not a VPC ID`}},
		{"empty private subnets", existing(network.Attributes{PrivateSubnetIDs: []string{}}), []string{"PrivateSubnetIDs has 0 subnet(s); an existing VPC needs at least 2 private subnets"}},
		{"one private subnet", existing(network.Attributes{PrivateSubnetIDs: []string{"subnet-00000003"}}), []string{"PrivateSubnetIDs has 1 subnet(s)"}},
		{"one public subnet", existing(network.Attributes{PublicSubnetIDs: []string{"subnet-00000001"}}), []string{"PublicSubnetIDs has 1 subnet; give none or at least 2"}},
		{"bad subnet IDs", existing(network.Attributes{PrivateSubnetIDs: []string{"subnet-00000003", "sub-1"}}), []string{`PrivateSubnetIDs[1] "sub-1" is not a subnet ID`}},
		{"duplicate subnet", existing(network.Attributes{PrivateSubnetIDs: []string{"subnet-00000003", "subnet-00000003"}}), []string{`PrivateSubnetIDs "subnet-00000003" is listed twice`}},
		{"subnet in both tiers", existing(network.Attributes{PublicSubnetIDs: []string{"subnet-00000003", "subnet-00000001"}}), []string{`PrivateSubnetIDs "subnet-00000003" is in PublicSubnetIDs too`}},
		{"endpoints without route tables", existing(network.Attributes{Endpoints: true}), []string{"PrivateRouteTableIDs is required with Endpoints"}},
		{"bad route table", existing(network.Attributes{Endpoints: true, PrivateRouteTableIDs: []string{"rt-1"}}), []string{`PrivateRouteTableIDs[0] "rt-1" is not a route table ID`}},
		{"bad egress", existing(network.Attributes{Egress: "internet"}), []string{`Egress "internet" is not an egress kind`}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) { testutil.ErrorContains(t, tt.attrs.Validate(), tt.want...) })
	}
	for _, e := range field.Errors(existing(network.Attributes{VPCID: "vpc-123"}).Validate()) {
		if e.Field != "VPCID" || e.Value != "vpc-123" {
			t.Errorf("field error %+v", e)
		}
	}
}

func TestNewPanicsBeforeDefiningChildren(t *testing.T) {
	stack := testutil.NewStack("Bad")
	msg := testutil.MustPanic(t, func() {
		network.New(stack, "Network", network.Config{Environment: stage, CIDR: "10.0.0.0/33", NAT: "double"})
	})
	for _, want := range []string{`network.New("Network"): invalid Config`, `CIDR "10.0.0.0/33"`, `NAT "double"`} {
		if !strings.Contains(msg, want) {
			t.Errorf("panic %q does not contain %q", msg, want)
		}
	}
	if types := testutil.Synth(t, stack).ResourceTypes(); len(types) != 0 {
		t.Errorf("a rejected Config left resources behind: %v", types)
	}
}

func TestTerraform(t *testing.T) { variants.CheckTerraform(t) }

// BenchmarkNew synthesizes a stack holding one network (NAT single, looked-up zones).
func BenchmarkNew(b *testing.B) {
	testutil.WarmUp(b)
	for i := 0; i < b.N; i++ {
		stack := testutil.NewStack("Bench")
		network.New(stack, "Network", network.Config{Environment: stage})
		testutil.Synth(b, stack)
	}
}
