package network

import (
	"fmt"
	"strconv"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/cloudwatchloggroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsavailabilityzones"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsregion"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsvpc"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/defaultsecuritygroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/eip"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/flowlog"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrolepolicy"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/internetgateway"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/natgateway"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/route"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/routetable"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/routetableassociation"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/securitygroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/subnet"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpc"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcendpoint"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/awsid"
	"github.com/tapstack/infra/constructs/identity"
	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/internal/iampolicy"
	"github.com/tapstack/infra/internal/jsiix"
)

// The ports of the web.
const (
	PortHTTP  = 80
	PortHTTPS = 443
)

// InterfaceEndpoint is one interface endpoint that Config.Endpoints creates.
type InterfaceEndpoint struct {
	// ID is the child construct ID ("EcrApiEndpoint").
	ID string
	// Service is the suffix of the service name ("ecr.api" in
	// "com.amazonaws.<region>.ecr.api").
	Service string
}

var interfaceEndpoints = []InterfaceEndpoint{
	{"EcrApiEndpoint", "ecr.api"},
	{"EcrDkrEndpoint", "ecr.dkr"},
	{"LogsEndpoint", "logs"},
	{"SecretsManagerEndpoint", "secretsmanager"},
}

// InterfaceEndpoints returns the interface endpoints that Config.Endpoints creates, in
// order: what Fargate tasks need to start without NAT (ECR API and DKR, CloudWatch Logs,
// Secrets Manager). It returns a copy; the S3 gateway endpoint comes on top.
func InterfaceEndpoints() []InterfaceEndpoint {
	return append([]InterfaceEndpoint(nil), interfaceEndpoints...)
}

// Network is a VPC with public and private subnets (New), or an adopted existing VPC
// (FromAttributes).
type Network struct {
	constructs.Construct

	env    naming.Environment
	id     naming.Identity
	scope  *identity.Scope
	names  names
	layout Layout
	cfg    Config
	vpcID  *string
	cidr   *string
	public []*string
	priv   []*string
	rts    []*string

	vpc          vpc.Vpc
	publicNets   []subnet.Subnet
	privateNets  []subnet.Subnet
	natGateways  []natgateway.NatGateway
	privateRTs   []routetable.RouteTable
	endpointSG   securitygroup.SecurityGroup
	endpoints    []vpcendpoint.VpcEndpoint
	s3Endpoint   vpcendpoint.VpcEndpoint
	flowLogGroup cloudwatchloggroup.CloudwatchLogGroup
}

// enter starts a Network: the identity of its instance in the stack. It panics (before
// anything is defined) when the identity cannot be built.
func enter(sc *identity.Scope, id, pkg string, env naming.Environment, component string, flowLogs bool) *Network {
	if flowLogs { // the flow logs role's name carries the region
		if err := sc.RequireRegion(); err != nil {
			panic(fmt.Sprintf("%s(%q): %v", pkg, id, err))
		}
	}
	ident, err := sc.Identity(env, component)
	if err != nil {
		panic(fmt.Sprintf("%s(%q): %v", pkg, id, err))
	}
	n := &Network{env: env, id: ident, scope: sc}
	n.names, err = namesOf(ident, flowLogs)
	jsiix.Must(pkg, id, err)
	return n
}

// New defines a new VPC in scope. It validates cfg first (AvailabilityZones against the
// stack's region too) and panics with every problem, the text Config.Validate returns,
// before defining any child. Its physical names are claimed in the app's registry,
// which refuses duplicates at synth (see docs/naming.md).
//
// Child IDs: "VPC", "InternetGateway", "PublicSubnet<i>", "PrivateSubnet<i>",
// "PublicRouteTable", "PublicDefaultRoute", "PublicRouteTableAssociation<i>",
// "NATEIP<i>" and "NATGateway<i>" (per NAT gateway), "PrivateRouteTable<i>",
// "PrivateDefaultRoute<i>" (with NAT), "PrivateRouteTableAssociation<i>",
// "AvailabilityZones" (when looked up), "DefaultSecurityGroup", and with Endpoints
// "Region", "EndpointSecurityGroup", "EndpointIngress", the IDs in InterfaceEndpoints
// and "S3Endpoint"; with FlowLogs "FlowLogGroup", "FlowLogRole", "FlowLogRolePolicy" and
// "FlowLog".
func New(scope constructs.Construct, id string, cfg Config) *Network {
	sc := identity.Enter(scope, id)
	jsiix.MustBeValid("network.New", id, cfg.ValidateIn(sc.Place()))
	cfg = cfg.withDefaults()
	n := enter(sc, id, "network.New", cfg.Environment, cfg.Component, cfg.FlowLogs)
	n.cfg = cfg
	n.layout = cfg.Layout()
	n.layout.Place = n.scope.Place()
	constructs.NewConstruct_Override(n, scope, jsii.String(id))
	n.define()
	if cfg.Endpoints {
		n.defineEndpoints()
	}
	n.claim()
	return n
}

// FromAttributes adopts an existing VPC and its subnets: no VPC, subnets, gateways,
// NAT or route tables are defined, and the accessors return the given IDs. It panics
// with every problem of attrs (Attributes.Validate) before defining anything.
//
// Child IDs: "ExistingVPC" (a data source that reads the VPC's CIDR block) and, with
// Endpoints, the endpoint children of New.
func FromAttributes(scope constructs.Construct, id string, attrs Attributes) *Network {
	sc := identity.Enter(scope, id)
	jsiix.MustBeValid("network.FromAttributes", id, attrs.ValidateIn(sc.Place()))
	attrs = attrs.withDefaults()
	n := enter(sc, id, "network.FromAttributes", attrs.Environment, attrs.Component, false)
	n.layout = attrs.Layout()
	n.layout.Place = n.scope.Place()
	constructs.NewConstruct_Override(n, scope, jsii.String(id))
	existing := dataawsvpc.NewDataAwsVpc(n, jsii.String("ExistingVPC"), &dataawsvpc.DataAwsVpcConfig{Id: jsii.String(attrs.VPCID)})
	n.vpcID = jsii.String(attrs.VPCID)
	n.cidr = existing.CidrBlock()
	n.public = *jsiix.Strings(attrs.PublicSubnetIDs)
	n.priv = *jsiix.Strings(attrs.PrivateSubnetIDs)
	n.rts = *jsiix.Strings(attrs.PrivateRouteTableIDs)
	if attrs.Endpoints {
		n.defineEndpoints()
	}
	n.claim()
	return n
}

// claim registers the physical names with the app (identity.Scope.Claim).
func (n *Network) claim() {
	const fix = "network.Config.Component"
	var names []identity.Name
	if n.endpointSG != nil {
		names = append(names, identity.Name{Kind: naming.SecurityGroup, Name: n.names.endpointSG, Resource: "EndpointSecurityGroup", Within: n.vpcID, Fix: fix})
	}
	if n.flowLogGroup != nil {
		names = append(names,
			identity.Name{Kind: naming.IAMRole, Name: n.names.flowLogRole, Resource: "FlowLogRole", Fix: fix},
			identity.Name{Kind: naming.LogGroup, Name: n.names.flowLogGroup, Resource: "FlowLogGroup", Fix: fix})
	}
	if len(names) > 0 {
		n.scope.Claim(names...)
	}
}

func (n *Network) tags(purpose string) *map[string]*string {
	return jsiix.Tags(n.env, n.id.Label(purpose))
}

func (n *Network) define() {
	c := n.cfg
	publicCIDRs, privateCIDRs, _ := c.SubnetCIDRs() // validated in New
	n.vpc = vpc.NewVpc(n, jsii.String("VPC"), &vpc.VpcConfig{
		CidrBlock:          jsii.String(c.CIDR),
		EnableDnsSupport:   jsii.Bool(true),
		EnableDnsHostnames: jsii.Bool(true),
		Tags:               n.tags("vpc"),
	})
	n.vpcID, n.cidr = n.vpc.Id(), n.vpc.CidrBlock()
	if !c.KeepDefaultSecurityGroupRules {
		defaultsecuritygroup.NewDefaultSecurityGroup(n, jsii.String("DefaultSecurityGroup"), &defaultsecuritygroup.DefaultSecurityGroupConfig{
			VpcId: n.vpcID,
			Tags:  n.tags("default-sg"),
		})
	}
	igw := internetgateway.NewInternetGateway(n, jsii.String("InternetGateway"), &internetgateway.InternetGatewayConfig{
		VpcId: n.vpcID, Tags: n.tags("igw"),
	})

	azs := c.AvailabilityZones
	if len(azs) == 0 {
		lookup := dataawsavailabilityzones.NewDataAwsAvailabilityZones(n, jsii.String("AvailabilityZones"),
			&dataawsavailabilityzones.DataAwsAvailabilityZonesConfig{State: jsii.String("available")})
		for i := 0; i < c.AZCount; i++ {
			azs = append(azs, *cdktf.Token_AsString(cdktf.Fn_Element(lookup.Names(), jsii.Number(float64(i))), nil))
		}
	}

	publicRT := routetable.NewRouteTable(n, jsii.String("PublicRouteTable"), &routetable.RouteTableConfig{
		VpcId: n.vpcID, Tags: n.tags("public-rt"),
	})
	route.NewRoute(n, jsii.String("PublicDefaultRoute"), &route.RouteConfig{
		RouteTableId: publicRT.Id(), DestinationCidrBlock: jsii.String("0.0.0.0/0"), GatewayId: igw.Id(),
	})
	for i := 0; i < c.AZCount; i++ {
		s := strconv.Itoa(i)
		pub := subnet.NewSubnet(n, jsii.String("PublicSubnet"+s), &subnet.SubnetConfig{
			VpcId: n.vpcID, CidrBlock: jsii.String(publicCIDRs[i]), AvailabilityZone: jsii.String(azs[i]),
			MapPublicIpOnLaunch: jsii.Bool(false), Tags: n.tags("public-" + s),
		})
		routetableassociation.NewRouteTableAssociation(n, jsii.String("PublicRouteTableAssociation"+s),
			&routetableassociation.RouteTableAssociationConfig{SubnetId: pub.Id(), RouteTableId: publicRT.Id()})
		n.publicNets = append(n.publicNets, pub)
		n.public = append(n.public, pub.Id())
	}

	nats := 0
	switch c.NAT {
	case NATSingle:
		nats = 1
	case NATPerAZ:
		nats = c.AZCount
	}
	for i := 0; i < nats; i++ {
		s := strconv.Itoa(i)
		ip := eip.NewEip(n, jsii.String("NATEIP"+s), &eip.EipConfig{Domain: jsii.String("vpc"), Tags: n.tags("nat-eip-" + s)})
		gw := natgateway.NewNatGateway(n, jsii.String("NATGateway"+s), &natgateway.NatGatewayConfig{
			AllocationId: ip.AllocationId(), SubnetId: n.public[i], Tags: n.tags("nat-" + s),
			DependsOn: &[]cdktf.ITerraformDependable{igw},
		})
		n.natGateways = append(n.natGateways, gw)
	}

	for i := 0; i < c.AZCount; i++ {
		s := strconv.Itoa(i)
		priv := subnet.NewSubnet(n, jsii.String("PrivateSubnet"+s), &subnet.SubnetConfig{
			VpcId: n.vpcID, CidrBlock: jsii.String(privateCIDRs[i]), AvailabilityZone: jsii.String(azs[i]),
			Tags: n.tags("private-" + s),
		})
		rt := routetable.NewRouteTable(n, jsii.String("PrivateRouteTable"+s), &routetable.RouteTableConfig{
			VpcId: n.vpcID, Tags: n.tags("private-rt-" + s),
		})
		if nats > 0 {
			route.NewRoute(n, jsii.String("PrivateDefaultRoute"+s), &route.RouteConfig{
				RouteTableId: rt.Id(), DestinationCidrBlock: jsii.String("0.0.0.0/0"),
				NatGatewayId: n.natGateways[min(i, nats-1)].Id(),
			})
		}
		routetableassociation.NewRouteTableAssociation(n, jsii.String("PrivateRouteTableAssociation"+s),
			&routetableassociation.RouteTableAssociationConfig{SubnetId: priv.Id(), RouteTableId: rt.Id()})
		n.privateNets = append(n.privateNets, priv)
		n.priv = append(n.priv, priv.Id())
		n.privateRTs = append(n.privateRTs, rt)
		n.rts = append(n.rts, rt.Id())
	}

	if c.FlowLogs {
		n.defineFlowLogs()
	}
}

func (n *Network) defineEndpoints() {
	region := dataawsregion.NewDataAwsRegion(n, jsii.String("Region"), &dataawsregion.DataAwsRegionConfig{})
	n.endpointSG = securitygroup.NewSecurityGroup(n, jsii.String("EndpointSecurityGroup"), &securitygroup.SecurityGroupConfig{
		Name:        jsii.String(n.names.endpointSG),
		Description: jsii.String("HTTPS from inside the VPC to the interface endpoints"),
		VpcId:       n.vpcID,
		Tags:        n.tags("endpoints"),
		Lifecycle:   jsiix.CreateBeforeDestroy(),
	})
	NewConnections(n, n.endpointSG.Id(), "VPC endpoints").AllowFrom(CIDR(*n.cidr), TCP(PortHTTPS),
		RuleIDs("EndpointIngress", ""), Descriptions("HTTPS from the VPC", ""))
	prefix := "com.amazonaws." + *region.Name() + "."
	for _, e := range interfaceEndpoints {
		n.endpoints = append(n.endpoints, vpcendpoint.NewVpcEndpoint(n, jsii.String(e.ID), &vpcendpoint.VpcEndpointConfig{
			VpcId:             n.vpcID,
			ServiceName:       jsii.String(prefix + e.Service),
			VpcEndpointType:   jsii.String("Interface"),
			PrivateDnsEnabled: jsii.Bool(true),
			SubnetIds:         &n.priv,
			SecurityGroupIds:  &[]*string{n.endpointSG.Id()},
			Tags:              n.tags(e.Service + "-endpoint"),
		}))
	}
	n.s3Endpoint = vpcendpoint.NewVpcEndpoint(n, jsii.String("S3Endpoint"), &vpcendpoint.VpcEndpointConfig{
		VpcId:           n.vpcID,
		ServiceName:     jsii.String(prefix + "s3"),
		VpcEndpointType: jsii.String("Gateway"),
		RouteTableIds:   &n.rts,
		Tags:            n.tags("s3-endpoint"),
	})
}

func (n *Network) defineFlowLogs() {
	n.flowLogGroup = cloudwatchloggroup.NewCloudwatchLogGroup(n, jsii.String("FlowLogGroup"), &cloudwatchloggroup.CloudwatchLogGroupConfig{
		Name:            jsii.String(n.names.flowLogGroup),
		RetentionInDays: jsii.Number(float64(*n.cfg.FlowLogRetentionDays)),
		Tags:            n.tags("flow-logs"),
	})
	role := iamrole.NewIamRole(n, jsii.String("FlowLogRole"), &iamrole.IamRoleConfig{
		Name:             jsii.String(n.names.flowLogRole),
		AssumeRolePolicy: iampolicy.AssumeRole("vpc-flow-logs.amazonaws.com"),
		Tags:             n.tags("vpc-flow-logs"),
	})
	iamrolepolicy.NewIamRolePolicy(n, jsii.String("FlowLogRolePolicy"), &iamrolepolicy.IamRolePolicyConfig{
		Name: jsii.String("write-flow-logs"),
		Role: role.Id(),
		Policy: iampolicy.Policy(iampolicy.Statement{
			Effect:   "Allow",
			Action:   []string{"logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups", "logs:DescribeLogStreams"},
			Resource: []string{*n.flowLogGroup.Arn(), *n.flowLogGroup.Arn() + ":*"},
		}),
	})
	flowlog.NewFlowLog(n, jsii.String("FlowLog"), &flowlog.FlowLogConfig{
		VpcId:              n.vpcID,
		TrafficType:        jsii.String("ALL"),
		LogDestinationType: jsii.String("cloud-watch-logs"),
		LogDestination:     n.flowLogGroup.Arn(),
		IamRoleArn:         role.Arn(),
		Tags:               n.tags("flow-log"),
	})
}

// Environment returns the environment the network was built for.
func (n *Network) Environment() naming.Environment { return n.env }

// Identity returns the naming identity of the network's instance in its stack.
func (n *Network) Identity() naming.Identity { return n.id }

// VPCID returns the VPC ID (a token for a new VPC).
func (n *Network) VPCID() *string { return n.vpcID }

// VPCCIDR returns the VPC CIDR block (for an existing VPC, read by a data source).
func (n *Network) VPCCIDR() *string { return n.cidr }

// PublicSubnetIDs returns the public subnet IDs, one per zone. It returns a new list.
func (n *Network) PublicSubnetIDs() *[]*string { return jsiix.Copy(n.public) }

// PrivateSubnetIDs returns the private subnet IDs, one per zone. It returns a new list.
func (n *Network) PrivateSubnetIDs() *[]*string { return jsiix.Copy(n.priv) }

// PrivateRouteTableIDs returns the private route table IDs (for an existing VPC, the
// ones given in Attributes.PrivateRouteTableIDs). It returns a new list.
func (n *Network) PrivateRouteTableIDs() *[]*string { return jsiix.Copy(n.rts) }

// Layout returns what workloads need to know of the network before placing themselves
// in it, with the place of its stack.
func (n *Network) Layout() Layout { return n.layout }

// Place returns where the network's stack deploys.
func (n *Network) Place() awsid.Place { return n.layout.Place }

// Egress reports the way out that private subnets have: EgressNAT with NAT gateways,
// EgressEndpoints with Endpoints and no NAT, EgressNone otherwise. For an existing VPC it
// is Attributes.Egress, upgraded to EgressEndpoints by Endpoints.
func (n *Network) Egress() Egress { return n.layout.Egress }

// HasPublicSubnets reports whether the network has public subnets (always, for a new
// VPC; for an existing one, unless none were given).
func (n *Network) HasPublicSubnets() bool { return len(n.public) > 0 }

// VPC returns the underlying aws_vpc, and false for an existing VPC.
func (n *Network) VPC() (vpc.Vpc, bool) { return n.vpc, n.vpc != nil }

// PublicSubnets returns the underlying public aws_subnet resources (none for an existing
// VPC).
func (n *Network) PublicSubnets() []subnet.Subnet {
	return append([]subnet.Subnet(nil), n.publicNets...)
}

// PrivateSubnets returns the underlying private aws_subnet resources (none for an
// existing VPC).
func (n *Network) PrivateSubnets() []subnet.Subnet {
	return append([]subnet.Subnet(nil), n.privateNets...)
}

// NATGateways returns the underlying aws_nat_gateway resources (none with NATNone).
func (n *Network) NATGateways() []natgateway.NatGateway {
	return append([]natgateway.NatGateway(nil), n.natGateways...)
}

// PrivateRouteTables returns the underlying private aws_route_table resources (none
// for an existing VPC).
func (n *Network) PrivateRouteTables() []routetable.RouteTable {
	return append([]routetable.RouteTable(nil), n.privateRTs...)
}

// EndpointSecurityGroup returns the interface endpoints' security group, and false
// without Endpoints.
func (n *Network) EndpointSecurityGroup() (securitygroup.SecurityGroup, bool) {
	return n.endpointSG, n.endpointSG != nil
}

// Endpoints returns the interface endpoints in InterfaceEndpoints order, then the S3
// gateway endpoint; none without Endpoints.
func (n *Network) Endpoints() []vpcendpoint.VpcEndpoint {
	if n.s3Endpoint == nil {
		return nil
	}
	return append(append([]vpcendpoint.VpcEndpoint(nil), n.endpoints...), n.s3Endpoint)
}

// FlowLogGroup returns the flow log group, and false without FlowLogs.
func (n *Network) FlowLogGroup() (cloudwatchloggroup.CloudwatchLogGroup, bool) {
	return n.flowLogGroup, n.flowLogGroup != nil
}
