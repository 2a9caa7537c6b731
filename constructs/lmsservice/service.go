package lmsservice

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/appautoscalingpolicy"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/appautoscalingtarget"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/cloudwatchloggroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawslb"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawslblistener"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawspartition"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsregion"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawssecretsmanagerrandompassword"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ecscluster"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ecsservice"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ecstaskdefinition"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrolepolicy"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrolepolicyattachment"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/lb"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/lblistener"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/lblistenerrule"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/lbtargetgroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/secretsmanagersecret"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/secretsmanagersecretversion"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/securitygroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcsecuritygroupegressrule"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcsecuritygroupingressrule"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/internal/tfx"
)

// Service is the LMS Fargate service with its load balancer and supporting resources.
type Service struct {
	constructs.Construct

	cfg   Config
	id    naming.Identity
	scope *tfx.Scope
	names names

	clusterName *string
	clusterARN  *string
	cluster     ecscluster.EcsCluster
	logGroup    cloudwatchloggroup.CloudwatchLogGroup
	execRole    iamrole.IamRole
	taskRole    iamrole.IamRole
	albSG       securitygroup.SecurityGroup
	taskSG      securitygroup.SecurityGroup
	alb         lb.Lb
	targetGroup lbtargetgroup.LbTargetGroup
	listeners   []lblistener.LbListener
	// With Attach: the shared listener and load balancer (data sources), the rule.
	sharedListener dataawslblistener.DataAwsLbListener
	sharedLB       dataawslb.DataAwsLb
	rule           lblistenerrule.LbListenerRule
	taskDef        ecstaskdefinition.EcsTaskDefinition
	service        ecsservice.EcsService
	dbSecret       secretsmanagersecret.SecretsmanagerSecret
}

// injection is one secret injected into the container: variable name and valueFrom.
type injection struct{ name, from string }

// New defines a Service in scope. It validates cfg first (including the egress check)
// and panics with every problem, the text Config.Validate returns, before defining any
// child. Its physical names are registered with the app, which refuses duplicates at
// synth (see docs/naming.md).
//
// Child IDs: "Cluster" (unless ExistingClusterARN), "Region", "Partition", "LogGroup",
// "DBPassword", "DBSecret", "DBSecretVersion", "ExecutionRole",
// "ExecutionRoleManagedPolicy", "ExecutionRoleSecrets", "TaskRole",
// "LoadBalancerSecurityGroup", "LoadBalancerIngressHTTP", "LoadBalancerIngressHTTPS"
// (with a certificate), "LoadBalancerEgress", "TaskSecurityGroup", "TaskIngress",
// "TaskEgressHTTPS", "TaskEgressCache" (with a Cache), "LoadBalancer", "TargetGroup",
// "HTTPListener", "HTTPSListener" (with a certificate), "TaskDefinition", "Service", and
// with autoscaling "ScalingTarget" and "ScalingPolicy". With a Cache, the cache admits
// the task security group (Cache.AllowFrom).
//
// With Attach there is no "LoadBalancerSecurityGroup", "LoadBalancerIngressHTTP",
// "LoadBalancerIngressHTTPS", "LoadBalancerEgress", "LoadBalancer", "HTTPListener" or
// "HTTPSListener"; instead "SharedListener" and "SharedLoadBalancer" (data sources that
// read the shared load balancer's ARN and DNS name) and "ListenerRule", the host rule
// on the shared listener that forwards to "TargetGroup". Its priority is checked at
// synth, with the app's other rules on that listener (tfx.Scope.ClaimListenerRule).
func New(scope constructs.Construct, id string, cfg Config) *Service {
	tfx.MustBeValid("lmsservice", id, cfg.Validate())
	if cfg.Network.VPCID() == nil {
		panic(fmt.Sprintf("lmsservice.New(%q): Network has no VPC ID: pass the network from network.New (a plan from network.Config.Plan is for Validate only)", id))
	}
	if c := cfg.withDefaults().Cache; c != nil && c.SecurityGroupID() == nil {
		panic(fmt.Sprintf("lmsservice.New(%q): Cache has no security group: pass the cache from cache.New (a plan from cache.Config.Plan is for Validate only)", id))
	}
	s := &Service{cfg: cfg.withDefaults(), scope: tfx.Enter(scope, id)}
	s.scope.RequireRegion("lmsservice", id) // the IAM roles' names carry it
	constructs.NewConstruct_Override(s, scope, jsii.String(id))
	s.id = s.scope.Identity(s.cfg.Environment, s.cfg.Component)
	s.names, _ = s.cfg.names(s.id) // checked by Validate; the region by RequireRegion

	s.defineCluster()
	region := *dataawsregion.NewDataAwsRegion(s, jsii.String("Region"), &dataawsregion.DataAwsRegionConfig{}).Name()
	partition := *dataawspartition.NewDataAwsPartition(s, jsii.String("Partition"), &dataawspartition.DataAwsPartitionConfig{}).Partition()
	logs := &cloudwatchloggroup.CloudwatchLogGroupConfig{
		Name:            jsii.String(s.names.logGroup),
		RetentionInDays: jsii.Number(float64(*s.cfg.LogRetentionDays)),
		Tags:            s.tags(s.names.logGroup),
	}
	if s.cfg.LogKMSKeyARN != "" {
		logs.KmsKeyId = jsii.String(s.cfg.LogKMSKeyARN)
	}
	s.logGroup = cloudwatchloggroup.NewCloudwatchLogGroup(s, jsii.String("LogGroup"), logs)
	s.defineDBSecret()
	secrets, readable := s.injections()
	s.defineRoles(partition, region, readable)
	s.defineSecurityGroups()
	s.defineTargetGroup()
	if s.cfg.Attach != nil {
		s.defineAttachment()
	} else {
		s.defineLoadBalancer()
	}
	s.defineTask(region, secrets)
	s.defineService()
	if s.cfg.AutoscalingMaxCount > 0 {
		s.defineAutoscaling()
	}
	s.claim()
	return s
}

// claim registers the physical names with the app (tfx.Claim).
func (s *Service) claim() {
	const fix = "lmsservice.Config.Component"
	vpc := *s.cfg.Network.VPCID()
	var names []tfx.Named
	if s.cluster != nil {
		names = append(names, tfx.Named{Kind: naming.ECSCluster, Name: s.names.cluster, Child: "Cluster", Fix: fix})
	}
	names = append(names, []tfx.Named{
		{Kind: naming.ECSService, Name: s.names.service, Child: "Service", Within: tfx.Resolved(s, s.clusterARN), Fix: fix},
		{Kind: naming.TaskFamily, Name: s.names.family, Child: "TaskDefinition", Fix: fix},
		{Kind: naming.LogGroup, Name: s.names.logGroup, Child: "LogGroup", Fix: fix},
		{Kind: naming.Secret, Name: s.names.dbSecret, Child: "DBSecret", Fix: fix},
		{Kind: naming.IAMRole, Name: s.names.executionRole, Child: "ExecutionRole", Fix: fix},
		{Kind: naming.IAMRole, Name: s.names.taskRole, Child: "TaskRole", Fix: fix},
	}...)
	if s.alb != nil {
		names = append(names, tfx.Named{Kind: naming.SecurityGroup, Name: s.names.albSG, Child: "LoadBalancerSecurityGroup", Within: vpc, Fix: fix})
	}
	names = append(names, tfx.Named{Kind: naming.SecurityGroup, Name: s.names.taskSG, Child: "TaskSecurityGroup", Within: vpc, Fix: fix})
	if s.alb != nil {
		names = append(names, tfx.Named{Kind: naming.LoadBalancer, Name: s.names.alb, Child: "LoadBalancer", Fix: fix})
	}
	names = append(names, tfx.Named{Kind: naming.TargetGroup, Name: s.names.targetGroup, Child: "TargetGroup", Fix: fix})
	s.scope.Claim(names...)
	if a := s.cfg.Attach; a != nil {
		s.scope.ClaimListenerRule(tfx.ListenerRule{Listener: a.ListenerARN, Priority: a.Priority, Host: a.Host,
			Child: "ListenerRule", Fix: "lmsservice.Attachment.Priority"})
	}
}

func (s *Service) tags(name string) *map[string]*string { return tfx.Tags(s.cfg.Environment, name) }

func (s *Service) defineCluster() {
	if arn := s.cfg.ExistingClusterARN; arn != "" {
		name, _ := tfx.ClusterName(arn) // checked by Validate
		s.clusterARN, s.clusterName = jsii.String(arn), jsii.String(name)
		return
	}
	s.cluster = tfx.Cluster(s, "Cluster", s.names.cluster, s.tags(s.names.cluster))
	s.clusterARN, s.clusterName = s.cluster.Arn(), s.cluster.Name()
}

// defineDBSecret stores DB credentials whose password AWS generates at apply time: the
// synthesized JSON holds only a reference to it.
func (s *Service) defineDBSecret() {
	env := s.cfg.Environment
	password := dataawssecretsmanagerrandompassword.NewDataAwsSecretsmanagerRandomPassword(s, jsii.String("DBPassword"),
		&dataawssecretsmanagerrandompassword.DataAwsSecretsmanagerRandomPasswordConfig{
			PasswordLength:          jsii.Number(dbPasswordLength),
			ExcludeCharacters:       jsii.String(`"'@/\ `),
			RequireEachIncludedType: jsii.Bool(true),
		})
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
	secretsmanagersecretversion.NewSecretsmanagerSecretVersion(s, jsii.String("DBSecretVersion"), &secretsmanagersecretversion.SecretsmanagerSecretVersionConfig{
		SecretId: s.dbSecret.Id(),
		SecretString: cdktf.Fn_Jsonencode(map[string]any{
			"username": s.cfg.DBUsername,
			"password": password.RandomPassword(),
		}),
		// The data source draws a new password on every plan: keep the first one.
		Lifecycle: &cdktf.TerraformResourceLifecycle{IgnoreChanges: &[]*string{jsii.String("secret_string")}},
	})
}

// injections returns the container's injected secrets, sorted by name, and the secret
// ARNs the execution role may read (each once): computed once, from the DB secret (so
// after defineDBSecret), the cache's connection secret and Config.Secrets.
func (s *Service) injections() (secrets []injection, readable []string) {
	seen := map[string]bool{}
	inject := func(name, arn, key string) {
		from := arn
		if key != "" {
			from = arn + ":" + key + "::"
		}
		secrets = append(secrets, injection{name, from})
		if !seen[arn] {
			seen[arn] = true
			readable = append(readable, arn)
		}
	}
	db := *s.dbSecret.Arn()
	inject("DB_USERNAME", db, "username")
	inject("DB_PASSWORD", db, "password")
	if s.cfg.Cache != nil {
		if arn, ok := s.cfg.Cache.ConnectionSecretARN(); ok {
			inject("REDIS_URL", *arn, "url")
		}
	}
	for _, name := range tfx.SortedKeys(s.cfg.Secrets) {
		ref := s.cfg.Secrets[name]
		inject(name, ref.ARN, ref.JSONKey)
	}
	return secrets, readable
}

func (s *Service) defineRoles(partition, region string, readable []string) {
	s.execRole = iamrole.NewIamRole(s, jsii.String("ExecutionRole"), &iamrole.IamRoleConfig{
		Name:             jsii.String(s.names.executionRole),
		Description:      jsii.String("Pulls the image, writes logs and reads the injected secrets of " + s.names.service),
		AssumeRolePolicy: tfx.AssumeRole("ecs-tasks.amazonaws.com"),
		Tags:             s.tags(s.names.executionRole),
	})
	iamrolepolicyattachment.NewIamRolePolicyAttachment(s, jsii.String("ExecutionRoleManagedPolicy"), &iamrolepolicyattachment.IamRolePolicyAttachmentConfig{
		Role:      s.execRole.Name(),
		PolicyArn: jsii.String("arn:" + partition + ":iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"),
	})
	statements := []tfx.Statement{{
		Sid: "ReadInjectedSecrets", Effect: "Allow",
		Action:   []string{"secretsmanager:GetSecretValue"},
		Resource: readable,
	}}
	if s.cfg.KMSKeyARN != "" {
		statements = append(statements, tfx.Statement{
			Sid: "DecryptInjectedSecrets", Effect: "Allow",
			Action:    []string{"kms:Decrypt"},
			Resource:  []string{s.cfg.KMSKeyARN},
			Condition: map[string]map[string]string{"StringEquals": {"kms:ViaService": "secretsmanager." + region + ".amazonaws.com"}},
		})
	}
	iamrolepolicy.NewIamRolePolicy(s, jsii.String("ExecutionRoleSecrets"), &iamrolepolicy.IamRolePolicyConfig{
		Name:   jsii.String("read-injected-secrets"),
		Role:   s.execRole.Id(),
		Policy: tfx.Policy(statements...),
	})
	s.taskRole = iamrole.NewIamRole(s, jsii.String("TaskRole"), &iamrole.IamRoleConfig{
		Name:             jsii.String(s.names.taskRole),
		Description:      jsii.String("Application role of " + s.names.service + " (no permissions by default)"),
		AssumeRolePolicy: tfx.AssumeRole("ecs-tasks.amazonaws.com"),
		Tags:             s.tags(s.names.taskRole),
	})
}

// securityGroup defines a named security group without rules in the network's VPC,
// described as what plus the service's name; a rename creates the new group before
// the old one is destroyed.
func (s *Service) securityGroup(id, name, what string) securitygroup.SecurityGroup {
	return securitygroup.NewSecurityGroup(s, jsii.String(id), &securitygroup.SecurityGroupConfig{
		Name:        jsii.String(name),
		Description: jsii.String(what + s.names.service),
		VpcId:       s.cfg.Network.VPCID(),
		Tags:        s.tags(name),
		Lifecycle:   tfx.CreateBeforeDestroy(),
	})
}

// defineSecurityGroups defines the task group, which admits only the load balancer's
// group on the container port, and, without Attach, the load balancer's own group: open
// to the internet on 80 (and 443 with a certificate), out to the tasks only. With
// Attach the shared load balancer's group is the platform's: no rule is added to it.
func (s *Service) defineSecurityGroups() {
	port := float64(s.cfg.ContainerPort)
	albSGID := func() *string { return s.albSG.Id() }
	if a := s.cfg.Attach; a != nil {
		albSGID = func() *string { return jsii.String(a.LoadBalancerSecurityGroupID) }
	} else {
		s.albSG = s.securityGroup("LoadBalancerSecurityGroup", s.names.albSG, "Internet to the load balancer of ")
	}
	s.taskSG = s.securityGroup("TaskSecurityGroup", s.names.taskSG, "Load balancer to the tasks of ")
	if s.albSG != nil {
		tfx.WorldIngress(s, "LoadBalancerIngressHTTP", s.albSG.Id(), tfx.PortHTTP, "HTTP")
		if s.cfg.CertificateARN != "" {
			tfx.WorldIngress(s, "LoadBalancerIngressHTTPS", s.albSG.Id(), tfx.PortHTTPS, "HTTPS")
		}
		vpcsecuritygroupegressrule.NewVpcSecurityGroupEgressRule(s, jsii.String("LoadBalancerEgress"), &vpcsecuritygroupegressrule.VpcSecurityGroupEgressRuleConfig{
			SecurityGroupId: s.albSG.Id(), IpProtocol: jsii.String("tcp"), FromPort: jsii.Number(port), ToPort: jsii.Number(port),
			ReferencedSecurityGroupId: s.taskSG.Id(), Description: jsii.String("To the tasks on the container port"),
		})
	}
	vpcsecuritygroupingressrule.NewVpcSecurityGroupIngressRule(s, jsii.String("TaskIngress"), &vpcsecuritygroupingressrule.VpcSecurityGroupIngressRuleConfig{
		SecurityGroupId: s.taskSG.Id(), IpProtocol: jsii.String("tcp"), FromPort: jsii.Number(port), ToPort: jsii.Number(port),
		ReferencedSecurityGroupId: albSGID(), Description: jsii.String("From the load balancer only"),
	})
	vpcsecuritygroupegressrule.NewVpcSecurityGroupEgressRule(s, jsii.String("TaskEgressHTTPS"), &vpcsecuritygroupegressrule.VpcSecurityGroupEgressRuleConfig{
		SecurityGroupId: s.taskSG.Id(), IpProtocol: jsii.String("tcp"), FromPort: jsii.Number(tfx.PortHTTPS), ToPort: jsii.Number(tfx.PortHTTPS),
		CidrIpv4: jsii.String("0.0.0.0/0"), Description: jsii.String("HTTPS to ECR, CloudWatch Logs, Secrets Manager and other AWS APIs"),
	})
	if c := s.cfg.Cache; c != nil {
		p := float64(c.ListenPort())
		vpcsecuritygroupegressrule.NewVpcSecurityGroupEgressRule(s, jsii.String("TaskEgressCache"), &vpcsecuritygroupegressrule.VpcSecurityGroupEgressRuleConfig{
			SecurityGroupId: s.taskSG.Id(), IpProtocol: jsii.String("tcp"), FromPort: jsii.Number(p), ToPort: jsii.Number(p),
			ReferencedSecurityGroupId: c.SecurityGroupID(), Description: jsii.String("To the cache"),
		})
		c.AllowFrom(s.taskSG.Id())
	}
}

func (s *Service) defineLoadBalancer() {
	s.alb = tfx.InternetFacingALB(s, "LoadBalancer", tfx.ALB{
		Name: s.names.alb, SecurityGroupID: s.albSG.Id(), Subnets: s.cfg.Network.PublicSubnetIDs(),
		DeletionProtection: s.cfg.Environment.Profile().DeletionProtection,
		AccessLogsBucket:   s.cfg.AccessLogsBucket, AccessLogsPrefix: s.id.Prefix(), Tags: s.tags(s.names.alb),
	})
	forward := &[]*lblistener.LbListenerDefaultAction{{Type: jsii.String("forward"), TargetGroupArn: s.targetGroup.Arn()}}
	http := &lblistener.LbListenerConfig{
		LoadBalancerArn: s.alb.Arn(), Port: jsii.Number(tfx.PortHTTP), Protocol: jsii.String("HTTP"), DefaultAction: forward,
		Tags: s.tags(s.names.alb + "-http"),
	}
	if s.cfg.CertificateARN != "" {
		http.DefaultAction = tfx.RedirectToHTTPS()
		s.listeners = append(s.listeners, lblistener.NewLbListener(s, jsii.String("HTTPSListener"), &lblistener.LbListenerConfig{
			LoadBalancerArn: s.alb.Arn(), Port: jsii.Number(tfx.PortHTTPS), Protocol: jsii.String("HTTPS"),
			CertificateArn: jsii.String(s.cfg.CertificateARN), SslPolicy: jsii.String(s.cfg.SSLPolicy),
			DefaultAction: forward, Tags: s.tags(s.names.alb + "-https"),
		}))
	}
	s.listeners = append([]lblistener.LbListener{lblistener.NewLbListener(s, jsii.String("HTTPListener"), http)}, s.listeners...)
}

// defineAttachment reads the shared listener and its load balancer, and adds the host
// rule that forwards to the service's target group. The rule has no
// create_before_destroy: a replacement on the same listener would have to hold the
// rule's priority twice, which the listener refuses (PriorityInUse); a change of
// priority, host or target group is an in-place update.
func (s *Service) defineAttachment() {
	a := s.cfg.Attach
	s.sharedListener = dataawslblistener.NewDataAwsLbListener(s, jsii.String("SharedListener"), &dataawslblistener.DataAwsLbListenerConfig{
		Arn: jsii.String(a.ListenerARN),
	})
	s.sharedLB = dataawslb.NewDataAwsLb(s, jsii.String("SharedLoadBalancer"), &dataawslb.DataAwsLbConfig{
		Arn: s.sharedListener.LoadBalancerArn(),
	})
	s.rule = lblistenerrule.NewLbListenerRule(s, jsii.String("ListenerRule"), &lblistenerrule.LbListenerRuleConfig{
		ListenerArn: jsii.String(a.ListenerARN),
		Priority:    jsii.Number(float64(a.Priority)),
		Action:      &[]*lblistenerrule.LbListenerRuleAction{{Type: jsii.String("forward"), TargetGroupArn: s.targetGroup.Arn()}},
		Condition: &[]*lblistenerrule.LbListenerRuleCondition{{
			HostHeader: &lblistenerrule.LbListenerRuleConditionHostHeader{Values: jsii.Strings(a.Host)},
		}},
		Tags: s.tags(s.id.Label("rule")),
	})
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
		// the shared listener's rule, which then moves to it in place).
		Lifecycle: tfx.CreateBeforeDestroy(),
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
	env := []keyValue{{Name: "DB_SECRET_ARN", Value: *s.dbSecret.Arn()}}
	if c.Cache != nil {
		env = append(env,
			keyValue{Name: "REDIS_HOST", Value: *c.Cache.Address()},
			keyValue{Name: "REDIS_PORT", Value: *c.Cache.PortString()})
	}
	for _, k := range tfx.SortedKeys(c.ContainerEnv) {
		env = append(env, keyValue{Name: k, Value: c.ContainerEnv[k]})
	}
	sort.Slice(env, func(i, j int) bool { return env[i].Name < env[j].Name })
	var secrets []keyValue
	for _, in := range injected {
		secrets = append(secrets, keyValue{Name: in.name, From: in.from})
	}
	container := map[string]any{
		"name":         ContainerName,
		"image":        c.Image,
		"essential":    true,
		"portMappings": []any{map[string]any{"containerPort": c.ContainerPort, "hostPort": c.ContainerPort, "protocol": "tcp"}},
		"environment":  env,
		"secrets":      secrets,
		"logConfiguration": map[string]any{
			"logDriver": "awslogs",
			"options": map[string]string{
				"awslogs-group":         s.names.logGroup,
				"awslogs-region":        region,
				"awslogs-stream-prefix": s.id.Stem(),
			},
		},
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
			OperatingSystemFamily: jsii.String("LINUX"), CpuArchitecture: jsii.String("X86_64"),
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
	// waits for the listeners, or the shared listener's rule.
	deps := make([]cdktf.ITerraformDependable, 0, len(s.listeners)+1)
	for _, l := range s.listeners {
		deps = append(deps, l)
	}
	if s.rule != nil {
		deps = append(deps, s.rule)
	}
	props := &ecsservice.EcsServiceConfig{
		Name:            jsii.String(s.names.service),
		Cluster:         s.clusterARN,
		TaskDefinition:  s.taskDef.Arn(),
		DesiredCount:    jsii.Number(float64(*c.DesiredCount)),
		LaunchType:      jsii.String("FARGATE"),
		PlatformVersion: jsii.String("LATEST"),
		NetworkConfiguration: &ecsservice.EcsServiceNetworkConfiguration{
			Subnets: subnets, SecurityGroups: &[]*string{s.taskSG.Id()}, AssignPublicIp: jsii.Bool(c.AssignPublicIP),
		},
		LoadBalancer: &[]*ecsservice.EcsServiceLoadBalancer{{
			TargetGroupArn: s.targetGroup.Arn(), ContainerName: jsii.String(ContainerName), ContainerPort: jsii.Number(float64(c.ContainerPort)),
		}},
		DeploymentCircuitBreaker:        &ecsservice.EcsServiceDeploymentCircuitBreaker{Enable: jsii.Bool(true), Rollback: jsii.Bool(true)},
		HealthCheckGracePeriodSeconds:   jsii.Number(float64(*c.HealthCheckGracePeriodSeconds)),
		DeploymentMinimumHealthyPercent: jsii.Number(float64(*c.MinHealthyPercent)),
		DeploymentMaximumPercent:        jsii.Number(float64(c.MaxPercent)),
		ForceDelete:                     jsii.Bool(prof.ForceDelete),
		PropagateTags:                   jsii.String("SERVICE"),
		EnableEcsManagedTags:            jsii.Bool(true),
		DependsOn:                       &deps,
		Tags:                            s.tags(s.names.service),
	}
	if c.AutoscalingMaxCount > 0 {
		props.Lifecycle = &cdktf.TerraformResourceLifecycle{IgnoreChanges: &[]*string{jsii.String("desired_count")}}
	}
	s.service = ecsservice.NewEcsService(s, jsii.String("Service"), props)
}

func (s *Service) defineAutoscaling() {
	c := s.cfg
	target := appautoscalingtarget.NewAppautoscalingTarget(s, jsii.String("ScalingTarget"), &appautoscalingtarget.AppautoscalingTargetConfig{
		ServiceNamespace:  jsii.String("ecs"),
		ScalableDimension: jsii.String("ecs:service:DesiredCount"),
		ResourceId:        jsii.String("service/" + *s.clusterName + "/" + *s.service.Name()),
		MinCapacity:       jsii.Number(float64(c.AutoscalingMinCount)),
		MaxCapacity:       jsii.Number(float64(c.AutoscalingMaxCount)),
		Tags:              s.tags(s.names.service),
	})
	appautoscalingpolicy.NewAppautoscalingPolicy(s, jsii.String("ScalingPolicy"), &appautoscalingpolicy.AppautoscalingPolicyConfig{
		Name:              jsii.String(s.names.service + "-cpu"),
		PolicyType:        jsii.String("TargetTrackingScaling"),
		ServiceNamespace:  target.ServiceNamespace(),
		ScalableDimension: target.ScalableDimension(),
		ResourceId:        target.ResourceId(),
		TargetTrackingScalingPolicyConfiguration: &appautoscalingpolicy.AppautoscalingPolicyTargetTrackingScalingPolicyConfiguration{
			TargetValue: jsii.Number(float64(c.AutoscalingCPUPercent)),
			PredefinedMetricSpecification: &appautoscalingpolicy.AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecification{
				PredefinedMetricType: jsii.String("ECSServiceAverageCPUUtilization"),
			},
			ScaleInCooldown:  jsii.Number(scaleInCooldownSeconds),
			ScaleOutCooldown: jsii.Number(scaleOutCooldownSeconds),
		},
	})
}

// Config returns the configuration with defaults applied.
func (s *Service) Config() Config { return s.cfg }

// ClusterName returns the ECS cluster name (a reference for a new cluster).
func (s *Service) ClusterName() *string { return s.clusterName }

// ClusterARN returns the ECS cluster ARN.
func (s *Service) ClusterARN() *string { return s.clusterARN }

// ServiceName returns the ECS service name, as a reference to the service.
func (s *Service) ServiceName() *string { return s.service.Name() }

// LoadBalancerDNSName returns the ALB's DNS name (token); with Attach, the shared
// load balancer's, read by the "SharedLoadBalancer" data source.
func (s *Service) LoadBalancerDNSName() *string {
	if s.alb == nil {
		return s.sharedLB.DnsName()
	}
	return s.alb.DnsName()
}

// LoadBalancerARN returns the ALB's ARN (token); with Attach, the shared load
// balancer's.
func (s *Service) LoadBalancerARN() *string {
	if s.alb == nil {
		return s.sharedListener.LoadBalancerArn()
	}
	return s.alb.Arn()
}

// TaskSecurityGroupID returns the tasks' security group ID (token), to admit the
// service elsewhere (a database, say).
func (s *Service) TaskSecurityGroupID() *string { return s.taskSG.Id() }

// LoadBalancerSecurityGroupID returns the ALB's security group ID (token); with
// Attach, the shared load balancer's group as given (Attachment.LoadBalancerSecurityGroupID).
func (s *Service) LoadBalancerSecurityGroupID() *string {
	if a := s.cfg.Attach; a != nil {
		return jsii.String(a.LoadBalancerSecurityGroupID)
	}
	return s.albSG.Id()
}

// DBSecretARN returns the DB credentials secret's ARN (token).
func (s *Service) DBSecretARN() *string { return s.dbSecret.Arn() }

// ExecutionRoleARN returns the task execution role's ARN (token).
func (s *Service) ExecutionRoleARN() *string { return s.execRole.Arn() }

// TaskRoleARN returns the task role's ARN (token): attach the application's own
// permissions to it.
func (s *Service) TaskRoleARN() *string { return s.taskRole.Arn() }

// LogGroupName returns the log group name ("/ecs/lms-<env>"): a plain string known at
// synth, except in a PR environment whose suffix lives in Terraform state
// (naming.Environment.StampKept), where it holds a reference to that suffix.
func (s *Service) LogGroupName() *string { return jsii.String(s.names.logGroup) }

// Cluster returns the aws_ecs_cluster the service created, and false when it runs in
// an existing cluster (ExistingClusterARN): check the second result before using the
// first. ClusterARN and ClusterName work in both cases.
func (s *Service) Cluster() (ecscluster.EcsCluster, bool) { return s.cluster, s.cluster != nil }

// ECSService returns the aws_ecs_service.
func (s *Service) ECSService() ecsservice.EcsService { return s.service }

// TaskDefinition returns the aws_ecs_task_definition.
func (s *Service) TaskDefinition() ecstaskdefinition.EcsTaskDefinition { return s.taskDef }

// LoadBalancer returns the aws_lb, or nil with Attach (the shared load balancer
// belongs to another stack).
func (s *Service) LoadBalancer() lb.Lb { return s.alb }

// Attachment returns the attachment with its defaults applied (the derived Priority),
// and false without Attach.
func (s *Service) Attachment() (Attachment, bool) {
	if s.cfg.Attach == nil {
		return Attachment{}, false
	}
	return *s.cfg.Attach, true
}

// ListenerRule returns the aws_lb_listener_rule on the shared listener, or nil without
// Attach.
func (s *Service) ListenerRule() lblistenerrule.LbListenerRule { return s.rule }

// TargetGroup returns the aws_lb_target_group.
func (s *Service) TargetGroup() lbtargetgroup.LbTargetGroup { return s.targetGroup }

// Listeners returns the HTTP listener and, with a certificate, the HTTPS listener;
// none with Attach.
func (s *Service) Listeners() []lblistener.LbListener { return s.listeners }

// ExecutionRole returns the execution aws_iam_role.
func (s *Service) ExecutionRole() iamrole.IamRole { return s.execRole }

// TaskRole returns the task aws_iam_role.
func (s *Service) TaskRole() iamrole.IamRole { return s.taskRole }

// LogGroup returns the aws_cloudwatch_log_group.
func (s *Service) LogGroup() cloudwatchloggroup.CloudwatchLogGroup { return s.logGroup }

// DBSecret returns the DB credentials aws_secretsmanager_secret.
func (s *Service) DBSecret() secretsmanagersecret.SecretsmanagerSecret { return s.dbSecret }
