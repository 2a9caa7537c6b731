package lmsservice

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/appautoscalingpolicy"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/appautoscalingtarget"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/cloudwatchloggroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawspartition"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsregion"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ecsservice"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ecstaskdefinition"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrolepolicy"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrolepolicyattachment"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/lblistenerrule"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/lbtargetgroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/secretsmanagersecret"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/secretsmanagersecretversion"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/securitygroup"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/awsid"
	"github.com/tapstack/infra/constructs/cluster"
	"github.com/tapstack/infra/constructs/identity"
	"github.com/tapstack/infra/constructs/loadbalancer"
	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/constructs/network"
	"github.com/tapstack/infra/internal/iampolicy"
	"github.com/tapstack/infra/internal/jsiix"
)

// Service is a Fargate service with its task definition, roles, log group and security
// group, behind its own load balancer, a rule on a listener, or none (a worker).
type Service struct {
	constructs.Construct

	cfg   Config
	id    naming.Identity
	scope *identity.Scope
	names names
	place awsid.Place

	cluster     *cluster.Cluster
	ownCluster  bool
	logGroup    cloudwatchloggroup.CloudwatchLogGroup
	execRole    iamrole.IamRole
	taskRole    iamrole.IamRole
	taskSG      securitygroup.SecurityGroup
	conns       *network.Connections
	lb          *loadbalancer.LoadBalancer
	listener    *loadbalancer.Listener
	targetGroup lbtargetgroup.LbTargetGroup
	rule        lblistenerrule.LbListenerRule
	taskDef     ecstaskdefinition.EcsTaskDefinition
	service     ecsservice.EcsService
	scaling     appautoscalingtarget.AppautoscalingTarget
	dbSecret    secretsmanagersecret.SecretsmanagerSecret
	grants      *grants
}

// injection is one secret injected into the container: variable name and valueFrom.
type injection struct{ name, from string }

// New defines a Service in scope. It validates cfg first (Config.Validate, the ARNs
// against the stack's partition and region, and Network, Cluster, Cache and
// Attach.Listener in the stack's region) and panics with every problem before defining
// any child. Its physical names are claimed in the app's registry, which refuses
// duplicates at synth (see docs/naming.md).
//
// Child IDs: "Cluster" (without Config.Cluster: cluster.New's children under it),
// "Region", "Partition", "LogGroup", with DBSecret "DBSecret" and "DBSecretVersion"
// (its ephemeral password takes the version's logical ID), "ExecutionRole",
// "ExecutionRoleManagedPolicy", "ExecutionRoleSecrets", "TaskRole", "TaskRoleGrants"
// (after the first grant),
// "TaskSecurityGroup", "TaskEgressHTTPS", "TaskEgressCache" (with a Cache),
// "TaskDefinition", "Service", with autoscaling "ScalingTarget", "ScalingPolicy" (CPU),
// "ScalingPolicyMemory" and "ScalingPolicyRequests". With a Cache, the cache admits the
// task security group (Cache.AllowFrom).
//
// With a load balancer (its own, or Attach): "TargetGroup" and "TaskIngress" (the load
// balancer's group admitted on the container port). Its own load balancer is
// loadbalancer.New under the ID "Default", so that its resources keep the service's
// logical IDs: "LoadBalancerSecurityGroup", "LoadBalancerIngressHTTP",
// "LoadBalancerIngressHTTPS" (with a certificate), "LoadBalancerEgress" (to the tasks),
// "LoadBalancer", "HTTPListener", "HTTPSListener" (with a certificate). With Attach:
// "ListenerRule", the rule on Attach.Listener; its priority and conditions are checked
// at synth with the app's other rules on that listener. A worker (IngressNone) has none
// of these.
func New(scope constructs.Construct, id string, cfg Config) *Service {
	sc := identity.Enter(scope, id)
	if cfg.Network == nil || (cfg.Attach != nil && cfg.Attach.Listener == nil) {
		jsiix.MustBeValid("lmsservice.New", id, cfg.Validate())
	}
	layout := cfg.Network.Layout()
	if layout.Place.Region == "" {
		layout.Place = sc.Place()
	}
	jsiix.MustBeValid("lmsservice.New", id, cfg.ValidateFor(network.Layout{Egress: layout.Egress, PublicSubnets: layout.PublicSubnets,
		PrivateSubnets: layout.PrivateSubnets, Place: sc.Place()}))
	if err := sc.RequireRegion(); err != nil { // the IAM roles' names carry it
		panic(fmt.Sprintf("lmsservice.New(%q): %v", id, err))
	}
	c := cfg.withDefaults()
	here := sc.Place()
	for _, d := range []struct {
		what  string
		place awsid.Place
		set   bool
	}{
		{"Network", c.Network.Place(), true},
		{"Cluster", placeOf(c.Cluster), c.Cluster != nil},
		{"Cache", cachePlace(c), c.Cache != nil},
		{"Attach.Listener", listenerPlace(c), c.Attach != nil && c.Attach.Listener != nil},
	} {
		if d.set && d.place.Region != "" && d.place.Region != here.Region {
			panic(fmt.Sprintf("lmsservice.New(%q): %s is in region %s, not the stack's region %s: a service and what it uses must be in one region", id, d.what, d.place.Region, here.Region))
		}
	}
	if c.Capacity == CapacityFargateSpot && c.Cluster != nil && !c.Cluster.FargateSpot() {
		panic(fmt.Sprintf("lmsservice.New(%q): Capacity %q needs a cluster with the FARGATE_SPOT capacity provider, and Cluster (an existing one) does not say it has it: "+
			"set cluster.Attributes.FargateSpot if it does, or set Capacity to %q", id, c.Capacity, CapacityFargate))
	}
	ident, err := sc.Identity(c.Environment, c.Component)
	if err != nil {
		panic(fmt.Sprintf("lmsservice.New(%q): %v", id, err))
	}
	s := &Service{cfg: c, scope: sc, id: ident, place: here}
	sc.NameFix("lmsservice.Config.Component") // also for its own cluster and load balancer
	constructs.NewConstruct_Override(s, scope, jsii.String(id))
	s.names, err = c.names(s.id)
	jsiix.Must("lmsservice.New", id, err)

	s.cluster = c.Cluster
	if s.cluster == nil {
		s.cluster, s.ownCluster = cluster.New(s, "Cluster", cluster.Config{Environment: c.Environment, Component: c.Component}), true
	}
	region := *dataawsregion.NewDataAwsRegion(s, jsii.String("Region"), &dataawsregion.DataAwsRegionConfig{}).Name()
	partition := *dataawspartition.NewDataAwsPartition(s, jsii.String("Partition"), &dataawspartition.DataAwsPartitionConfig{}).Partition()
	logs := &cloudwatchloggroup.CloudwatchLogGroupConfig{
		Name:            jsii.String(s.names.logGroup),
		RetentionInDays: jsii.Number(float64(*c.LogRetentionDays)),
		Tags:            s.tags(s.names.logGroup),
	}
	if c.LogKMSKeyARN != "" {
		logs.KmsKeyId = jsii.String(c.LogKMSKeyARN)
	}
	s.logGroup = cloudwatchloggroup.NewCloudwatchLogGroup(s, jsii.String("LogGroup"), logs)
	if c.DBSecret {
		s.defineDBSecret()
	}
	secrets, readable := s.injections()
	s.defineRoles(partition, region, readable)
	s.defineSecurityGroup()
	if c.balanced() {
		s.defineTargetGroup()
		if c.Attach != nil {
			s.defineAttachment()
		} else {
			s.defineLoadBalancer()
		}
	}
	s.defineTask(region, secrets)
	s.defineService()
	if c.AutoscalingMaxCount > 0 {
		s.defineAutoscaling()
	}
	s.claim()
	return s
}

func placeOf(c *cluster.Cluster) awsid.Place {
	if c == nil {
		return awsid.Place{}
	}
	return c.Place()
}

func cachePlace(c Config) awsid.Place {
	if c.Cache == nil {
		return awsid.Place{}
	}
	return c.Cache.Place()
}

func listenerPlace(c Config) awsid.Place {
	if c.Attach == nil || c.Attach.Listener == nil {
		return awsid.Place{}
	}
	return c.Attach.Listener.Place()
}

// claim registers the physical names with the app (identity.Scope.Claim).
func (s *Service) claim() {
	const fix = "lmsservice.Config.Component"
	names := []identity.Name{
		{Kind: naming.ECSService, Name: s.names.service, Resource: "Service", Within: s.cluster.ARN(), Fix: fix},
		{Kind: naming.TaskFamily, Name: s.names.family, Resource: "TaskDefinition", Fix: fix},
		{Kind: naming.LogGroup, Name: s.names.logGroup, Resource: "LogGroup", Fix: fix},
		{Kind: naming.IAMRole, Name: s.names.executionRole, Resource: "ExecutionRole", Fix: fix},
		{Kind: naming.IAMRole, Name: s.names.taskRole, Resource: "TaskRole", Fix: fix},
		{Kind: naming.SecurityGroup, Name: s.names.taskSG, Resource: "TaskSecurityGroup", Within: s.cfg.Network.VPCID(), Fix: fix},
	}
	if s.dbSecret != nil {
		names = append(names, identity.Name{Kind: naming.Secret, Name: s.names.dbSecret, Resource: "DBSecret", Fix: fix})
	}
	if s.targetGroup != nil {
		names = append(names, identity.Name{Kind: naming.TargetGroup, Name: s.names.targetGroup, Resource: "TargetGroup", Fix: fix})
	}
	s.scope.Claim(names...)
	if a := s.cfg.Attach; a != nil {
		s.scope.ClaimListenerRule(identity.ListenerRule{Listener: a.Listener.ARN(), Priority: a.Priority, Hosts: a.Hosts, Paths: a.Paths,
			Resource: "ListenerRule", Fix: "lmsservice.Attachment.Priority"})
	}
}

func (s *Service) tags(name string) *map[string]*string { return jsiix.Tags(s.cfg.Environment, name) }

// defineDBSecret stores DB credentials whose password is drawn at apply time: the
// synthesized JSON holds only a reference to it.
func (s *Service) defineDBSecret() {
	env := s.cfg.Environment
	props := &secretsmanagersecret.SecretsmanagerSecretConfig{
		Name:                 jsii.String(s.names.dbSecret),
		Description:          jsii.String("Database credentials of " + s.id.Label("service")),
		RecoveryWindowInDays: jsii.Number(float64(env.Profile().SecretRecoveryDays)),
		Tags:                 s.tags(s.names.dbSecret),
	}
	if s.cfg.KMSKeyARN != "" {
		props.KmsKeyId = jsii.String(s.cfg.KMSKeyARN)
	}
	s.dbSecret = secretsmanagersecret.NewSecretsmanagerSecret(s, jsii.String("DBSecret"), props)
	version := secretsmanagersecretversion.NewSecretsmanagerSecretVersion(s, jsii.String("DBSecretVersion"), &secretsmanagersecretversion.SecretsmanagerSecretVersionConfig{
		SecretId: s.dbSecret.Id(),
	})
	// The password never reaches a plan or the state: an ephemeral random password
	// (drawn by Secrets Manager when Terraform opens it) goes into the write-only
	// secret_string_wo, which Terraform sends once per secret_string_wo_version. Neither
	// block is in the AWS bindings of cdktf 0.20, hence the overrides; the ephemeral
	// resource shares the version's logical ID.
	name := *version.FriendlyUniqueId()
	cdktf.TerraformStack_Of(s).AddOverride(jsii.String("ephemeral.aws_secretsmanager_random_password."+name), map[string]any{
		"password_length":            dbPasswordLength,
		"exclude_characters":         `"'@/\ `,
		"require_each_included_type": true,
	})
	username, err := json.Marshal(s.cfg.DBUsername) // a validated identifier: a plain string
	jsiix.Must("lmsservice.New", s.scope.Label(), err)
	version.AddOverride(jsii.String("secret_string_wo"), jsii.String(`${jsonencode({"password" = ephemeral.aws_secretsmanager_random_password.`+
		name+`.random_password, "username" = `+string(username)+`})}`))
	version.AddOverride(jsii.String("secret_string_wo_version"), jsii.Number(s.cfg.DBPasswordVersion))
}

// readableARN is an ARN the execution role may read, and whether it is a secret the
// library defines (the DB secret, the cache's connection secret): a Secrets Manager
// secret for sure, even as a token.
type readableARN struct {
	arn string
	own bool
}

// injections returns the container's injected secrets, sorted by name, and the secret
// and parameter ARNs the execution role may read (each once): from the DB secret, the
// cache's connection secret and Config.Secrets.
func (s *Service) injections() (secrets []injection, readable []readableARN) {
	seen := map[string]bool{}
	inject := func(name, arn, key string, own bool) {
		from := arn
		if key != "" {
			from = arn + ":" + key + "::"
		}
		secrets = append(secrets, injection{name, from})
		if !seen[arn] {
			seen[arn] = true
			readable = append(readable, readableARN{arn, own})
		}
	}
	if s.dbSecret != nil {
		db := *s.dbSecret.Arn()
		inject("DB_USERNAME", db, "username", true)
		inject("DB_PASSWORD", db, "password", true)
	}
	if s.cfg.Cache != nil {
		if arn, ok := s.cfg.Cache.ConnectionSecretARN(); ok {
			inject("REDIS_URL", *arn, "url", true)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(s.cfg.Secrets)) {
		ref := s.cfg.Secrets[name]
		inject(name, ref.ARN, ref.JSONKey, false)
	}
	return secrets, readable
}

func (s *Service) defineRoles(partition, region string, readable []readableARN) {
	s.execRole = iamrole.NewIamRole(s, jsii.String("ExecutionRole"), &iamrole.IamRoleConfig{
		Name:             jsii.String(s.names.executionRole),
		Description:      jsii.String("Pulls the image, writes logs and reads the injected secrets of " + s.names.service),
		AssumeRolePolicy: iampolicy.AssumeRole("ecs-tasks.amazonaws.com"),
		Tags:             s.tags(s.names.executionRole),
	})
	iamrolepolicyattachment.NewIamRolePolicyAttachment(s, jsii.String("ExecutionRoleManagedPolicy"), &iamrolepolicyattachment.IamRolePolicyAttachmentConfig{
		Role:      s.execRole.Name(),
		PolicyArn: jsii.String("arn:" + partition + ":iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"),
	})
	if len(readable) > 0 {
		var fromSecrets, fromParameters []string
		for _, r := range readable {
			switch {
			case r.own || isLiteralOf(r.arn, "secretsmanager"):
				fromSecrets = append(fromSecrets, r.arn)
			case isLiteralOf(r.arn, "ssm"):
				fromParameters = append(fromParameters, r.arn)
			default: // a token, which may stand for either: the role may read it as both
				fromSecrets = append(fromSecrets, r.arn)
				fromParameters = append(fromParameters, r.arn)
			}
		}
		var statements []iampolicy.Statement
		if len(fromSecrets) > 0 {
			statements = append(statements, iampolicy.Statement{Sid: "ReadInjectedSecrets", Effect: "Allow",
				Action: []string{"secretsmanager:GetSecretValue"}, Resource: fromSecrets})
		}
		if len(fromParameters) > 0 {
			statements = append(statements, iampolicy.Statement{Sid: "ReadInjectedParameters", Effect: "Allow",
				Action: []string{"ssm:GetParameters"}, Resource: fromParameters})
		}
		if s.cfg.KMSKeyARN != "" {
			var via any = "secretsmanager." + region + ".amazonaws.com"
			if len(fromParameters) > 0 {
				via = []string{"secretsmanager." + region + ".amazonaws.com", "ssm." + region + ".amazonaws.com"}
			}
			statements = append(statements, iampolicy.Statement{
				Sid: "DecryptInjectedSecrets", Effect: "Allow",
				Action:    []string{"kms:Decrypt"},
				Resource:  []string{s.cfg.KMSKeyARN},
				Condition: map[string]map[string]any{"StringEquals": {"kms:ViaService": via}},
			})
		}
		iamrolepolicy.NewIamRolePolicy(s, jsii.String("ExecutionRoleSecrets"), &iamrolepolicy.IamRolePolicyConfig{
			Name:   jsii.String("read-injected-secrets"),
			Role:   s.execRole.Id(),
			Policy: iampolicy.Policy(statements...),
		})
	}
	s.taskRole = iamrole.NewIamRole(s, jsii.String("TaskRole"), &iamrole.IamRoleConfig{
		Name:             jsii.String(s.names.taskRole),
		Description:      jsii.String("Application role of " + s.names.service + " (no permissions by default)"),
		AssumeRolePolicy: iampolicy.AssumeRole("ecs-tasks.amazonaws.com"),
		Tags:             s.tags(s.names.taskRole),
	})
}

// isLiteralOf reports whether arn is a literal ARN of the service.
func isLiteralOf(arn, service string) bool {
	a, err := awsid.ParseARN(arn)
	return err == nil && a.Service == service
}

// defineSecurityGroup defines the task group. It admits nothing but what is granted: its
// load balancer (defineLoadBalancer, defineAttachment) and Connections().AllowFrom; it
// reaches HTTPS anywhere (ECR, CloudWatch Logs, Secrets Manager and other AWS APIs) and
// the cache.
func (s *Service) defineSecurityGroup() {
	description := "Load balancer to the tasks of " + s.names.service
	if !s.cfg.balanced() {
		description = "The tasks of " + s.names.service + ", reached by no load balancer"
	}
	s.taskSG = securitygroup.NewSecurityGroup(s, jsii.String("TaskSecurityGroup"), &securitygroup.SecurityGroupConfig{
		Name:        jsii.String(s.names.taskSG),
		Description: jsii.String(description),
		VpcId:       s.cfg.Network.VPCID(),
		Tags:        s.tags(s.names.taskSG),
		Lifecycle:   jsiix.CreateBeforeDestroy(),
	})
	s.conns = network.NewConnections(s, s.taskSG.Id(), label(s.scope)+" tasks")
	s.conns.AllowTo(network.CIDR("0.0.0.0/0"), network.TCP(network.PortHTTPS), network.RuleIDs("", "TaskEgressHTTPS"),
		network.Descriptions("", "HTTPS to ECR, CloudWatch Logs, Secrets Manager and other AWS APIs"))
	if c := s.cfg.Cache; c != nil {
		c.AllowFrom(s.conns, network.RuleIDs("", "TaskEgressCache"), network.Descriptions("", "To the cache"))
	}
}

// label names the construct in the rules of its Connections: its path below the stack
// ("Web"), or "stack" for a construct that is the stack itself.
func label(sc *identity.Scope) string {
	if l := sc.Label(); l != "" {
		return l
	}
	return "stack"
}

// admit lets the load balancer of listener reach the tasks on the container port: the
// ingress on the task group ("TaskIngress") and, for a load balancer of this app, the
// egress on its group (egressID, or the default ID).
func (s *Service) admit(from *network.Connections, egressID string) {
	s.conns.AllowFrom(from, network.TCP(s.cfg.ContainerPort), network.RuleIDs("TaskIngress", egressID),
		network.Descriptions("From the load balancer only", "To the tasks on the container port"))
}

func (s *Service) defineLoadBalancer() {
	c := s.cfg
	lbDescription := "Internet to the load balancer of " + s.names.service
	if c.Ingress == IngressInternal {
		lbDescription = "The VPC to the internal load balancer of " + s.names.service
	}
	s.lb = loadbalancer.New(s, "Default", loadbalancer.Config{
		Environment: c.Environment, Component: c.Component, Network: c.Network, Internal: c.Ingress == IngressInternal,
		CertificateARN: c.CertificateARN, SSLPolicy: c.SSLPolicy, AccessLogsBucket: c.AccessLogsBucket,
		DefaultTargetGroupARN:    *s.targetGroup.Arn(),
		SecurityGroupDescription: lbDescription,
	})
	s.listener = s.lb.Listener()
	s.admit(s.lb.Connections(), "LoadBalancerEgress")
}

// defineAttachment adds the rule that forwards to the service's target group on the
// listener, and admits its load balancer. The rule has no create_before_destroy: a
// replacement on the same listener would have to hold the rule's priority twice, which
// the listener refuses (PriorityInUse); a change of priority, conditions or target
// group is an in-place update.
func (s *Service) defineAttachment() {
	a := s.cfg.Attach
	s.listener = a.Listener
	var conditions []*lblistenerrule.LbListenerRuleCondition
	if len(a.Hosts) > 0 {
		conditions = append(conditions, &lblistenerrule.LbListenerRuleCondition{
			HostHeader: &lblistenerrule.LbListenerRuleConditionHostHeader{Values: jsiix.Strings(a.Hosts)},
		})
	}
	if len(a.Paths) > 0 {
		conditions = append(conditions, &lblistenerrule.LbListenerRuleCondition{
			PathPattern: &lblistenerrule.LbListenerRuleConditionPathPattern{Values: jsiix.Strings(a.Paths)},
		})
	}
	s.rule = lblistenerrule.NewLbListenerRule(s, jsii.String("ListenerRule"), &lblistenerrule.LbListenerRuleConfig{
		ListenerArn: a.Listener.ARN(),
		Priority:    jsii.Number(float64(a.Priority)),
		Action:      &[]*lblistenerrule.LbListenerRuleAction{{Type: jsii.String("forward"), TargetGroupArn: s.targetGroup.Arn()}},
		Condition:   &conditions,
		Tags:        s.tags(s.id.Label("rule")),
	})
	s.admit(a.Listener.Connections(), "")
}

// defineTargetGroup defines the target group the service registers its tasks in.
func (s *Service) defineTargetGroup() {
	s.targetGroup = lbtargetgroup.NewLbTargetGroup(s, jsii.String("TargetGroup"), &lbtargetgroup.LbTargetGroupConfig{
		Name:                jsii.String(s.names.targetGroup),
		Port:                jsii.Number(float64(s.cfg.ContainerPort)),
		Protocol:            jsii.String("HTTP"),
		TargetType:          jsii.String("ip"),
		VpcId:               s.cfg.Network.VPCID(),
		DeregistrationDelay: jsii.String(strconv.Itoa(*s.cfg.DeregistrationDelaySeconds)),
		HealthCheck: &lbtargetgroup.LbTargetGroupHealthCheck{
			Enabled: jsii.Bool(true), Path: jsii.String(s.cfg.HealthCheckPath), Protocol: jsii.String("HTTP"),
			Matcher: jsii.String("200-399"), Interval: jsii.Number(healthCheckIntervalSeconds), Timeout: jsii.Number(healthCheckTimeoutSeconds),
			HealthyThreshold: jsii.Number(healthyThreshold), UnhealthyThreshold: jsii.Number(unhealthyThreshold),
		},
		Tags: s.tags(s.names.targetGroup),
		// A renamed target group is created before the old one leaves the listener (or
		// the rule, which then moves to it in place).
		Lifecycle: jsiix.CreateBeforeDestroy(),
	})
}

type keyValue struct {
	Name  string `json:"name"`
	Value string `json:"value,omitempty"`
	From  string `json:"valueFrom,omitempty"`
}

// containerDefinitions renders the task's container definitions. Values may be tokens;
// Terraform fills them in at apply time.
func (s *Service) containerDefinitions(region string, injected []injection) string {
	c := s.cfg
	var env []keyValue
	if s.dbSecret != nil {
		env = append(env, keyValue{Name: "DB_SECRET_ARN", Value: *s.dbSecret.Arn()})
	}
	if c.Cache != nil {
		env = append(env,
			keyValue{Name: "REDIS_HOST", Value: *c.Cache.Address()},
			keyValue{Name: "REDIS_PORT", Value: *c.Cache.PortString()})
	}
	for _, k := range slices.Sorted(maps.Keys(c.ContainerEnv)) {
		env = append(env, keyValue{Name: k, Value: c.ContainerEnv[k]})
	}
	sort.Slice(env, func(i, j int) bool { return env[i].Name < env[j].Name })
	var secrets []keyValue
	for _, in := range injected {
		secrets = append(secrets, keyValue{Name: in.name, From: in.from})
	}
	container := map[string]any{
		"name":      ContainerName,
		"image":     c.Image,
		"essential": true,
		"logConfiguration": map[string]any{
			"logDriver": "awslogs",
			"options": map[string]string{
				"awslogs-group":         s.names.logGroup,
				"awslogs-region":        region,
				"awslogs-stream-prefix": s.id.Stem(),
			},
		},
	}
	// Empty lists are left out: ECS drops them, and the provider would plan them back.
	if len(env) > 0 {
		container["environment"] = env
	}
	if len(secrets) > 0 {
		container["secrets"] = secrets
	}
	if c.ContainerPort != 0 {
		container["portMappings"] = []any{map[string]any{"containerPort": c.ContainerPort, "hostPort": c.ContainerPort, "protocol": "tcp"}}
	}
	if len(c.Command) > 0 {
		container["command"] = c.Command
	}
	if len(c.EntryPoint) > 0 {
		container["entryPoint"] = c.EntryPoint
	}
	if len(c.HealthCheckCommand) > 0 {
		container["healthCheck"] = map[string]any{"command": c.HealthCheckCommand, "interval": healthCheckIntervalSeconds,
			"timeout": healthCheckTimeoutSeconds, "retries": containerHealthRetries, "startPeriod": containerStartPeriod}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode([]any{container}); err != nil {
		panic(err) // strings, numbers and maps always encode
	}
	return string(bytes.TrimSpace(buf.Bytes()))
}

func (s *Service) defineTask(region string, injected []injection) {
	c := s.cfg
	s.taskDef = ecstaskdefinition.NewEcsTaskDefinition(s, jsii.String("TaskDefinition"), &ecstaskdefinition.EcsTaskDefinitionConfig{
		Family:                  jsii.String(s.names.family),
		NetworkMode:             jsii.String("awsvpc"),
		RequiresCompatibilities: jsii.Strings("FARGATE"),
		Cpu:                     jsii.String(strconv.Itoa(c.CPU)),
		Memory:                  jsii.String(strconv.Itoa(c.Memory)),
		ExecutionRoleArn:        s.execRole.Arn(),
		TaskRoleArn:             s.taskRole.Arn(),
		ContainerDefinitions:    jsii.String(s.containerDefinitions(region, injected)),
		RuntimePlatform: &ecstaskdefinition.EcsTaskDefinitionRuntimePlatform{
			OperatingSystemFamily: jsii.String("LINUX"), CpuArchitecture: jsii.String(string(c.Architecture)),
		},
		Tags: s.tags(s.names.family),
	})
}

func (s *Service) defineService() {
	c := s.cfg
	prof := c.Environment.Profile()
	subnets := c.Network.PrivateSubnetIDs()
	if c.AssignPublicIP {
		subnets = c.Network.PublicSubnetIDs()
	}
	// ECS refuses a target group that no load balancer forwards to yet: the service
	// waits for the listeners, or the rule.
	var deps []cdktf.ITerraformDependable
	if s.lb != nil {
		deps = append(deps, s.lb.HTTPListener())
		if https, ok := s.lb.HTTPSListener(); ok {
			deps = append(deps, https)
		}
	}
	if s.rule != nil {
		deps = append(deps, s.rule)
	}
	props := &ecsservice.EcsServiceConfig{
		Name:            jsii.String(s.names.service),
		Cluster:         s.cluster.ARN(),
		TaskDefinition:  s.taskDef.Arn(),
		DesiredCount:    jsii.Number(float64(*c.DesiredCount)),
		PlatformVersion: jsii.String("LATEST"),
		NetworkConfiguration: &ecsservice.EcsServiceNetworkConfiguration{
			Subnets: subnets, SecurityGroups: &[]*string{s.taskSG.Id()}, AssignPublicIp: jsii.Bool(c.AssignPublicIP),
		},
		DeploymentCircuitBreaker:        &ecsservice.EcsServiceDeploymentCircuitBreaker{Enable: jsii.Bool(true), Rollback: jsii.Bool(true)},
		DeploymentMinimumHealthyPercent: jsii.Number(float64(*c.MinHealthyPercent)),
		DeploymentMaximumPercent:        jsii.Number(float64(c.MaxPercent)),
		ForceDelete:                     jsii.Bool(prof.ForceDelete),
		PropagateTags:                   jsii.String("SERVICE"),
		EnableEcsManagedTags:            jsii.Bool(true),
		Tags:                            s.tags(s.names.service),
	}
	if len(deps) > 0 {
		props.DependsOn = &deps
	}
	if c.Capacity == CapacityFargateSpot {
		props.CapacityProviderStrategy = &[]*ecsservice.EcsServiceCapacityProviderStrategy{{
			CapacityProvider: jsii.String(cluster.CapacityFargateSpot), Weight: jsii.Number(1),
		}}
		if s.ownCluster {
			// The strategy needs the provider associated with the cluster first.
			providers, _ := s.cluster.CapacityProviders()
			deps = append(deps, providers)
			props.DependsOn = &deps
		}
	} else {
		props.LaunchType = jsii.String("FARGATE")
	}
	if s.targetGroup != nil {
		props.LoadBalancer = &[]*ecsservice.EcsServiceLoadBalancer{{
			TargetGroupArn: s.targetGroup.Arn(), ContainerName: jsii.String(ContainerName), ContainerPort: jsii.Number(float64(c.ContainerPort)),
		}}
		props.HealthCheckGracePeriodSeconds = jsii.Number(float64(*c.HealthCheckGracePeriodSeconds))
	}
	if c.AutoscalingMaxCount > 0 {
		props.Lifecycle = &cdktf.TerraformResourceLifecycle{IgnoreChanges: &[]*string{jsii.String("desired_count")}}
	}
	s.service = ecsservice.NewEcsService(s, jsii.String("Service"), props)
}

func (s *Service) defineAutoscaling() {
	c := s.cfg
	s.scaling = appautoscalingtarget.NewAppautoscalingTarget(s, jsii.String("ScalingTarget"), &appautoscalingtarget.AppautoscalingTargetConfig{
		ServiceNamespace:  jsii.String("ecs"),
		ScalableDimension: jsii.String("ecs:service:DesiredCount"),
		ResourceId:        jsii.String("service/" + *s.cluster.Name() + "/" + *s.service.Name()),
		MinCapacity:       jsii.Number(float64(*c.AutoscalingMinCount)),
		MaxCapacity:       jsii.Number(float64(c.AutoscalingMaxCount)),
		Tags:              s.tags(s.names.service),
	})
	policy := func(id, suffix, metric string, target int, label *string) {
		spec := &appautoscalingpolicy.AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecification{
			PredefinedMetricType: jsii.String(metric),
		}
		if label != nil {
			spec.ResourceLabel = label
		}
		appautoscalingpolicy.NewAppautoscalingPolicy(s, jsii.String(id), &appautoscalingpolicy.AppautoscalingPolicyConfig{
			Name:              jsii.String(s.names.service + "-" + suffix),
			PolicyType:        jsii.String("TargetTrackingScaling"),
			ServiceNamespace:  s.scaling.ServiceNamespace(),
			ScalableDimension: s.scaling.ScalableDimension(),
			ResourceId:        s.scaling.ResourceId(),
			TargetTrackingScalingPolicyConfiguration: &appautoscalingpolicy.AppautoscalingPolicyTargetTrackingScalingPolicyConfiguration{
				TargetValue:                   jsii.Number(float64(target)),
				PredefinedMetricSpecification: spec,
				ScaleInCooldown:               jsii.Number(scaleInCooldownSeconds),
				ScaleOutCooldown:              jsii.Number(scaleOutCooldownSeconds),
			},
		})
	}
	if c.AutoscalingCPUPercent > 0 {
		policy("ScalingPolicy", "cpu", "ECSServiceAverageCPUUtilization", c.AutoscalingCPUPercent, nil)
	}
	if c.AutoscalingMemoryPercent > 0 {
		policy("ScalingPolicyMemory", "memory", "ECSServiceAverageMemoryUtilization", c.AutoscalingMemoryPercent, nil)
	}
	if c.AutoscalingRequestsPerTarget > 0 {
		// "app/<lb>/<id>/targetgroup/<tg>/<id>": the load balancer's ARN suffix (the part
		// after "loadbalancer/") and the target group's.
		label := cdktf.Token_AsString(cdktf.Fn_Join(jsii.String("/"), &[]*string{
			cdktf.Token_AsString(cdktf.Fn_Element(cdktf.Fn_Split(jsii.String(":loadbalancer/"), s.listener.LoadBalancerARN()), jsii.Number(1)), nil),
			s.targetGroup.ArnSuffix(),
		}), nil)
		policy("ScalingPolicyRequests", "requests", "ALBRequestCountPerTarget", c.AutoscalingRequestsPerTarget, label)
	}
}

// Config returns the configuration with defaults applied.
func (s *Service) Config() Config { return s.cfg }

// Identity returns the naming identity of the service's instance in its stack.
func (s *Service) Identity() naming.Identity { return s.id }

// Place returns where the service's stack deploys.
func (s *Service) Place() awsid.Place { return s.place }

// Cluster returns the cluster the service runs in: Config.Cluster, or its own.
func (s *Service) Cluster() *cluster.Cluster { return s.cluster }

// ClusterName returns the ECS cluster name.
func (s *Service) ClusterName() *string { return s.cluster.Name() }

// ClusterARN returns the ECS cluster ARN.
func (s *Service) ClusterARN() *string { return s.cluster.ARN() }

// ServiceName returns the ECS service name, as a reference to the service.
func (s *Service) ServiceName() *string { return s.service.Name() }

// ContainerPort returns the port the container listens on (0 for a worker without
// one), for the rules of other services that reach it.
func (s *Service) ContainerPort() int { return s.cfg.ContainerPort }

// Connections returns the tasks' security group as network.Connections: admit another
// service with Connections().AllowFrom(other.Connections(), network.TCP(port)).
func (s *Service) Connections() *network.Connections { return s.conns }

// Listener returns the listener of the service's own load balancer, which other
// services may attach to (Attachment.Listener), and false without one (an attached
// service's listener is Attach.Listener).
func (s *Service) Listener() (*loadbalancer.Listener, bool) {
	if s.lb == nil {
		return nil, false
	}
	return s.lb.Listener(), true
}

// LoadBalancer returns the service's own load balancer, and false without one (Attach,
// or a worker).
func (s *Service) LoadBalancer() (*loadbalancer.LoadBalancer, bool) { return s.lb, s.lb != nil }

// LoadBalancerDNSName returns the DNS name requests reach the service at: its own load
// balancer's, or Attach.Listener's load balancer's; false for a worker.
func (s *Service) LoadBalancerDNSName() (*string, bool) {
	switch {
	case s.lb != nil:
		return s.lb.DNSName(), true
	case s.cfg.Attach != nil:
		return s.cfg.Attach.Listener.LoadBalancerDNSName(), true
	}
	return nil, false
}

// TaskSecurityGroupID returns the tasks' security group ID (token).
func (s *Service) TaskSecurityGroupID() *string { return s.taskSG.Id() }

// DBSecretARN returns the DB credentials secret's ARN (token), and false without
// DBSecret.
func (s *Service) DBSecretARN() (*string, bool) {
	if s.dbSecret == nil {
		return nil, false
	}
	return s.dbSecret.Arn(), true
}

// ExecutionRoleARN returns the task execution role's ARN (token).
func (s *Service) ExecutionRoleARN() *string { return s.execRole.Arn() }

// TaskRoleARN returns the task role's ARN (token): grant it more with the Grant methods.
func (s *Service) TaskRoleARN() *string { return s.taskRole.Arn() }

// LogGroupName returns the log group name ("/ecs/lms-<env>"): a plain string known at
// synth, except in a PR environment whose suffix lives in Terraform state
// (naming.Environment.StampKept), where it holds a reference to that suffix.
func (s *Service) LogGroupName() *string { return jsii.String(s.names.logGroup) }

// ECSService returns the aws_ecs_service.
func (s *Service) ECSService() ecsservice.EcsService { return s.service }

// TaskDefinition returns the aws_ecs_task_definition.
func (s *Service) TaskDefinition() ecstaskdefinition.EcsTaskDefinition { return s.taskDef }

// Attachment returns the attachment with its defaults applied (the derived Priority),
// and false without Attach.
func (s *Service) Attachment() (Attachment, bool) {
	if s.cfg.Attach == nil {
		return Attachment{}, false
	}
	return *s.cfg.Attach, true
}

// ListenerRule returns the aws_lb_listener_rule on Attach.Listener, and false without
// Attach.
func (s *Service) ListenerRule() (lblistenerrule.LbListenerRule, bool) { return s.rule, s.rule != nil }

// TargetGroup returns the aws_lb_target_group, and false for a worker.
func (s *Service) TargetGroup() (lbtargetgroup.LbTargetGroup, bool) {
	return s.targetGroup, s.targetGroup != nil
}

// ScalingTarget returns the aws_appautoscaling_target, and false without autoscaling:
// add policies of your own to it (scheduled actions, step scaling).
func (s *Service) ScalingTarget() (appautoscalingtarget.AppautoscalingTarget, bool) {
	return s.scaling, s.scaling != nil
}

// ExecutionRole returns the execution aws_iam_role.
func (s *Service) ExecutionRole() iamrole.IamRole { return s.execRole }

// TaskRole returns the task aws_iam_role.
func (s *Service) TaskRole() iamrole.IamRole { return s.taskRole }

// LogGroup returns the aws_cloudwatch_log_group.
func (s *Service) LogGroup() cloudwatchloggroup.CloudwatchLogGroup { return s.logGroup }

// DBSecret returns the DB credentials aws_secretsmanager_secret, and false without
// DBSecret.
func (s *Service) DBSecret() (secretsmanagersecret.SecretsmanagerSecret, bool) {
	return s.dbSecret, s.dbSecret != nil
}
