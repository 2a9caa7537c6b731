package network

import (
	"errors"
	"net/netip"

	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/internal/tfx"
)

// NATMode says which NAT gateways private subnets get.
type NATMode string

// NAT modes. The zero value means the environment profile's choice for a new VPC
// (NATNone for a PR environment, NATSingle otherwise) and NATNone for an existing one.
const (
	// NATNone creates no NAT gateway and no Elastic IP: private subnets have no internet
	// route. Pair it with Endpoints (or public-IP tasks) so workloads can still start.
	NATNone NATMode = "none"
	// NATSingle creates one NAT gateway (and one Elastic IP) in the first public subnet,
	// shared by every private subnet.
	NATSingle NATMode = "single"
	// NATPerAZ creates one NAT gateway (and one Elastic IP) per availability zone; each
	// private subnet routes through the gateway in its own zone.
	NATPerAZ NATMode = "per-az"
)

// Egress is the way out to AWS services that private subnets have.
type Egress string

// Egress kinds, as reported by Network.Egress.
const (
	// EgressNAT: private subnets route to the internet through NAT.
	EgressNAT Egress = "nat"
	// EgressEndpoints: no NAT, but interface endpoints for ECR API, ECR DKR, CloudWatch
	// Logs and Secrets Manager, and an S3 gateway endpoint: enough for Fargate tasks to
	// pull images, ship logs and read secrets.
	EgressEndpoints Egress = "endpoints"
	// EgressNone: private subnets reach nothing outside the VPC.
	EgressNone Egress = "none"
)

// Defaults of a new VPC.
const (
	DefaultCIDR    = "10.0.0.0/16"
	DefaultAZCount = 2
)

// Limits of a new VPC's layout.
const (
	// MinVPCPrefix and MaxVPCPrefix bound the VPC CIDR's prefix length (AWS allows /16
	// to /28; /27 leaves room for two /28 subnet halves).
	MinVPCPrefix = 16
	MaxVPCPrefix = 27
	// MaxSubnetPrefix is the longest subnet prefix AWS allows.
	MaxSubnetPrefix = 28
	// defaultSubnetBits is how much longer than the VPC's the default subnet prefix is
	// (a /16 VPC gets /24 subnets).
	defaultSubnetBits = 8
)

// Config configures a Network. The zero value plus an Environment is a valid new VPC:
// 10.0.0.0/16 over two looked-up availability zones, with one NAT gateway (none in a PR
// environment).
type Config struct {
	// Environment names and tags every resource. Required.
	Environment naming.Environment
	// Component is the instance name that tells this network apart from another one of
	// the same environment in the stack ("edge", "data"): lowercase letters, digits and
	// single hyphens, at most naming.MaxComponentLength. It goes into every physical
	// name and Name tag ("lms-edge-endpoints-stage"). Default: "", today's names
	// ("lms-endpoints-stage"). Changing it renames, so replaces, the named resources.
	Component string

	// CIDR of a new VPC, canonical, prefix /16 to /27. Default: "10.0.0.0/16".
	CIDR string
	// SubnetPrefix is the prefix length of every subnet. Default: the VPC prefix plus 8,
	// at most /28. Public subnets take the first blocks of the VPC range and private
	// subnets the blocks from its middle, so the two halves never overlap.
	SubnetPrefix int
	// AvailabilityZones to spread subnets over, one public and one private subnet each.
	// Default: the first AZCount zones of the aws_availability_zones data source (state
	// "available"), looked up at plan time.
	AvailabilityZones []string
	// AZCount is the number of zones to use. Default: len(AvailabilityZones) when given,
	// otherwise 2. With AvailabilityZones it may not exceed their number.
	AZCount int
	// NAT selects the NAT gateways. Default: the environment profile (naming.Profile.NAT):
	// NATNone in a PR environment (Elastic IP quotas are small and shared), NATSingle
	// otherwise; NATNone with ExistingVPCID.
	NAT NATMode
	// Endpoints adds interface endpoints for ECR API, ECR DKR, CloudWatch Logs and
	// Secrets Manager in the private subnets (private DNS on, with a security group that
	// allows 443 from the VPC CIDR only), and an S3 gateway endpoint on the private route
	// tables. Default: false. With ExistingVPCID it needs ExistingPrivateRouteTableIDs.
	Endpoints bool
	// FlowLogs sends VPC flow logs (all traffic) to a CloudWatch Logs group. Default:
	// false.
	FlowLogs bool
	// FlowLogRetentionDays is the flow log group's retention in days, one of the values
	// CloudWatch Logs accepts; 0 keeps the logs forever. Default (nil): the environment
	// profile's LogRetentionDays (3 for PR environments, 365 for production, 30
	// otherwise). Set it with new(days).
	FlowLogRetentionDays *int
	// KeepDefaultSecurityGroupRules leaves the VPC's default security group as AWS
	// creates it. Default: false, so the default group is adopted with no rules at all
	// and nothing placed in it by accident can talk. Ignored with ExistingVPCID.
	KeepDefaultSecurityGroupRules bool

	// ExistingVPCID adopts an existing VPC ("vpc-..."): no VPC, subnets, gateways, NAT or
	// route tables are defined, and the accessors return the given IDs. Default: "" (a
	// new VPC). It cannot be mixed with CIDR, SubnetPrefix, AvailabilityZones, AZCount,
	// NAT or FlowLogs. The IDs here may be literals, which are checked, or Terraform
	// references (tokens from a data source or another stack), which are passed through.
	ExistingVPCID string
	// PublicSubnetIDs of the existing VPC: none, or at least two (an ALB needs two zones).
	// A single list token (from a data source) counts as an unknown number of subnets.
	PublicSubnetIDs []string
	// PrivateSubnetIDs of the existing VPC: at least two. Required with ExistingVPCID.
	PrivateSubnetIDs []string
	// ExistingPrivateRouteTableIDs are the route tables of the existing private subnets,
	// for the S3 gateway endpoint. Required with Endpoints in an existing VPC.
	ExistingPrivateRouteTableIDs []string
	// ExistingEgress declares the egress the existing private subnets already have.
	// Default: EgressNone (nothing assumed). With Endpoints, Egress reports
	// EgressEndpoints unless this is EgressNAT.
	ExistingEgress Egress
}

// Placement is what a workload (a cache, a service) needs from the network it runs in.
// A *Network is one; Config.Plan gives one before anything is defined, so that a whole
// composition can be validated without jsii (the token accessors of a plan return nil).
type Placement interface {
	// Layout is known before the network is defined: validation uses only this.
	Layout() Layout
	// VPCID, VPCCIDR, PublicSubnetIDs and PrivateSubnetIDs are tokens or IDs, used by New.
	VPCID() *string
	VPCCIDR() *string
	PublicSubnetIDs() *[]*string
	PrivateSubnetIDs() *[]*string
}

// Layout describes a network's subnets and egress, as far as they are known at synth.
type Layout struct {
	// Egress is the way out of the private subnets.
	Egress Egress
	// PublicSubnets and PrivateSubnets count the subnets (one per zone for a new VPC);
	// -1 when a list token stands for an unknown number of existing subnets.
	PublicSubnets, PrivateSubnets int
}

// Layout returns the layout a Network built from c has.
func (c Config) Layout() Layout {
	c = c.withDefaults()
	if !c.Existing() {
		return Layout{Egress: c.egress(), PublicSubnets: c.AZCount, PrivateSubnets: c.AZCount}
	}
	known := func(ids []string) int {
		if n, ok := count(ids); ok {
			return n
		}
		return -1
	}
	return Layout{Egress: c.egress(), PublicSubnets: known(c.PublicSubnetIDs), PrivateSubnets: known(c.PrivateSubnetIDs)}
}

// egress is the egress of a network built from c (with defaults applied).
func (c Config) egress() Egress {
	switch {
	case c.Existing() && c.ExistingEgress == EgressNAT:
		return EgressNAT
	case !c.Existing() && c.NAT != NATNone:
		return EgressNAT
	case c.Endpoints:
		return EgressEndpoints
	case c.Existing():
		return c.ExistingEgress
	}
	return EgressNone
}

// Plan returns the Placement a Network built from c will offer, for validating the
// workloads of a composition before anything is defined. Its token accessors return
// nil: pass a *Network to a construct's New.
func (c Config) Plan() Placement { return planned{c} }

type planned struct{ cfg Config }

// Layout is the layout of the planned network.
func (p planned) Layout() Layout { return p.cfg.Layout() }

// VPCID is nil: the network is not defined yet.
func (p planned) VPCID() *string { return nil }

// VPCCIDR is nil: the network is not defined yet.
func (p planned) VPCCIDR() *string { return nil }

// PublicSubnetIDs is nil: the network is not defined yet.
func (p planned) PublicSubnetIDs() *[]*string { return nil }

// PrivateSubnetIDs is nil: the network is not defined yet.
func (p planned) PrivateSubnetIDs() *[]*string { return nil }

// Existing reports whether c adopts an existing VPC.
func (c Config) Existing() bool { return c.ExistingVPCID != "" }

func (c Config) withDefaults() Config {
	if c.Existing() {
		if c.ExistingEgress == "" {
			c.ExistingEgress = EgressNone
		}
		return c
	}
	if c.CIDR == "" {
		c.CIDR = DefaultCIDR
	}
	if c.AZCount == 0 {
		c.AZCount = DefaultAZCount
		if len(c.AvailabilityZones) > 0 {
			c.AZCount = len(c.AvailabilityZones)
		}
	}
	if c.NAT == "" && !c.Environment.IsZero() {
		c.NAT = NATNone
		if c.Environment.Profile().NAT {
			c.NAT = NATSingle
		}
	}
	if c.SubnetPrefix == 0 {
		if p, err := netip.ParsePrefix(c.CIDR); err == nil {
			c.SubnetPrefix = min(p.Bits()+defaultSubnetBits, MaxSubnetPrefix)
		}
	}
	if c.FlowLogRetentionDays == nil && !c.Environment.IsZero() {
		c.FlowLogRetentionDays = new(c.Environment.Profile().LogRetentionDays)
	}
	return c
}

// Validate returns every problem of c at once (errors.Join), each naming the field and
// the bad value. It needs no jsii and defines nothing.
func (c Config) Validate() error {
	c = c.withDefaults()
	var problems tfx.Problems
	add := problems.Addf
	envSet := problems.RequireEnvironment(c.Environment)
	if id, ok := problems.Identity(c.Environment, c.Component, envSet); ok {
		if _, err := c.names(id); err != nil {
			add("Environment %q, Component %q: %v", c.Environment, c.Component, err)
		}
	}
	if c.Existing() {
		c.validateExisting(add)
	} else {
		c.validateNew(add)
	}
	return problems.Err()
}

// names are the physical names a Network creates.
type names struct {
	endpointSG, flowLogRole, flowLogGroup string
}

func (c Config) names(id naming.Identity) (names, error) {
	var n names
	var errs [3]error
	n.endpointSG, errs[0] = id.Resource(naming.SecurityGroup, "endpoints")
	n.flowLogRole, errs[1] = id.Resource(naming.IAMRole, "vpc-flow-logs")
	n.flowLogGroup, errs[2] = id.Around(naming.LogGroup, "/vpc/", "/flow-logs")
	return n, errors.Join(errs[:]...)
}

func (c Config) validateNew(add func(string, ...any)) {
	for _, f := range []struct {
		name string
		set  bool
	}{
		{"PublicSubnetIDs", len(c.PublicSubnetIDs) > 0},
		{"PrivateSubnetIDs", len(c.PrivateSubnetIDs) > 0},
		{"ExistingPrivateRouteTableIDs", len(c.ExistingPrivateRouteTableIDs) > 0},
		{"ExistingEgress", c.ExistingEgress != ""},
	} {
		if f.set {
			add("%s is only for an existing VPC: set ExistingVPCID too, or leave it empty", f.name)
		}
	}
	switch c.NAT {
	case NATNone, NATSingle, NATPerAZ:
	default:
		add("NAT %q is not a NAT mode (want %q, %q or %q)", c.NAT, NATNone, NATSingle, NATPerAZ)
	}
	if c.FlowLogRetentionDays != nil {
		if err := tfx.LogRetentionError("FlowLogRetentionDays", *c.FlowLogRetentionDays); err != nil {
			add("%v", err)
		}
	}
	for i, az := range c.AvailabilityZones {
		if !tfx.IsAvailabilityZone(az) {
			add("AvailabilityZones[%d] %q is not an availability zone name (like \"ca-central-1a\")", i, az)
		}
	}
	if dup := firstDuplicate(c.AvailabilityZones); dup != "" {
		add("AvailabilityZones lists %q twice", dup)
	}
	switch {
	case c.AZCount < 1 && c.NAT == NATPerAZ:
		add("AZCount %d must be at least 1 (NAT %q needs a zone per gateway)", c.AZCount, c.NAT)
	case c.AZCount < 1:
		add("AZCount %d must be at least 1", c.AZCount)
	case len(c.AvailabilityZones) > 0 && c.AZCount > len(c.AvailabilityZones):
		add("AZCount %d is more than the %d AvailabilityZones given", c.AZCount, len(c.AvailabilityZones))
	}
	vpc, err := netip.ParsePrefix(c.CIDR)
	switch {
	case err != nil || !vpc.Addr().Is4():
		add("CIDR %q is not an IPv4 CIDR block", c.CIDR)
		return
	case vpc.Masked() != vpc:
		add("CIDR %q is not canonical (did you mean %q?)", c.CIDR, vpc.Masked().String())
		return
	case vpc.Bits() < MinVPCPrefix || vpc.Bits() > MaxVPCPrefix:
		add("CIDR %q: a VPC prefix must be /%d to /%d (subnets need room down to /%d)", c.CIDR, MinVPCPrefix, MaxVPCPrefix, MaxSubnetPrefix)
		return
	}
	if c.SubnetPrefix < vpc.Bits()+1 || c.SubnetPrefix > MaxSubnetPrefix {
		add("SubnetPrefix %d must be between /%d (VPC prefix + 1) and /%d", c.SubnetPrefix, vpc.Bits()+1, MaxSubnetPrefix)
		return
	}
	if half := 1 << (c.SubnetPrefix - vpc.Bits() - 1); c.AZCount >= 1 && c.AZCount > half {
		add("CIDR %q with SubnetPrefix /%d fits %d subnets per tier, fewer than AZCount %d", c.CIDR, c.SubnetPrefix, half, c.AZCount)
	}
}

func (c Config) validateExisting(add func(string, ...any)) {
	if !tfx.IsToken(c.ExistingVPCID) && !tfx.IsVPCID(c.ExistingVPCID) {
		add("ExistingVPCID %q is not a VPC ID (vpc- and 8 or 17 hex digits) or a Terraform reference", c.ExistingVPCID)
	}
	for _, f := range []struct {
		name string
		set  bool
	}{
		{"CIDR", c.CIDR != ""}, {"SubnetPrefix", c.SubnetPrefix != 0},
		{"AvailabilityZones", len(c.AvailabilityZones) > 0}, {"AZCount", c.AZCount != 0},
		{"NAT", c.NAT != ""}, {"FlowLogs", c.FlowLogs}, {"FlowLogRetentionDays", c.FlowLogRetentionDays != nil},
		{"KeepDefaultSecurityGroupRules", c.KeepDefaultSecurityGroupRules},
	} {
		if f.set {
			add("%s configures a new VPC and cannot be used with ExistingVPCID %q", f.name, c.ExistingVPCID)
		}
	}
	if n, known := count(c.PrivateSubnetIDs); known && n < 2 {
		add("PrivateSubnetIDs has %d subnet(s); an existing VPC needs at least 2 private subnets (in different zones) for the ALB and ECS path", n)
	}
	if n, known := count(c.PublicSubnetIDs); known && n == 1 {
		add("PublicSubnetIDs has 1 subnet; give none or at least 2 (an ALB needs two zones)")
	}
	checkIDs := func(field string, ids []string, valid func(string) bool, what string) {
		for i, id := range ids {
			if !tfx.IsToken(id) && !valid(id) {
				add("%s[%d] %q is not a %s ID or a Terraform reference", field, i, id, what)
			}
		}
		if dup := firstDuplicate(ids); dup != "" {
			add("%s lists %q twice", field, dup)
		}
	}
	checkIDs("PublicSubnetIDs", c.PublicSubnetIDs, tfx.IsSubnetID, "subnet")
	checkIDs("PrivateSubnetIDs", c.PrivateSubnetIDs, tfx.IsSubnetID, "subnet")
	checkIDs("ExistingPrivateRouteTableIDs", c.ExistingPrivateRouteTableIDs, tfx.IsRouteTableID, "route table")
	for _, id := range c.PublicSubnetIDs {
		for _, p := range c.PrivateSubnetIDs {
			if id == p {
				add("subnet %q is in both PublicSubnetIDs and PrivateSubnetIDs", id)
			}
		}
	}
	if c.Endpoints && len(c.ExistingPrivateRouteTableIDs) == 0 {
		add("Endpoints in an existing VPC needs ExistingPrivateRouteTableIDs for the S3 gateway endpoint")
	}
	switch c.ExistingEgress {
	case EgressNAT, EgressEndpoints, EgressNone:
	default:
		add("ExistingEgress %q is not an egress kind (want %q, %q or %q)", c.ExistingEgress, EgressNAT, EgressEndpoints, EgressNone)
	}
}

// count returns the number of IDs, and false when a list token (from a data source)
// stands for an unknown number of them.
func count(ids []string) (int, bool) {
	for _, id := range ids {
		if tfx.IsListToken(id) {
			return 0, false
		}
	}
	return len(ids), true
}

func firstDuplicate(xs []string) string {
	seen := map[string]bool{}
	for _, x := range xs {
		if seen[x] {
			return x
		}
		seen[x] = true
	}
	return ""
}

// SubnetCIDRs returns the public and private subnet CIDR blocks of a new VPC as New lays
// them out: public subnet i is block i of size /SubnetPrefix, private subnet i is block
// half+i, where half is the number of blocks in half of the VPC range.
func (c Config) SubnetCIDRs() (public, private []string, err error) {
	if err := c.Validate(); err != nil {
		return nil, nil, err
	}
	c = c.withDefaults()
	if c.Existing() {
		return nil, nil, errors.New("SubnetCIDRs: an existing VPC has no computed subnets")
	}
	vpc := netip.MustParsePrefix(c.CIDR)
	half := 1 << (c.SubnetPrefix - vpc.Bits() - 1)
	for i := 0; i < c.AZCount; i++ {
		public = append(public, nthSubnet(vpc, c.SubnetPrefix, i).String())
		private = append(private, nthSubnet(vpc, c.SubnetPrefix, half+i).String())
	}
	return public, private, nil
}

// nthSubnet returns block n of size /bits inside vpc.
func nthSubnet(vpc netip.Prefix, bits, n int) netip.Prefix {
	a := vpc.Addr().As4()
	base := uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3])
	base += uint32(n) << (32 - bits)
	return netip.PrefixFrom(netip.AddrFrom4([4]byte{byte(base >> 24), byte(base >> 16), byte(base >> 8), byte(base)}), bits)
}
