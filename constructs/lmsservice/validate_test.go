package lmsservice_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/awsid"
	"github.com/tapstack/infra/constructs/cache"
	"github.com/tapstack/infra/constructs/lmsservice"
	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/constructs/network"
	"github.com/tapstack/infra/field"
	"github.com/tapstack/infra/internal/testutil"
)

// validation holds the networks and the cache of the validation tests, built on first
// use by net.
var validation struct {
	stack    cdktf.TerraformStack
	networks map[string]*network.Network
	cache    *cache.Cache
}

func net(t *testing.T, name string) *network.Network {
	t.Helper()
	if validation.stack == nil {
		stack := testutil.NewStack("Validation")
		env := pr
		validation.stack = stack
		validation.networks = map[string]*network.Network{
			"nat":       network.New(stack, "NAT", network.Config{Environment: env, NAT: network.NATSingle}),
			"none":      network.New(stack, "None", network.Config{Environment: env, NAT: network.NATNone}),
			"endpoints": network.New(stack, "Endpoints", network.Config{Environment: env, NAT: network.NATNone, Endpoints: true}),
			"private-only": network.FromAttributes(stack, "PrivateOnly", network.Attributes{Environment: env, VPCID: "vpc-0a1b2c3d",
				PrivateSubnetIDs: []string{"subnet-00000003", "subnet-00000004"}, Egress: network.EgressNAT}),
		}
		validation.cache = cache.New(stack, "Cache", cache.Config{Environment: env, Network: validation.networks["nat"]})
	}
	return validation.networks[name]
}

func TestEgressCheck(t *testing.T) {
	fixes := []string{
		"Network gives tasks in the private subnets no way to pull images or read secrets: it has neither NAT nor VPC endpoints",
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
	net(t, "nat")
	redis := validation.cache
	tests := []struct {
		desc string
		cfg  lmsservice.Config
		want []string
	}{
		{"nothing", lmsservice.Config{}, []string{"Environment is required", "Network is required", "Image is empty"}},
		{"blank image", base(lmsservice.Config{Image: "  "}), []string{`Image "  " is empty`}},
		{"bad CPU", base(lmsservice.Config{CPU: 300}), []string{"CPU 300 is not a Fargate size (valid: 256, 512, 1024, 2048, 4096, 8192, 16384)"}},
		{"bad memory", base(lmsservice.Config{CPU: 256, Memory: 4096}), []string{"Memory 4096 invalid Memory 4096 for CPU 256 (valid: 512, 1024, 2048)"}},
		{"desired count", base(lmsservice.Config{DesiredCount: new(-1)}), []string{"DesiredCount -1 must not be negative"}},
		{"port", base(lmsservice.Config{ContainerPort: 70000}), []string{"ContainerPort 70000 is out of range 1-65535"}},
		{"autoscaling min over max", base(lmsservice.Config{AutoscalingMaxCount: 2, AutoscalingMinCount: new(3)}), []string{"AutoscalingMinCount 3 is greater than AutoscalingMaxCount 2"}},
		{"autoscaling target", base(lmsservice.Config{AutoscalingMaxCount: 4, AutoscalingCPUPercent: 95}), []string{"AutoscalingCPUPercent 95 is out of range 10-90"}},
		{"autoscaling memory", base(lmsservice.Config{AutoscalingMaxCount: 4, AutoscalingMemoryPercent: 5}), []string{"AutoscalingMemoryPercent 5 is out of range 10-90"}},
		{"autoscaling fields without max", base(lmsservice.Config{AutoscalingMinCount: new(2), AutoscalingRequestsPerTarget: 10}),
			[]string{"AutoscalingMinCount 2 needs AutoscalingMaxCount > 0", "AutoscalingRequestsPerTarget 10 needs AutoscalingMaxCount > 0"}},
		{"certificate not ACM", base(lmsservice.Config{CertificateARN: "arn:aws:iam::123456789012:server-certificate/x"}), []string{`CertificateARN "arn:aws:iam::123456789012:server-certificate/x" is not an ACM certificate ARN`}},
		{"certificate of another region", base(lmsservice.Config{CertificateARN: "arn:aws:acm:eu-west-1:123456789012:certificate/abc"}), []string{`is in region eu-west-1, not the stack's region ca-central-1`}},
		{"SSL policy", base(lmsservice.Config{SSLPolicy: "modern"}), []string{`SSLPolicy "modern" is not an ELB security policy name`}},
		{"KMS", base(lmsservice.Config{KMSKeyARN: "alias/x"}), []string{`KMSKeyARN "alias/x" is not an ARN`}},
		{"log KMS", base(lmsservice.Config{LogKMSKeyARN: "key"}), []string{`LogKMSKeyARN "key" is not an ARN`}},
		{"access logs bucket", base(lmsservice.Config{AccessLogsBucket: "Logs_Bucket"}), []string{`AccessLogsBucket "Logs_Bucket" is not an S3 bucket name`}},
		{"retention", base(lmsservice.Config{LogRetentionDays: new(2)}), []string{"LogRetentionDays 2 is not a CloudWatch Logs retention"}},
		{"health path", base(lmsservice.Config{HealthCheckPath: "health"}), []string{`HealthCheckPath "health" must start with '/'`}},
		{"health path with an expression", base(lmsservice.Config{HealthCheckPath: "/${var.x}"}), []string{`HealthCheckPath "/${var.x}" holds "${"`}},
		{"percentages", base(lmsservice.Config{MinHealthyPercent: new(101), MaxPercent: 250}), []string{"MinHealthyPercent 101 is out of range 0-100", "MaxPercent 250 is out of range 100-200"}},
		{"deregistration", base(lmsservice.Config{DeregistrationDelaySeconds: new(4000)}), []string{"DeregistrationDelaySeconds 4000 is out of range 0-3600"}},
		{"grace period", base(lmsservice.Config{HealthCheckGracePeriodSeconds: new(-5)}), []string{"HealthCheckGracePeriodSeconds -5 must not be negative"}},
		{"bad component", base(lmsservice.Config{Component: "Web"}), []string{`Component "Web" is not a component`}},
		{"DB username", base(lmsservice.Config{DBSecret: true, DBUsername: "1admin"}), []string{`DBUsername "1admin" must be a letter or '_'`}},
		{"DB username without the secret", base(lmsservice.Config{DBUsername: "admin"}), []string{`DBUsername "admin" is the user of the DB secret, and DBSecret is false`}},
		{"DB password version", base(lmsservice.Config{DBSecret: true, DBPasswordVersion: -1}), []string{`DBPasswordVersion -1 must be 1 or more`}},
		{"DB password version without the secret", base(lmsservice.Config{DBPasswordVersion: 2}), []string{`DBPasswordVersion 2 is the version of the DB secret's password, and DBSecret is false`}},
		{"no public subnets", lmsservice.Config{Environment: pr, Network: net(t, "private-only"), Image: image}, []string{"Network has 0 public subnet(s): the internet-facing load balancer needs two"}},
		{"env and secret collide", base(lmsservice.Config{ContainerEnv: map[string]string{"TOKEN": "x"}, Secrets: map[string]lmsservice.SecretRef{"TOKEN": {ARN: apiKey}}}), []string{`ContainerEnv["TOKEN"] "TOKEN" is in Secrets too`}},
		{"reserved DB variable", base(lmsservice.Config{DBSecret: true, ContainerEnv: map[string]string{"DB_PASSWORD": "hunter2"}}), []string{`ContainerEnv["DB_PASSWORD"] "DB_PASSWORD" is set by DBSecret`}},
		{"DB variable without the secret is the app's", base(lmsservice.Config{ContainerEnv: map[string]string{"DB_USERNAME": "app"}}), nil},
		{"reserved cache variable", base(lmsservice.Config{Cache: redis, Secrets: map[string]lmsservice.SecretRef{"REDIS_URL": {ARN: apiKey}}}), []string{`Secrets["REDIS_URL"] "REDIS_URL" is set by Cache`}},
		{"bad variable names", base(lmsservice.Config{ContainerEnv: map[string]string{"1X": "y"}, Secrets: map[string]lmsservice.SecretRef{"a-b": {ARN: apiKey}}}), []string{`ContainerEnv["1X"] "1X" is not a variable name`, `Secrets["a-b"] "a-b" is not a variable name`}},
		{"variable with an expression", base(lmsservice.Config{ContainerEnv: map[string]string{"X": "${data.external.x.result}"}}), []string{`ContainerEnv["X"] "${data.external.x.result}" holds "${"`}},
		{"secret ARN", base(lmsservice.Config{Secrets: map[string]lmsservice.SecretRef{"A": {ARN: "lms/api-key"}, "B": {}}}), []string{`Secrets["A"].ARN "lms/api-key" is not a Secrets Manager secret ARN`, `Secrets["B"].ARN is required`}},
		{"secret of another region", base(lmsservice.Config{Secrets: map[string]lmsservice.SecretRef{"A": {ARN: "arn:aws:secretsmanager:us-east-1:123456789012:secret:x-AbCdEf"}}}), []string{`is in region us-east-1, not the stack's region ca-central-1`}},
		{"JSON key", base(lmsservice.Config{Secrets: map[string]lmsservice.SecretRef{"A": {ARN: apiKey, JSONKey: "a:b"}}}), []string{`Secrets["A"].JSONKey "a:b" must not contain ':'`}},
		{"JSON key of a parameter", base(lmsservice.Config{Secrets: map[string]lmsservice.SecretRef{"A": {ARN: parameter, JSONKey: "x"}}}), []string{`Secrets["A"].JSONKey "x" selects a key of a Secrets Manager secret, and ARN is an SSM parameter`}},
		{"health check form", base(lmsservice.Config{HealthCheckCommand: []string{"curl"}}), []string{`HealthCheckCommand "curl" needs a form and a command`}},
		{"health check kind", base(lmsservice.Config{HealthCheckCommand: []string{"RUN", "curl"}}), []string{`HealthCheckCommand[0] "RUN" must be "CMD" or "CMD-SHELL"`}},
		{"command with an expression", base(lmsservice.Config{Command: []string{"run", "%{if x}y%{endif}"}}), []string{`Command[1] "%{if x}y%{endif}" holds "%{"`}},
		{"unknown ingress", base(lmsservice.Config{Ingress: "public"}), []string{`Ingress "public" is not an ingress`}},
		{"unknown architecture", base(lmsservice.Config{Architecture: "arm"}), []string{`Architecture "arm" is not an architecture`}},
		{"unknown capacity", base(lmsservice.Config{Capacity: "spot"}), []string{`Capacity "spot" is not a capacity`}},
		{"worker with load balancer settings", base(lmsservice.Config{Ingress: lmsservice.IngressNone, HealthCheckPath: "/x", DeregistrationDelaySeconds: new(5), CertificateARN: certARN}),
			[]string{`HealthCheckPath "/x" needs a load balancer, and the service is a worker`, "DeregistrationDelaySeconds 5 needs a load balancer", `CertificateARN "` + certARN + `" configures the service's own load balancer`}},
		{"names that break a rule", lmsservice.Config{Environment: naming.MustEnvironment("stage", naming.Options{Project: "sg"}), Network: net(t, "nat"), Image: image}, []string{`Component "sg-tasks-sg-stage" is not a security group name: it must not start with "sg-"`}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			err := tt.cfg.ValidateFor(network.Layout{Egress: network.EgressNAT, PublicSubnets: 2, PrivateSubnets: 2, Place: awsid.In("ca-central-1")})
			if tt.cfg.Network == nil || tt.cfg.Network == net(t, "private-only") {
				err = tt.cfg.Validate()
			}
			if tt.want == nil {
				if err != nil {
					t.Errorf("refused: %v", err)
				}
				return
			}
			testutil.ErrorContains(t, err, tt.want...)
		})
	}
	// A CPU that is no Fargate size is refused as the CPU's problem, not the default
	// Memory's.
	var fe *field.Error
	if errs := field.Split(base(lmsservice.Config{CPU: 300}).Validate()); len(errs) != 1 || !errors.As(errs[0], &fe) || fe.Field != "CPU" || fe.Value != "300" {
		t.Errorf("CPU 300: %q", errs)
	}
	valid := base(lmsservice.Config{CPU: 16384, Memory: 122880, AutoscalingMaxCount: 3, Secrets: map[string]lmsservice.SecretRef{"TOKEN": {ARN: "${TfToken[TOKEN.9]}", JSONKey: "token"}}})
	if err := valid.Validate(); err != nil {
		t.Errorf("valid config rejected: %v", err)
	}
	// Zero is a value, honored where AWS gives it a meaning; unset is nil.
	zeros := base(lmsservice.Config{MinHealthyPercent: new(0), DeregistrationDelaySeconds: new(0), HealthCheckGracePeriodSeconds: new(0), LogRetentionDays: new(0),
		DesiredCount: new(0), AutoscalingMaxCount: 2, AutoscalingMinCount: new(0)})
	if err := zeros.Validate(); err != nil {
		t.Errorf("zeros rejected: %v", err)
	}
	// A whole composition validates before anything is defined, from layouts.
	planned := lmsservice.Config{Environment: pr, Image: image, AssignPublicIP: true,
		Secrets: map[string]lmsservice.SecretRef{"REDIS_URL": {ARN: "x"}}}
	testutil.ErrorContains(t, planned.ValidateFor(network.Config{Environment: pr, NAT: network.NATNone}.Layout()), `Secrets["REDIS_URL"].ARN "x" is not a Secrets Manager secret ARN`)
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
	cfg := lmsservice.Config{Environment: pr, Image: image, CPU: 1024}
	testutil.ErrorContains(t, cfg.ValidateFor(network.Config{Environment: pr, NAT: network.NATSingle}.Layout()),
		"Memory is not set and its default 512 does not fit CPU 1024: set Memory (invalid Memory 512 for CPU 1024 (valid: 2048, 3072, 4096, 5120, 6144, 7168, 8192))")
}
