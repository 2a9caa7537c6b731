package tfx

import (
	"strconv"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ecscluster"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/lb"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/lblistener"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcsecuritygroupingressrule"
)

// WorldIngress admits TCP on port from anywhere (0.0.0.0/0) into the security group: the
// rule of an internet-facing load balancer, and the only kind of world-open rule the
// library defines. The description is "<what> from the internet".
func WorldIngress(scope constructs.Construct, id string, securityGroupID *string, port int, what string) {
	p := jsii.Number(float64(port))
	vpcsecuritygroupingressrule.NewVpcSecurityGroupIngressRule(scope, jsii.String(id), &vpcsecuritygroupingressrule.VpcSecurityGroupIngressRuleConfig{
		SecurityGroupId: securityGroupID, IpProtocol: jsii.String("tcp"), FromPort: p, ToPort: p,
		CidrIpv4: jsii.String("0.0.0.0/0"), Description: jsii.String(what + " from the internet"),
	})
}

// RedirectToHTTPS is the default action of an HTTP listener in front of an HTTPS one: a
// permanent (301) redirect to the same URL on HTTPS, port 443.
func RedirectToHTTPS() *[]*lblistener.LbListenerDefaultAction {
	return &[]*lblistener.LbListenerDefaultAction{{
		Type: jsii.String("redirect"),
		Redirect: &lblistener.LbListenerDefaultActionRedirect{
			Protocol: jsii.String("HTTPS"), Port: jsii.String(strconv.Itoa(PortHTTPS)), StatusCode: jsii.String("HTTP_301"),
		},
	}}
}

// ALB describes an internet-facing Application Load Balancer for InternetFacingALB.
type ALB struct {
	// Name of the load balancer (naming.LoadBalancer).
	Name string
	// SecurityGroupID of the load balancer's own group.
	SecurityGroupID *string
	// Subnets are public subnets in at least two zones.
	Subnets *[]*string
	// DeletionProtection (the environment profile's).
	DeletionProtection bool
	// AccessLogsBucket turns on access logs under AccessLogsPrefix; "" for none.
	AccessLogsBucket, AccessLogsPrefix string
	// Tags of the load balancer.
	Tags *map[string]*string
}

// InternetFacingALB defines an internet-facing Application Load Balancer that drops
// invalid header fields.
func InternetFacingALB(scope constructs.Construct, id string, a ALB) lb.Lb {
	props := &lb.LbConfig{
		Name:                     jsii.String(a.Name),
		Internal:                 jsii.Bool(false),
		LoadBalancerType:         jsii.String("application"),
		SecurityGroups:           &[]*string{a.SecurityGroupID},
		Subnets:                  a.Subnets,
		DropInvalidHeaderFields:  jsii.Bool(true),
		EnableDeletionProtection: jsii.Bool(a.DeletionProtection),
		Tags:                     a.Tags,
	}
	if a.AccessLogsBucket != "" {
		props.AccessLogs = &lb.LbAccessLogs{
			Bucket: jsii.String(a.AccessLogsBucket), Prefix: jsii.String(a.AccessLogsPrefix), Enabled: jsii.Bool(true),
		}
	}
	return lb.NewLb(scope, jsii.String(id), props)
}

// Cluster defines an ECS cluster with Container Insights on.
func Cluster(scope constructs.Construct, id, name string, tags *map[string]*string) ecscluster.EcsCluster {
	return ecscluster.NewEcsCluster(scope, jsii.String(id), &ecscluster.EcsClusterConfig{
		Name:    jsii.String(name),
		Setting: &[]*ecscluster.EcsClusterSetting{{Name: jsii.String("containerInsights"), Value: jsii.String("enabled")}},
		Tags:    tags,
	})
}
