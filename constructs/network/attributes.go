package network

import (
	"strconv"

	"github.com/tapstack/infra/awsid"
	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/field"
	"github.com/tapstack/infra/internal/check"
	"github.com/tapstack/infra/internal/token"
)

// Attributes describe an existing VPC and its subnets, for FromAttributes: the way out
// of VpcLimitExceeded, and how a stack uses a shared VPC. IDs may be literals, which
// are checked, or cdktf tokens (a data source's attribute, another stack's output),
// which are passed through; a check that needs a literal is skipped for a token.
type Attributes struct {
	// Environment names and tags what FromAttributes defines (the endpoints). Required.
	Environment naming.Environment
	// Component tells this network apart from another one of the environment in the
	// stack (see Config.Component). Default: "".
	Component string
	// VPCID is the VPC ("vpc-..."). Required.
	VPCID string
	// PublicSubnetIDs of the VPC: none, or at least two (an internet-facing load
	// balancer needs two zones). A list token (TokenList) counts as an unknown number.
	PublicSubnetIDs []string
	// PrivateSubnetIDs of the VPC: at least two. Required.
	PrivateSubnetIDs []string
	// PrivateRouteTableIDs are the route tables of the private subnets, for the S3
	// gateway endpoint. Required with Endpoints.
	PrivateRouteTableIDs []string
	// Egress declares the way out that the private subnets already have. Default:
	// EgressNone (nothing assumed). With Endpoints, Network.Egress reports
	// EgressEndpoints unless this is EgressNAT.
	Egress Egress
	// Endpoints adds the interface and S3 gateway endpoints of Config.Endpoints to the
	// VPC. Default: false.
	Endpoints bool
}

// TokenList turns a list attribute (a data source's ids, another stack's list output)
// into the one-element form that Attributes takes for a list of unknown length.
func TokenList(ids *[]*string) []string {
	out := make([]string, 0, len(*ids))
	for _, id := range *ids {
		out = append(out, *id)
	}
	return out
}

func (a Attributes) withDefaults() Attributes {
	if a.Egress == "" {
		a.Egress = EgressNone
	}
	return a
}

// Layout returns the layout of the adopted network (its Place unknown).
func (a Attributes) Layout() Layout {
	a = a.withDefaults()
	known := func(ids []string) int {
		if n, ok := count(ids); ok {
			return n
		}
		return -1
	}
	return Layout{Egress: a.egress(), PublicSubnets: known(a.PublicSubnetIDs), PrivateSubnets: known(a.PrivateSubnetIDs)}
}

func (a Attributes) egress() Egress {
	switch {
	case a.Egress == EgressNAT:
		return EgressNAT
	case a.Endpoints:
		return EgressEndpoints
	}
	return a.Egress
}

// Validate returns every problem of a at once (field.Error values, joined).
func (a Attributes) Validate() error { return a.ValidateIn(awsid.Place{}) }

// ValidateIn is Validate for a stack deployed at p: Endpoints need a partition whose
// endpoint service names the library knows.
func (a Attributes) ValidateIn(p awsid.Place) error {
	a = a.withDefaults()
	var l field.List
	validateNames(&l, a.Environment, a.Component, a.Endpoints, false)
	checkEndpointsIn(&l, a.Endpoints, p)
	if a.VPCID == "" {
		l.Add("VPCID", "", "is required: the ID of the existing VPC")
	}
	check.ID(&l, "VPCID", a.VPCID, awsid.VPCID)
	if n, known := count(a.PrivateSubnetIDs); known && n < 2 {
		l.Add("PrivateSubnetIDs", "", "has "+strconv.Itoa(n)+" subnet(s); an existing VPC needs at least 2 private subnets (in different zones)")
	}
	if n, known := count(a.PublicSubnetIDs); known && n == 1 {
		l.Add("PublicSubnetIDs", "", "has 1 subnet; give none or at least 2 (an internet-facing load balancer needs two zones)")
	}
	ids := func(name string, xs []string, kind awsid.IDKind) {
		for i, x := range xs {
			check.ID(&l, field.Index(name, i), x, kind)
		}
		if dup := firstDuplicate(xs); dup != "" {
			l.Add(name, dup, "is listed twice")
		}
	}
	ids("PublicSubnetIDs", a.PublicSubnetIDs, awsid.SubnetID)
	ids("PrivateSubnetIDs", a.PrivateSubnetIDs, awsid.SubnetID)
	ids("PrivateRouteTableIDs", a.PrivateRouteTableIDs, awsid.RouteTableID)
	for _, id := range a.PublicSubnetIDs {
		for _, p := range a.PrivateSubnetIDs {
			if id == p && !token.Is(id) {
				l.Add("PrivateSubnetIDs", id, "is in PublicSubnetIDs too: a subnet is public or private")
			}
		}
	}
	if a.Endpoints && len(a.PrivateRouteTableIDs) == 0 {
		l.Add("PrivateRouteTableIDs", "", "is required with Endpoints, for the S3 gateway endpoint")
	}
	switch a.Egress {
	case EgressNAT, EgressEndpoints, EgressNone:
	default:
		l.Addf("Egress", string(a.Egress), "is not an egress kind (want %q, %q or %q)", EgressNAT, EgressEndpoints, EgressNone)
	}
	return l.Err()
}

// count returns the number of IDs, and false when a token (a data source's list, or a
// string token that may stand for one) makes the number unknown.
func count(ids []string) (int, bool) {
	for _, id := range ids {
		if token.Is(id) {
			return 0, false
		}
	}
	return len(ids), true
}
