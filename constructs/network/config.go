package network

import (
	"errors"
	"net/netip"
	"slices"
	"strconv"

	"github.com/tapstack/infra/awsid"
	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/field"
	"github.com/tapstack/infra/internal/check"
)

// NATMode says which NAT gateways private subnets get.
type NATMode string

// NAT modes. The zero value means the environment profile's choice (NATNone for a PR
// environment, NATSingle otherwise).
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

// Config configures a new VPC (New). An existing VPC is adopted with FromAttributes.
// The zero value plus an Environment is valid: 10.0.0.0/16 over two looked-up
// availability zones, with one NAT gateway (none in a PR environment).
type Config struct {
	// Environment names and tags every resource. Required.
	Environment naming.Environment
	// Component is the instance name that tells this network apart from another one of
	// the same environment in the stack ("edge", "data"): lowercase letters, digits and
	// single hyphens, at most naming.MaxComponentLength. It goes into every physical
	// name and Name tag ("lms-edge-endpoints-stage"). Default: "", the names without it
	// ("lms-endpoints-stage"). Changing it renames, so replaces, the named resources.
	Component string

	// CIDR of the VPC, canonical, prefix /16 to /27. Default: "10.0.0.0/16".
	CIDR string
	// SubnetPrefix is the prefix length of every subnet. Default: the VPC prefix plus 8,
	// at most /28. Public subnets take the first blocks of the VPC range and private
	// subnets the blocks from its middle, so the two halves never overlap.
	SubnetPrefix int
	// AvailabilityZones to spread subnets over, one public and one private subnet each,
	// zones of the stack's region. Default: the first AZCount zones of the
	// aws_availability_zones data source (state "available"), looked up at plan time.
	AvailabilityZones []string
	// AZCount is the number of zones to use, at least 1. Default (0): len(AvailabilityZones)
	// when given, otherwise 2. With AvailabilityZones it may not exceed their number.
	AZCount int
	// NAT selects the NAT gateways. Default: the environment profile (naming.Profile.NAT):
	// NATNone in a PR environment (Elastic IP quotas are small and shared), NATSingle
	// otherwise.
	NAT NATMode
	// Endpoints adds interface endpoints for ECR API, ECR DKR, CloudWatch Logs and
	// Secrets Manager in the private subnets (private DNS on, with a security group that
	// allows 443 from the VPC CIDR only), and an S3 gateway endpoint on the private route
	// tables. Default: false.
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
	// and nothing placed in it by accident can talk.
	KeepDefaultSecurityGroupRules bool
}

// Layout describes a network's subnets and egress, as far as they are known at synth:
// what a workload (a cache, a service) checks its placement against, as a plain value.
type Layout struct {
	// Egress is the way out of the private subnets.
	Egress Egress
	// PublicSubnets and PrivateSubnets count the subnets (one per zone for a new VPC);
	// -1 when a token stands for an unknown number of existing subnets.
	PublicSubnets, PrivateSubnets int
	// Place is where the network's stack deploys (unknown before the network is
	// defined): workloads in another region cannot use it.
	Place awsid.Place
}

// Layout returns the layout a Network built from c has (its Place unknown).
func (c Config) Layout() Layout {
	c = c.withDefaults()
	return Layout{Egress: c.egress(), PublicSubnets: c.AZCount, PrivateSubnets: c.AZCount}
}

// egress is the egress of a network built from c (with defaults applied).
func (c Config) egress() Egress {
	switch {
	case c.NAT != NATNone:
		return EgressNAT
	case c.Endpoints:
		return EgressEndpoints
	}
	return EgressNone
}

func (c Config) withDefaults() Config {
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

// Validate returns every problem of c at once (field.Error values, joined), each naming
// the field and the bad value. It needs no jsii and defines nothing.
func (c Config) Validate() error { return c.ValidateIn(awsid.Place{}) }

// ValidateIn is Validate for a stack deployed at p: AvailabilityZones must be zones of
// its region. New calls it with its stack's place.
func (c Config) ValidateIn(p awsid.Place) error {
	c = c.withDefaults()
	var l field.List
	validateNames(&l, c.Environment, c.Component, c.Endpoints, c.FlowLogs)
	checkEndpointsIn(&l, c.Endpoints, p)
	switch c.NAT {
	case NATNone, NATSingle, NATPerAZ:
	case "": // the default follows the environment, which is missing: said above
	default:
		l.Addf("NAT", string(c.NAT), "is not a NAT mode (want %q, %q or %q)", NATNone, NATSingle, NATPerAZ)
	}
	check.LogRetention(&l, "FlowLogRetentionDays", c.FlowLogRetentionDays)
	for i, az := range c.AvailabilityZones {
		l.Check(field.Index("AvailabilityZones", i), az, awsid.CheckAvailabilityZone(az, p.Region))
	}
	if dup := firstDuplicate(c.AvailabilityZones); dup != "" {
		l.Add("AvailabilityZones", dup, "is listed twice")
	}
	n := strconv.Itoa(c.AZCount)
	switch {
	case c.AZCount < 1:
		l.Add("AZCount", n, "must be at least 1")
	case len(c.AvailabilityZones) > 0 && c.AZCount > len(c.AvailabilityZones):
		l.Addf("AZCount", n, "is more than the %d AvailabilityZones given", len(c.AvailabilityZones))
	}
	vpc, err := netip.ParsePrefix(c.CIDR)
	switch {
	case err != nil || !vpc.Addr().Is4():
		l.Add("CIDR", c.CIDR, "is not an IPv4 CIDR block")
		return l.Err()
	case vpc.Masked() != vpc:
		l.Addf("CIDR", c.CIDR, "is not canonical (did you mean %q?)", vpc.Masked().String())
		return l.Err()
	case vpc.Bits() < MinVPCPrefix || vpc.Bits() > MaxVPCPrefix:
		l.Addf("CIDR", c.CIDR, "has a prefix out of range: a VPC prefix must be /%d to /%d (subnets need room down to /%d)", MinVPCPrefix, MaxVPCPrefix, MaxSubnetPrefix)
		return l.Err()
	}
	if c.SubnetPrefix < vpc.Bits()+1 || c.SubnetPrefix > MaxSubnetPrefix {
		l.Addf("SubnetPrefix", strconv.Itoa(c.SubnetPrefix), "must be between /%d (VPC prefix + 1) and /%d", vpc.Bits()+1, MaxSubnetPrefix)
		return l.Err()
	}
	if half := 1 << (c.SubnetPrefix - vpc.Bits() - 1); c.AZCount >= 1 && c.AZCount > half {
		l.Addf("AZCount", n, "is more than the %d subnets per tier that CIDR %q with SubnetPrefix /%d fits", half, c.CIDR, c.SubnetPrefix)
	}
	return l.Err()
}

// names are the physical names a Network creates.
type names struct {
	endpointSG, flowLogRole, flowLogGroup string
}

func namesOf(id naming.Identity, flowLogs bool) (names, error) {
	var n names
	var errs [3]error
	n.endpointSG, errs[0] = id.Resource(naming.SecurityGroup, "endpoints")
	if flowLogs { // the role's name carries the region, which only flow logs need
		n.flowLogRole, errs[1] = id.Resource(naming.IAMRole, "vpc-flow-logs")
		n.flowLogGroup, errs[2] = id.Around(naming.LogGroup, "/vpc/", "/flow-logs")
	}
	return n, errors.Join(errs[:]...)
}

// validateNames checks the environment and component, and the names they give.
func validateNames(l *field.List, env naming.Environment, component string, endpoints, flowLogs bool) {
	id, ok := check.Identity(l, env, component)
	if !ok || (!endpoints && !flowLogs) {
		return
	}
	if _, err := namesOf(id, flowLogs); err != nil {
		l.Check("Component", component, err)
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

// endpointPartitions are the partitions whose VPC endpoint service names have the shape
// "com.amazonaws.<region>.<service>" that the endpoints are defined with; elsewhere
// (aws-cn, the isolated partitions) the names differ by service.
var endpointPartitions = []string{"aws", "aws-us-gov"}

// checkEndpointsIn refuses Endpoints in a partition whose endpoint service names the
// library does not know, rather than define endpoints AWS would refuse.
func checkEndpointsIn(l *field.List, endpoints bool, p awsid.Place) {
	if endpoints && p.Partition != "" && !slices.Contains(endpointPartitions, p.Partition) {
		l.Add("Endpoints", "", "is not available in partition "+p.Partition+" (the stack's region "+p.Region+
			"): its VPC endpoint service names differ by service; define the endpoints yourself (aws_vpc_endpoint) and declare the way out with Attributes.Egress, or use NAT")
	}
}
