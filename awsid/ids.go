package awsid

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/tapstack/infra/internal/text"
)

// IDKind is a kind of EC2 resource ID: a prefix, "-" and 8 or 17 hex digits. The zero
// value is not a kind.
type IDKind int

// The kinds of resource ID.
const (
	VPCID           IDKind = iota + 1 // vpc-0a1b2c3d
	SubnetID                          // subnet-0a1b2c3d
	SecurityGroupID                   // sg-0a1b2c3d
	RouteTableID                      // rtb-0a1b2c3d
	PrefixListID                      // pl-0a1b2c3d
)

type idRule struct{ prefix, what string }

var idRules = map[IDKind]idRule{
	VPCID:           {"vpc", "a VPC ID"},
	SubnetID:        {"subnet", "a subnet ID"},
	SecurityGroupID: {"sg", "a security group ID"},
	RouteTableID:    {"rtb", "a route table ID"},
	PrefixListID:    {"pl", "a prefix list ID"},
}

var hexID = regexp.MustCompile(`^[0-9a-f]{8}([0-9a-f]{9})?$`)

func (k IDKind) rule() idRule {
	r, ok := idRules[k]
	if !ok {
		panic(fmt.Sprintf("awsid: unknown ID kind %d", int(k)))
	}
	return r
}

// String says what the kind is ("a VPC ID").
func (k IDKind) String() string {
	if r, ok := idRules[k]; ok {
		return r.what
	}
	return fmt.Sprintf("IDKind(%d)", int(k))
}

// Prefix is the kind's prefix, without the "-" ("vpc").
func (k IDKind) Prefix() string { return k.rule().prefix }

// Check reports whether s is an ID of kind k.
func (k IDKind) Check(s string) error {
	r := k.rule()
	if rest, ok := strings.CutPrefix(s, r.prefix+"-"); ok && hexID.MatchString(rest) {
		return nil
	}
	return fmt.Errorf("%s is not %s (%s- and 8 or 17 hex digits)", text.Quote(s), r.what, r.prefix)
}

var azName = regexp.MustCompile(`^([a-z]{2}(-[a-z]+)+-[0-9])([a-z])$`)

// CheckAvailabilityZone reports whether s is an availability zone name ("ca-central-1a")
// and, when region is not "", a zone of that region.
func CheckAvailabilityZone(s, region string) error {
	m := azName.FindStringSubmatch(s)
	switch {
	case m == nil:
		return fmt.Errorf("%s is not an availability zone name (like \"ca-central-1a\")", text.Quote(s))
	case Partition(m[1]) == "":
		return fmt.Errorf("%s is not an availability zone of a region the provider knows", text.Quote(s))
	case region != "" && m[1] != region:
		return fmt.Errorf("%s is a zone of region %s, not of the stack's region %s", text.Quote(s), m[1], region)
	}
	return nil
}
