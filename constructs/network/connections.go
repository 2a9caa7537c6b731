package network

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcsecuritygroupegressrule"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcsecuritygroupingressrule"

	"github.com/tapstack/infra/awsid"
	"github.com/tapstack/infra/internal/token"
)

// Port is a TCP port range, From to To inclusive.
type Port struct{ From, To int }

// TCP is one TCP port.
func TCP(port int) Port { return Port{From: port, To: port} }

// TCPRange is the TCP ports from to to, inclusive.
func TCPRange(from, to int) Port { return Port{From: from, To: to} }

// String is "443" or "8000-8100".
func (p Port) String() string {
	if p.From == p.To {
		return strconv.Itoa(p.From)
	}
	return strconv.Itoa(p.From) + "-" + strconv.Itoa(p.To)
}

func (p Port) check() error {
	if p.From < 1 || p.To > 65535 || p.From > p.To {
		return fmt.Errorf("port %s is not a TCP port range within 1-65535", p)
	}
	return nil
}

// Peer is what a rule admits or reaches: another construct's Connections (both sides of
// the rule are written), an IPv4 CIDR block (CIDR) or a managed prefix list
// (PrefixList).
type Peer interface {
	// PeerLabel names the peer in rule descriptions and construct IDs.
	PeerLabel() string
}

// CIDR is an IPv4 CIDR block as a Peer ("10.20.0.0/16"); a cdktf token is passed
// through.
type CIDR string

// PeerLabel is the block.
func (c CIDR) PeerLabel() string { return string(c) }

// PrefixList is a managed prefix list as a Peer ("pl-0a1b2c3d"); a cdktf token is
// passed through.
type PrefixList string

// PeerLabel is the list's ID.
func (p PrefixList) PeerLabel() string { return string(p) }

// RuleOption tunes one AllowFrom or AllowTo.
type RuleOption func(*ruleOptions)

type ruleOptions struct{ ingressID, egressID, ingressDescription, egressDescription string }

// RuleIDs gives the rule resources fixed construct IDs: the ingress rule under the
// receiving group's owner, the egress rule under the sending group's owner ("" keeps
// the default, or what an earlier option set). Use it to keep the address of a rule
// that existed before.
func RuleIDs(ingress, egress string) RuleOption {
	return func(o *ruleOptions) {
		if ingress != "" {
			o.ingressID = ingress
		}
		if egress != "" {
			o.egressID = egress
		}
	}
}

// Descriptions sets the descriptions of the ingress and the egress rule ("" keeps the
// default, "From <peer>" and "To <peer>", or what an earlier option set).
func Descriptions(ingress, egress string) RuleOption {
	return func(o *ruleOptions) {
		if ingress != "" {
			o.ingressDescription = ingress
		}
		if egress != "" {
			o.egressDescription = egress
		}
	}
}

// Connections is a security group and the traffic it allows, the CDK way: AllowFrom
// and AllowTo write both sides of a rule when the peer is another construct's
// Connections (the ingress on the receiving group, the egress on the sending group),
// each under the construct that owns its group. A rule written once is not written
// again. The groups of the library's constructs are Connections (Cache, Service tasks,
// LoadBalancer); FromSecurityGroupID adopts a group defined
// elsewhere, on which no rule is written (its owner opens it).
type Connections struct {
	owner   constructs.Construct
	groupID *string
	label   string
	mutable bool
	written map[string]bool
}

// NewConnections returns the Connections of the security group groupID, whose rules are
// defined under owner (the construct that defines the group); label names the group in
// rule IDs and descriptions ("Web tasks").
func NewConnections(owner constructs.Construct, groupID *string, label string) *Connections {
	return &Connections{owner: owner, groupID: groupID, label: label, mutable: true, written: map[string]bool{}}
}

// FromSecurityGroupID returns the Connections of a security group defined elsewhere
// (another stack, the shared platform): rules with it write only the side of our own
// group, since its owner decides what it sends and admits. groupID must be a security
// group ID or a cdktf token; it panics otherwise.
func FromSecurityGroupID(groupID, label string) *Connections {
	if !token.Is(groupID) {
		if err := awsid.SecurityGroupID.Check(groupID); err != nil {
			panic(fmt.Sprintf("network.FromSecurityGroupID: %v", err))
		}
	}
	return &Connections{groupID: jsii.String(groupID), label: label, written: map[string]bool{}}
}

// SecurityGroupID returns the group's ID (a token for a group of this stack).
func (c *Connections) SecurityGroupID() *string { return c.groupID }

// PeerLabel names the group in rule IDs and descriptions.
func (c *Connections) PeerLabel() string { return c.label }

// AllowFrom admits peer on port into the group: an ingress rule on this group and, when
// peer is another (mutable) Connections, the egress rule on the peer's group. It panics
// on a bad port, CIDR or prefix list.
func (c *Connections) AllowFrom(peer Peer, port Port, opts ...RuleOption) {
	o := options(opts)
	if other, ok := peer.(*Connections); ok {
		other.egress(c, port, o.egressID, o.egressDescription)
	}
	c.ingress(peer, port, o.ingressID, o.ingressDescription)
}

// AllowTo lets the group reach peer on port: an egress rule on this group and, when
// peer is another (mutable) Connections, the ingress rule on the peer's group.
func (c *Connections) AllowTo(peer Peer, port Port, opts ...RuleOption) {
	o := options(opts)
	if other, ok := peer.(*Connections); ok {
		other.AllowFrom(c, port, opts...)
		return
	}
	c.egress(peer, port, o.egressID, o.egressDescription)
}

func options(opts []RuleOption) ruleOptions {
	var o ruleOptions
	for _, f := range opts {
		f(&o)
	}
	return o
}

// ruleID is the default construct ID of a rule of c, under c's owner: the group's
// label, the direction, the peer's label and the port, the words of the labels
// capitalized ("ApiTasksFromWebTasks8080"), so that the rules of two groups of one owner
// never share an ID. A peer whose label is a token needs RuleIDs: a token's text
// differs from read to read.
func ruleID(c *Connections, direction string, peer Peer, port Port) string {
	var b strings.Builder
	words := func(label string) {
		for _, word := range strings.FieldsFunc(label, func(r rune) bool {
			return (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') && (r < '0' || r > '9')
		}) {
			b.WriteString(strings.ToUpper(word[:1]) + word[1:])
		}
	}
	words(c.label)
	b.WriteString(direction)
	words(peer.PeerLabel())
	b.WriteString(strings.ReplaceAll(port.String(), "-", "To"))
	return b.String()
}

func (c *Connections) ingress(peer Peer, port Port, id, description string) {
	c.rule(true, peer, port, id, description)
}

func (c *Connections) egress(peer Peer, port Port, id, description string) {
	c.rule(false, peer, port, id, description)
}

// rule writes one side of a rule on c's group, once: the ingress from peer (in) or the
// egress to it.
func (c *Connections) rule(in bool, peer Peer, port Port, id, description string) {
	if !c.mutable {
		return
	}
	method, direction, key := "AllowTo", "To", "out"
	if in {
		method, direction, key = "AllowFrom", "From", "in"
	}
	key += "\x00" + peerKey(peer) + "\x00" + port.String()
	if c.written[key] {
		return
	}
	if err := port.check(); err != nil {
		panic(fmt.Sprintf("%s: %s %s: %v", c.label, method, peer.PeerLabel(), err))
	}
	if id == "" {
		id = ruleID(c, direction, peer, port)
	}
	if description == "" {
		description = direction + " " + peer.PeerLabel()
	}
	// The ingress and egress rule configs have the same fields but are two types.
	var group, cidr, prefixList *string
	switch p := peer.(type) {
	case *Connections:
		group = p.groupID
	case CIDR:
		cidr = jsii.String(mustCIDR(c.label, string(p)))
	case PrefixList:
		prefixList = jsii.String(mustPrefixList(c.label, string(p)))
	default:
		panic(fmt.Sprintf("%s: %s: unknown peer %T", c.label, method, peer))
	}
	mustBeFree(c.owner, id, peer)
	c.written[key] = true
	from, to := jsii.Number(float64(port.From)), jsii.Number(float64(port.To))
	if in {
		vpcsecuritygroupingressrule.NewVpcSecurityGroupIngressRule(c.owner, jsii.String(id), &vpcsecuritygroupingressrule.VpcSecurityGroupIngressRuleConfig{
			SecurityGroupId: c.groupID, IpProtocol: jsii.String("tcp"), FromPort: from, ToPort: to, Description: jsii.String(description),
			ReferencedSecurityGroupId: group, CidrIpv4: cidr, PrefixListId: prefixList,
		})
		return
	}
	vpcsecuritygroupegressrule.NewVpcSecurityGroupEgressRule(c.owner, jsii.String(id), &vpcsecuritygroupegressrule.VpcSecurityGroupEgressRuleConfig{
		SecurityGroupId: c.groupID, IpProtocol: jsii.String("tcp"), FromPort: from, ToPort: to, Description: jsii.String(description),
		ReferencedSecurityGroupId: group, CidrIpv4: cidr, PrefixListId: prefixList,
	})
}

func mustCIDR(label, s string) string {
	if token.Is(s) {
		return s
	}
	p, err := netip.ParsePrefix(s)
	if err != nil || !p.Addr().Is4() || p.Masked() != p {
		panic(fmt.Sprintf("%s: %q is not a canonical IPv4 CIDR block", label, s))
	}
	return s
}

func mustPrefixList(label, s string) string {
	if token.Is(s) {
		return s
	}
	if err := awsid.PrefixListID.Check(s); err != nil {
		panic(fmt.Sprintf("%s: %v", label, err))
	}
	return s
}

// peerKey tells peers apart for "a rule written once is not written again": a group by
// its ID when it is literal, by its Connections otherwise (a construct's Connections is
// one value; each FromSecurityGroupID of a token is a peer of its own); a CIDR or a
// prefix list by its value. Never by label: two groups may share one.
func peerKey(peer Peer) string {
	switch p := peer.(type) {
	case *Connections:
		if !token.Is(*p.groupID) {
			return "group " + *p.groupID
		}
		return fmt.Sprintf("connections %p", p)
	case CIDR:
		return "cidr " + string(p)
	case PrefixList:
		return "prefix list " + string(p)
	}
	return fmt.Sprintf("%T %v", peer, peer)
}

// mustBeFree panics when owner already has a construct id: two peers whose labels give
// one default rule ID (two groups adopted under one label).
func mustBeFree(owner constructs.Construct, id string, peer Peer) {
	if owner.Node().TryFindChild(jsii.String(id)) != nil {
		panic(fmt.Sprintf("network.Connections: the rule %s/%s exists for another peer labeled %q: give the peers labels of their own (FromSecurityGroupID's label) or the rules their own IDs (RuleIDs)",
			*owner.Node().Path(), id, peer.PeerLabel()))
	}
}
