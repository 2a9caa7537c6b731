package tapstackapp_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tapstack/infra/internal/apptest"
)

// TestRunPlatformVariables: the platform variables follow the app's discipline: a
// partial set is one line naming the unset ones, every bad value is named by its
// variable, exit 2, nothing written.
func TestRunPlatformVariables(t *testing.T) {
	partial := apptest.PlatformVars(nil)
	delete(partial, "PLATFORM_CLUSTER_ARN")
	delete(partial, "PREVIEW_DOMAIN")
	tests := []struct {
		desc  string
		vars  map[string]string
		lines []string
	}{
		{"partial set", partial, []string{
			"tapstack: PLATFORM_CLUSTER_ARN and PREVIEW_DOMAIN are unset: a stack on the shared platform needs all of PLATFORM_LISTENER_ARN, PLATFORM_CLUSTER_ARN, PLATFORM_VPC_ID, PLATFORM_PUBLIC_SUBNET_IDS, PLATFORM_PRIVATE_SUBNET_IDS, PLATFORM_ALB_SECURITY_GROUP_ID and PREVIEW_DOMAIN, or none of them",
		}},
		{"one set", map[string]string{"PREVIEW_DOMAIN": "preview.example.com"}, []string{
			"tapstack: PLATFORM_LISTENER_ARN, PLATFORM_CLUSTER_ARN, PLATFORM_VPC_ID, PLATFORM_PUBLIC_SUBNET_IDS, PLATFORM_PRIVATE_SUBNET_IDS and PLATFORM_ALB_SECURITY_GROUP_ID are unset: a stack on the shared platform needs all of PLATFORM_LISTENER_ARN, PLATFORM_CLUSTER_ARN, PLATFORM_VPC_ID, PLATFORM_PUBLIC_SUBNET_IDS, PLATFORM_PRIVATE_SUBNET_IDS, PLATFORM_ALB_SECURITY_GROUP_ID and PREVIEW_DOMAIN, or none of them",
		}},
		{"optional ones without the platform", map[string]string{"PLATFORM_EGRESS": "nat", "PLATFORM_RULE_PRIORITY": "7"}, []string{
			`tapstack: PLATFORM_EGRESS="nat": only applies to a stack on the shared platform: set the PLATFORM_* variables and PREVIEW_DOMAIN too, or unset it`,
			`tapstack: PLATFORM_RULE_PRIORITY="7": only applies to a stack on the shared platform: set the PLATFORM_* variables and PREVIEW_DOMAIN too, or unset it`,
		}},
		{"bad values, each named", apptest.PlatformVars(map[string]string{
			"ENVIRONMENT_SUFFIX": "pr4892", "PLATFORM_LISTENER_ARN": "arn:aws:elasticloadbalancing:ca-central-1:123456789012:loadbalancer/app/x/0123456789abcdef",
			"PLATFORM_CLUSTER_ARN": "lms-cluster-platform", "PLATFORM_VPC_ID": "vpc-1", "PLATFORM_PRIVATE_SUBNET_IDS": "subnet-0000000c",
			"PLATFORM_PUBLIC_SUBNET_IDS": "subnet-0000000a,,subnet-0000000b", "PLATFORM_ALB_SECURITY_GROUP_ID": "sg-x",
			"PREVIEW_DOMAIN": "Preview.Example.com", "PLATFORM_EGRESS": "vpn", "PLATFORM_RULE_PRIORITY": "high", "CREATE_NAT_GATEWAY": "true",
		}), []string{
			`tapstack: PLATFORM_PUBLIC_SUBNET_IDS="subnet-0000000a,,subnet-0000000b": has an empty item: separate the values with single commas`,
			`tapstack: PLATFORM_RULE_PRIORITY="high": want a number from 1 to 50000 (unset it for the priority derived from the environment)`,
			`tapstack: CREATE_NAT_GATEWAY="true": is decided by the shared platform (Platform): leave it unset (PLATFORM_EGRESS says where the tasks run)`,
			`tapstack: PLATFORM_VPC_ID="vpc-1": is not a VPC ID (vpc- and 8 or 17 hex digits)`,
			`tapstack: PLATFORM_PRIVATE_SUBNET_IDS="subnet-0000000c": has 1 subnet(s); an existing VPC needs at least 2 private subnets (in different zones)`,
			`tapstack: PLATFORM_EGRESS="vpn": is not an egress kind (want "nat", "endpoints" or "none")`,
			`tapstack: PLATFORM_LISTENER_ARN="arn:aws:elasticloadbalancing:ca-central-1:123456789012:loadbalancer/app/x/0123456789abcdef": is not an Application Load Balancer listener ARN (arn:aws:elasticloadbalancing:<region>:<account>:listener/app/<name>/<id>/<id>): the resource part "loadbalancer/app/x/0123456789abcdef" has the wrong shape`,
			`tapstack: PLATFORM_ALB_SECURITY_GROUP_ID="sg-x": is not a security group ID (sg- and 8 or 17 hex digits)`,
			`tapstack: PLATFORM_CLUSTER_ARN="lms-cluster-platform": is not an ARN (arn:<partition>:<service>:<region>:<account>:<resource>) (want an ECS cluster ARN: arn:aws:ecs:<region>:<account>:cluster/<name>)`,
			`tapstack: PREVIEW_DOMAIN="Preview.Example.com": is not a DNS name: label "Preview" must be lowercase letters, digits and '-', not starting or ending with '-'`,
		}},
		{"host too long for a rule", apptest.PlatformVars(map[string]string{"ENVIRONMENT_SUFFIX": "pr4892", "PREVIEW_DOMAIN": strings.Repeat("a", 60) + "." + strings.Repeat("b", 60) + ".com"}), []string{
			`tapstack: PREVIEW_DOMAIN="` + strings.Repeat("a", 60) + "." + strings.Repeat("b", 39) + `"... (125 characters): makes the host pr4892.<domain> 132 characters, over the 128 a listener rule takes`,
		}},
		{"priority out of range", apptest.PlatformVars(map[string]string{"PLATFORM_RULE_PRIORITY": "50001"}), []string{
			`tapstack: PLATFORM_RULE_PRIORITY="50001": is out of range 1-50000 (0 derives it from the environment: lmsservice.RulePriority)`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			if diff := cmp.Diff(tt.lines, refused(t, tt.vars)); diff != "" {
				t.Errorf("stderr (-want +got):\n%s", diff)
			}
		})
	}
}
