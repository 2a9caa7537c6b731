package loadbalancer

import (
	"fmt"
	"regexp"
	"strconv"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawslb"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawslblistener"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/lb"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/lblistener"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/securitygroup"

	"github.com/tapstack/infra/awsid"
	"github.com/tapstack/infra/constructs/identity"
	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/constructs/network"
	"github.com/tapstack/infra/field"
	"github.com/tapstack/infra/internal/check"
	"github.com/tapstack/infra/internal/jsiix"
	"github.com/tapstack/infra/internal/token"
)

// Defaults.
const (
	// DefaultSSLPolicy is the HTTPS listener's security policy: TLS 1.3 and 1.2.
	DefaultSSLPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06"
	// DefaultNotFoundBody is the body of the fixed 404 that a listener answers for a
	// request no rule forwards.
	DefaultNotFoundBody = "Not found.\n"
)

// MaxNotFoundBodyLength is the longest fixed-response body a listener takes.
const MaxNotFoundBodyLength = 1024

// Config configures a load balancer.
type Config struct {
	// Environment names, tags and profiles the load balancer. Required.
	Environment naming.Environment
	// Component tells this load balancer apart from another one of the environment in
	// the stack: it goes into its names ("lms-<component>-alb-<env>"). Default: "".
	// Changing it renames, so replaces, the load balancer (a new DNS name).
	Component string
	// Network holds the load balancer: its public subnets (internet-facing; at least
	// two, in two zones) or its private subnets (internal). Required.
	Network *network.Network
	// Internal makes the load balancer internal: in the private subnets, reachable only
	// from inside the VPC (it admits the VPC's CIDR on its ports). Default: false,
	// internet-facing. Changing it replaces the load balancer.
	Internal bool
	// CertificateARN of an ACM certificate in the stack's account and region adds an
	// HTTPS listener and turns the HTTP listener into a redirect to HTTPS. Default: "",
	// HTTP only.
	CertificateARN string
	// SSLPolicy of the HTTPS listener. Default: DefaultSSLPolicy.
	SSLPolicy string
	// DefaultTargetGroupARN is the target group the listener forwards requests to that
	// no rule takes (a token). Default: "", a fixed 404 with NotFoundBody.
	DefaultTargetGroupARN string
	// NotFoundBody is the body of the fixed 404, literal text of at most
	// MaxNotFoundBodyLength characters. Default: DefaultNotFoundBody.
	NotFoundBody string
	// TargetPorts opens the load balancer's egress to the whole VPC's CIDR on these
	// ports, for targets that cannot add a rule to its group (services of other stacks,
	// as on the shared platform). Default: none; targets attached in the same app write
	// their own rules.
	TargetPorts network.Port
	// AccessLogsBucket turns on access logs into this S3 bucket, under the prefix
	// "<project>-<env>[/<component>]"; the bucket policy must allow ELB log delivery.
	// Default: "", no access logs.
	AccessLogsBucket string
	// DeletionProtection guards the load balancer against deletion. Default (nil): the
	// environment profile (off for PR environments, on otherwise). Set it with
	// new(false).
	DeletionProtection *bool
	// SecurityGroupDescription describes the load balancer's security group; a new
	// description replaces the group. Default: "Internet to the load balancer <name>",
	// or "The VPC to the internal load balancer <name>".
	SecurityGroupDescription string
}

func (c Config) withDefaults() Config {
	if c.SSLPolicy == "" {
		c.SSLPolicy = DefaultSSLPolicy
	}
	if c.NotFoundBody == "" {
		c.NotFoundBody = DefaultNotFoundBody
	}
	if c.DeletionProtection == nil && !c.Environment.IsZero() {
		c.DeletionProtection = new(c.Environment.Profile().DeletionProtection)
	}
	return c
}

// Validate returns every problem of c at once (field.Error values, joined), Network's
// placement included.
func (c Config) Validate() error {
	if c.Network == nil {
		var l field.List
		l.Add("Network", "", "is required: a network from network.New or network.FromAttributes")
		l.Include("", c.ValidateFor(network.Layout{PublicSubnets: -1, PrivateSubnets: -1}))
		return l.Err()
	}
	return c.ValidateFor(c.Network.Layout())
}

// ValidateFor is Validate for a load balancer whose network is not defined yet: net
// stands for it (network.Config.Layout), and Network may be nil.
func (c Config) ValidateFor(net network.Layout) error {
	c = c.withDefaults()
	var l field.List
	if id, ok := check.Identity(&l, c.Environment, c.Component); ok {
		if _, err := namesOf(id); err != nil {
			l.Check("Component", c.Component, err)
		}
	}
	switch {
	case !c.Internal && net.PublicSubnets >= 0 && net.PublicSubnets < 2:
		l.Addf("Network", "", "has %d public subnet(s): an internet-facing load balancer needs two, in two availability zones "+
			"(network.Config.AZCount >= 2, or at least two PublicSubnetIDs for an existing VPC), or set Internal", net.PublicSubnets)
	case c.Internal && net.PrivateSubnets >= 0 && net.PrivateSubnets < 2:
		l.Addf("Network", "", "has %d private subnet(s): an internal load balancer needs two, in two availability zones", net.PrivateSubnets)
	}
	check.ARN(&l, "CertificateARN", c.CertificateARN, awsid.CertificateARN, net.Place)
	if check.Literal(&l, "SSLPolicy", c.SSLPolicy) && !sslPolicy.MatchString(c.SSLPolicy) {
		l.Add("SSLPolicy", c.SSLPolicy, "is not an ELB security policy name (ELBSecurityPolicy-...)")
	}
	if c.DefaultTargetGroupARN != "" && !token.Is(c.DefaultTargetGroupARN) {
		l.Add("DefaultTargetGroupARN", c.DefaultTargetGroupARN, "must be a reference to a target group (a cdktf token)")
	}
	if check.Literal(&l, "NotFoundBody", c.NotFoundBody) && len(c.NotFoundBody) > MaxNotFoundBodyLength {
		l.Addf("NotFoundBody", c.NotFoundBody, "is %d characters, over the %d a fixed response takes", len(c.NotFoundBody), MaxNotFoundBodyLength)
	}
	if p := c.TargetPorts; p != (network.Port{}) && (p.From < 1 || p.To > 65535 || p.From > p.To) {
		l.Add("TargetPorts", p.String(), "is not a port range: want 1 <= From <= To <= 65535")
	}
	if c.AccessLogsBucket != "" && check.Literal(&l, "AccessLogsBucket", c.AccessLogsBucket) && !token.Is(c.AccessLogsBucket) {
		l.Check("AccessLogsBucket", c.AccessLogsBucket, awsid.CheckBucketName(c.AccessLogsBucket))
	}
	check.Literal(&l, "SecurityGroupDescription", c.SecurityGroupDescription)
	return l.Err()
}

type names struct{ alb, sg string }

func namesOf(id naming.Identity) (names, error) {
	var n names
	var err1, err2 error
	n.alb, err1 = id.Resource(naming.LoadBalancer, "alb")
	n.sg, err2 = id.Resource(naming.SecurityGroup, "alb-sg")
	if err1 != nil {
		return n, err1
	}
	return n, err2
}

// LoadBalancer is an Application Load Balancer with its security group and listeners.
type LoadBalancer struct {
	constructs.Construct

	cfg      Config
	names    names
	alb      lb.Lb
	sg       securitygroup.SecurityGroup
	conns    *network.Connections
	http     lblistener.LbListener
	https    lblistener.LbListener
	listener *Listener
}

// New defines a load balancer in scope. It validates cfg first, against its network
// and the stack's region, and panics with every problem before defining any child. Its
// names are claimed in the app's registry.
//
// Child IDs: "LoadBalancerSecurityGroup", "LoadBalancerIngressHTTP",
// "LoadBalancerIngressHTTPS" (with a certificate), "LoadBalancerEgress" (with
// TargetPorts), "LoadBalancer", "HTTPListener", "HTTPSListener" (with a certificate),
// and the egress rules that attached targets write on its group. Defined with the ID
// "Default" under another construct, its resources take that construct's logical IDs
// ("<parent>_LoadBalancer_..."), as a service's own load balancer does.
func New(scope constructs.Construct, id string, cfg Config) *LoadBalancer {
	sc := identity.Enter(scope, id)
	if cfg.Network == nil {
		jsiix.MustBeValid("loadbalancer.New", id, cfg.Validate())
	}
	layout := cfg.Network.Layout()
	layout.Place = sc.Place()
	jsiix.MustBeValid("loadbalancer.New", id, cfg.ValidateFor(layout))
	if here, there := sc.Place().Region, cfg.Network.Place().Region; here != "" && there != "" && here != there {
		panic(fmt.Sprintf("loadbalancer.New(%q): Network is in region %s, not the stack's region %s", id, there, here))
	}
	ident, err := sc.Identity(cfg.Environment, cfg.Component)
	if err != nil {
		panic(fmt.Sprintf("loadbalancer.New(%q): %v", id, err))
	}
	b := &LoadBalancer{cfg: cfg.withDefaults()}
	b.names, err = namesOf(ident)
	jsiix.Must("loadbalancer.New", id, err)
	constructs.NewConstruct_Override(b, scope, jsii.String(id))
	c := b.cfg
	env := c.Environment
	description := c.SecurityGroupDescription
	if description == "" {
		description = "Internet to the load balancer " + b.names.alb
		if c.Internal {
			description = "The VPC to the internal load balancer " + b.names.alb
		}
	}
	b.sg = securitygroup.NewSecurityGroup(b, jsii.String("LoadBalancerSecurityGroup"), &securitygroup.SecurityGroupConfig{
		Name:        jsii.String(b.names.sg),
		Description: jsii.String(description),
		VpcId:       c.Network.VPCID(),
		Tags:        jsiix.Tags(env, b.names.sg),
		Lifecycle:   jsiix.CreateBeforeDestroy(),
	})
	b.conns = network.NewConnections(b, b.sg.Id(), label(sc)+" load balancer")
	source, from := network.Peer(network.CIDR("0.0.0.0/0")), "the internet"
	if c.Internal {
		source, from = network.CIDR(*c.Network.VPCCIDR()), "the VPC"
	}
	httpWhat := "HTTP"
	if c.CertificateARN != "" {
		httpWhat = "HTTP (redirected to HTTPS)"
	}
	b.conns.AllowFrom(source, network.TCP(network.PortHTTP), network.RuleIDs("LoadBalancerIngressHTTP", ""), network.Descriptions(httpWhat+" from "+from, ""))
	if c.CertificateARN != "" {
		b.conns.AllowFrom(source, network.TCP(network.PortHTTPS), network.RuleIDs("LoadBalancerIngressHTTPS", ""), network.Descriptions("HTTPS from "+from, ""))
	}
	if c.TargetPorts != (network.Port{}) {
		b.conns.AllowTo(network.CIDR(*c.Network.VPCCIDR()), c.TargetPorts, network.RuleIDs("", "LoadBalancerEgress"),
			network.Descriptions("", "To attached services in the VPC on the target ports"))
	}
	subnets := c.Network.PublicSubnetIDs()
	if c.Internal {
		subnets = c.Network.PrivateSubnetIDs()
	}
	props := &lb.LbConfig{
		Name:                     jsii.String(b.names.alb),
		Internal:                 jsii.Bool(c.Internal),
		LoadBalancerType:         jsii.String("application"),
		SecurityGroups:           &[]*string{b.sg.Id()},
		Subnets:                  subnets,
		DropInvalidHeaderFields:  jsii.Bool(true),
		EnableDeletionProtection: jsii.Bool(*c.DeletionProtection),
		Tags:                     jsiix.Tags(env, b.names.alb),
	}
	if c.AccessLogsBucket != "" {
		props.AccessLogs = &lb.LbAccessLogs{
			Bucket: jsii.String(c.AccessLogsBucket), Prefix: jsii.String(ident.Prefix()), Enabled: jsii.Bool(true),
		}
	}
	b.alb = lb.NewLb(b, jsii.String("LoadBalancer"), props)
	b.defineListeners()
	sc.Claim(
		identity.Name{Kind: naming.SecurityGroup, Name: b.names.sg, Resource: "LoadBalancerSecurityGroup", Within: c.Network.VPCID(), Fix: "loadbalancer.Config.Component"},
		identity.Name{Kind: naming.LoadBalancer, Name: b.names.alb, Resource: "LoadBalancer", Fix: "loadbalancer.Config.Component"},
	)
	return b
}

// label names the construct in the rules of its Connections: its path below the stack
// ("Web"), or "stack" for a construct that is the stack itself.
func label(sc *identity.Scope) string {
	if l := sc.Label(); l != "" {
		return l
	}
	return "stack"
}

func (b *LoadBalancer) defineListeners() {
	c := b.cfg
	def := &[]*lblistener.LbListenerDefaultAction{{
		Type: jsii.String("fixed-response"),
		FixedResponse: &lblistener.LbListenerDefaultActionFixedResponse{
			ContentType: jsii.String("text/plain"), MessageBody: jsii.String(c.NotFoundBody), StatusCode: jsii.String("404"),
		},
	}}
	if c.DefaultTargetGroupARN != "" {
		def = &[]*lblistener.LbListenerDefaultAction{{Type: jsii.String("forward"), TargetGroupArn: jsii.String(c.DefaultTargetGroupARN)}}
	}
	http := &lblistener.LbListenerConfig{
		LoadBalancerArn: b.alb.Arn(), Port: jsii.Number(network.PortHTTP), Protocol: jsii.String("HTTP"), DefaultAction: def,
		Tags: jsiix.Tags(c.Environment, b.names.alb+"-http"),
	}
	main, port := (*lblistener.LbListener)(nil), network.PortHTTP
	if c.CertificateARN != "" {
		http.DefaultAction = redirectToHTTPS()
		b.https = lblistener.NewLbListener(b, jsii.String("HTTPSListener"), &lblistener.LbListenerConfig{
			LoadBalancerArn: b.alb.Arn(), Port: jsii.Number(network.PortHTTPS), Protocol: jsii.String("HTTPS"),
			CertificateArn: jsii.String(c.CertificateARN), SslPolicy: jsii.String(c.SSLPolicy),
			DefaultAction: def, Tags: jsiix.Tags(c.Environment, b.names.alb+"-https"),
		})
		main, port = &b.https, network.PortHTTPS
	}
	b.http = lblistener.NewLbListener(b, jsii.String("HTTPListener"), http)
	if main == nil {
		main = &b.http
	}
	b.listener = &Listener{arn: (*main).Arn(), port: port, conns: b.conns, lb: b,
		dnsName: b.alb.DnsName(), lbARN: b.alb.Arn(), place: b.cfg.Network.Place()}
}

// redirectToHTTPS is the default action of an HTTP listener in front of an HTTPS one:
// a permanent (301) redirect to the same URL on HTTPS, port 443.
func redirectToHTTPS() *[]*lblistener.LbListenerDefaultAction {
	return &[]*lblistener.LbListenerDefaultAction{{
		Type: jsii.String("redirect"),
		Redirect: &lblistener.LbListenerDefaultActionRedirect{
			Protocol: jsii.String("HTTPS"), Port: jsii.String(strconv.Itoa(network.PortHTTPS)), StatusCode: jsii.String("HTTP_301"),
		},
	}}
}

// Listener returns the listener that services attach to: the HTTPS listener with a
// certificate, otherwise the HTTP listener.
func (b *LoadBalancer) Listener() *Listener { return b.listener }

// Connections returns the load balancer's security group as network.Connections.
func (b *LoadBalancer) Connections() *network.Connections { return b.conns }

// ARN returns the load balancer's ARN (token).
func (b *LoadBalancer) ARN() *string { return b.alb.Arn() }

// DNSName returns the load balancer's DNS name (token).
func (b *LoadBalancer) DNSName() *string { return b.alb.DnsName() }

// ZoneID returns the load balancer's canonical hosted zone ID, for a Route 53 alias
// record (token).
func (b *LoadBalancer) ZoneID() *string { return b.alb.ZoneId() }

// Name returns the load balancer's name.
func (b *LoadBalancer) Name() string { return b.names.alb }

// ALB returns the underlying aws_lb.
func (b *LoadBalancer) ALB() lb.Lb { return b.alb }

// SecurityGroup returns the load balancer's aws_security_group.
func (b *LoadBalancer) SecurityGroup() securitygroup.SecurityGroup { return b.sg }

// HTTPListener returns the HTTP listener (a redirect to HTTPS with a certificate).
func (b *LoadBalancer) HTTPListener() lblistener.LbListener { return b.http }

// HTTPSListener returns the HTTPS listener, and false without a certificate.
func (b *LoadBalancer) HTTPSListener() (lblistener.LbListener, bool) { return b.https, b.https != nil }

// Listener is a load balancer listener that services attach rules to: one of New's,
// or one defined elsewhere (ListenerFromAttributes).
type Listener struct {
	arn, dnsName, lbARN *string
	port                int
	conns               *network.Connections
	lb                  *LoadBalancer
	place               awsid.Place
}

// ARN returns the listener's ARN.
func (l *Listener) ARN() *string { return l.arn }

// Port returns the listener's port (443 or 80), or 0 when unknown (an adopted listener).
func (l *Listener) Port() int { return l.port }

// Connections returns the load balancer's security group: attaching a target admits it
// on the target's side and, for a load balancer of this app, lets it reach the target.
func (l *Listener) Connections() *network.Connections { return l.conns }

// LoadBalancerDNSName returns the DNS name of the listener's load balancer.
func (l *Listener) LoadBalancerDNSName() *string { return l.dnsName }

// LoadBalancerARN returns the ARN of the listener's load balancer.
func (l *Listener) LoadBalancerARN() *string { return l.lbARN }

// LoadBalancer returns the listener's load balancer, and false for an adopted listener.
func (l *Listener) LoadBalancer() (*LoadBalancer, bool) { return l.lb, l.lb != nil }

// Place returns where the listener's load balancer is, as far as known.
func (l *Listener) Place() awsid.Place { return l.place }

// ListenerAttributes describe the listener of a load balancer defined elsewhere (another
// stack, the shared platform), for ListenerFromAttributes.
type ListenerAttributes struct {
	// ARN of the listener: a literal Application Load Balancer listener ARN of the
	// stack's account and region, or a cdktf token. Required.
	ARN string
	// SecurityGroupID of the load balancer ("sg-..." or a token), the group that attached
	// services admit. Its owner opens its egress to the targets (the platform opens the
	// VPC on its target ports): no rule is written on it. Required.
	SecurityGroupID string
}

// Validate returns every problem of a (field.Error values, joined).
func (a ListenerAttributes) Validate() error { return a.ValidateIn(awsid.Place{}) }

// ValidateIn is Validate for a stack deployed at p: the listener must be of its
// partition, region and account (what of p is unknown is not compared).
// ListenerFromAttributes calls it with its stack's place.
func (a ListenerAttributes) ValidateIn(p awsid.Place) error {
	var l field.List
	if a.ARN == "" {
		l.Add("ARN", "", "is required: the ARN of the listener")
	}
	check.ARN(&l, "ARN", a.ARN, awsid.ListenerARN, p)
	if a.SecurityGroupID == "" {
		l.Add("SecurityGroupID", "", "is required: the load balancer's security group, which the targets admit")
	}
	check.ID(&l, "SecurityGroupID", a.SecurityGroupID, awsid.SecurityGroupID)
	return l.Err()
}

// ListenerFromAttributes adopts the listener of a load balancer defined elsewhere. It
// defines a construct id with two data sources, "Listener" and "LoadBalancer", that read
// the load balancer's ARN and DNS name; it panics with every problem of attrs (a listener
// of another partition or region than the stack's included) before defining anything.
func ListenerFromAttributes(scope constructs.Construct, id string, attrs ListenerAttributes) *Listener {
	sc := identity.Enter(scope, id)
	jsiix.MustBeValid("loadbalancer.ListenerFromAttributes", id, attrs.ValidateIn(sc.Place()))
	node := constructs.NewConstruct(scope, jsii.String(id))
	listener := dataawslblistener.NewDataAwsLbListener(node, jsii.String("Listener"), &dataawslblistener.DataAwsLbListenerConfig{
		Arn: jsii.String(attrs.ARN),
	})
	alb := dataawslb.NewDataAwsLb(node, jsii.String("LoadBalancer"), &dataawslb.DataAwsLbConfig{Arn: listener.LoadBalancerArn()})
	return &Listener{arn: jsii.String(attrs.ARN), conns: network.FromSecurityGroupID(attrs.SecurityGroupID, "the shared load balancer"),
		dnsName: alb.DnsName(), lbARN: listener.LoadBalancerArn(), place: sc.Place()}
}

var sslPolicy = regexp.MustCompile(`^ELBSecurityPolicy-[A-Za-z0-9-]+$`)
