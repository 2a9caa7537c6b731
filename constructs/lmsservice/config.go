package lmsservice

import (
	"errors"
	"regexp"
	"sort"
	"strings"

	"github.com/tapstack/infra/constructs/cache"
	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/constructs/network"
	"github.com/tapstack/infra/internal/tfx"
)

// Defaults.
const (
	DefaultCPU            = 256
	DefaultMemory         = 512
	DefaultContainerPort  = 80
	DefaultDesiredCount   = 2
	DefaultHealthPath     = "/"
	DefaultGracePeriod    = 60
	DefaultDeregistration = 30
	DefaultDBUsername     = "lmsadmin"
	DefaultSSLPolicy      = "ELBSecurityPolicy-TLS13-1-2-2021-06"
	DefaultCPUTarget      = 60
	ContainerName         = "app"
)

// SecretRef names a Secrets Manager secret to inject, and optionally one JSON key of it.
type SecretRef struct {
	// ARN of the secret (a token is fine). Required.
	ARN string
	// JSONKey selects one key of a JSON secret. Default: "" (the whole value).
	JSONKey string
}

// Config configures a Service.
type Config struct {
	// Environment names, tags and profiles every resource. Required.
	Environment naming.Environment
	// Network holds the service: the ALB goes to its public subnets, the tasks to its
	// private subnets (public ones with AssignPublicIP). Required.
	Network *network.Network
	// Cache, when set, is opened to the tasks (TCP 6379 from the task security group) and
	// reaches the container as REDIS_HOST and REDIS_PORT (Terraform references to the
	// endpoint) and, when the cache has a connection secret, REDIS_URL injected from it.
	// Default: no cache.
	Cache *cache.Cache
	// ExistingClusterARN runs the service in an existing ECS cluster. Default: "", a new
	// cluster "lms-cluster-<env>" with Container Insights on.
	ExistingClusterARN string

	// Image of the container. Required.
	Image string
	// CPU units of the task. Default: 256. With Memory, a Fargate combination.
	CPU int
	// Memory of the task in MiB. Default: 512.
	Memory int
	// ContainerPort the container listens on, 1 to 65535. Default: 80.
	ContainerPort int
	// ContainerEnv are plain environment variables of the container. Default: none.
	// Names must not collide with Secrets or the variables set for DB and Cache.
	ContainerEnv map[string]string
	// Secrets are injected into the container by ARN (valueFrom); the execution role may
	// read exactly these secrets (plus the DB and cache secrets). Default: none.
	Secrets map[string]SecretRef
	// KMSKeyARN is the customer managed key of the injected secrets: the DB secret is
	// encrypted with it and the execution role may decrypt with it. Default: "", AWS
	// managed keys.
	KMSKeyARN string
	// HealthCheckCommand is the container health check, for example
	// []string{"CMD-SHELL", "curl -f http://localhost/ || exit 1"}. Default: none.
	HealthCheckCommand []string

	// DesiredCount of tasks, at least 1. Default: 2.
	DesiredCount int
	// HealthCheckGracePeriodSeconds before failing ALB health checks count. Default: 60.
	HealthCheckGracePeriodSeconds int
	// MinHealthyPercent during deployments, 0 to 100. Default: 100.
	MinHealthyPercent int
	// MaxPercent during deployments, 100 to 200. Default: 200.
	MaxPercent int
	// AssignPublicIP runs the tasks in the public subnets with public IPs, so they can
	// pull images without NAT or endpoints. They still accept traffic only from the ALB.
	// Default: false (private subnets).
	AssignPublicIP bool

	// HealthCheckPath of the target group. Default: "/".
	HealthCheckPath string
	// DeregistrationDelaySeconds of the target group, 0 to 3600. Default: 30.
	DeregistrationDelaySeconds int
	// CertificateARN of an ACM certificate adds an HTTPS listener and turns the HTTP
	// listener into a redirect to HTTPS. Default: "" (HTTP only).
	CertificateARN string
	// SSLPolicy of the HTTPS listener. Default: "ELBSecurityPolicy-TLS13-1-2-2021-06".
	SSLPolicy string

	// AutoscalingMaxCount enables target tracking on average CPU when above 0. Default: 0
	// (no autoscaling).
	AutoscalingMaxCount int
	// AutoscalingMinCount is the lower bound. Default: DesiredCount.
	AutoscalingMinCount int
	// AutoscalingCPUPercent is the CPU target, 10 to 90. Default: 60.
	AutoscalingCPUPercent int

	// LogKMSKeyARN encrypts the log group with a customer managed key, whose key policy
	// must allow logs.<region>.amazonaws.com to use it. Default: "", CloudWatch Logs'
	// own encryption at rest.
	LogKMSKeyARN string
	// AccessLogsBucket turns on ALB access logs into this S3 bucket (under the prefix
	// "<project>-<env>"); the bucket policy must allow ELB log delivery. Default: "", no
	// access logs.
	AccessLogsBucket string

	// LogRetentionDays of the log group "/ecs/lms-<env>". Default: the environment
	// profile (3 for PR environments, 365 for prod, 30 otherwise).
	LogRetentionDays int
	// DBUsername stored in the DB credentials secret. Default: "lmsadmin".
	DBUsername string
}

func (c Config) withDefaults() Config {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	def(&c.CPU, DefaultCPU)
	def(&c.Memory, DefaultMemory)
	def(&c.ContainerPort, DefaultContainerPort)
	def(&c.DesiredCount, DefaultDesiredCount)
	def(&c.HealthCheckGracePeriodSeconds, DefaultGracePeriod)
	def(&c.MinHealthyPercent, 100)
	def(&c.MaxPercent, 200)
	def(&c.DeregistrationDelaySeconds, DefaultDeregistration)
	if c.AutoscalingMaxCount > 0 {
		def(&c.AutoscalingMinCount, c.DesiredCount)
		def(&c.AutoscalingCPUPercent, DefaultCPUTarget)
	}
	if c.HealthCheckPath == "" {
		c.HealthCheckPath = DefaultHealthPath
	}
	if c.SSLPolicy == "" {
		c.SSLPolicy = DefaultSSLPolicy
	}
	if c.DBUsername == "" {
		c.DBUsername = DefaultDBUsername
	}
	if c.LogRetentionDays == 0 && !c.Environment.IsZero() {
		c.LogRetentionDays = c.Environment.Profile().LogRetentionDays
	}
	return c
}

var (
	acmARN       = regexp.MustCompile(`^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[A-Za-z0-9-]+$`)
	secretARN    = regexp.MustCompile(`^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]+$`)
	clusterARN   = regexp.MustCompile(`^arn:aws[a-z-]*:ecs:[a-z0-9-]+:[0-9]{12}:cluster/([A-Za-z0-9_-]{1,255})$`)
	envName      = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	healthPath   = regexp.MustCompile(`^/[\x21-\x7e]*$`)
	sslPolicy    = regexp.MustCompile(`^ELBSecurityPolicy-[A-Za-z0-9-]+$`)
	validRetains = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}
)

// Reserved container variables, set by the construct.
var (
	dbVariables    = []string{"DB_SECRET_ARN", "DB_USERNAME", "DB_PASSWORD"}
	cacheVariables = []string{"REDIS_HOST", "REDIS_PORT", "REDIS_URL"}
)

// isToken reports whether s holds a cdktf token, whose value is only known to Terraform.
func isToken(s string) bool { return strings.Contains(s, "${") }

// Validate returns every problem of c at once, each naming the field and the bad value,
// including the egress check: tasks that could not reach ECR, CloudWatch Logs and
// Secrets Manager are refused here, not at deploy time.
func (c Config) Validate() error {
	c = c.withDefaults()
	var problems tfx.Problems
	add := problems.Addf
	if problems.RequireEnvironment(c.Environment) {
		if _, err := c.names(); err != nil {
			add("Environment %q: %v", c.Environment, err)
		}
	}
	if c.Network == nil {
		add("Network is required (the service needs a VPC and subnets)")
	} else {
		c.validatePlacement(add)
	}
	if strings.TrimSpace(c.Image) == "" {
		add("Image is empty: name the container image to run")
	}
	if err := ValidFargate(c.CPU, c.Memory); err != nil {
		add("%v", err)
	}
	if c.ContainerPort < 1 || c.ContainerPort > 65535 {
		add("ContainerPort %d is out of range 1-65535", c.ContainerPort)
	}
	if c.DesiredCount < 1 {
		add("DesiredCount %d must be at least 1", c.DesiredCount)
	}
	if c.HealthCheckGracePeriodSeconds < 0 {
		add("HealthCheckGracePeriodSeconds %d must not be negative", c.HealthCheckGracePeriodSeconds)
	}
	if c.MinHealthyPercent < 0 || c.MinHealthyPercent > 100 {
		add("MinHealthyPercent %d is out of range 0-100", c.MinHealthyPercent)
	}
	if c.MaxPercent < 100 || c.MaxPercent > 200 {
		add("MaxPercent %d is out of range 100-200", c.MaxPercent)
	}
	if c.DeregistrationDelaySeconds < 0 || c.DeregistrationDelaySeconds > 3600 {
		add("DeregistrationDelaySeconds %d is out of range 0-3600", c.DeregistrationDelaySeconds)
	}
	if !healthPath.MatchString(c.HealthCheckPath) || len(c.HealthCheckPath) > 1024 {
		add("HealthCheckPath %q must start with '/' and hold no spaces", c.HealthCheckPath)
	}
	if c.CertificateARN != "" && !isToken(c.CertificateARN) && !acmARN.MatchString(c.CertificateARN) {
		add("CertificateARN %q is not an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)", c.CertificateARN)
	}
	if !sslPolicy.MatchString(c.SSLPolicy) {
		add("SSLPolicy %q is not an ELB security policy name", c.SSLPolicy)
	}
	if c.KMSKeyARN != "" && !isToken(c.KMSKeyARN) && !tfx.IsKMSKeyARN(c.KMSKeyARN) {
		add("KMSKeyARN %q is not a KMS key ARN", c.KMSKeyARN)
	}
	if c.LogKMSKeyARN != "" && !isToken(c.LogKMSKeyARN) && !tfx.IsKMSKeyARN(c.LogKMSKeyARN) {
		add("LogKMSKeyARN %q is not a KMS key ARN", c.LogKMSKeyARN)
	}
	if c.AccessLogsBucket != "" && !isToken(c.AccessLogsBucket) && !tfx.IsBucketName(c.AccessLogsBucket) {
		add("AccessLogsBucket %q is not an S3 bucket name", c.AccessLogsBucket)
	}
	if c.ExistingClusterARN != "" && !isToken(c.ExistingClusterARN) && !clusterARN.MatchString(c.ExistingClusterARN) {
		add("ExistingClusterARN %q is not an ECS cluster ARN (arn:aws:ecs:<region>:<account>:cluster/<name>)", c.ExistingClusterARN)
	}
	if c.ExistingClusterARN != "" && isToken(c.ExistingClusterARN) {
		add("ExistingClusterARN must be a literal ARN: the cluster name is read from it at synth time")
	}
	if !contains(validRetains, c.LogRetentionDays) {
		add("LogRetentionDays %d is not a CloudWatch Logs retention (valid: %v)", c.LogRetentionDays, validRetains)
	}
	if len(c.DBUsername) > 63 || !envName.MatchString(c.DBUsername) {
		add("DBUsername %q must be a letter or '_' followed by letters, digits and '_', at most 63 characters", c.DBUsername)
	}
	c.validateAutoscaling(add)
	c.validateContainer(add)
	return problems.Err()
}

func (c Config) validatePlacement(add func(string, ...any)) {
	net := c.Network
	if !net.HasPublicSubnets() {
		add("Network has no public subnets: the internet-facing ALB needs at least two")
	}
	if c.AssignPublicIP {
		return
	}
	if net.Egress() == network.EgressNone {
		add("tasks in the private subnets could not pull images or read secrets: the network has neither NAT nor VPC endpoints (Egress %q). "+
			"Fix one of: enable NAT (network.Config.NAT = NATSingle or NATPerAZ), add endpoints (network.Config.Endpoints = true), "+
			"or run the tasks in the public subnets (lmsservice.Config.AssignPublicIP = true)", net.Egress())
	}
}

func (c Config) validateAutoscaling(add func(string, ...any)) {
	if c.AutoscalingMaxCount == 0 {
		if c.AutoscalingMinCount != 0 || c.AutoscalingCPUPercent != 0 {
			add("AutoscalingMinCount and AutoscalingCPUPercent need AutoscalingMaxCount > 0 to enable autoscaling")
		}
		return
	}
	if c.AutoscalingMaxCount < 0 {
		add("AutoscalingMaxCount %d must not be negative", c.AutoscalingMaxCount)
	}
	if c.AutoscalingMinCount < 1 {
		add("AutoscalingMinCount %d must be at least 1", c.AutoscalingMinCount)
	}
	if c.AutoscalingMinCount > c.AutoscalingMaxCount {
		add("AutoscalingMinCount %d is greater than AutoscalingMaxCount %d", c.AutoscalingMinCount, c.AutoscalingMaxCount)
	}
	if c.AutoscalingCPUPercent < 10 || c.AutoscalingCPUPercent > 90 {
		add("AutoscalingCPUPercent %d is out of range 10-90", c.AutoscalingCPUPercent)
	}
}

func (c Config) validateContainer(add func(string, ...any)) {
	reserved := map[string]string{}
	for _, v := range dbVariables {
		reserved[v] = "the DB secret"
	}
	if c.Cache != nil {
		for _, v := range cacheVariables {
			reserved[v] = "Cache"
		}
	}
	for _, name := range sortedKeys(c.ContainerEnv) {
		if !envName.MatchString(name) {
			add("ContainerEnv key %q is not a variable name", name)
		}
		if by, ok := reserved[name]; ok {
			add("ContainerEnv key %q is set by %s", name, by)
		}
		if _, ok := c.Secrets[name]; ok {
			add("%q is both in ContainerEnv and in Secrets", name)
		}
	}
	for _, name := range sortedKeys(c.Secrets) {
		ref := c.Secrets[name]
		if !envName.MatchString(name) {
			add("Secrets key %q is not a variable name", name)
		}
		if by, ok := reserved[name]; ok {
			add("Secrets key %q is set by %s", name, by)
		}
		switch {
		case ref.ARN == "":
			add("Secrets[%q].ARN is empty", name)
		case !isToken(ref.ARN) && !secretARN.MatchString(ref.ARN):
			add("Secrets[%q].ARN %q is not a Secrets Manager secret ARN", name, ref.ARN)
		}
		if strings.Contains(ref.JSONKey, ":") {
			add("Secrets[%q].JSONKey %q must not contain ':'", name, ref.JSONKey)
		}
	}
	if len(c.HealthCheckCommand) == 1 {
		add("HealthCheckCommand %q needs a form and a command, like [\"CMD-SHELL\", \"curl -f http://localhost/\"]", c.HealthCheckCommand)
	}
	if len(c.HealthCheckCommand) > 1 && c.HealthCheckCommand[0] != "CMD" && c.HealthCheckCommand[0] != "CMD-SHELL" {
		add("HealthCheckCommand starts with %q; want \"CMD\" or \"CMD-SHELL\"", c.HealthCheckCommand[0])
	}
}

// names are the physical names a Service creates.
type names struct {
	cluster, service, family, logGroup, alb, targetGroup string
	executionRole, taskRole, albSG, taskSG, dbSecret     string
}

func (c Config) names() (names, error) {
	env := c.Environment
	var n names
	var errs []error
	set := func(dst *string, name string, err error) {
		*dst = name
		errs = append(errs, err)
	}
	res := func(dst *string, k naming.Kind, component string) {
		name, err := env.Resource(k, component)
		set(dst, name, err)
	}
	res(&n.cluster, naming.ECSCluster, "cluster")
	res(&n.service, naming.ECSService, "service")
	res(&n.family, naming.TaskFamily, "task")
	res(&n.alb, naming.LoadBalancer, "alb")
	res(&n.targetGroup, naming.TargetGroup, "tg")
	res(&n.executionRole, naming.IAMRole, "ecs-task-execution-role")
	res(&n.taskRole, naming.IAMRole, "ecs-task-role")
	res(&n.albSG, naming.SecurityGroup, "alb-sg")
	res(&n.taskSG, naming.SecurityGroup, "tasks-sg")
	name, err := naming.Fit(naming.LogGroup, "/ecs/"+env.Prefix())
	set(&n.logGroup, name, err)
	name, err = env.Path(naming.Secret, "db-credentials")
	set(&n.dbSecret, name, err)
	return n, errors.Join(errs...)
}

func contains(xs []int, x int) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
