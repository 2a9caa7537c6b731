package lmsservice

import (
	"errors"
	"regexp"
	"strconv"
	"strings"

	"github.com/tapstack/infra/constructs/cache"
	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/constructs/network"
	"github.com/tapstack/infra/internal/tfx"
)

// Defaults, named after the Config fields they default.
const (
	DefaultCPU                           = 256
	DefaultMemory                        = 512
	DefaultContainerPort                 = 80
	DefaultDesiredCount                  = 2
	DefaultHealthCheckPath               = "/"
	DefaultHealthCheckGracePeriodSeconds = 60
	DefaultMinHealthyPercent             = 100
	DefaultMaxPercent                    = 200
	DefaultDeregistrationDelaySeconds    = 30
	DefaultDBUsername                    = "lmsadmin"
	DefaultSSLPolicy                     = "ELBSecurityPolicy-TLS13-1-2-2021-06"
	DefaultAutoscalingCPUPercent         = 60
)

// Limits that AWS sets on the fields.
const (
	MaxPort                       = 65535
	MaxMinHealthyPercent          = 100
	MinMaxPercent                 = 100
	MaxMaxPercent                 = 200
	MaxDeregistrationDelaySeconds = 3600
	MaxHealthCheckPathLength      = 1024
	MaxDBUsernameLength           = 63
	MinAutoscalingCPUPercent      = 10
	MaxAutoscalingCPUPercent      = 90
)

// ContainerName is the name of the task's one container.
const ContainerName = "app"

// Fixed settings of the target group's health check and the container's.
const (
	healthCheckIntervalSeconds = 30
	healthCheckTimeoutSeconds  = 5
	healthyThreshold           = 2
	unhealthyThreshold         = 3
	containerHealthRetries     = 3
	containerStartPeriod       = 60
	scaleInCooldownSeconds     = 300
	scaleOutCooldownSeconds    = 60
	dbPasswordLength           = 32
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
	// Component is the instance name that tells this service apart from another one of
	// the same environment in the stack ("web", "worker"): lowercase letters, digits and
	// single hyphens, at most naming.MaxComponentLength. It goes into every physical name
	// ("lms-web-alb-stage", "lms/stage/web/db-credentials", "/ecs/lms-stage/web").
	// Default: "", today's names. Changing it renames, so replaces, the named resources
	// (see docs/lifecycle.md).
	Component string
	// Network holds the service: the ALB goes to its public subnets (at least two, in
	// two zones), the tasks to its private subnets (public ones with AssignPublicIP).
	// Required: a *network.Network (network.Config.Plan() is enough for Validate).
	Network network.Placement
	// Cache, when set, is opened to the tasks (its port, from the task security group,
	// through Cache.AllowFrom) and reaches the container as REDIS_HOST and REDIS_PORT
	// (Terraform references to the endpoint) and, when the cache has a connection
	// secret, REDIS_URL injected from it. Default: no cache. A *cache.Cache
	// (cache.Config.Plan() is enough for Validate).
	Cache cache.Connection
	// ExistingClusterARN runs the service in an existing ECS cluster (a literal ARN: the
	// cluster name is read from it at synth). Default: "", a new cluster
	// "<project>-[<component>-]cluster-<env>" with Container Insights on.
	ExistingClusterARN string
	// Attach puts the service behind a shared load balancer's listener (a host rule on
	// it, see Attachment) instead of its own load balancer: no aws_lb, no listener, no
	// load balancer security group, no ingress from the internet. It cannot be combined
	// with CertificateARN, SSLPolicy or AccessLogsBucket, which configure the service's
	// own load balancer. With ExistingClusterARN, an attached service creates neither a
	// load balancer nor a cluster. Default: nil, the service's own internet-facing ALB.
	Attach *Attachment

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

	// DesiredCount of tasks, 0 or more; 0 keeps the service defined with no task
	// running. Default (nil): 2. Set it with new(count).
	DesiredCount *int
	// HealthCheckGracePeriodSeconds before failing ALB health checks count, 0 or more;
	// 0 counts them from the start. Default (nil): 60. Set it with new(seconds).
	HealthCheckGracePeriodSeconds *int
	// MinHealthyPercent during deployments, 0 to 100; 0 lets a deployment stop every
	// old task first. Default (nil): 100. Set it with new(percent).
	MinHealthyPercent *int
	// MaxPercent during deployments, 100 to 200. Default: 200.
	MaxPercent int
	// AssignPublicIP runs the tasks in the public subnets with public IPs, so they can
	// pull images without NAT or endpoints. They still accept traffic only from the ALB.
	// Default: false (private subnets).
	AssignPublicIP bool

	// HealthCheckPath of the target group. Default: "/".
	HealthCheckPath string
	// DeregistrationDelaySeconds of the target group, 0 to 3600; 0 drops connections
	// at once. Default (nil): 30. Set it with new(seconds).
	DeregistrationDelaySeconds *int
	// CertificateARN of an ACM certificate adds an HTTPS listener and turns the HTTP
	// listener into a redirect to HTTPS. Default: "" (HTTP only).
	CertificateARN string
	// SSLPolicy of the HTTPS listener. Default: "ELBSecurityPolicy-TLS13-1-2-2021-06".
	SSLPolicy string

	// AutoscalingMaxCount enables target tracking on average CPU when above 0. Default: 0
	// (no autoscaling).
	AutoscalingMaxCount int
	// AutoscalingMinCount is the lower bound, at least 1. Default: DesiredCount (1 when
	// DesiredCount is 0).
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

	// LogRetentionDays of the log group "/ecs/<project>-[<component>-]<env>", one of the
	// values CloudWatch Logs accepts; 0 keeps the logs forever. Default (nil): the
	// environment profile (3 for PR environments, 365 for prod, 30 otherwise). Set it
	// with new(days).
	LogRetentionDays *int
	// DBUsername stored in the DB credentials secret. Default: "lmsadmin".
	DBUsername string
}

func (c Config) withDefaults() Config {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	unset := func(v **int, d int) {
		if *v == nil {
			*v = new(d)
		}
	}
	// A nil *network.Network or *cache.Cache in the interface is no network or cache.
	if tfx.IsNil(c.Network) {
		c.Network = nil
	}
	if tfx.IsNil(c.Cache) {
		c.Cache = nil
	}
	def(&c.CPU, DefaultCPU)
	def(&c.Memory, DefaultMemory)
	def(&c.ContainerPort, DefaultContainerPort)
	unset(&c.DesiredCount, DefaultDesiredCount)
	def(&c.MaxPercent, DefaultMaxPercent)
	unset(&c.HealthCheckGracePeriodSeconds, DefaultHealthCheckGracePeriodSeconds)
	unset(&c.MinHealthyPercent, DefaultMinHealthyPercent)
	unset(&c.DeregistrationDelaySeconds, DefaultDeregistrationDelaySeconds)
	if c.AutoscalingMaxCount > 0 {
		def(&c.AutoscalingMinCount, max(*c.DesiredCount, 1))
		def(&c.AutoscalingCPUPercent, DefaultAutoscalingCPUPercent)
	}
	if c.HealthCheckPath == "" {
		c.HealthCheckPath = DefaultHealthCheckPath
	}
	if c.SSLPolicy == "" {
		c.SSLPolicy = DefaultSSLPolicy
	}
	if c.DBUsername == "" {
		c.DBUsername = DefaultDBUsername
	}
	if c.LogRetentionDays == nil && !c.Environment.IsZero() {
		c.LogRetentionDays = new(c.Environment.Profile().LogRetentionDays)
	}
	if c.Attach != nil {
		a := c.Attach.withDefaults(c.Environment) // a copy: the caller's Attachment is left alone
		c.Attach = &a
	}
	return c
}

var (
	envName    = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	healthPath = regexp.MustCompile(`^/[\x21-\x7e]*$`)
	sslPolicy  = regexp.MustCompile(`^ELBSecurityPolicy-[A-Za-z0-9-]+$`)
)

// Reserved container variables, set by the construct.
var (
	dbVariables    = []string{"DB_SECRET_ARN", "DB_USERNAME", "DB_PASSWORD"}
	cacheVariables = []string{"REDIS_HOST", "REDIS_PORT", "REDIS_URL"}
)

// Validate returns every problem of c at once, each naming the field and the bad value,
// including the egress check: tasks that could not reach ECR, CloudWatch Logs and
// Secrets Manager are refused here, not at deploy time.
func (c Config) Validate() error {
	memorySet := c.Memory != 0
	raw := c
	c = c.withDefaults()
	var problems tfx.Problems
	add := problems.Addf
	envSet := problems.RequireEnvironment(c.Environment)
	if id, ok := problems.Identity(c.Environment, c.Component, envSet); ok {
		if _, err := c.names(id); err != nil {
			add("Environment %q, Component %q: %v", c.Environment, c.Component, err)
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
		if memorySet {
			add("%v", err)
		} else {
			add("%v: Memory is not set and its default %d does not fit CPU %d, set Memory", err, DefaultMemory, c.CPU)
		}
	}
	if c.ContainerPort < 1 || c.ContainerPort > MaxPort {
		add("ContainerPort %d is out of range 1-%d", c.ContainerPort, MaxPort)
	}
	if *c.DesiredCount < 0 {
		add("DesiredCount %d must not be negative", *c.DesiredCount)
	}
	if *c.HealthCheckGracePeriodSeconds < 0 {
		add("HealthCheckGracePeriodSeconds %d must not be negative", *c.HealthCheckGracePeriodSeconds)
	}
	if p := *c.MinHealthyPercent; p < 0 || p > MaxMinHealthyPercent {
		add("MinHealthyPercent %d is out of range 0-%d", p, MaxMinHealthyPercent)
	}
	if c.MaxPercent < MinMaxPercent || c.MaxPercent > MaxMaxPercent {
		add("MaxPercent %d is out of range %d-%d", c.MaxPercent, MinMaxPercent, MaxMaxPercent)
	}
	if d := *c.DeregistrationDelaySeconds; d < 0 || d > MaxDeregistrationDelaySeconds {
		add("DeregistrationDelaySeconds %d is out of range 0-%d", d, MaxDeregistrationDelaySeconds)
	}
	if !healthPath.MatchString(c.HealthCheckPath) || len(c.HealthCheckPath) > MaxHealthCheckPathLength {
		add("HealthCheckPath %q must start with '/', hold no spaces and be at most %d characters", c.HealthCheckPath, MaxHealthCheckPathLength)
	}
	literal := func(field, v string, valid func(string) bool, what string) {
		if v != "" && !tfx.IsToken(v) && !valid(v) {
			add("%s %q is not %s", field, v, what)
		}
	}
	literal("CertificateARN", c.CertificateARN, tfx.IsCertificateARN, "an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)")
	literal("KMSKeyARN", c.KMSKeyARN, tfx.IsKMSKeyARN, "a KMS key ARN")
	literal("LogKMSKeyARN", c.LogKMSKeyARN, tfx.IsKMSKeyARN, "a KMS key ARN")
	literal("AccessLogsBucket", c.AccessLogsBucket, tfx.IsBucketName, "an S3 bucket name")
	if !sslPolicy.MatchString(c.SSLPolicy) {
		add("SSLPolicy %q is not an ELB security policy name", c.SSLPolicy)
	}
	if arn := c.ExistingClusterARN; arn != "" {
		if _, ok := tfx.ClusterName(arn); !ok && !tfx.IsToken(arn) {
			add("ExistingClusterARN %q is not an ECS cluster ARN (arn:aws:ecs:<region>:<account>:cluster/<name>)", arn)
		}
		if tfx.IsToken(arn) {
			add("ExistingClusterARN must be a literal ARN: the cluster name is read from it at synth time")
		}
	}
	if c.LogRetentionDays != nil {
		if err := tfx.LogRetentionError("LogRetentionDays", *c.LogRetentionDays); err != nil {
			add("%v", err)
		}
	}
	if len(c.DBUsername) > MaxDBUsernameLength || !envName.MatchString(c.DBUsername) {
		add("DBUsername %q must be a letter or '_' followed by letters, digits and '_', at most %d characters", c.DBUsername, MaxDBUsernameLength)
	}
	if c.Attach != nil {
		c.validateAttachment(raw, add)
	}
	c.validateAutoscaling(add)
	c.validateContainer(add)
	return problems.Err()
}

func (c Config) validatePlacement(add func(string, ...any)) {
	l := c.Network.Layout()
	switch {
	case c.Attach != nil && c.AssignPublicIP && l.PublicSubnets == 0:
		add("AssignPublicIP runs the tasks in the public subnets, and Network has none: give the network public subnets, or place the tasks privately (NAT or endpoints)")
	case c.Attach == nil && l.PublicSubnets >= 0 && l.PublicSubnets < 2:
		add("Network has %d public subnet(s): the internet-facing ALB needs two, in two availability zones "+
			"(network.Config.AZCount >= 2, or at least two PublicSubnetIDs for an existing VPC)", l.PublicSubnets)
	}
	if c.AssignPublicIP {
		return
	}
	if l.Egress == network.EgressNone {
		add("tasks in the private subnets could not pull images or read secrets: the network has neither NAT nor VPC endpoints (Egress %q). "+
			"Fix one of: enable NAT (network.Config.NAT = NATSingle or NATPerAZ), add endpoints (network.Config.Endpoints = true), "+
			"or run the tasks in the public subnets (lmsservice.Config.AssignPublicIP = true)", l.Egress)
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
	if c.AutoscalingCPUPercent < MinAutoscalingCPUPercent || c.AutoscalingCPUPercent > MaxAutoscalingCPUPercent {
		add("AutoscalingCPUPercent %d is out of range %d-%d", c.AutoscalingCPUPercent, MinAutoscalingCPUPercent, MaxAutoscalingCPUPercent)
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
	for _, name := range tfx.SortedKeys(c.ContainerEnv) {
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
	for _, name := range tfx.SortedKeys(c.Secrets) {
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
		case !tfx.IsToken(ref.ARN) && !tfx.IsSecretARN(ref.ARN):
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

func (c Config) names(id naming.Identity) (names, error) {
	var n names
	var errs []error
	set := func(dst *string, name string, err error) {
		*dst = name
		errs = append(errs, err)
	}
	res := func(dst *string, k naming.Kind, purpose string) {
		name, err := id.Resource(k, purpose)
		set(dst, name, err)
	}
	res(&n.cluster, naming.ECSCluster, "cluster")
	res(&n.service, naming.ECSService, "service")
	res(&n.family, naming.TaskFamily, "task")
	res(&n.alb, naming.LoadBalancer, "alb")
	// A new port replaces the target group, created before the old one leaves the
	// listener: the port is in the name (but for the default port, today's name), so the
	// new group never clashes with the old one's name.
	tg := "tg"
	if c.ContainerPort != DefaultContainerPort {
		tg = "tg-" + strconv.Itoa(c.ContainerPort)
	}
	res(&n.targetGroup, naming.TargetGroup, tg)
	res(&n.executionRole, naming.IAMRole, "ecs-task-execution-role")
	res(&n.taskRole, naming.IAMRole, "ecs-task-role")
	res(&n.albSG, naming.SecurityGroup, "alb-sg")
	res(&n.taskSG, naming.SecurityGroup, "tasks-sg")
	name, err := id.Around(naming.LogGroup, "/ecs/", "")
	set(&n.logGroup, name, err)
	name, err = id.Path(naming.Secret, "db-credentials")
	set(&n.dbSecret, name, err)
	return n, errors.Join(errs...)
}
