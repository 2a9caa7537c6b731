package lmsservice

import (
	"errors"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/tapstack/infra/awsid"
	"github.com/tapstack/infra/constructs/cache"
	"github.com/tapstack/infra/constructs/cluster"
	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/constructs/network"
	"github.com/tapstack/infra/field"
	"github.com/tapstack/infra/internal/check"
	"github.com/tapstack/infra/internal/token"
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
	MinAutoscalingPercent         = 10
	MaxAutoscalingPercent         = 90
	MaxRequestsPerTarget          = 1000000
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

// Ingress says how requests reach the service's tasks.
type Ingress string

// The kinds of ingress. With Attach, leave Ingress empty.
const (
	// IngressInternetFacing gives the service its own internet-facing Application Load
	// Balancer in the public subnets (the default).
	IngressInternetFacing Ingress = "internet-facing"
	// IngressInternal gives the service its own internal Application Load Balancer in the
	// private subnets, reachable from inside the VPC only.
	IngressInternal Ingress = "internal"
	// IngressNone is a worker: no load balancer, no target group, no rule, no ingress.
	IngressNone Ingress = "none"
)

// Architecture is the CPU architecture of the task.
type Architecture string

// The architectures Fargate runs.
const (
	ArchitectureX86_64 Architecture = "X86_64"
	ArchitectureARM64  Architecture = "ARM64"
)

// Capacity is the Fargate capacity the tasks run on.
type Capacity string

// The Fargate capacities.
const (
	// CapacityFargate runs the tasks on regular Fargate capacity (launch type FARGATE).
	CapacityFargate Capacity = "fargate"
	// CapacityFargateSpot runs them on Fargate Spot, up to 70% cheaper and interruptible
	// with a two-minute warning (the cluster's FARGATE_SPOT capacity provider).
	CapacityFargateSpot Capacity = "fargate-spot"
)

// SecretRef names a secret to inject: a Secrets Manager secret (one that a service
// manages, like RDS's "rds!db-...", included) and optionally one JSON key of it, or an
// SSM parameter.
type SecretRef struct {
	// ARN of the Secrets Manager secret or the SSM parameter, of the stack's partition
	// and region, or a cdktf token. Required.
	ARN string
	// JSONKey selects one key of a JSON secret (Secrets Manager only). Default: "" (the
	// whole value).
	JSONKey string
}

// Config configures a Service. Child IDs and what each option creates: see New.
type Config struct {
	// Environment names, tags and profiles every resource. Required.
	Environment naming.Environment
	// Component is the instance name that tells this service apart from another one of
	// the same environment in the stack ("web", "worker"): lowercase letters, digits and
	// single hyphens, at most naming.MaxComponentLength. It goes into every physical name
	// ("lms-web-alb-stage", "lms/stage/web/db-credentials", "/ecs/lms-stage/web").
	// Default: "", the names without it. Changing it renames, so replaces, the named
	// resources (see docs/lifecycle.md).
	Component string
	// Network holds the service: its load balancer (public subnets for an
	// internet-facing one, private for an internal one) and its tasks (private subnets,
	// or public ones with AssignPublicIP). Required, from network.New or
	// network.FromAttributes, in the service's region.
	Network *network.Network
	// Cluster runs the service: a cluster from cluster.New shared by several services,
	// or cluster.FromAttributes. Default: nil, a cluster of the service's own ("Cluster",
	// named "<project>-[<component>-]cluster-<env>").
	Cluster *cluster.Cluster
	// Ingress says how requests reach the tasks: IngressInternetFacing (its own
	// internet-facing load balancer), IngressInternal (its own internal one) or
	// IngressNone (a worker). Default: IngressInternetFacing, or, with Attach, a rule on
	// Attach.Listener; leave it empty with Attach.
	Ingress Ingress
	// Attach puts the service behind a listener it does not own (a rule that forwards
	// the requests matching Attach's hosts and paths to its target group): the shared
	// platform's listener, or the load balancer of another service or a
	// loadbalancer.New of the same stack. Default: nil.
	Attach *Attachment
	// Cache, when set, is opened to the tasks (the cache's port, both sides of the rule,
	// through Cache.AllowFrom) and reaches the container as REDIS_HOST and REDIS_PORT
	// (Terraform references to the endpoint) and, when the cache has a connection
	// secret, REDIS_URL injected from it. Default: no cache. From cache.New.
	Cache *cache.Cache
	// DBSecret adds a Secrets Manager secret "<project>/<env>/[<component>/]db-credentials"
	// with DBUsername and a random password, injected as DB_USERNAME and DB_PASSWORD, its
	// ARN as DB_SECRET_ARN: credentials for a database the application creates. The
	// password is drawn by Secrets Manager at apply (an ephemeral
	// aws_secretsmanager_random_password) and written through the write-only
	// secret_string_wo: it is in no plan and no state (Terraform or OpenTofu 1.11 or
	// newer). Default: false. For an existing database, inject its own secret through
	// Secrets instead (an RDS-managed secret works).
	DBSecret bool
	// DBUsername stored in the DB secret: a letter or '_' followed by letters, digits and
	// '_', at most 63 characters. Default: "lmsadmin". Only with DBSecret.
	DBUsername string
	// DBPasswordVersion is the secret_string_wo_version of the DB secret: raise it to
	// have the next apply draw and store a new password (a rotation; running tasks keep
	// the old one until they restart). 1 or more. Default (0): 1. Only with DBSecret.
	DBPasswordVersion int

	// Image of the container. Required.
	Image string
	// Command overrides the image's CMD. Default: the image's.
	Command []string
	// EntryPoint overrides the image's ENTRYPOINT. Default: the image's.
	EntryPoint []string
	// CPU units of the task. Default: 256. With Memory, a Fargate combination.
	CPU int
	// Memory of the task in MiB. Default: 512.
	Memory int
	// Architecture of the task: ArchitectureX86_64 or ArchitectureARM64 (Graviton, about
	// 20% cheaper; the image must be built for it). Default: ArchitectureX86_64.
	Architecture Architecture
	// Capacity the tasks run on: CapacityFargate or CapacityFargateSpot. Default: the
	// environment profile (naming.Profile.FargateSpot): Spot for a PR environment,
	// Fargate otherwise. Spot needs a cluster with the FARGATE_SPOT capacity provider
	// (cluster.New has it; cluster.Attributes.FargateSpot says an existing one does).
	// Changing between the two replaces the ECS service.
	Capacity Capacity
	// ContainerPort the container listens on, 1 to 65535. Default: 80 with a load
	// balancer or Attach; a worker (IngressNone) maps no port unless it is set.
	ContainerPort int
	// ContainerEnv are plain environment variables of the container, literal values (no
	// "${" or "%{") or cdktf tokens. Default: none. Names must not collide with Secrets or
	// the variables set for DBSecret and Cache.
	ContainerEnv map[string]string
	// Secrets are injected into the container by ARN (valueFrom); the execution role may
	// read exactly these secrets and parameters (plus the DB and cache secrets).
	// Default: none.
	Secrets map[string]SecretRef
	// KMSKeyARN is the customer managed key of the injected secrets: the DB secret is
	// encrypted with it and the execution role may decrypt with it through Secrets
	// Manager and SSM. Default: "", AWS managed keys.
	KMSKeyARN string
	// HealthCheckCommand is the container health check, for example
	// []string{"CMD-SHELL", "curl -f http://localhost/ || exit 1"}. Default: none.
	HealthCheckCommand []string

	// DesiredCount of tasks, 0 or more; 0 keeps the service defined with no task
	// running. Default (nil): 2. Set it with new(count).
	DesiredCount *int
	// HealthCheckGracePeriodSeconds before failing load balancer health checks count, 0
	// or more; 0 counts them from the start. Default (nil): 60. Not for a worker.
	HealthCheckGracePeriodSeconds *int
	// MinHealthyPercent during deployments, 0 to 100; 0 lets a deployment stop every
	// old task first. Default (nil): 100. Set it with new(percent).
	MinHealthyPercent *int
	// MaxPercent during deployments, 100 to 200 (0 is not a choice). Default (0): 200.
	MaxPercent int
	// AssignPublicIP runs the tasks in the public subnets with public IPs, so they can
	// pull images without NAT or endpoints. They still accept traffic only from their
	// load balancer (or the services granted). Default: false (private subnets).
	AssignPublicIP bool

	// HealthCheckPath of the target group: "/" and printable characters. Default: "/".
	// Not for a worker.
	HealthCheckPath string
	// DeregistrationDelaySeconds of the target group, 0 to 3600; 0 drops connections at
	// once. Default (nil): 30. Not for a worker.
	DeregistrationDelaySeconds *int
	// CertificateARN of an ACM certificate in the stack's account and region adds an
	// HTTPS listener to the service's own load balancer and turns the HTTP listener into a
	// redirect. Default: "" (HTTP only). Only with the service's own load balancer.
	CertificateARN string
	// SSLPolicy of the HTTPS listener. Default: loadbalancer.DefaultSSLPolicy. Only with
	// the service's own load balancer.
	SSLPolicy string
	// AccessLogsBucket turns on the own load balancer's access logs into this S3 bucket
	// (under the prefix "<project>-<env>[/<component>]"); the bucket policy must allow ELB
	// log delivery. Default: "", no access logs.
	AccessLogsBucket string

	// AutoscalingMaxCount enables target tracking when above 0, up to this many tasks.
	// Default: 0 (no autoscaling).
	AutoscalingMaxCount int
	// AutoscalingMinCount is the lower bound, 0 or more. Default (nil): DesiredCount, at
	// least 1. Set it with new(count).
	AutoscalingMinCount *int
	// AutoscalingCPUPercent, AutoscalingMemoryPercent (10 to 90) and
	// AutoscalingRequestsPerTarget (requests per task and minute through the load
	// balancer, 1 to 1000000; not for a worker) are the targets tracked, one policy
	// each. Default: CPU at 60 when none is set.
	AutoscalingCPUPercent, AutoscalingMemoryPercent, AutoscalingRequestsPerTarget int

	// LogKMSKeyARN encrypts the log group with a customer managed key of the stack's
	// region, whose key policy must allow logs.<region>.amazonaws.com to use it. Default:
	// "", CloudWatch Logs' own encryption at rest.
	LogKMSKeyARN string
	// LogRetentionDays of the log group "/ecs/<project>-<env>[/<component>]", one of the
	// values CloudWatch Logs accepts; 0 keeps the logs forever. Default (nil): the
	// environment profile (3 for PR environments, 365 for prod, 30 otherwise). Set it
	// with new(days).
	LogRetentionDays *int
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
	if c.Ingress == "" && c.Attach == nil {
		c.Ingress = IngressInternetFacing
	}
	if c.Architecture == "" {
		c.Architecture = ArchitectureX86_64
	}
	if c.Capacity == "" && !c.Environment.IsZero() {
		c.Capacity = CapacityFargate
		if c.Environment.Profile().FargateSpot {
			c.Capacity = CapacityFargateSpot
		}
	}
	def(&c.CPU, DefaultCPU)
	def(&c.Memory, DefaultMemory)
	if c.balanced() {
		def(&c.ContainerPort, DefaultContainerPort)
		unset(&c.HealthCheckGracePeriodSeconds, DefaultHealthCheckGracePeriodSeconds)
		unset(&c.DeregistrationDelaySeconds, DefaultDeregistrationDelaySeconds)
		if c.HealthCheckPath == "" {
			c.HealthCheckPath = DefaultHealthCheckPath
		}
	}
	unset(&c.DesiredCount, DefaultDesiredCount)
	def(&c.MaxPercent, DefaultMaxPercent)
	unset(&c.MinHealthyPercent, DefaultMinHealthyPercent)
	if c.AutoscalingMaxCount > 0 {
		unset(&c.AutoscalingMinCount, max(*c.DesiredCount, 1))
		if c.AutoscalingCPUPercent == 0 && c.AutoscalingMemoryPercent == 0 && c.AutoscalingRequestsPerTarget == 0 {
			c.AutoscalingCPUPercent = DefaultAutoscalingCPUPercent
		}
	}
	if c.DBSecret && c.DBUsername == "" {
		c.DBUsername = DefaultDBUsername
	}
	if c.DBSecret && c.DBPasswordVersion == 0 {
		c.DBPasswordVersion = 1
	}
	if c.LogRetentionDays == nil && !c.Environment.IsZero() {
		c.LogRetentionDays = new(c.Environment.Profile().LogRetentionDays)
	}
	if c.Attach != nil {
		a := c.Attach.withDefaults(c.Environment, c.Component) // a copy: the caller's Attachment is left alone
		c.Attach = &a
	}
	return c
}

// balanced reports whether requests reach the tasks through a load balancer (its own,
// or a listener through Attach).
func (c Config) balanced() bool { return c.Attach != nil || (c.Ingress != IngressNone) }

// ownLoadBalancer reports whether the service defines a load balancer of its own.
func (c Config) ownLoadBalancer() bool {
	return c.Attach == nil && (c.Ingress == IngressInternetFacing || c.Ingress == IngressInternal || c.Ingress == "")
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

// Validate returns every problem of c at once (field.Error values, joined), each naming
// the field and the bad value, its placement in Network included: tasks that could not
// reach ECR, CloudWatch Logs and Secrets Manager are refused here, not at deploy time.
// New also checks the ARNs against the stack's partition and region and that Network,
// Cluster, Cache and Attach.Listener are in the stack's region.
func (c Config) Validate() error {
	var l field.List
	layout := network.Layout{PublicSubnets: -1, PrivateSubnets: -1, Egress: network.EgressNAT}
	if c.Network == nil {
		l.Add("Network", "", "is required (the service needs a VPC and subnets): a network from network.New or network.FromAttributes")
	} else {
		layout = c.Network.Layout()
	}
	if c.Attach != nil && c.Attach.Listener == nil {
		l.Add("Attach.Listener", "", "is required: Service.Listener, LoadBalancer.Listener or loadbalancer.ListenerFromAttributes")
	}
	l.Include("", c.ValidateFor(layout))
	return l.Err()
}

// ValidateFor is Validate for a service whose network is not defined yet (a
// composition that validates everything before it defines anything): net stands for
// the network (network.Config.Layout or network.Attributes.Layout, with the Place of the
// stack when known), and Network may be nil. The checks that need the other constructs
// themselves (Cluster, Cache, Attach.Listener) are New's.
func (c Config) ValidateFor(net network.Layout) error {
	memorySet := c.Memory != 0
	raw := c
	c = c.withDefaults()
	var l field.List
	p := net.Place
	if id, ok := check.Identity(&l, c.Environment, c.Component); ok {
		if _, err := c.names(id); err != nil {
			l.Check("Component", c.Component, err)
		}
	}
	c.validatePlacement(&l, net)
	c.validateIngress(&l, raw, p)
	if strings.TrimSpace(c.Image) == "" {
		l.Add("Image", c.Image, "is empty: name the container image to run")
	} else {
		check.Literal(&l, "Image", c.Image)
	}
	for _, list := range []struct {
		name  string
		value []string
	}{{"Command", c.Command}, {"EntryPoint", c.EntryPoint}, {"HealthCheckCommand", c.HealthCheckCommand}} {
		for i, v := range list.value {
			check.Literal(&l, field.Index(list.name, i), v)
		}
	}
	if _, ok := fargateMemory[c.CPU]; !ok {
		l.Add("CPU", strconv.Itoa(c.CPU), notFargateCPU)
	} else if err := ValidFargate(c.CPU, c.Memory); err != nil {
		if memorySet {
			l.Check("Memory", strconv.Itoa(c.Memory), err)
		} else {
			l.Addf("Memory", "", "is not set and its default %d does not fit CPU %d: set Memory (%v)", DefaultMemory, c.CPU, err)
		}
	}
	switch c.Architecture {
	case ArchitectureX86_64, ArchitectureARM64:
	default:
		l.Addf("Architecture", string(c.Architecture), "is not an architecture (want %q or %q)", ArchitectureX86_64, ArchitectureARM64)
	}
	switch c.Capacity {
	case CapacityFargate, CapacityFargateSpot:
	default:
		l.Addf("Capacity", string(c.Capacity), "is not a capacity (want %q or %q)", CapacityFargate, CapacityFargateSpot)
	}
	if c.ContainerPort != 0 && (c.ContainerPort < 1 || c.ContainerPort > MaxPort) {
		l.Addf("ContainerPort", strconv.Itoa(c.ContainerPort), "is out of range 1-%d", MaxPort)
	}
	if *c.DesiredCount < 0 {
		l.Add("DesiredCount", strconv.Itoa(*c.DesiredCount), "must not be negative")
	}
	if p := *c.MinHealthyPercent; p < 0 || p > MaxMinHealthyPercent {
		l.Addf("MinHealthyPercent", strconv.Itoa(p), "is out of range 0-%d", MaxMinHealthyPercent)
	}
	if c.MaxPercent < MinMaxPercent || c.MaxPercent > MaxMaxPercent {
		l.Addf("MaxPercent", strconv.Itoa(c.MaxPercent), "is out of range %d-%d", MinMaxPercent, MaxMaxPercent)
	}
	check.ARN(&l, "KMSKeyARN", c.KMSKeyARN, awsid.KMSKeyARN, p)
	check.ARN(&l, "LogKMSKeyARN", c.LogKMSKeyARN, awsid.KMSKeyARN, p)
	check.LogRetention(&l, "LogRetentionDays", c.LogRetentionDays)
	c.validateDB(&l, raw)
	c.validateAutoscaling(&l)
	c.validateContainer(&l, p)
	return l.Err()
}

func (c Config) validatePlacement(l *field.List, net network.Layout) {
	switch {
	case c.AssignPublicIP && net.PublicSubnets == 0:
		l.Add("AssignPublicIP", "true", "runs the tasks in the public subnets, and Network has none: give the network public subnets, or place the tasks privately (NAT or endpoints)")
	case !c.AssignPublicIP && net.Egress == network.EgressNone:
		l.Add("Network", "", "gives tasks in the private subnets no way to pull images or read secrets: it has neither NAT nor VPC endpoints (Egress \"none\"). "+
			"Fix one of: enable NAT (network.Config.NAT = NATSingle or NATPerAZ), add endpoints (network.Config.Endpoints = true), "+
			"or run the tasks in the public subnets (lmsservice.Config.AssignPublicIP = true)")
	}
	switch {
	case !c.ownLoadBalancer():
	case c.Ingress == IngressInternal && net.PrivateSubnets >= 0 && net.PrivateSubnets < 2:
		l.Addf("Network", "", "has %d private subnet(s): the internal load balancer needs two, in two availability zones", net.PrivateSubnets)
	case c.Ingress != IngressInternal && net.PublicSubnets >= 0 && net.PublicSubnets < 2:
		l.Addf("Network", "", "has %d public subnet(s): the internet-facing load balancer needs two, in two availability zones "+
			"(network.Config.AZCount >= 2, or at least two PublicSubnetIDs for an existing VPC); or attach the service to a listener (Attach)", net.PublicSubnets)
	}
}

// validateIngress checks Ingress and Attach, and refuses the options of a load balancer
// the service does not have. raw is the Config as given (before defaults), so that a
// default is not mistaken for a choice.
func (c Config) validateIngress(l *field.List, raw Config, p awsid.Place) {
	switch {
	case c.Attach != nil && raw.Ingress != "":
		l.Add("Ingress", string(raw.Ingress), "is decided by Attach (a rule on Attach.Listener): leave Ingress empty")
	case c.Attach == nil:
		switch c.Ingress {
		case IngressInternetFacing, IngressInternal, IngressNone:
		default:
			l.Addf("Ingress", string(c.Ingress), "is not an ingress (want %q, %q or %q, or set Attach)", IngressInternetFacing, IngressInternal, IngressNone)
		}
	}
	if c.Attach != nil {
		c.Attach.validate(l, "Attach")
	}
	own := c.ownLoadBalancer()
	why := "the service has no load balancer of its own (Attach, or IngressNone)"
	for _, f := range []struct{ name, value string }{
		{"CertificateARN", raw.CertificateARN}, {"SSLPolicy", raw.SSLPolicy}, {"AccessLogsBucket", raw.AccessLogsBucket},
	} {
		if f.value != "" && !own {
			l.Add(f.name, f.value, "configures the service's own load balancer, and "+why+": leave it empty")
		}
	}
	if own {
		check.ARN(l, "CertificateARN", c.CertificateARN, awsid.CertificateARN, p)
		if raw.SSLPolicy != "" && check.Literal(l, "SSLPolicy", raw.SSLPolicy) && !sslPolicy.MatchString(raw.SSLPolicy) {
			l.Add("SSLPolicy", raw.SSLPolicy, "is not an ELB security policy name (ELBSecurityPolicy-...)")
		}
		if c.AccessLogsBucket != "" && check.Literal(l, "AccessLogsBucket", c.AccessLogsBucket) && !token.Is(c.AccessLogsBucket) {
			l.Check("AccessLogsBucket", c.AccessLogsBucket, awsid.CheckBucketName(c.AccessLogsBucket))
		}
	}
	if !c.balanced() {
		for _, f := range []struct {
			name string
			set  bool
			v    string
		}{
			{"HealthCheckPath", raw.HealthCheckPath != "", raw.HealthCheckPath},
			{"HealthCheckGracePeriodSeconds", raw.HealthCheckGracePeriodSeconds != nil, intText(raw.HealthCheckGracePeriodSeconds)},
			{"DeregistrationDelaySeconds", raw.DeregistrationDelaySeconds != nil, intText(raw.DeregistrationDelaySeconds)},
			{"AutoscalingRequestsPerTarget", raw.AutoscalingRequestsPerTarget != 0, strconv.Itoa(raw.AutoscalingRequestsPerTarget)},
		} {
			if f.set {
				l.Add(f.name, f.v, "needs a load balancer, and the service is a worker (IngressNone): leave it unset")
			}
		}
		return
	}
	if check.Literal(l, "HealthCheckPath", c.HealthCheckPath) &&
		(!healthPath.MatchString(c.HealthCheckPath) || len(c.HealthCheckPath) > MaxHealthCheckPathLength) {
		l.Addf("HealthCheckPath", c.HealthCheckPath, "must start with '/', hold no spaces and be at most %d characters", MaxHealthCheckPathLength)
	}
	if g := *c.HealthCheckGracePeriodSeconds; g < 0 {
		l.Add("HealthCheckGracePeriodSeconds", strconv.Itoa(g), "must not be negative")
	}
	if d := *c.DeregistrationDelaySeconds; d < 0 || d > MaxDeregistrationDelaySeconds {
		l.Addf("DeregistrationDelaySeconds", strconv.Itoa(d), "is out of range 0-%d", MaxDeregistrationDelaySeconds)
	}
}

func intText(v *int) string {
	if v == nil {
		return ""
	}
	return strconv.Itoa(*v)
}

func (c Config) validateDB(l *field.List, raw Config) {
	if !c.DBSecret {
		if raw.DBUsername != "" {
			l.Add("DBUsername", raw.DBUsername, "is the user of the DB secret, and DBSecret is false: set DBSecret, or leave DBUsername empty")
		}
		if raw.DBPasswordVersion != 0 {
			l.Add("DBPasswordVersion", strconv.Itoa(raw.DBPasswordVersion), "is the version of the DB secret's password, and DBSecret is false: set DBSecret, or leave DBPasswordVersion 0")
		}
		return
	}
	if raw.DBPasswordVersion < 0 {
		l.Add("DBPasswordVersion", strconv.Itoa(raw.DBPasswordVersion), "must be 1 or more (0 for the default 1)")
	}
	if len(c.DBUsername) > MaxDBUsernameLength || !envName.MatchString(c.DBUsername) {
		l.Addf("DBUsername", c.DBUsername, "must be a letter or '_' followed by letters, digits and '_', at most %d characters", MaxDBUsernameLength)
	}
}

func (c Config) validateAutoscaling(l *field.List) {
	if c.AutoscalingMaxCount == 0 {
		for _, f := range []struct {
			name string
			set  bool
			v    string
		}{
			{"AutoscalingMinCount", c.AutoscalingMinCount != nil, intText(c.AutoscalingMinCount)},
			{"AutoscalingCPUPercent", c.AutoscalingCPUPercent != 0, strconv.Itoa(c.AutoscalingCPUPercent)},
			{"AutoscalingMemoryPercent", c.AutoscalingMemoryPercent != 0, strconv.Itoa(c.AutoscalingMemoryPercent)},
			{"AutoscalingRequestsPerTarget", c.AutoscalingRequestsPerTarget != 0, strconv.Itoa(c.AutoscalingRequestsPerTarget)},
		} {
			if f.set {
				l.Add(f.name, f.v, "needs AutoscalingMaxCount > 0 to enable autoscaling")
			}
		}
		return
	}
	if c.AutoscalingMaxCount < 0 {
		l.Add("AutoscalingMaxCount", strconv.Itoa(c.AutoscalingMaxCount), "must not be negative")
	}
	if m := *c.AutoscalingMinCount; m < 0 {
		l.Add("AutoscalingMinCount", strconv.Itoa(m), "must not be negative")
	} else if m > c.AutoscalingMaxCount {
		l.Addf("AutoscalingMinCount", strconv.Itoa(m), "is greater than AutoscalingMaxCount %d", c.AutoscalingMaxCount)
	}
	for _, f := range []struct {
		name string
		v    int
	}{{"AutoscalingCPUPercent", c.AutoscalingCPUPercent}, {"AutoscalingMemoryPercent", c.AutoscalingMemoryPercent}} {
		if f.v != 0 && (f.v < MinAutoscalingPercent || f.v > MaxAutoscalingPercent) {
			l.Addf(f.name, strconv.Itoa(f.v), "is out of range %d-%d", MinAutoscalingPercent, MaxAutoscalingPercent)
		}
	}
	if r := c.AutoscalingRequestsPerTarget; r < 0 || r > MaxRequestsPerTarget {
		l.Addf("AutoscalingRequestsPerTarget", strconv.Itoa(r), "is out of range 1-%d", MaxRequestsPerTarget)
	}
}

func (c Config) validateContainer(l *field.List, p awsid.Place) {
	reserved := map[string]string{}
	if c.DBSecret {
		for _, v := range dbVariables {
			reserved[v] = "DBSecret"
		}
	}
	if c.Cache != nil {
		for _, v := range cacheVariables {
			reserved[v] = "Cache"
		}
	}
	for _, name := range slices.Sorted(maps.Keys(c.ContainerEnv)) {
		path := field.Key("ContainerEnv", name)
		if !envName.MatchString(name) {
			l.Add(path, name, "is not a variable name")
		}
		if by, ok := reserved[name]; ok {
			l.Add(path, name, "is set by "+by)
		}
		if _, ok := c.Secrets[name]; ok {
			l.Add(path, name, "is in Secrets too")
		}
		check.Literal(l, path, c.ContainerEnv[name])
	}
	for _, name := range slices.Sorted(maps.Keys(c.Secrets)) {
		ref := c.Secrets[name]
		path := field.Key("Secrets", name)
		if !envName.MatchString(name) {
			l.Add(path, name, "is not a variable name")
		}
		if by, ok := reserved[name]; ok {
			l.Add(path, name, "is set by "+by)
		}
		switch kind := secretKind(ref.ARN); {
		case ref.ARN == "":
			l.Add(path+".ARN", "", "is required")
		case kind == awsid.SSMParameterARN && ref.JSONKey != "":
			l.Add(path+".JSONKey", ref.JSONKey, "selects a key of a Secrets Manager secret, and ARN is an SSM parameter: leave it empty")
		case kind == 0:
			l.Add(path+".ARN", ref.ARN, "is not a Secrets Manager secret ARN ("+awsid.SecretARN.Form()+") or an SSM parameter ARN ("+awsid.SSMParameterARN.Form()+")")
		default:
			check.ARN(l, path+".ARN", ref.ARN, kind, p)
		}
		if strings.Contains(ref.JSONKey, ":") {
			l.Add(path+".JSONKey", ref.JSONKey, "must not contain ':'")
		}
		check.Literal(l, path+".JSONKey", ref.JSONKey)
	}
	if len(c.HealthCheckCommand) == 1 {
		l.Add("HealthCheckCommand", strings.Join(c.HealthCheckCommand, " "), `needs a form and a command, like ["CMD-SHELL", "curl -f http://localhost/"]`)
	}
	if len(c.HealthCheckCommand) > 1 && c.HealthCheckCommand[0] != "CMD" && c.HealthCheckCommand[0] != "CMD-SHELL" {
		l.Add("HealthCheckCommand[0]", c.HealthCheckCommand[0], `must be "CMD" or "CMD-SHELL"`)
	}
}

// secretKind says what arn names: a Secrets Manager secret, an SSM parameter, or, for
// a token, unknown but acceptable (SecretARN; the role may read it either way); 0 for
// neither.
func secretKind(arn string) awsid.ARNKind {
	if token.Is(arn) {
		return awsid.SecretARN
	}
	a, err := awsid.ParseARN(arn)
	switch {
	case err != nil:
		return 0
	case a.Service == "ssm":
		return awsid.SSMParameterARN
	case a.Service == "secretsmanager":
		return awsid.SecretARN
	}
	return 0
}

// names are the physical names a Service creates (the load balancer's and the
// cluster's are built the same way by loadbalancer.New and cluster.New, with the
// service's component; they are here so that Validate checks them too).
type names struct {
	service, family, logGroup, targetGroup string
	executionRole, taskRole, taskSG        string
	dbSecret, alb, albSG, cluster          string
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
	res(&n.service, naming.ECSService, "service")
	res(&n.family, naming.TaskFamily, "task")
	// A new port replaces the target group, created before the old one leaves the
	// listener: the port is in the name (but for the default port, the name without
	// it), so the new group never clashes with the old one's name.
	tg := "tg"
	if c.ContainerPort != DefaultContainerPort && c.ContainerPort != 0 {
		tg = "tg-" + strconv.Itoa(c.ContainerPort)
	}
	res(&n.targetGroup, naming.TargetGroup, tg)
	res(&n.executionRole, naming.IAMRole, "ecs-task-execution-role")
	res(&n.taskRole, naming.IAMRole, "ecs-task-role")
	res(&n.taskSG, naming.SecurityGroup, "tasks-sg")
	res(&n.alb, naming.LoadBalancer, "alb")
	res(&n.albSG, naming.SecurityGroup, "alb-sg")
	res(&n.cluster, naming.ECSCluster, "cluster")
	name, err := id.Around(naming.LogGroup, "/ecs/", "")
	set(&n.logGroup, name, err)
	name, err = id.Path(naming.Secret, "db-credentials")
	set(&n.dbSecret, name, err)
	return n, errors.Join(errs...)
}
