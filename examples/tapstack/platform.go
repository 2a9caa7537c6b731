package tapstack

import (
	"fmt"
	"strings"

	"github.com/tapstack/infra/constructs/lmsservice"
	"github.com/tapstack/infra/constructs/network"
	"github.com/tapstack/infra/internal/stackapp"
	"github.com/tapstack/infra/internal/tfx"
)

// validatePlatform adds the problems of c.Platform (with defaults applied) to f, as
// problems of the fields "Platform.<field>", and refuses the fields the platform
// decides. It reports whether the platform's own fields are valid.
func (c Config) validatePlatform(f *stackapp.Fields) bool {
	p := c.Platform
	before := len(f.Errs())
	for _, x := range []struct {
		field, value, hint string
	}{
		{"NAT", string(c.NAT), " (Platform.Egress says where the tasks run)"}, {"Endpoints", map[bool]string{true: "true"}[c.Endpoints], ""},
		{"ExistingVPCID", c.ExistingVPCID, ""}, {"PublicSubnetIDs", strings.Join(c.PublicSubnetIDs, ","), ""},
		{"PrivateSubnetIDs", strings.Join(c.PrivateSubnetIDs, ","), ""}, {"ExistingEgress", string(c.ExistingEgress), ""},
		{"ExistingPrivateRouteTableIDs", strings.Join(c.ExistingPrivateRouteTableIDs, ","), ""},
		{"CertificateARN", c.CertificateARN, ""},
	} {
		if x.value != "" {
			f.Add(x.field, x.value, "is decided by the shared platform (Platform): leave it unset"+x.hint)
		}
	}
	id := func(field, v string, valid func(string) bool, what string) {
		switch {
		case v == "":
			f.Add("Platform."+field, "", "is required")
		case !tfx.IsToken(v) && !valid(v):
			f.Add("Platform."+field, v, "is not "+what)
		}
	}
	id("ListenerARN", p.ListenerARN, tfx.IsListenerARN, "an Application Load Balancer listener ARN (arn:aws:elasticloadbalancing:<region>:<account>:listener/app/<name>/<id>/<id>)")
	// A literal only: the cluster name (the ecs_cluster_name output) is read from it.
	if _, ok := tfx.ClusterName(p.ClusterARN); !ok && p.ClusterARN != "" {
		f.Add("Platform.ClusterARN", p.ClusterARN, "is not an ECS cluster ARN (arn:aws:ecs:<region>:<account>:cluster/<name>; a literal: the cluster name is read from it)")
	}
	id("ClusterARN", p.ClusterARN, func(string) bool { return true }, "")
	id("VPCID", p.VPCID, tfx.IsVPCID, "a VPC ID (vpc- and 8 or 17 hex digits)")
	id("LoadBalancerSecurityGroupID", p.LoadBalancerSecurityGroupID, tfx.IsSecurityGroupID, "a security group ID (sg- and 8 or 17 hex digits)")
	subnets := func(field string, ids []string, least int) {
		all := strings.Join(ids, ",")
		if len(ids) < least {
			f.Add("Platform."+field, all, fmt.Sprintf("has %d subnet(s), want at least %d", len(ids), least))
		}
		for _, s := range ids {
			if !tfx.IsToken(s) && !tfx.IsSubnetID(s) {
				f.Add("Platform."+field, all, fmt.Sprintf("holds %q, which is not a subnet ID (subnet- and 8 or 17 hex digits)", s))
			}
		}
	}
	publicNeeded := 0
	if p.Egress == network.EgressNone {
		publicNeeded = 1 // the tasks run there
	}
	subnets("PublicSubnetIDs", p.PublicSubnetIDs, publicNeeded)
	subnets("PrivateSubnetIDs", p.PrivateSubnetIDs, 2)
	if p.PreviewDomain == "" {
		f.Add("Platform.PreviewDomain", "", "is required")
	} else if err := tfx.HostNameError(p.PreviewDomain); err != nil {
		f.Check("Platform.PreviewDomain", p.PreviewDomain, err)
	} else if host := p.Host(c.Environment); len(host) > lmsservice.MaxHostLength {
		f.Add("Platform.PreviewDomain", p.PreviewDomain, fmt.Sprintf("makes the host %s.<domain> %d characters, over the %d a listener rule takes",
			c.Environment.Name(), len(host), lmsservice.MaxHostLength))
	}
	switch p.Egress {
	case network.EgressNone, network.EgressNAT, network.EgressEndpoints:
	default:
		f.Add("Platform.Egress", string(p.Egress), fmt.Sprintf("is not an egress (want %s, %s or %s)", network.EgressNone, network.EgressNAT, network.EgressEndpoints))
	}
	if r := p.RulePriority; r < 0 || r > lmsservice.MaxRulePriority {
		f.Add("Platform.RulePriority", fmt.Sprint(r), fmt.Sprintf("is out of range 1-%d", lmsservice.MaxRulePriority))
	}
	return len(f.Errs()) == before
}
