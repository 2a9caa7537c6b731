package platform

import (
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ecscluster"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/lb"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/lblistener"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/securitygroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcsecuritygroupegressrule"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/constructs/lmsservice"
	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/constructs/network"
	"github.com/tapstack/infra/internal/stackapp"
	"github.com/tapstack/infra/internal/tfx"
)

// Platform is the stack of shared pieces.
type Platform struct {
	cdktf.TerraformStack

	cfg     Config
	network *network.Network
	albSG   securitygroup.SecurityGroup
	alb     lb.Lb
	https   lblistener.LbListener
	http    lblistener.LbListener
	cluster ecscluster.EcsCluster
}

// New defines the platform stack in scope (an app) under id, conventionally
// cfg.StackName(). It validates cfg first and panics with every problem before
// defining anything. Like the TapStack, it declares the Terraform version it needs
// and its backend (S3 with a lock file, key StateKey(id), or a local file).
//
// Child IDs: "aws" (provider), "Backend", "Network" (network.New, flow logs on),
// "LoadBalancerSecurityGroup", "LoadBalancerIngressHTTP", "LoadBalancerIngressHTTPS",
// "LoadBalancerEgress", "LoadBalancer", "HTTPSListener" (certificate, TLS 1.3 policy,
// default action a fixed 404), "HTTPListener" (301 to HTTPS), "Cluster", and the
// outputs in Outputs.
func New(scope constructs.Construct, id string, cfg Config) *Platform {
	tfx.MustBeValid("platform", id, cfg.Validate())
	p := &Platform{cfg: cfg.withDefaults()}
	cdktf.NewTerraformStack_Override(p, scope, jsii.String(id))
	c := p.cfg
	env := c.Environment
	stackapp.Setup(p, id, env, c.Region, c.state())
	n, err := c.names(env)
	if err != nil {
		panic(fmt.Sprintf("platform.New(%q): %v", id, err)) // checked by Validate
	}
	tags := func(name string) *map[string]*string { return tfx.Tags(env, name) }

	p.network = network.New(p, "Network", c.networkConfig())
	p.albSG = securitygroup.NewSecurityGroup(p, jsii.String("LoadBalancerSecurityGroup"), &securitygroup.SecurityGroupConfig{
		Name:        jsii.String(n.albSG),
		Description: jsii.String("Internet to the shared load balancer " + n.alb + ", and on to attached services"),
		VpcId:       p.network.VPCID(),
		Tags:        tags(n.albSG),
		Lifecycle:   tfx.CreateBeforeDestroy(),
	})
	tfx.WorldIngress(p, "LoadBalancerIngressHTTP", p.albSG.Id(), tfx.PortHTTP, "HTTP (redirected to HTTPS)")
	tfx.WorldIngress(p, "LoadBalancerIngressHTTPS", p.albSG.Id(), tfx.PortHTTPS, "HTTPS")
	// The one egress rule: targets anywhere in the VPC on the target ports. Each
	// attached service admits this group on its own container port; none adds a rule
	// here, so the group's rules do not grow with the number of PR environments.
	vpcsecuritygroupegressrule.NewVpcSecurityGroupEgressRule(p, jsii.String("LoadBalancerEgress"), &vpcsecuritygroupegressrule.VpcSecurityGroupEgressRuleConfig{
		SecurityGroupId: p.albSG.Id(), IpProtocol: jsii.String("tcp"),
		FromPort: jsii.Number(float64(c.TargetPorts.From)), ToPort: jsii.Number(float64(c.TargetPorts.To)),
		CidrIpv4: p.network.VPCCIDR(), Description: jsii.String("To attached services in the VPC on the target ports"),
	})
	p.alb = tfx.InternetFacingALB(p, "LoadBalancer", tfx.ALB{
		Name: n.alb, SecurityGroupID: p.albSG.Id(), Subnets: p.network.PublicSubnetIDs(),
		DeletionProtection: env.Profile().DeletionProtection,
		AccessLogsBucket:   c.AccessLogsBucket, AccessLogsPrefix: env.Prefix(), Tags: tags(n.alb),
	})
	p.https = lblistener.NewLbListener(p, jsii.String("HTTPSListener"), &lblistener.LbListenerConfig{
		LoadBalancerArn: p.alb.Arn(), Port: jsii.Number(tfx.PortHTTPS), Protocol: jsii.String("HTTPS"),
		CertificateArn: jsii.String(c.CertificateARN), SslPolicy: jsii.String(lmsservice.DefaultSSLPolicy),
		DefaultAction: &[]*lblistener.LbListenerDefaultAction{{
			Type: jsii.String("fixed-response"),
			FixedResponse: &lblistener.LbListenerDefaultActionFixedResponse{
				ContentType: jsii.String("text/plain"), MessageBody: jsii.String(NotFoundBody), StatusCode: jsii.String("404"),
			},
		}},
		Tags: tags(n.alb + "-https"),
	})
	p.http = lblistener.NewLbListener(p, jsii.String("HTTPListener"), &lblistener.LbListenerConfig{
		LoadBalancerArn: p.alb.Arn(), Port: jsii.Number(tfx.PortHTTP), Protocol: jsii.String("HTTP"),
		DefaultAction: tfx.RedirectToHTTPS(), Tags: tags(n.alb + "-http"),
	})
	p.cluster = tfx.Cluster(p, "Cluster", n.cluster, tags(n.cluster))
	const fix = "the platform's name (PLATFORM_NAME)"
	tfx.EnterStack(p).Claim(
		tfx.Named{Kind: naming.SecurityGroup, Name: n.albSG, Child: "LoadBalancerSecurityGroup", Within: *p.network.VPCID(), Fix: fix},
		tfx.Named{Kind: naming.LoadBalancer, Name: n.alb, Child: "LoadBalancer", Fix: fix},
		tfx.Named{Kind: naming.ECSCluster, Name: n.cluster, Child: "Cluster", Fix: fix})

	for _, o := range []struct {
		name, description string
		value             any
	}{
		{OutputListenerARN, "ARN of the shared HTTPS listener: PLATFORM_LISTENER_ARN of attached stacks", p.https.Arn()},
		{OutputALBSecurityGroupID, "Security group of the shared load balancer: PLATFORM_ALB_SECURITY_GROUP_ID", p.albSG.Id()},
		{OutputClusterARN, "ARN of the shared ECS cluster: PLATFORM_CLUSTER_ARN", p.cluster.Arn()},
		{OutputVPCID, "VPC ID: PLATFORM_VPC_ID", p.network.VPCID()},
		// The lists as one token each: cdktf 0.20 calls Node's deprecated util.isArray on
		// an output value that is a plain list, and Node.js 22 warns on stderr of every
		// synth (DEP0044). The synthesized output is the same.
		{OutputPublicSubnetIDs, "Public subnet IDs: PLATFORM_PUBLIC_SUBNET_IDS (comma-separated)", cdktf.Token_AsAny(p.network.PublicSubnetIDs())},
		{OutputPrivateSubnetIDs, "Private subnet IDs: PLATFORM_PRIVATE_SUBNET_IDS (comma-separated)", cdktf.Token_AsAny(p.network.PrivateSubnetIDs())},
		{OutputALBDNSName, "DNS name of the shared load balancer: the target of the preview domain's wildcard record", p.alb.DnsName()},
		{OutputALBZoneID, "Hosted zone ID of the shared load balancer, for a Route 53 alias record", p.alb.ZoneId()},
		{OutputPrivateSubnetEgress, "Egress of the private subnets (nat, endpoints or none): PLATFORM_EGRESS", string(p.network.Egress())},
	} {
		cdktf.NewTerraformOutput(p, jsii.String(o.name), &cdktf.TerraformOutputConfig{
			Value: o.value, Description: jsii.String(o.description),
		})
	}
	return p
}

// Config returns the configuration with defaults applied.
func (p *Platform) Config() Config { return p.cfg }

// Network returns the platform's network.
func (p *Platform) Network() *network.Network { return p.network }

// LoadBalancer returns the shared aws_lb.
func (p *Platform) LoadBalancer() lb.Lb { return p.alb }

// LoadBalancerSecurityGroup returns the shared load balancer's security group.
func (p *Platform) LoadBalancerSecurityGroup() securitygroup.SecurityGroup { return p.albSG }

// HTTPSListener returns the shared HTTPS listener, which attached services add their
// rules to.
func (p *Platform) HTTPSListener() lblistener.LbListener { return p.https }

// HTTPListener returns the HTTP listener (a redirect to HTTPS).
func (p *Platform) HTTPListener() lblistener.LbListener { return p.http }

// Cluster returns the shared ECS cluster.
func (p *Platform) Cluster() ecscluster.EcsCluster { return p.cluster }
