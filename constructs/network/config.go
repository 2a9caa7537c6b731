package network

import (
	"errors"
	"net/netip"
	"regexp"

	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/internal/tfx"
)

// NATMode says which NAT gateways private subnets get.
type NATMode string

// NAT modes. The zero value means NATSingle for a new VPC and NATNone for an existing one.
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

// Config configures a Network. The zero value plus an Environment is a valid new VPC:
// 10.0.0.0/16 over two looked-up availability zones with one NAT gateway.
type Config struct {
	// Environment names and tags every resource. Required.
	Environment naming.Environment

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
	// NAT selects the NAT gateways. Default: NATSingle (NATNone with ExistingVPCID).
	NAT NATMode
	// Endpoints adds interface endpoints for ECR API, ECR DKR, CloudWatch Logs and
	// Secrets Manager in the private subnets (private DNS on, with a security group that
	// allows 443 from the VPC CIDR only), and an S3 gateway endpoint on the private route
	// tables. Default: false. With ExistingVPCID it needs ExistingPrivateRouteTableIDs.
	Endpoints bool
	// FlowLogs sends VPC flow logs (all traffic) to a CloudWatch Logs group. Default:
	// false.
	FlowLogs bool
	// FlowLogRetentionDays is the flow log group's retention. Default: the environment
	// profile's LogRetentionDays.
	FlowLogRetentionDays int
	// KeepDefaultSecurityGroupRules leaves the VPC's default security group as AWS
	// creates it. Default: false, so the default group is adopted with no rules at all
	// and nothing placed in it by accident can talk. Ignored with ExistingVPCID.
	KeepDefaultSecurityGroupRules bool

	// ExistingVPCID adopts an existing VPC ("vpc-..."): no VPC, subnets, gateways, NAT or
	// route tables are defined, and the accessors return the given IDs. Default: "" (a
	// new VPC). It cannot be mixed with CIDR, SubnetPrefix, AvailabilityZones, AZCount,
	// NAT or FlowLogs.
	ExistingVPCID string
	// PublicSubnetIDs of the existing VPC: none, or at least two (an ALB needs two zones).
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
	if c.NAT == "" {
		c.NAT = NATSingle
	}
	if c.SubnetPrefix == 0 {
		if p, err := netip.ParsePrefix(c.CIDR); err == nil {
			c.SubnetPrefix = min(p.Bits()+8, 28)
		}
	}
	if c.FlowLogRetentionDays == 0 && !c.Environment.IsZero() {
		c.FlowLogRetentionDays = c.Environment.Profile().LogRetentionDays
	}
	return c
}

var (
	vpcIDPattern        = regexp.MustCompile(`^vpc-[0-9a-f]{8}([0-9a-f]{9})?$`)
	subnetIDPattern     = regexp.MustCompile(`^subnet-[0-9a-f]{8}([0-9a-f]{9})?$`)
	routeTableIDPattern = regexp.MustCompile(`^rtb-[0-9a-f]{8}([0-9a-f]{9})?$`)
	azPattern           = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9][a-z]$`)
)

// Validate returns every problem of c at once (errors.Join), each naming the field and
// the bad value. It needs no jsii and defines nothing.
func (c Config) Validate() error {
	c = c.withDefaults()
	var problems tfx.Problems
	add := problems.Addf
	envSet := problems.RequireEnvironment(c.Environment)
	if c.Existing() {
		c.validateExisting(add)
	} else {
		c.validateNew(add)
	}
	if envSet {
		if _, err := c.names(); err != nil {
			add("Environment %q: %v", c.Environment, err)
		}
	}
	return problems.Err()
}

// names are the physical names a Network creates.
type names struct {
	endpointSG, flowLogRole, flowLogGroup string
}

func (c Config) names() (names, error) {
	env := c.Environment
	var n names
	var errs [3]error
	n.endpointSG, errs[0] = env.Resource(naming.SecurityGroup, "endpoints")
	n.flowLogRole, errs[1] = env.Resource(naming.IAMRole, "vpc-flow-logs")
	n.flowLogGroup, errs[2] = naming.Fit(naming.LogGroup, "/vpc/"+env.Prefix()+"/flow-logs")
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
	if c.FlowLogRetentionDays < 0 {
		add("FlowLogRetentionDays %d must not be negative", c.FlowLogRetentionDays)
	}
	for i, az := range c.AvailabilityZones {
		if !azPattern.MatchString(az) {
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
	case vpc.Bits() < 16 || vpc.Bits() > 27:
		add("CIDR %q: a VPC prefix must be /16 to /27 (subnets need room down to /28)", c.CIDR)
		return
	}
	if c.SubnetPrefix < vpc.Bits()+1 || c.SubnetPrefix > 28 {
		add("SubnetPrefix %d must be between /%d (VPC prefix + 1) and /28", c.SubnetPrefix, vpc.Bits()+1)
		return
	}
	if half := 1 << (c.SubnetPrefix - vpc.Bits() - 1); c.AZCount >= 1 && c.AZCount > half {
		add("CIDR %q with SubnetPrefix /%d fits %d subnets per tier, fewer than AZCount %d", c.CIDR, c.SubnetPrefix, half, c.AZCount)
	}
}

func (c Config) validateExisting(add func(string, ...any)) {
	if !vpcIDPattern.MatchString(c.ExistingVPCID) {
		add("ExistingVPCID %q is not a VPC ID (vpc- and 8 or 17 hex digits)", c.ExistingVPCID)
	}
	for _, f := range []struct {
		name string
		set  bool
	}{
		{"CIDR", c.CIDR != ""}, {"SubnetPrefix", c.SubnetPrefix != 0},
		{"AvailabilityZones", len(c.AvailabilityZones) > 0}, {"AZCount", c.AZCount != 0},
		{"NAT", c.NAT != ""}, {"FlowLogs", c.FlowLogs}, {"FlowLogRetentionDays", c.FlowLogRetentionDays != 0},
		{"KeepDefaultSecurityGroupRules", c.KeepDefaultSecurityGroupRules},
	} {
		if f.set {
			add("%s configures a new VPC and cannot be used with ExistingVPCID %q", f.name, c.ExistingVPCID)
		}
	}
	if n := len(c.PrivateSubnetIDs); n < 2 {
		add("PrivateSubnetIDs has %d subnet(s); an existing VPC needs at least 2 private subnets (in different zones) for the ALB and ECS path", n)
	}
	if n := len(c.PublicSubnetIDs); n == 1 {
		add("PublicSubnetIDs has 1 subnet; give none or at least 2 (an ALB needs two zones)")
	}
	checkIDs := func(field string, ids []string, p *regexp.Regexp, what string) {
		for i, id := range ids {
			if !p.MatchString(id) {
				add("%s[%d] %q is not a %s ID", field, i, id, what)
			}
		}
		if dup := firstDuplicate(ids); dup != "" {
			add("%s lists %q twice", field, dup)
		}
	}
	checkIDs("PublicSubnetIDs", c.PublicSubnetIDs, subnetIDPattern, "subnet")
	checkIDs("PrivateSubnetIDs", c.PrivateSubnetIDs, subnetIDPattern, "subnet")
	checkIDs("ExistingPrivateRouteTableIDs", c.ExistingPrivateRouteTableIDs, routeTableIDPattern, "route table")
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
