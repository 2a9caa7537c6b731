package lmsservice_test

import (
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/constructs/cache"
	"github.com/tapstack/infra/constructs/cluster"
	"github.com/tapstack/infra/constructs/lmsservice"
	"github.com/tapstack/infra/constructs/network"
	"github.com/tapstack/infra/internal/testutil"
)

func init() {
	// The shapes of a team's app on one network and one cluster: web with its own
	// load balancer, api attached to web's listener by path, a worker without a load
	// balancer, an internal service; web may call api, the worker reaches the cache.
	variants.Add("app", func() cdktf.TerraformStack {
		stack := testutil.NewStack("Test")
		net := network.New(stack, "Network", network.Config{Environment: stage})
		shared := cluster.New(stack, "Cluster", cluster.Config{Environment: stage})
		redis := cache.New(stack, "Cache", cache.Config{Environment: stage, Network: net, ConnectionSecret: true})
		web := lmsservice.New(stack, "Web", lmsservice.Config{Environment: stage, Component: "web", Network: net, Cluster: shared, Image: image,
			Architecture: lmsservice.ArchitectureARM64, Capacity: lmsservice.CapacityFargateSpot})
		listener, _ := web.Listener()
		api := lmsservice.New(stack, "Api", lmsservice.Config{Environment: stage, Component: "api", Network: net, Cluster: shared, Image: image,
			ContainerPort: 8080, HealthCheckPath: "/api/health", Cache: redis,
			Attach:              &lmsservice.Attachment{Listener: listener, Paths: []string{"/api/*"}, Priority: 10},
			AutoscalingMaxCount: 8, AutoscalingMemoryPercent: 70, AutoscalingRequestsPerTarget: 500})
		worker := lmsservice.New(stack, "Worker", lmsservice.Config{Environment: stage, Component: "worker", Network: net, Cluster: shared, Image: image,
			Ingress: lmsservice.IngressNone, Cache: redis, Command: []string{"bundle", "exec", "sidekiq"}, EntryPoint: []string{"/docker-entrypoint.sh"},
			Secrets:             map[string]lmsservice.SecretRef{"DATABASE_URL": {ARN: rdsSecret, JSONKey: "password"}, "FLAGS": {ARN: parameter}},
			AutoscalingMaxCount: 4, AutoscalingCPUPercent: 75, AutoscalingMinCount: new(0)})
		internal := lmsservice.New(stack, "Internal", lmsservice.Config{Environment: stage, Component: "admin", Network: net, Cluster: shared, Image: image,
			Ingress: lmsservice.IngressInternal})
		api.Connections().AllowFrom(web.Connections(), network.TCP(api.ContainerPort()))
		built["app"] = map[string]*lmsservice.Service{"Web": web, "Api": api, "Worker": worker, "Internal": internal}
		for name, s := range built["app"] {
			cdktf.NewTerraformOutput(stack, jsii.String(strings.ToLower(name)+"_service"), &cdktf.TerraformOutputConfig{Value: s.ServiceName()})
		}
		return stack
	}, `module.app.web_service == "lms-web-service-stage"`, `module.app.api_service == "lms-api-service-stage"`,
		`module.app.worker_service == "lms-worker-service-stage"`, `module.app.internal_service == "lms-admin-service-stage"`)
}

// TestOneClusterManyServices: the services share the cluster they are given; none
// defines one of its own.
func TestOneClusterManyServices(t *testing.T) {
	s := variants.Synth(t, "app")
	if n := s.Count("aws_ecs_cluster"); n != 1 {
		t.Fatalf("%d clusters, want the shared one", n)
	}
	arn := s.RefTo(t, "aws_ecs_cluster", "Cluster", "arn")
	for _, id := range []string{"Web", "Api", "Worker", "Internal"} {
		if _, svc := s.Find(t, "aws_ecs_service", id+"/Service"); svc["cluster"] != arn {
			t.Errorf("%s runs in %v", id, svc["cluster"])
		}
	}
	providers := s.Only(t, "aws_ecs_cluster_capacity_providers")
	want := map[string]any{"capacity_providers": []any{"FARGATE", "FARGATE_SPOT"},
		"default_capacity_provider_strategy": []any{map[string]any{"capacity_provider": "FARGATE", "weight": 1.0}}}
	if diff := cmp.Diff(want, testutil.Pick(providers, "capacity_providers", "default_capacity_provider_strategy")); diff != "" {
		t.Errorf("capacity providers (-want +got):\n%s", diff)
	}
}

// TestAttachedByPath: api's rule on web's listener forwards /api/* to api's target
// group, and both sides of the load balancer's path to api's tasks are written: web's
// load balancer may reach api's tasks on their port, and they admit it.
func TestAttachedByPath(t *testing.T) {
	s := variants.Synth(t, "app")
	rule := s.Only(t, "aws_lb_listener_rule")
	want := map[string]any{
		"listener_arn": s.RefTo(t, "aws_lb_listener", "Web/HTTPListener", "arn"),
		"priority":     10.0,
		"action":       []any{map[string]any{"type": "forward", "target_group_arn": s.RefTo(t, "aws_lb_target_group", "Api/TargetGroup", "arn")}},
		"condition":    []any{map[string]any{"path_pattern": map[string]any{"values": []any{"/api/*"}}}},
	}
	if diff := cmp.Diff(want, testutil.Pick(rule, "listener_arn", "priority", "action", "condition")); diff != "" {
		t.Errorf("listener rule (-want +got):\n%s", diff)
	}
	lbSG := s.RefTo(t, "aws_security_group", "Web/LoadBalancerSecurityGroup", "id")
	apiSG := s.RefTo(t, "aws_security_group", "Api/TaskSecurityGroup", "id")
	_, ingress := s.Find(t, "aws_vpc_security_group_ingress_rule", "Api/TaskIngress")
	if diff := cmp.Diff(map[string]any{"security_group_id": apiSG, "referenced_security_group_id": lbSG, "from_port": 8080.0},
		testutil.Pick(ingress, "security_group_id", "referenced_security_group_id", "from_port")); diff != "" {
		t.Errorf("api's tasks admit (-want +got):\n%s", diff)
	}
	found := false
	for _, r := range s.Resources("aws_vpc_security_group_egress_rule") {
		if r["security_group_id"] == lbSG && r["referenced_security_group_id"] == apiSG && r["from_port"] == 8080.0 {
			found = true
		}
	}
	if !found {
		t.Error("web's load balancer has no egress to api's tasks: its targets would never be healthy")
	}
	// No own load balancer for api; DNS name and listener from web's.
	api := services(t, "app")["Api"]
	if _, ok := api.LoadBalancer(); ok {
		t.Error("api has a load balancer of its own")
	}
	if dns, ok := api.LoadBalancerDNSName(); !ok || testutil.ResolveString(api, dns) != s.RefTo(t, "aws_lb", "Web/LoadBalancer", "dns_name") {
		t.Errorf("api's DNS name = %v", dns)
	}
}

// TestWorker: no target group, listener rule, load balancer or ingress; no port
// mapping, no grace period; the command and entry point of the container are the ones
// given; it reaches the cache.
func TestWorker(t *testing.T) {
	s := variants.Synth(t, "app")
	for typ, path := range map[string]string{"aws_lb_target_group": "Worker/", "aws_vpc_security_group_ingress_rule": "Worker/", "aws_lb": "Worker/"} {
		for name := range s.Resources(typ) {
			if strings.HasPrefix(name, strings.TrimSuffix(path, "/")+"_") {
				t.Errorf("worker defines %s %s", typ, name)
			}
		}
	}
	if _, sg := s.Find(t, "aws_security_group", "Worker/TaskSecurityGroup"); sg["description"] != "The tasks of lms-worker-service-stage, reached by no load balancer" {
		t.Errorf("worker task group description = %v", sg["description"])
	}
	_, svc := s.Find(t, "aws_ecs_service", "Worker/Service")
	for _, k := range []string{"load_balancer", "health_check_grace_period_seconds", "depends_on"} {
		if v, ok := svc[k]; ok {
			t.Errorf("worker service has %s = %v", k, v)
		}
	}
	c := containerIn(t, s, "Worker/TaskDefinition")
	if diff := cmp.Diff([]string{"bundle", "exec", "sidekiq"}, c.Command); diff != "" {
		t.Errorf("command (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"/docker-entrypoint.sh"}, c.EntryPoint); diff != "" || c.PortMappings != nil {
		t.Errorf("entry point (-want +got):\n%s; port mappings %v", diff, c.PortMappings)
	}
	_, egress := s.Find(t, "aws_vpc_security_group_egress_rule", "Worker/TaskEgressCache")
	if egress["referenced_security_group_id"] != s.RefTo(t, "aws_security_group", "Cache/SecurityGroup", "id") {
		t.Errorf("worker egress to the cache = %v", egress)
	}
	w := services(t, "app")["Worker"]
	if _, ok := w.Listener(); ok {
		t.Error("worker has a listener")
	}
	if _, ok := w.LoadBalancerDNSName(); ok {
		t.Error("worker has a DNS name")
	}
	if _, ok := w.TargetGroup(); ok {
		t.Error("worker has a target group")
	}
}

// TestSecretsFromRDSAndSSM: an RDS-managed secret and an SSM parameter are injected
// by ARN; the execution role reads exactly them, each with its own service's action.
func TestSecretsFromRDSAndSSM(t *testing.T) {
	s := variants.Synth(t, "app")
	c := containerIn(t, s, "Worker/TaskDefinition")
	redisSecret := s.RefTo(t, "aws_secretsmanager_secret", "Cache/ConnectionSecret", "arn")
	want := []map[string]string{
		{"name": "REDIS_URL", "valueFrom": redisSecret + ":url::"},
		{"name": "DATABASE_URL", "valueFrom": rdsSecret + ":password::"},
		{"name": "FLAGS", "valueFrom": parameter},
	}
	if diff := cmp.Diff(want, c.Secrets); diff != "" {
		t.Errorf("secrets (-want +got):\n%s", diff)
	}
	wantPolicy := []statement{
		{Sid: "ReadInjectedSecrets", Effect: "Allow", Action: []string{"secretsmanager:GetSecretValue"}, Resource: []string{redisSecret, rdsSecret}},
		{Sid: "ReadInjectedParameters", Effect: "Allow", Action: []string{"ssm:GetParameters"}, Resource: []string{parameter}},
	}
	if diff := cmp.Diff(wantPolicy, policyIn(t, s, "Worker/ExecutionRoleSecrets")); diff != "" {
		t.Errorf("execution role policy (-want +got):\n%s", diff)
	}
}

// TestCapacityAndArchitecture: Spot through the capacity provider strategy (no launch
// type), ARM64 in the runtime platform; the others on regular Fargate.
func TestCapacityAndArchitecture(t *testing.T) {
	s := variants.Synth(t, "app")
	_, web := s.Find(t, "aws_ecs_service", "Web/Service")
	if diff := cmp.Diff([]any{map[string]any{"capacity_provider": "FARGATE_SPOT", "weight": 1.0}}, web["capacity_provider_strategy"]); diff != "" || web["launch_type"] != nil {
		t.Errorf("web capacity (-want +got):\n%s; launch type %v", diff, web["launch_type"])
	}
	_, td := s.Find(t, "aws_ecs_task_definition", "Web/TaskDefinition")
	if td["runtime_platform"].(map[string]any)["cpu_architecture"] != "ARM64" {
		t.Errorf("web architecture = %v", td["runtime_platform"])
	}
	_, api := s.Find(t, "aws_ecs_service", "Api/Service")
	if api["launch_type"] != "FARGATE" || api["capacity_provider_strategy"] != nil {
		t.Errorf("api capacity = %v %v", api["launch_type"], api["capacity_provider_strategy"])
	}
	// An existing cluster that does not say it has Spot: refused before anything is defined.
	stack := testutil.NewStack("Spot")
	net := network.New(stack, "Network", network.Config{Environment: stage})
	existing := cluster.FromAttributes(stack, "Cluster", cluster.Attributes{ARN: clusterARN})
	msg := testutil.MustPanic(t, func() {
		lmsservice.New(stack, "Service", lmsservice.Config{Environment: stage, Network: net, Cluster: existing, Image: image, Capacity: lmsservice.CapacityFargateSpot})
	})
	if !strings.Contains(msg, `Capacity "fargate-spot" needs a cluster with the FARGATE_SPOT capacity provider`) {
		t.Errorf("panic = %q", msg)
	}
}

// TestInternalLoadBalancer: internal, in the private subnets, admitting the VPC's CIDR
// only.
func TestInternalLoadBalancer(t *testing.T) {
	s := variants.Synth(t, "app")
	_, alb := s.Find(t, "aws_lb", "Internal/LoadBalancer")
	want := map[string]any{"internal": true, "name": "lms-admin-alb-stage",
		"subnets": []any{s.RefTo(t, "aws_subnet", "Network/PrivateSubnet0", "id"), s.RefTo(t, "aws_subnet", "Network/PrivateSubnet1", "id")}}
	if diff := cmp.Diff(want, testutil.Pick(alb, "internal", "name", "subnets")); diff != "" {
		t.Errorf("internal load balancer (-want +got):\n%s", diff)
	}
	if _, sg := s.Find(t, "aws_security_group", "Internal/LoadBalancerSecurityGroup"); sg["description"] != "The VPC to the internal load balancer of lms-admin-service-stage" {
		t.Errorf("internal load balancer group description = %v", sg["description"])
	}
	_, in := s.Find(t, "aws_vpc_security_group_ingress_rule", "Internal/LoadBalancerIngressHTTP")
	if in["cidr_ipv4"] != s.RefTo(t, "aws_vpc", "Network/VPC", "cidr_block") || in["description"] != "HTTP from the VPC" {
		t.Errorf("internal load balancer ingress = %v", in)
	}
}

// TestAutoscalingPolicies: one policy per target, the requests policy labeled with the
// load balancer's and the target group's ARN suffixes; the scaling target is reachable.
func TestAutoscalingPolicies(t *testing.T) {
	s := variants.Synth(t, "app")
	type policy struct{ Name, Metric, Label any }
	got := map[string]policy{}
	for name, p := range s.Resources("aws_appautoscaling_policy") {
		cfg := p["target_tracking_scaling_policy_configuration"].(map[string]any)
		spec := cfg["predefined_metric_specification"].(map[string]any)
		got[name[:strings.LastIndex(name, "_")]] = policy{p["name"], spec["predefined_metric_type"], spec["resource_label"]}
	}
	lbARN := s.RefTo(t, "aws_lb", "Web/LoadBalancer", "arn")
	want := map[string]policy{
		"Api_ScalingPolicyMemory":   {"lms-api-service-stage-memory", "ECSServiceAverageMemoryUtilization", nil},
		"Api_ScalingPolicyRequests": {"lms-api-service-stage-requests", "ALBRequestCountPerTarget", `${join("/", [element(split(":loadbalancer/", ` + lbARN[2:len(lbARN)-1] + `), 1), ` + s.RefTo(t, "aws_lb_target_group", "Api/TargetGroup", "arn_suffix")[2:len(s.RefTo(t, "aws_lb_target_group", "Api/TargetGroup", "arn_suffix"))-1] + `])}`},
		"Worker_ScalingPolicy":      {"lms-worker-service-stage-cpu", "ECSServiceAverageCPUUtilization", nil},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("policies (-want +got):\n%s", diff)
	}
	_, target := s.Find(t, "aws_appautoscaling_target", "Worker/ScalingTarget")
	if target["min_capacity"] != 0.0 {
		t.Errorf("an explicit minimum of 0 became %v", target["min_capacity"])
	}
	if _, ok := services(t, "app")["Api"].ScalingTarget(); !ok {
		t.Error("ScalingTarget() of api")
	}
}

// TestServiceToService: web may call api on its port: both sides written, once.
func TestServiceToService(t *testing.T) {
	s := variants.Synth(t, "app")
	webSG := s.RefTo(t, "aws_security_group", "Web/TaskSecurityGroup", "id")
	apiSG := s.RefTo(t, "aws_security_group", "Api/TaskSecurityGroup", "id")
	var in, out int
	for _, r := range s.Resources("aws_vpc_security_group_ingress_rule") {
		if r["security_group_id"] == apiSG && r["referenced_security_group_id"] == webSG && r["from_port"] == 8080.0 {
			in++
		}
	}
	for _, r := range s.Resources("aws_vpc_security_group_egress_rule") {
		if r["security_group_id"] == webSG && r["referenced_security_group_id"] == apiSG && r["from_port"] == 8080.0 {
			out++
		}
	}
	if in != 1 || out != 1 {
		t.Errorf("web to api: %d ingress and %d egress rules, want one each", in, out)
	}
}
