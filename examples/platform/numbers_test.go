package platform_test

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tapstack/infra/examples/tapstack"
	"github.com/tapstack/infra/internal/tapstackapp"
	"github.com/tapstack/infra/internal/testutil"
)

// numbersDoc holds the generated section "numbers" (testutil.GeneratedSection).
const numbersDoc = "../../docs/pr-environments.md"

// hoursPerMonth is AWS's billing month (365 * 24 / 12).
const hoursPerMonth = 730

// price is a unit price of the AWS public price list, us-east-1 (N. Virginia), USD,
// as the pricing pages stated them in 2025; ca-central-1 (the apps' default region) and
// other regions differ by a few percent. They are inputs: the counts they multiply come
// from the synthesized stacks.
type price struct {
	what, unit string
	usd        float64
	source     string
}

var prices = struct {
	alb, natHour, publicIPv4, interfaceEndpoint, fargateVCPU, fargateGB, redisGB, secret price
}{
	alb:               price{"Application Load Balancer", "per ALB-hour (before LCUs)", 0.0225, "aws.amazon.com/elasticloadbalancing/pricing"},
	natHour:           price{"NAT gateway", "per gateway-hour (before data processed)", 0.045, "aws.amazon.com/vpc/pricing"},
	publicIPv4:        price{"Public IPv4 address", "per address-hour (Elastic IPs, ALB nodes, task public IPs)", 0.005, "aws.amazon.com/vpc/pricing"},
	interfaceEndpoint: price{"Interface VPC endpoint", "per endpoint per AZ-hour", 0.01, "aws.amazon.com/privatelink/pricing"},
	fargateVCPU:       price{"Fargate (Linux/x86)", "per vCPU-hour", 0.04048, "aws.amazon.com/fargate/pricing"},
	fargateGB:         price{"Fargate (Linux/x86)", "per GB-hour of memory", 0.004445, "aws.amazon.com/fargate/pricing"},
	redisGB:           price{"ElastiCache Serverless for Redis OSS", "per GB-hour stored, 1 GB minimum (before ECPUs)", 0.125, "aws.amazon.com/elasticache/pricing"},
	secret:            price{"Secrets Manager secret", "per secret-month", 0.40, "aws.amazon.com/secrets-manager/pricing"},
}

// measured are the stacks the numbers come from, synthesized as the apps would.
type measured struct {
	title string
	s     *testutil.Synthesized
}

func clock() time.Time { return time.Unix(1_700_000_042, 0) }

func tapstackStack(t *testing.T, vars map[string]string) *testutil.Synthesized {
	t.Helper()
	cfg, err := tapstackapp.ConfigFromLookup(testutil.Lookup(vars), clock)
	if err != nil {
		t.Fatal(err)
	}
	return testutil.Synth(t, tapstack.New(testutil.NewApp(), cfg.StackName(), cfg))
}

func platformEnv(more map[string]string) map[string]string {
	vars := map[string]string{
		"ENVIRONMENT_SUFFIX": "pr4892", "PR_TIMESTAMP_SUFFIX": "123456",
		"PLATFORM_LISTENER_ARN":          "arn:aws:elasticloadbalancing:ca-central-1:123456789012:listener/app/lms-alb-platform/0123456789abcdef/fedcba9876543210",
		"PLATFORM_CLUSTER_ARN":           "arn:aws:ecs:ca-central-1:123456789012:cluster/lms-cluster-platform",
		"PLATFORM_VPC_ID":                "vpc-0a1b2c3d",
		"PLATFORM_PUBLIC_SUBNET_IDS":     "subnet-0000000a,subnet-0000000b",
		"PLATFORM_PRIVATE_SUBNET_IDS":    "subnet-0000000c,subnet-0000000d",
		"PLATFORM_ALB_SECURITY_GROUP_ID": "sg-0a1b2c3d4e5f60718",
		"PREVIEW_DOMAIN":                 "preview.example.com",
	}
	for k, v := range more {
		vars[k] = v
	}
	return vars
}

// TestPREnvironmentNumbers counts the resources of a standalone PR TapStack, the same
// with NAT, an attached one (public-IP tasks, the default, and private tasks behind the
// platform's NAT) and the platform itself, derives the quota use and the monthly cost,
// and compares the result with docs/pr-environments.md (UPDATE_GOLDEN=1 rewrites it):
// the document's numbers cannot drift from what the code synthesizes.
func TestPREnvironmentNumbers(t *testing.T) {
	pr := map[string]string{"ENVIRONMENT_SUFFIX": "pr4892", "PR_TIMESTAMP_SUFFIX": "123456"}
	prNAT := map[string]string{"ENVIRONMENT_SUFFIX": "pr4892", "PR_TIMESTAMP_SUFFIX": "123456", "CREATE_NAT_GATEWAY": "true"}
	stacks := []measured{
		{"standalone PR", tapstackStack(t, pr)},
		{"standalone PR, `CREATE_NAT_GATEWAY=true`", tapstackStack(t, prNAT)},
		{"attached PR", tapstackStack(t, platformEnv(nil))},
		{"attached PR, `PLATFORM_EGRESS=nat`", tapstackStack(t, platformEnv(map[string]string{"PLATFORM_EGRESS": "nat"}))},
		{"platform (once)", variants.Synth(t, "default")},
	}
	// The section starts after the begin marker's line break, numbers after the marker.
	testutil.GeneratedSection(t, numbersDoc, "numbers", strings.TrimPrefix(numbers(stacks), "\n"))
}

// numbers renders the generated section: resource counts, quotas, monthly cost.
func numbers(stacks []measured) string {
	var b strings.Builder
	row := func(cells ...string) { b.WriteString("| " + strings.Join(cells, " | ") + " |\n") }
	header := func(cells ...string) {
		row(cells...)
		row(strings.Split(strings.Repeat("---,", len(cells)), ",")[:len(cells)]...)
	}
	titles := []string{"resource type"}
	types := map[string]bool{}
	for _, m := range stacks {
		titles = append(titles, m.title)
		for _, typ := range m.s.ResourceTypes() {
			types[typ] = true
		}
	}
	b.WriteString("\n\n### Resources, by type\n\n")
	header(titles...)
	var sorted []string
	for typ := range types {
		sorted = append(sorted, typ)
	}
	sort.Strings(sorted)
	totals := make([]int, len(stacks))
	for _, typ := range sorted {
		cells := []string{"`" + typ + "`"}
		for i, m := range stacks {
			n := m.s.Count(typ)
			totals[i] += n
			cells = append(cells, strconv.Itoa(n))
		}
		row(cells...)
	}
	cells := []string{"**total**"}
	for _, n := range totals {
		cells = append(cells, fmt.Sprintf("**%d**", n))
	}
	row(cells...)

	standalone, withNAT, attached, platform := stacks[0].s, stacks[1].s, stacks[2].s, stacks[len(stacks)-1].s
	b.WriteString("\n### Quotas: how many open PRs each default allows\n\n")
	b.WriteString("One region, AWS's default quotas. \"uses\" is the count in one synthesized PR stack, \"allows\" the\n" +
		"quota divided by it, rounded down, after what the platform takes once; \"no limit\" when a PR\n" +
		"takes none, or only from resources of its own (its own VPC or ALB).\n\n")
	header("quota (default)", "standalone PR uses", "standalone allows", "attached PR uses", "attached allows", "the platform takes")
	sharedRules := 0 // rules an attached stack adds to the platform's load balancer group
	for _, typ := range []string{"aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"} {
		for _, r := range attached.Resources(typ) {
			if r["security_group_id"] == platformEnv(nil)["PLATFORM_ALB_SECURITY_GROUP_ID"] {
				sharedRules++
			}
		}
	}
	for _, q := range []struct {
		name               string
		quota, standalone  int
		own                bool // the standalone PR's use is of its own VPC, ALB or cluster
		attached, platform int
	}{
		{"VPCs per region (5)", 5, standalone.Count("aws_vpc"), false, attached.Count("aws_vpc"), platform.Count("aws_vpc")},
		{"Elastic IPs per region (5)", 5, standalone.Count("aws_eip"), false, attached.Count("aws_eip"), platform.Count("aws_eip")},
		{"Elastic IPs per region (5), PR with `CREATE_NAT_GATEWAY=true`", 5, withNAT.Count("aws_eip"), false, attached.Count("aws_eip"), platform.Count("aws_eip")},
		{"Application Load Balancers per region (50)", 50, standalone.Count("aws_lb"), false, attached.Count("aws_lb"), platform.Count("aws_lb")},
		{"target groups per ALB (100)", 100, standalone.Count("aws_lb_target_group"), true, attached.Count("aws_lb_target_group"), 0},
		{"listener rules per ALB, defaults excluded (100)", 100, standalone.Count("aws_lb_listener_rule"), true, attached.Count("aws_lb_listener_rule"), 0},
		{"VPC security groups per region, default groups included (2500)", 2500, securityGroups(standalone), false, securityGroups(attached), securityGroups(platform)},
		{"rules per security group, in / out (60 / 60), on the platform's ALB group", 60, 0, true, sharedRules,
			max(platform.Count("aws_vpc_security_group_ingress_rule"), platform.Count("aws_vpc_security_group_egress_rule"))},
		{"ECS clusters per region (10000)", 10000, standalone.Count("aws_ecs_cluster"), false, attached.Count("aws_ecs_cluster"), platform.Count("aws_ecs_cluster")},
		{"services per ECS cluster (5000)", 5000, standalone.Count("aws_ecs_service"), true, attached.Count("aws_ecs_service"), 0},
	} {
		allows := func(uses, taken int, own bool) string {
			if uses == 0 || own {
				return "no limit"
			}
			return strconv.Itoa((q.quota - taken) / uses)
		}
		row(q.name, strconv.Itoa(q.standalone), allows(q.standalone, 0, q.own), strconv.Itoa(q.attached), allows(q.attached, q.platform, false), strconv.Itoa(q.platform))
	}

	b.WriteString("\n### Monthly cost of what is always on\n\n")
	fmt.Fprintf(&b, "Counts from the stacks above, times the unit prices below, times %d hours; traffic-dependent\n"+
		"charges (ALB LCUs, NAT data processing, data transfer, cache ECPUs, log ingestion) are left out.\n\n", hoursPerMonth)
	costTitles := []string{"USD per month"}
	for _, m := range stacks {
		costTitles = append(costTitles, m.title)
	}
	header(costTitles...)
	hourly := func(p price, n int) float64 { return float64(n) * p.usd * hoursPerMonth }
	lines := []struct {
		name   string
		shared bool // what an attached PR shares with the platform instead of owning
		cost   func(*testutil.Synthesized) float64
	}{
		{"load balancers", true, func(s *testutil.Synthesized) float64 { return hourly(prices.alb, s.Count("aws_lb")) }},
		{"NAT gateways", true, func(s *testutil.Synthesized) float64 { return hourly(prices.natHour, s.Count("aws_nat_gateway")) }},
		{"public IPv4 addresses", true, func(s *testutil.Synthesized) float64 { return hourly(prices.publicIPv4, publicIPv4(s)) }},
		{"interface endpoints", true, func(s *testutil.Synthesized) float64 {
			return hourly(prices.interfaceEndpoint, interfaceEndpointAZs(s))
		}},
		{"Fargate tasks", false, fargate},
		{"cache (1 GB minimum)", false, func(s *testutil.Synthesized) float64 {
			return hourly(prices.redisGB, s.Count("aws_elasticache_serverless_cache"))
		}},
		{"secrets", false, func(s *testutil.Synthesized) float64 {
			return prices.secret.usd * float64(s.Count("aws_secretsmanager_secret"))
		}},
	}
	sums, network := make([]float64, len(stacks)), make([]float64, len(stacks))
	for _, l := range lines {
		cells := []string{l.name}
		for i, m := range stacks {
			v := l.cost(m.s)
			sums[i] += v
			if l.shared {
				network[i] += v
			}
			cells = append(cells, money(v))
		}
		row(cells...)
	}
	cells = []string{"**total**"}
	for _, v := range sums {
		cells = append(cells, "**"+money(v)+"**")
	}
	row(cells...)
	last := len(stacks) - 1
	fmt.Fprintf(&b, "\nPer PR environment, the load balancer, NAT, public addresses and endpoints cost %s standalone and %s attached\n"+
		"(the tasks, cache and secrets, %s, are the same in both). With 50 open PRs: standalone %s a month;\n"+
		"attached %s plus the platform's %s, %s.\n",
		money(network[0]), money(network[2]), money(sums[0]-network[0]), money(50*sums[0]), money(50*sums[2]), money(sums[last]), money(50*sums[2]+sums[last]))

	b.WriteString("\nUnit prices (us-east-1 list prices as published on the AWS pricing pages in 2025; other regions\n" +
		"differ by a few percent, and prices change: check before you budget):\n\n")
	header("item", "unit", "USD", "source")
	for _, p := range []price{prices.alb, prices.natHour, prices.publicIPv4, prices.interfaceEndpoint, prices.fargateVCPU, prices.fargateGB, prices.redisGB, prices.secret} {
		row(p.what, p.unit, strconv.FormatFloat(p.usd, 'f', -1, 64), p.source)
	}
	b.WriteString("\n")
	return b.String()
}

func money(v float64) string { return fmt.Sprintf("%.2f", math.Round(v*100)/100) }

// securityGroups counts the security groups a stack adds to the region: its own and
// the default group of each VPC it creates.
func securityGroups(s *testutil.Synthesized) int {
	return s.Count("aws_security_group") + s.Count("aws_default_security_group")
}

// publicIPv4 counts the public IPv4 addresses a stack keeps: one per zone of each
// internet-facing load balancer (its subnets), one per Elastic IP, and one per task
// with a public IP (desired count).
func publicIPv4(s *testutil.Synthesized) int {
	n := s.Count("aws_eip")
	for _, lb := range s.Resources("aws_lb") {
		if subnets, ok := lb["subnets"].([]any); ok {
			n += len(subnets)
		}
	}
	for _, svc := range s.Resources("aws_ecs_service") {
		if nc, _ := svc["network_configuration"].(map[string]any); nc["assign_public_ip"] == true {
			n += int(svc["desired_count"].(float64))
		}
	}
	return n
}

// interfaceEndpointAZs counts interface endpoints times the subnets (zones) each is in.
func interfaceEndpointAZs(s *testutil.Synthesized) int {
	n := 0
	for _, e := range s.Resources("aws_vpc_endpoint") {
		if e["vpc_endpoint_type"] == "Interface" {
			subnets, _ := e["subnet_ids"].([]any)
			n += len(subnets)
		}
	}
	return n
}

// fargate is the monthly cost of the services' desired tasks, from the task sizes.
func fargate(s *testutil.Synthesized) float64 {
	total := 0.0
	for _, svc := range s.Resources("aws_ecs_service") {
		for _, td := range s.Resources("aws_ecs_task_definition") {
			cpu, _ := strconv.ParseFloat(td["cpu"].(string), 64)
			mem, _ := strconv.ParseFloat(td["memory"].(string), 64)
			perHour := cpu/1024*prices.fargateVCPU.usd + mem/1024*prices.fargateGB.usd
			total += svc["desired_count"].(float64) * perHour * hoursPerMonth
		}
	}
	return total
}
