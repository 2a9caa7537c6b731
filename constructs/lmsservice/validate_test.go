package lmsservice_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/constructs/cache"
	"github.com/tapstack/infra/constructs/lmsservice"
	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/constructs/network"
	"github.com/tapstack/infra/internal/testutil"
)

// networks are built once for the validation tests.
var networks = map[string]*network.Network{}
var validationStack cdktf.TerraformStack

func net(t *testing.T, name string) *network.Network {
	t.Helper()
	if validationStack == nil {
		validationStack = testutil.NewStack("Validation")
		env := pr
		networks["nat"] = network.New(validationStack, "NAT", network.Config{Environment: env, NAT: network.NATSingle})
		networks["none"] = network.New(validationStack, "None", network.Config{Environment: env, NAT: network.NATNone})
		networks["endpoints"] = network.New(validationStack, "Endpoints", network.Config{Environment: env, NAT: network.NATNone, Endpoints: true})
		networks["private-only"] = network.New(validationStack, "PrivateOnly", network.Config{Environment: env, ExistingVPCID: "vpc-0a1b2c3d",
			PrivateSubnetIDs: []string{"subnet-00000003", "subnet-00000004"}, ExistingEgress: network.EgressNAT})
		networks["cache"] = network.New(validationStack, "ForCache", network.Config{Environment: env, NAT: network.NATSingle})
	}
	return networks[name]
}

func TestEgressCheck(t *testing.T) {
	fixes := []string{
		"tasks in the private subnets could not pull images or read secrets: the network has neither NAT nor VPC endpoints",
		"enable NAT (network.Config.NAT = NATSingle or NATPerAZ)",
		"add endpoints (network.Config.Endpoints = true)",
		"run the tasks in the public subnets (lmsservice.Config.AssignPublicIP = true)",
	}
	err := lmsservice.Config{Environment: pr, Network: net(t, "none"), Image: image}.Validate()
	if err == nil {
		t.Fatal("private tasks without NAT or endpoints were accepted")
	}
	for _, f := range fixes {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("egress error %q does not offer %q", err, f)
		}
	}
	// Each of the three fixes is accepted.
	for desc, cfg := range map[string]lmsservice.Config{
		"NAT":            {Environment: pr, Network: net(t, "nat"), Image: image},
		"endpoints":      {Environment: pr, Network: net(t, "endpoints"), Image: image},
		"AssignPublicIP": {Environment: pr, Network: net(t, "none"), Image: image, AssignPublicIP: true},
	} {
		if err := cfg.Validate(); err != nil {
			t.Errorf("fix %s: %v", desc, err)
		}
	}
	// New refuses the placement before defining anything of the service.
	stack := testutil.NewStack("Egress")
	n := network.New(stack, "Network", network.Config{Environment: pr, NAT: network.NATNone})
	before := testutil.Synth(t, stack).ResourceTypes()
	msg := testutil.MustPanic(t, func() { lmsservice.New(stack, "Service", lmsservice.Config{Environment: pr, Network: n, Image: image}) })
	if !strings.Contains(msg, `lmsservice.New("Service"): invalid Config`) || !strings.Contains(msg, fixes[0]) {
		t.Errorf("panic = %q", msg)
	}
	if diff := cmp.Diff(before, testutil.Synth(t, stack).ResourceTypes()); diff != "" {
		t.Errorf("a refused Config defined resources (-before +after):\n%s", diff)
	}
}

func TestValidate(t *testing.T) {
	base := func(c lmsservice.Config) lmsservice.Config {
		c.Environment, c.Network = pr, net(t, "nat")
		if c.Image == "" {
			c.Image = image
		}
		return c
	}
	redis := cache.New(validationStackOf(t), "Cache", cache.Config{Environment: pr, Network: net(t, "cache")})
	tests := []struct {
		desc string
		cfg  lmsservice.Config
		want []string
	}{
		{"nothing", lmsservice.Config{}, []string{"Environment is required", "Network is required", "Image is empty"}},
		{"blank image", base(lmsservice.Config{Image: "  "}), []string{"Image is empty"}},
		{"bad CPU", base(lmsservice.Config{CPU: 300}), []string{"CPU 300 is not a Fargate size (valid: 256, 512, 1024, 2048, 4096, 8192, 16384)"}},
		{"bad memory", base(lmsservice.Config{CPU: 256, Memory: 4096}), []string{"invalid Memory 4096 for CPU 256 (valid: 512, 1024, 2048)"}},
		{"desired count", base(lmsservice.Config{DesiredCount: new(-1)}), []string{"DesiredCount -1 must not be negative"}},
		{"port", base(lmsservice.Config{ContainerPort: 70000}), []string{"ContainerPort 70000 is out of range 1-65535"}},
		{"autoscaling min over max", base(lmsservice.Config{AutoscalingMaxCount: 2, AutoscalingMinCount: 3}), []string{"AutoscalingMinCount 3 is greater than AutoscalingMaxCount 2"}},
		{"autoscaling target", base(lmsservice.Config{AutoscalingMaxCount: 4, AutoscalingCPUPercent: 95}), []string{"AutoscalingCPUPercent 95 is out of range 10-90"}},
		{"autoscaling fields without max", base(lmsservice.Config{AutoscalingMinCount: 2}), []string{"need AutoscalingMaxCount > 0"}},
		{"certificate not ACM", base(lmsservice.Config{CertificateARN: "arn:aws:iam::123456789012:server-certificate/x"}), []string{`CertificateARN "arn:aws:iam::123456789012:server-certificate/x" is not an ACM certificate ARN`}},
		{"SSL policy", base(lmsservice.Config{SSLPolicy: "modern"}), []string{`SSLPolicy "modern" is not an ELB security policy name`}},
		{"KMS", base(lmsservice.Config{KMSKeyARN: "alias/x"}), []string{`KMSKeyARN "alias/x" is not a KMS key ARN`}},
		{"log KMS", base(lmsservice.Config{LogKMSKeyARN: "key"}), []string{`LogKMSKeyARN "key" is not a KMS key ARN`}},
		{"access logs bucket", base(lmsservice.Config{AccessLogsBucket: "Logs_Bucket"}), []string{`AccessLogsBucket "Logs_Bucket" is not an S3 bucket name`}},
		{"cluster ARN", base(lmsservice.Config{ExistingClusterARN: "shared"}), []string{`ExistingClusterARN "shared" is not an ECS cluster ARN`}},
		{"cluster token", base(lmsservice.Config{ExistingClusterARN: "${TfToken[TOKEN.1]}"}), []string{"ExistingClusterARN must be a literal ARN"}},
		{"retention", base(lmsservice.Config{LogRetentionDays: new(2)}), []string{"LogRetentionDays 2 is not a CloudWatch Logs retention"}},
		{"health path", base(lmsservice.Config{HealthCheckPath: "health"}), []string{`HealthCheckPath "health" must start with '/'`}},
		{"percentages", base(lmsservice.Config{MinHealthyPercent: new(101), MaxPercent: 250}), []string{"MinHealthyPercent 101 is out of range 0-100", "MaxPercent 250 is out of range 100-200"}},
		{"deregistration", base(lmsservice.Config{DeregistrationDelaySeconds: new(4000)}), []string{"DeregistrationDelaySeconds 4000 is out of range 0-3600"}},
		{"grace period", base(lmsservice.Config{HealthCheckGracePeriodSeconds: new(-5)}), []string{"HealthCheckGracePeriodSeconds -5 must not be negative"}},
		{"one zone", lmsservice.Config{Environment: pr, Network: network.Config{Environment: pr, AZCount: 1, NAT: network.NATSingle}.Plan(), Image: image},
			[]string{"Network has 1 public subnet(s): the internet-facing ALB needs two, in two availability zones (network.Config.AZCount >= 2, or at least two PublicSubnetIDs for an existing VPC)"}},
		{"bad component", base(lmsservice.Config{Component: "Web"}), []string{`Component: component "Web" must be lowercase`}},
		{"DB username", base(lmsservice.Config{DBUsername: "1admin"}), []string{`DBUsername "1admin" must be a letter or '_'`}},
		{"no public subnets", lmsservice.Config{Environment: pr, Network: net(t, "private-only"), Image: image}, []string{"Network has 0 public subnet(s): the internet-facing ALB needs two"}},
		{"env and secret collide", base(lmsservice.Config{ContainerEnv: map[string]string{"TOKEN": "x"}, Secrets: map[string]lmsservice.SecretRef{"TOKEN": {ARN: apiKey}}}), []string{`"TOKEN" is both in ContainerEnv and in Secrets`}},
		{"reserved DB variable", base(lmsservice.Config{ContainerEnv: map[string]string{"DB_PASSWORD": "hunter2"}}), []string{`ContainerEnv key "DB_PASSWORD" is set by the DB secret`}},
		{"reserved cache variable", base(lmsservice.Config{Cache: redis, Secrets: map[string]lmsservice.SecretRef{"REDIS_URL": {ARN: apiKey}}}), []string{`Secrets key "REDIS_URL" is set by Cache`}},
		{"bad variable names", base(lmsservice.Config{ContainerEnv: map[string]string{"1X": "y"}, Secrets: map[string]lmsservice.SecretRef{"a-b": {ARN: apiKey}}}), []string{`ContainerEnv key "1X" is not a variable name`, `Secrets key "a-b" is not a variable name`}},
		{"secret ARN", base(lmsservice.Config{Secrets: map[string]lmsservice.SecretRef{"A": {ARN: "lms/api-key"}, "B": {}}}), []string{`Secrets["A"].ARN "lms/api-key" is not a Secrets Manager secret ARN`, `Secrets["B"].ARN is empty`}},
		{"JSON key", base(lmsservice.Config{Secrets: map[string]lmsservice.SecretRef{"A": {ARN: apiKey, JSONKey: "a:b"}}}), []string{`Secrets["A"].JSONKey "a:b" must not contain ':'`}},
		{"health check form", base(lmsservice.Config{HealthCheckCommand: []string{"curl"}}), []string{`HealthCheckCommand ["curl"] needs a form and a command`}},
		{"health check kind", base(lmsservice.Config{HealthCheckCommand: []string{"RUN", "curl"}}), []string{`HealthCheckCommand starts with "RUN"`}},
		{"names that break a rule", lmsservice.Config{Environment: naming.MustEnvironment("stage", naming.Options{Project: "sg"}), Network: net(t, "nat"), Image: image}, []string{`Environment "stage", Component "": security group name "sg-alb-sg-stage" must not start with "sg-"`}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) { testutil.ErrorContains(t, tt.cfg.Validate(), tt.want...) })
	}
	valid := base(lmsservice.Config{CPU: 16384, Memory: 122880, AutoscalingMaxCount: 3, Secrets: map[string]lmsservice.SecretRef{"TOKEN": {ARN: "${TfToken[TOKEN.9]}", JSONKey: "token"}}})
	if err := valid.Validate(); err != nil {
		t.Errorf("valid config rejected: %v", err)
	}
	// Zero is a value, honored where AWS gives it a meaning; unset is nil.
	zeros := base(lmsservice.Config{MinHealthyPercent: new(0), DeregistrationDelaySeconds: new(0), HealthCheckGracePeriodSeconds: new(0), LogRetentionDays: new(0), DesiredCount: new(0)})
	if err := zeros.Validate(); err != nil {
		t.Errorf("zeros rejected: %v", err)
	}
	// A whole composition validates before anything is defined, from plans.
	netPlan := network.Config{Environment: pr, NAT: network.NATNone}.Plan()
	planned := lmsservice.Config{Environment: pr, Network: netPlan, Image: image, AssignPublicIP: true,
		Cache:   cache.Config{Environment: pr, Network: netPlan, ConnectionSecret: true}.Plan(),
		Secrets: map[string]lmsservice.SecretRef{"REDIS_URL": {ARN: apiKey}}}
	testutil.ErrorContains(t, planned.Validate(), `Secrets key "REDIS_URL" is set by Cache`)
}

func validationStackOf(t *testing.T) cdktf.TerraformStack {
	net(t, "nat")
	return validationStack
}

func TestValidFargate(t *testing.T) {
	for cpu, mems := range map[int][]int{256: {512, 2048}, 512: {1024, 4096}, 4096: {8192, 30720}, 8192: {16384, 61440}, 16384: {32768, 122880}} {
		for _, m := range mems {
			if err := lmsservice.ValidFargate(cpu, m); err != nil {
				t.Errorf("ValidFargate(%d, %d) = %v", cpu, m, err)
			}
		}
	}
	for _, pair := range [][2]int{{256, 3072}, {512, 512}, {8192, 20000}, {128, 512}} {
		if lmsservice.ValidFargate(pair[0], pair[1]) == nil {
			t.Errorf("ValidFargate(%d, %d) accepted", pair[0], pair[1])
		}
	}
}

// TestDefaultMemoryThatDoesNotFit: a CPU whose Fargate memories exclude the default says
// that Memory was not set, rather than blaming a value the user never gave.
func TestDefaultMemoryThatDoesNotFit(t *testing.T) {
	cfg := lmsservice.Config{Environment: pr, Network: network.Config{Environment: pr, NAT: network.NATSingle}.Plan(), Image: image, CPU: 1024}
	testutil.ErrorContains(t, cfg.Validate(), "invalid Memory 512 for CPU 1024 (valid: 2048, 3072, 4096, 5120, 6144, 7168, 8192): Memory is not set and its default 512 does not fit CPU 1024, set Memory")
}

// TestTypedNil: a nil *network.Network or *cache.Cache in the interfaces is refused or
// treated as absent, never dereferenced.
func TestTypedNil(t *testing.T) {
	var net *network.Network
	var redis *cache.Cache
	testutil.ErrorContains(t, lmsservice.Config{Environment: pr, Network: net, Cache: redis, Image: image}.Validate(), "Network is required")
	testutil.ErrorContains(t, cache.Config{Environment: pr, Network: net}.Validate(), "Network is required")
	plan := network.Config{Environment: pr, NAT: network.NATSingle}.Plan()
	if err := (lmsservice.Config{Environment: pr, Network: plan, Cache: redis, Image: image}).Validate(); err != nil {
		t.Errorf("a nil cache is no cache: %v", err)
	}
}
