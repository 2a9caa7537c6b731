package tfx

import (
	"strconv"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
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
