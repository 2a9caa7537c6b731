package network_test

import (
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/securitygroup"
	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/constructs/network"
	"github.com/tapstack/infra/internal/testutil"
)

func init() {
	variants.Add("connections", func() cdktf.TerraformStack {
		stack := testutil.NewStack("Test")
		net := network.New(stack, "Network", network.Config{Environment: stage, NAT: network.NATNone})
		group := func(id string) *network.Connections {
			sg := securitygroup.NewSecurityGroup(stack, jsii.String(id+"Group"), &securitygroup.SecurityGroupConfig{VpcId: net.VPCID(), Name: jsii.String(strings.ToLower(id))})
			return network.NewConnections(stack, sg.Id(), id+" tasks")
		}
		web, api := group("Web"), group("Api")
		shared := network.FromSecurityGroupID("sg-0a1b2c3d", "the shared load balancer")
		api.AllowFrom(web, network.TCP(8080))
		api.AllowFrom(web, network.TCP(8080)) // once only
		web.AllowTo(api, network.TCP(8080))   // the same rule, seen from the other side
		api.AllowFrom(shared, network.TCP(8080))
		web.AllowFrom(network.CIDR("10.8.0.0/16"), network.TCPRange(8000, 8100))
		web.AllowTo(network.PrefixList("pl-0a1b2c3d"), network.TCP(443), network.RuleIDs("", "WebToS3"), network.Descriptions("", "HTTPS to S3"))
		return stack
	})
}

// TestConnectionsWriteBothSides: a rule between two groups of the app is an ingress on
// the receiving group and an egress on the sending one, written once; an adopted group
// gets no rule; CIDR and prefix list peers get one side.
func TestConnectionsWriteBothSides(t *testing.T) {
	s := variants.Synth(t, "connections")
	web := s.RefTo(t, "aws_security_group", "WebGroup", "id")
	api := s.RefTo(t, "aws_security_group", "ApiGroup", "id")
	rule := func(r map[string]any) map[string]any {
		out := map[string]any{}
		for _, k := range []string{"security_group_id", "referenced_security_group_id", "cidr_ipv4", "prefix_list_id", "from_port", "to_port", "description"} {
			if v, ok := r[k]; ok {
				out[k] = v
			}
		}
		return out
	}
	got := map[string]any{}
	for name, r := range s.Resources("aws_vpc_security_group_ingress_rule") {
		got["in "+name] = rule(r)
	}
	for name, r := range s.Resources("aws_vpc_security_group_egress_rule") {
		got["out "+name] = rule(r)
	}
	want := map[string]any{
		"in ApiTasksFromWebTasks8080": map[string]any{"security_group_id": api, "referenced_security_group_id": web, "from_port": 8080.0, "to_port": 8080.0, "description": "From Web tasks"},
		"out WebTasksToApiTasks8080":  map[string]any{"security_group_id": web, "referenced_security_group_id": api, "from_port": 8080.0, "to_port": 8080.0, "description": "To Api tasks"},
		"in ApiTasksFromTheSharedLoadBalancer8080": map[string]any{"security_group_id": api, "referenced_security_group_id": "sg-0a1b2c3d",
			"from_port": 8080.0, "to_port": 8080.0, "description": "From the shared load balancer"},
		"in WebTasksFrom10800168000To8100": map[string]any{"security_group_id": web, "cidr_ipv4": "10.8.0.0/16", "from_port": 8000.0, "to_port": 8100.0, "description": "From 10.8.0.0/16"},
		"out WebToS3":                      map[string]any{"security_group_id": web, "prefix_list_id": "pl-0a1b2c3d", "from_port": 443.0, "to_port": 443.0, "description": "HTTPS to S3"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
}

func TestConnectionsRefuseBadPeers(t *testing.T) {
	stack := testutil.NewStack("Test")
	c := network.NewConnections(stack, jsii.String("sg-0a1b2c3d"), "Web tasks")
	for desc, f := range map[string]func(){
		"bad port":        func() { c.AllowFrom(network.CIDR("10.0.0.0/8"), network.TCP(0)) },
		"reversed range":  func() { c.AllowTo(network.CIDR("10.0.0.0/8"), network.TCPRange(90, 80)) },
		"bad CIDR":        func() { c.AllowFrom(network.CIDR("10.0.0.1/8"), network.TCP(80)) },
		"bad prefix list": func() { c.AllowTo(network.PrefixList("pl-x"), network.TCP(80)) },
		"bad group ID":    func() { network.FromSecurityGroupID("sg-x", "x") },
	} {
		t.Run(desc, func(t *testing.T) { testutil.MustPanic(t, f) })
	}
	if types := testutil.Synth(t, stack).ResourceTypes(); len(types) != 0 {
		t.Errorf("refused rules were defined: %v", types)
	}
	if (network.TCPRange(80, 80)).String() != "80" || network.TCPRange(1, 2).String() != "1-2" {
		t.Error("Port.String")
	}
}

// TestConnectionsTellPeersApartByGroup: two adopted groups with one label are two peers,
// not one (the rule of the second was once dropped as written already): the second rule
// needs an ID of its own, and says so; with RuleIDs both rules exist.
func TestConnectionsTellPeersApartByGroup(t *testing.T) {
	stack := testutil.NewStack("Test")
	c := network.NewConnections(stack, jsii.String("sg-0a1b2c3d"), "cache")
	first := network.FromSecurityGroupID("sg-00000001", "a client")
	second := network.FromSecurityGroupID("sg-00000002", "a client")
	c.AllowFrom(first, network.TCP(6379))
	c.AllowFrom(network.FromSecurityGroupID("sg-00000001", "a client"), network.TCP(6379)) // the same group again: once only
	msg := testutil.MustPanic(t, func() { c.AllowFrom(second, network.TCP(6379)) })
	if !strings.Contains(msg, `the rule Test/CacheFromAClient6379 exists for another peer labeled "a client"`) {
		t.Errorf("panic = %s", msg)
	}
	c.AllowFrom(second, network.TCP(6379), network.RuleIDs("CacheFromSecondClient", ""))
	var peers []any
	for _, r := range testutil.Synth(t, stack).Resources("aws_vpc_security_group_ingress_rule") {
		peers = append(peers, r["referenced_security_group_id"])
	}
	if len(peers) != 2 {
		t.Errorf("ingress rules from %v, want both groups", peers)
	}
}
