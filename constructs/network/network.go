package network

import (
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
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcsecuritygroupingressrule"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/internal/tfx"
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

// Network is a VPC with public and private subnets, or an adopted existing VPC.
type Network struct {
	constructs.Construct

	cfg    Config
	id     naming.Identity
	scope  *tfx.Scope
	names  names
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

// New defines a Network in scope. It validates cfg first and panics with every problem
// (the same text Config.Validate returns) before defining any child. Its physical names
// are registered with the app, which refuses duplicates at synth (see docs/naming.md).
//
// Child IDs of a new VPC: "VPC", "InternetGateway", "PublicSubnet<i>",
// "PrivateSubnet<i>", "PublicRouteTable", "PublicDefaultRoute",
// "PublicRouteTableAssociation<i>", "NATEIP<i>" and "NATGateway<i>" (per NAT gateway),
// "PrivateRouteTable<i>", "PrivateDefaultRoute<i>" (with NAT),
// "PrivateRouteTableAssociation<i>", "AvailabilityZones" (when looked up),
// "DefaultSecurityGroup", and with Endpoints "Region", "EndpointSecurityGroup",
// "EndpointIngress", the IDs in InterfaceEndpoints and "S3Endpoint"; with FlowLogs
// "FlowLogGroup", "FlowLogRole", "FlowLogRolePolicy" and "FlowLog". An existing VPC
// defines "ExistingVPC" (a data source for its CIDR) and the endpoint children.
func New(scope constructs.Construct, id string, cfg Config) *Network {
	tfx.MustBeValid("network", id, cfg.Validate())
	n := &Network{cfg: cfg.withDefaults(), scope: tfx.Enter(scope, id)}
	if n.cfg.FlowLogs {
		n.scope.RequireRegion("network", id) // the flow log role's name carries it
	}
	constructs.NewConstruct_Override(n, scope, jsii.String(id))
	n.id = n.scope.Identity(n.cfg.Environment, n.cfg.Component)
	n.names, _ = n.cfg.names(n.id) // checked by Validate; the region by RequireRegion
	if n.cfg.Existing() {
		n.adopt()
	} else {
		n.define()
	}
	if n.cfg.Endpoints {
		n.defineEndpoints()
	}
	n.claim()
	return n
}

// claim registers the physical names with the app (tfx.Claim).
func (n *Network) claim() {
	const fix = "network.Config.Component"
	var names []tfx.Named
	if n.cfg.Endpoints {
		names = append(names, tfx.Named{Kind: naming.SecurityGroup, Name: n.names.endpointSG, Child: "EndpointSecurityGroup", Within: *n.vpcID, Fix: fix})
	}
	if n.cfg.FlowLogs {
		names = append(names,
			tfx.Named{Kind: naming.IAMRole, Name: n.names.flowLogRole, Child: "FlowLogRole", Fix: fix},
			tfx.Named{Kind: naming.LogGroup, Name: n.names.flowLogGroup, Child: "FlowLogGroup", Fix: fix})
	}
	if len(names) > 0 {
		n.scope.Claim(names...)
	}
}

func (n *Network) env() naming.Environment { return n.cfg.Environment }

func (n *Network) tags(purpose string) *map[string]*string {
	return tfx.Tags(n.env(), n.id.Label(purpose))
}

func (n *Network) adopt() {
	c := n.cfg
	existing := dataawsvpc.NewDataAwsVpc(n, jsii.String("ExistingVPC"), &dataawsvpc.DataAwsVpcConfig{Id: jsii.String(c.ExistingVPCID)})
	n.vpcID = jsii.String(c.ExistingVPCID)
	n.cidr = existing.CidrBlock()
	n.public = *tfx.Strings(c.PublicSubnetIDs)
	n.priv = *tfx.Strings(c.PrivateSubnetIDs)
	n.rts = *tfx.Strings(c.ExistingPrivateRouteTableIDs)
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
		Lifecycle:   tfx.CreateBeforeDestroy(),
	})
	vpcsecuritygroupingressrule.NewVpcSecurityGroupIngressRule(n, jsii.String("EndpointIngress"), &vpcsecuritygroupingressrule.VpcSecurityGroupIngressRuleConfig{
		SecurityGroupId: n.endpointSG.Id(),
		Description:     jsii.String("HTTPS from the VPC"),
		IpProtocol:      jsii.String("tcp"),
		FromPort:        jsii.Number(tfx.PortHTTPS),
		ToPort:          jsii.Number(tfx.PortHTTPS),
		CidrIpv4:        n.cidr,
	})
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
		AssumeRolePolicy: tfx.AssumeRole("vpc-flow-logs.amazonaws.com"),
		Tags:             n.tags("vpc-flow-logs"),
	})
	iamrolepolicy.NewIamRolePolicy(n, jsii.String("FlowLogRolePolicy"), &iamrolepolicy.IamRolePolicyConfig{
		Name: jsii.String("write-flow-logs"),
		Role: role.Id(),
		Policy: tfx.Policy(tfx.Statement{
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

// Config returns the configuration with defaults applied.
func (n *Network) Config() Config { return n.cfg }

// VPCID returns the VPC ID (a token for a new VPC).
func (n *Network) VPCID() *string { return n.vpcID }

// VPCCIDR returns the VPC CIDR block (for an existing VPC, read by a data source).
func (n *Network) VPCCIDR() *string { return n.cidr }

// PublicSubnetIDs returns the public subnet IDs, one per zone.
func (n *Network) PublicSubnetIDs() *[]*string { return copyList(n.public) }

// PrivateSubnetIDs returns the private subnet IDs, one per zone.
func (n *Network) PrivateSubnetIDs() *[]*string { return copyList(n.priv) }

// PrivateRouteTableIDs returns the private route table IDs (for an existing VPC, the
// ones given in ExistingPrivateRouteTableIDs).
func (n *Network) PrivateRouteTableIDs() *[]*string { return copyList(n.rts) }

// Layout returns what workloads need to know of the network before placing
// themselves in it (see Placement).
func (n *Network) Layout() Layout { return n.cfg.Layout() }

// Egress reports the way out that private subnets have: EgressNAT with NAT gateways,
// EgressEndpoints with Endpoints and no NAT, EgressNone otherwise. For an existing VPC it
// is ExistingEgress, upgraded to EgressEndpoints by Endpoints.
func (n *Network) Egress() Egress { return n.cfg.egress() }

// HasPublicSubnets reports whether the network has public subnets (always, for a new VPC).
func (n *Network) HasPublicSubnets() bool { return len(n.public) > 0 }

// Environment returns the environment the network was built for.
func (n *Network) Environment() naming.Environment { return n.cfg.Environment }

// VPC returns the underlying aws_vpc, or nil for an existing VPC.
func (n *Network) VPC() vpc.Vpc { return n.vpc }

// PublicSubnets returns the underlying public aws_subnet resources (nil for an existing VPC).
func (n *Network) PublicSubnets() []subnet.Subnet { return n.publicNets }

// PrivateSubnets returns the underlying private aws_subnet resources (nil for an existing VPC).
func (n *Network) PrivateSubnets() []subnet.Subnet { return n.privateNets }

// NATGateways returns the underlying aws_nat_gateway resources (none with NATNone).
func (n *Network) NATGateways() []natgateway.NatGateway { return n.natGateways }

// PrivateRouteTables returns the underlying private aws_route_table resources.
func (n *Network) PrivateRouteTables() []routetable.RouteTable { return n.privateRTs }

// EndpointSecurityGroup returns the interface endpoints' security group, or nil without
// Endpoints.
func (n *Network) EndpointSecurityGroup() securitygroup.SecurityGroup { return n.endpointSG }

// Endpoints returns the interface endpoints in InterfaceEndpoints order, then the S3
// gateway endpoint; empty without Endpoints.
func (n *Network) Endpoints() []vpcendpoint.VpcEndpoint {
	if n.s3Endpoint == nil {
		return nil
	}
	return append(append([]vpcendpoint.VpcEndpoint(nil), n.endpoints...), n.s3Endpoint)
}

// FlowLogGroup returns the flow log group, or nil without FlowLogs.
func (n *Network) FlowLogGroup() cloudwatchloggroup.CloudwatchLogGroup { return n.flowLogGroup }

func copyList(xs []*string) *[]*string {
	out := append([]*string(nil), xs...)
	return &out
}
