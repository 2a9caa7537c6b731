package lmsservice_test

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/constructs/cache"
	"github.com/tapstack/infra/constructs/cluster"
	"github.com/tapstack/infra/constructs/lmsservice"
	"github.com/tapstack/infra/constructs/loadbalancer"
	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/constructs/network"
	"github.com/tapstack/infra/internal/testutil"
)

func TestMain(m *testing.M) { testutil.Main(m) }

const (
	image      = "public.ecr.aws/nginx/nginx:stable"
	certARN    = testutil.CertificateARN
	kmsKey     = "arn:aws:kms:ca-central-1:123456789012:key/0b6c8f7e-1234-4d5e-9f00-0123456789ab"
	apiKey     = "arn:aws:secretsmanager:ca-central-1:123456789012:secret:lms/api-key-AbCdEf"
	rdsSecret  = "arn:aws:secretsmanager:ca-central-1:123456789012:secret:rds!db-1234abcd-AbCdEf"
	parameter  = "arn:aws:ssm:ca-central-1:123456789012:parameter/lms/feature-flags"
	clusterARN = "arn:aws:ecs:ca-central-1:123456789012:cluster/shared-cluster"
	mockHost   = "mock.serverless.cac1.cache.amazonaws.com"
)

var (
	stage = naming.MustEnvironment("stage", naming.Options{})
	prod  = naming.MustEnvironment("prod", naming.Options{})
	pr    = naming.MustEnvironment("pr4892", naming.Options{Timestamp: "123456"})
)

// A variant is one service in a stack of its own: a new network (net) or an adopted
// one (existing), optionally a cache, and optionally an existing cluster.
type variant struct {
	net       network.Config
	existing  *network.Attributes
	withCache bool
	secret    bool // the cache has a connection secret
	cluster   *cluster.Attributes
	svc       lmsservice.Config
}

var (
	variants = testutil.NewVariants()
	// built keeps the services of each variant by construct ID; read it through
	// services, which builds the variant first, so that every test stands alone.
	built = map[string]map[string]*lmsservice.Service{}
)

// services returns the services of a variant by construct ID.
func services(t *testing.T, name string) map[string]*lmsservice.Service {
	t.Helper()
	variants.Synth(t, name)
	return built[name]
}

// service returns the one service "Service" of a variant.
func service(t *testing.T, name string) *lmsservice.Service {
	t.Helper()
	s, ok := services(t, name)["Service"]
	if !ok {
		t.Fatalf("variant %s has no service \"Service\"", name)
	}
	return s
}

func newNetwork(stack cdktf.TerraformStack, v variant) *network.Network {
	if v.existing != nil {
		return network.FromAttributes(stack, "Network", *v.existing)
	}
	return network.New(stack, "Network", v.net)
}

func add(name string, v variant, asserts ...string) {
	variants.Add(name, func() cdktf.TerraformStack {
		stack := testutil.NewStack("Test")
		cfg := v.svc
		cfg.Network = newNetwork(stack, v)
		if v.withCache {
			cfg.Cache = cache.New(stack, "Cache", cache.Config{Environment: cfg.Environment, Network: cfg.Network, ConnectionSecret: v.secret})
		}
		if v.cluster != nil {
			cfg.Cluster = cluster.FromAttributes(stack, "Cluster", *v.cluster)
		}
		s := lmsservice.New(stack, "Service", cfg)
		built[name] = map[string]*lmsservice.Service{"Service": s}
		outputs := map[string]*string{
			"cluster_name": s.ClusterName(), "service_name": s.ServiceName(), "containers": s.TaskDefinition().ContainerDefinitions(),
		}
		if dns, ok := s.LoadBalancerDNSName(); ok {
			outputs["alb_dns_name"] = dns
		}
		if arn, ok := s.DBSecretARN(); ok {
			outputs["db_secret_arn"] = arn
		}
		for out, value := range outputs {
			cdktf.NewTerraformOutput(stack, jsii.String(out), &cdktf.TerraformOutputConfig{Value: value})
		}
		return stack
	}, append(serviceAsserts(name, v), asserts...)...)
}

// serviceAsserts are what the outputs of add must be after the mock apply: the names
// the service gives its cluster and service, the mocked load balancer and secret, the
// image.
func serviceAsserts(name string, v variant) []string {
	m := "module." + name + "."
	cfg := v.svc
	id := cfg.Environment.ID()
	clusterName := "lms-cluster-" + id
	if v.cluster != nil {
		clusterName = v.cluster.ARN[strings.LastIndex(v.cluster.ARN, "/")+1:]
	}
	out := []string{
		m + `cluster_name == "` + clusterName + `"`,
		m + `service_name == "lms-service-` + id + `"`,
		`jsondecode(` + m + `containers)[0].image == "` + cfg.Image + `"`,
	}
	switch {
	case cfg.Attach != nil:
		out = append(out, m+`alb_dns_name == "`+testutil.SharedLoadBalancerDNSName+`"`) // read from the shared load balancer
	case cfg.Ingress != lmsservice.IngressNone:
		out = append(out, m+`alb_dns_name == "mock-123456789.ca-central-1.elb.amazonaws.com"`)
	}
	if cfg.DBSecret {
		out = append(out, m+`db_secret_arn == "arn:aws:secretsmanager:ca-central-1:123456789012:secret:mock-AbCdEf"`)
	}
	return out
}

func init() {
	add("http", variant{
		net: network.Config{Environment: stage}, withCache: true, secret: true,
		svc: lmsservice.Config{Environment: stage, Image: image, DBSecret: true,
			ContainerEnv:       map[string]string{"APP_MODE": "web"},
			Secrets:            map[string]lmsservice.SecretRef{"API_KEY": {ARN: apiKey}},
			HealthCheckCommand: []string{"CMD-SHELL", "curl -f http://localhost/ || exit 1"}},
	}, `contains([for e in jsondecode(module.http.containers)[0].environment : e.value], "`+mockHost+`")`)
	add("https", variant{
		net: network.Config{Environment: prod, NAT: network.NATPerAZ},
		svc: lmsservice.Config{Environment: prod, Image: image, CertificateARN: certARN, KMSKeyARN: kmsKey, DBSecret: true,
			LogKMSKeyARN: kmsKey, AccessLogsBucket: "shop-alb-logs",
			CPU: 1024, Memory: 2048, ContainerPort: 8080, HealthCheckPath: "/healthz",
			AutoscalingMaxCount: 6, AutoscalingMinCount: new(2), AutoscalingCPUPercent: 50},
	})
	add("pr-public-ip", variant{
		net: network.Config{Environment: pr, NAT: network.NATNone},
		svc: lmsservice.Config{Environment: pr, Image: image, AssignPublicIP: true, DesiredCount: new(1), DBSecret: true},
	})
	add("pr-endpoints", variant{
		net: network.Config{Environment: pr, NAT: network.NATNone, Endpoints: true}, withCache: true,
		svc: lmsservice.Config{Environment: pr, Image: image},
	})
	add("existing-cluster", variant{
		existing: &network.Attributes{Environment: stage, VPCID: "vpc-0a1b2c3d", Egress: network.EgressNAT,
			PublicSubnetIDs: []string{"subnet-00000001", "subnet-00000002"}, PrivateSubnetIDs: []string{"subnet-00000003", "subnet-00000004"}},
		cluster: &cluster.Attributes{ARN: clusterARN},
		svc:     lmsservice.Config{Environment: stage, Image: image},
	})
}

func TestTerraform(t *testing.T) { variants.CheckTerraform(t) }

func TestNames(t *testing.T) {
	tests := []struct {
		variant string
		want    map[string]any
	}{
		{"http", map[string]any{"cluster": "lms-cluster-stage", "service": "lms-service-stage", "alb": "lms-alb-stage",
			"tg": "lms-tg-stage", "family": "lms-task-stage", "logs": "/ecs/lms-stage", "db": "lms/stage/db-credentials",
			"exec": "lms-ecs-task-execution-role-stage-ca-central-1", "task": "lms-ecs-task-role-stage-ca-central-1"}},
		{"pr-public-ip", map[string]any{"cluster": "lms-cluster-pr4892-123456", "service": "lms-service-pr4892-123456",
			"alb": "lms-alb-pr4892-123456", "tg": "lms-tg-pr4892-123456", "family": "lms-task-pr4892-123456",
			"logs": "/ecs/lms-pr4892-123456", "db": "lms/pr4892-123456/db-credentials",
			"exec": "lms-ecs-task-execution-role-pr4892-123456-ca-central-1", "task": "lms-ecs-task-role-pr4892-123456-ca-central-1"}},
	}
	for _, tt := range tests {
		t.Run(tt.variant, func(t *testing.T) {
			s := variants.Synth(t, tt.variant)
			_, exec := s.Find(t, "aws_iam_role", "Service/ExecutionRole")
			_, task := s.Find(t, "aws_iam_role", "Service/TaskRole")
			got := map[string]any{
				"cluster": s.Only(t, "aws_ecs_cluster")["name"], "service": s.Only(t, "aws_ecs_service")["name"],
				"alb": s.Only(t, "aws_lb")["name"], "tg": s.Only(t, "aws_lb_target_group")["name"],
				"family": s.Only(t, "aws_ecs_task_definition")["family"], "logs": s.Only(t, "aws_cloudwatch_log_group")["name"],
				"exec": exec["name"], "task": task["name"],
			}
			_, db := s.Find(t, "aws_secretsmanager_secret", "Service/DBSecret")
			got["db"] = db["name"]
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("names (-want +got):\n%s", diff)
			}
		})
	}
}

// TestLogicalIDs: the service's own load balancer and cluster are constructs of their
// packages, and their resources keep the service's logical IDs of v0.1.0 (the hashes
// of "Service/<child>": a Terraform address is the resource's identity, and a new one
// would replace it).
func TestLogicalIDs(t *testing.T) {
	s := variants.Synth(t, "https")
	for typ, want := range map[string][]string{
		"aws_lb":                              {"Service_LoadBalancer_8673CF3F"},
		"aws_lb_listener":                     {"Service_HTTPListener_1A539937", "Service_HTTPSListener_EEEA87C7"},
		"aws_ecs_cluster":                     {"Service_Cluster_EC592A3A"},
		"aws_vpc_security_group_ingress_rule": {"Service_LoadBalancerIngressHTTPS_C95445FC", "Service_LoadBalancerIngressHTTP_3E83C8C6", "Service_TaskIngress_C2113C16"},
		"aws_vpc_security_group_egress_rule":  {"Service_LoadBalancerEgress_57A5E12A", "Service_TaskEgressHTTPS_62F2690C"},
	} {
		var got []string
		for name := range s.Resources(typ) {
			got = append(got, name)
		}
		sort.Strings(got)
		sort.Strings(want)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s logical IDs (-want +got):\n%s", typ, diff)
		}
	}
}

func TestProfiles(t *testing.T) {
	tests := []struct {
		variant                 string
		deletionProtection      bool
		recoveryDays, retention float64
		forceDelete             bool
	}{
		{"pr-public-ip", false, 0, 3, true},
		{"https", true, 30, 365, false},
		{"http", true, 7, 30, false},
	}
	for _, tt := range tests {
		t.Run(tt.variant, func(t *testing.T) {
			s := variants.Synth(t, tt.variant)
			_, db := s.Find(t, "aws_secretsmanager_secret", "Service/DBSecret")
			got := map[string]any{
				"deletion_protection": s.Only(t, "aws_lb")["enable_deletion_protection"],
				"recovery_window":     db["recovery_window_in_days"],
				"retention":           s.Only(t, "aws_cloudwatch_log_group")["retention_in_days"],
				"force_delete":        s.Only(t, "aws_ecs_service")["force_delete"],
			}
			want := map[string]any{"deletion_protection": tt.deletionProtection, "recovery_window": tt.recoveryDays,
				"retention": tt.retention, "force_delete": tt.forceDelete}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("profile (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLoadBalancer(t *testing.T) {
	s := variants.Synth(t, "http")
	alb := s.Only(t, "aws_lb")
	want := map[string]any{
		"internal": false, "load_balancer_type": "application", "drop_invalid_header_fields": true,
		"subnets":         []any{s.RefTo(t, "aws_subnet", "Network/PublicSubnet0", "id"), s.RefTo(t, "aws_subnet", "Network/PublicSubnet1", "id")},
		"security_groups": []any{s.RefTo(t, "aws_security_group", "Service/LoadBalancerSecurityGroup", "id")},
	}
	if diff := cmp.Diff(want, testutil.Pick(alb, "internal", "load_balancer_type", "drop_invalid_header_fields", "subnets", "security_groups")); diff != "" {
		t.Errorf("ALB (-want +got):\n%s", diff)
	}
	tg := s.Only(t, "aws_lb_target_group")
	wantTG := map[string]any{"port": 80.0, "protocol": "HTTP", "target_type": "ip", "deregistration_delay": "30",
		"vpc_id": s.RefTo(t, "aws_vpc", "Network/VPC", "id")}
	if diff := cmp.Diff(wantTG, testutil.Pick(tg, "port", "protocol", "target_type", "deregistration_delay", "vpc_id")); diff != "" {
		t.Errorf("target group (-want +got):\n%s", diff)
	}
	if hc := tg["health_check"].(map[string]any); hc["path"] != "/" || hc["matcher"] != "200-399" {
		t.Errorf("health check = %v", hc)
	}
}

func TestListeners(t *testing.T) {
	t.Run("HTTP only", func(t *testing.T) {
		s := variants.Synth(t, "http")
		l := s.Only(t, "aws_lb_listener")
		want := map[string]any{"port": 80.0, "protocol": "HTTP",
			"default_action": []any{map[string]any{"type": "forward", "target_group_arn": s.RefTo(t, "aws_lb_target_group", "Service/TargetGroup", "arn")}}}
		if diff := cmp.Diff(want, testutil.Pick(l, "port", "protocol", "default_action")); diff != "" {
			t.Errorf("HTTP listener (-want +got):\n%s", diff)
		}
	})
	t.Run("HTTPS redirects HTTP", func(t *testing.T) {
		s := variants.Synth(t, "https")
		_, http := s.Find(t, "aws_lb_listener", "Service/HTTPListener")
		wantHTTP := []any{map[string]any{"type": "redirect", "redirect": map[string]any{"port": "443", "protocol": "HTTPS", "status_code": "HTTP_301"}}}
		if diff := cmp.Diff(wantHTTP, http["default_action"]); diff != "" {
			t.Errorf("HTTP listener action (-want +got):\n%s", diff)
		}
		_, https := s.Find(t, "aws_lb_listener", "Service/HTTPSListener")
		want := map[string]any{"port": 443.0, "protocol": "HTTPS", "certificate_arn": certARN, "ssl_policy": loadbalancer.DefaultSSLPolicy,
			"default_action": []any{map[string]any{"type": "forward", "target_group_arn": s.RefTo(t, "aws_lb_target_group", "Service/TargetGroup", "arn")}}}
		if diff := cmp.Diff(want, testutil.Pick(https, "port", "protocol", "certificate_arn", "ssl_policy", "default_action")); diff != "" {
			t.Errorf("HTTPS listener (-want +got):\n%s", diff)
		}
		if deps := s.Only(t, "aws_ecs_service")["depends_on"].([]any); len(deps) != 2 {
			t.Errorf("service depends_on = %v, want both listeners", deps)
		}
	})
}

// TestOnlyTheALBIsOpenToTheWorld checks every ingress rule and every inline rule of
// every variant: the only CIDR-sourced ingress is 0.0.0.0/0 on 80 (and 443 with HTTPS)
// into an internet-facing load balancer's group, or the VPC's CIDR into an internal
// one's; the tasks admit only their load balancer's group on the container port, or the
// services granted.
func TestOnlyTheALBIsOpenToTheWorld(t *testing.T) {
	for _, name := range variants.Names() {
		t.Run(name, func(t *testing.T) {
			s := variants.Synth(t, name)
			taskSGs := map[any]string{}       // task group -> service
			lbSGs := map[any]bool{}           // the groups of internet-facing load balancers
			allowed := map[any]map[any]bool{} // task group -> the groups it may admit: its load balancer's
			wantWorld := []float64{}
			for id, svc := range services(t, name) {
				task := s.RefTo(t, "aws_security_group", id+"/TaskSecurityGroup", "id")
				taskSGs[task] = id
				allowed[task] = map[any]bool{}
				if lb, ok := svc.LoadBalancer(); ok {
					sg := testutil.ResolveString(svc, lb.Connections().SecurityGroupID())
					allowed[task][sg] = true
					if svc.Config().Ingress == lmsservice.IngressInternetFacing {
						lbSGs[sg] = true
						wantWorld = append(wantWorld, 80)
						if svc.Config().CertificateARN != "" {
							wantWorld = append(wantWorld, 443)
						}
					}
				}
				if a, ok := svc.Attachment(); ok {
					allowed[task][testutil.ResolveString(svc, a.Listener.Connections().SecurityGroupID())] = true
				}
				if svc.Config().Ingress != lmsservice.IngressNone {
					_, ingress := s.Find(t, "aws_vpc_security_group_ingress_rule", id+"/TaskIngress")
					port := float64(svc.Config().ContainerPort)
					if ingress["from_port"] != port || ingress["to_port"] != port {
						t.Errorf("%s: task ingress %v, want container port %v", id, ingress, port)
					}
				}
			}
			// A service granted another's tasks (Connections().AllowFrom): both sides are
			// written, the sender's egress is the grant.
			for _, r := range s.Resources("aws_vpc_security_group_egress_rule") {
				if to, ok := allowed[r["referenced_security_group_id"]]; ok {
					if _, sender := taskSGs[r["security_group_id"]]; sender {
						to[r["security_group_id"]] = true
					}
				}
			}
			world := []float64{}
			for id, r := range s.Resources("aws_vpc_security_group_ingress_rule") {
				cidr, _ := r["cidr_ipv4"].(string)
				switch {
				case cidr == "0.0.0.0/0":
					if !lbSGs[r["security_group_id"]] || r["from_port"] != r["to_port"] {
						t.Errorf("%s opens %v to the world", id, r)
					}
					world = append(world, r["from_port"].(float64))
				case cidr != "" && !strings.Contains(cidr, "cidr_block"):
					t.Errorf("%s admits CIDR %s", id, cidr)
				}
				if svc, ok := taskSGs[r["security_group_id"]]; ok && !allowed[r["security_group_id"]][r["referenced_security_group_id"]] {
					t.Errorf("the tasks of %s admit %v, which is neither their load balancer nor a service granted", svc, r["referenced_security_group_id"])
				}
			}
			for _, sg := range s.Resources("aws_security_group") {
				if sg["ingress"] != nil {
					t.Errorf("inline ingress on %v", sg["name"])
				}
			}
			sort.Float64s(world)
			sort.Float64s(wantWorld)
			if diff := cmp.Diff(wantWorld, world); diff != "" {
				t.Errorf("world-open ports (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCacheOnlyFromTheService(t *testing.T) {
	s := variants.Synth(t, "pr-endpoints")
	_, rule := s.Find(t, "aws_vpc_security_group_ingress_rule", "Cache/AllowFrom0")
	want := map[string]any{"security_group_id": s.RefTo(t, "aws_security_group", "Cache/SecurityGroup", "id"),
		"referenced_security_group_id": s.RefTo(t, "aws_security_group", "Service/TaskSecurityGroup", "id"), "from_port": 6379.0, "to_port": 6379.0}
	if diff := cmp.Diff(want, testutil.Pick(rule, "security_group_id", "referenced_security_group_id", "from_port", "to_port")); diff != "" {
		t.Errorf("cache ingress (-want +got):\n%s", diff)
	}
	_, egress := s.Find(t, "aws_vpc_security_group_egress_rule", "Service/TaskEgressCache")
	if egress["referenced_security_group_id"] != want["security_group_id"] {
		t.Errorf("task egress to the cache = %v", egress)
	}
}

type container struct {
	Name         string              `json:"name"`
	Image        string              `json:"image"`
	Command      []string            `json:"command"`
	EntryPoint   []string            `json:"entryPoint"`
	Environment  []map[string]string `json:"environment"`
	Secrets      []map[string]string `json:"secrets"`
	PortMappings []map[string]any    `json:"portMappings"`
	Log          struct {
		Driver  string            `json:"logDriver"`
		Options map[string]string `json:"options"`
	} `json:"logConfiguration"`
	HealthCheck map[string]any `json:"healthCheck"`
}

func containerIn(t *testing.T, s *testutil.Synthesized, path string) container {
	t.Helper()
	_, td := s.Find(t, "aws_ecs_task_definition", path)
	var cs []container
	if err := json.Unmarshal([]byte(td["container_definitions"].(string)), &cs); err != nil || len(cs) != 1 {
		t.Fatalf("container definitions: %v (%d)", err, len(cs))
	}
	return cs[0]
}

func containerOf(t *testing.T, s *testutil.Synthesized) container {
	t.Helper()
	return containerIn(t, s, "Service/TaskDefinition")
}

func TestTaskDefinition(t *testing.T) {
	s := variants.Synth(t, "http")
	td := s.Only(t, "aws_ecs_task_definition")
	want := map[string]any{"cpu": "256", "memory": "512", "network_mode": "awsvpc", "requires_compatibilities": []any{"FARGATE"},
		"execution_role_arn": s.RefTo(t, "aws_iam_role", "Service/ExecutionRole", "arn"), "task_role_arn": s.RefTo(t, "aws_iam_role", "Service/TaskRole", "arn"),
		"runtime_platform": map[string]any{"operating_system_family": "LINUX", "cpu_architecture": "X86_64"}}
	if diff := cmp.Diff(want, testutil.Pick(td, "cpu", "memory", "network_mode", "requires_compatibilities", "execution_role_arn", "task_role_arn", "runtime_platform")); diff != "" {
		t.Errorf("task definition (-want +got):\n%s", diff)
	}
	c := containerOf(t, s)
	cacheName, _ := s.Find(t, "aws_elasticache_serverless_cache", "Cache/ServerlessCache")
	cacheRef := "${aws_elasticache_serverless_cache." + cacheName
	db := s.RefTo(t, "aws_secretsmanager_secret", "Service/DBSecret", "arn")
	redisSecret := s.RefTo(t, "aws_secretsmanager_secret", "Cache/ConnectionSecret", "arn")
	wantEnv := []map[string]string{
		{"name": "APP_MODE", "value": "web"},
		{"name": "DB_SECRET_ARN", "value": db},
		{"name": "REDIS_HOST", "value": cacheRef + ".endpoint[0].address}"},
		{"name": "REDIS_PORT", "value": cacheRef + ".endpoint[0].port}"},
	}
	if diff := cmp.Diff(wantEnv, c.Environment); diff != "" {
		t.Errorf("environment (-want +got):\n%s", diff)
	}
	wantSecrets := []map[string]string{
		{"name": "DB_USERNAME", "valueFrom": db + ":username::"},
		{"name": "DB_PASSWORD", "valueFrom": db + ":password::"},
		{"name": "REDIS_URL", "valueFrom": redisSecret + ":url::"},
		{"name": "API_KEY", "valueFrom": apiKey},
	}
	if diff := cmp.Diff(wantSecrets, c.Secrets); diff != "" {
		t.Errorf("secrets (-want +got):\n%s", diff)
	}
	region, _ := s.FindData(t, "aws_region", "Service/Region")
	wantLog := map[string]string{"awslogs-group": "/ecs/lms-stage", "awslogs-region": "${data.aws_region." + region + ".name}", "awslogs-stream-prefix": "lms"}
	if diff := cmp.Diff(wantLog, c.Log.Options); diff != "" || c.Log.Driver != "awslogs" {
		t.Errorf("log configuration %s (-want +got):\n%s", c.Log.Driver, diff)
	}
	if c.Image != image || c.Name != lmsservice.ContainerName || c.PortMappings[0]["containerPort"] != 80.0 || c.HealthCheck["command"] == nil || c.Command != nil || c.EntryPoint != nil {
		t.Errorf("container = %+v", c)
	}
	if pr := containerOf(t, variants.Synth(t, "pr-public-ip")); pr.HealthCheck != nil || len(pr.Secrets) != 2 {
		t.Errorf("minimal container: health check %v, secrets %v", pr.HealthCheck, pr.Secrets)
	}
	// Without a DB secret and a cache: no reserved variable, no secrets key at all.
	if plain := containerOf(t, variants.Synth(t, "existing-cluster")); plain.Environment != nil || plain.Secrets != nil {
		t.Errorf("service without DB secret and cache: environment %v, secrets %v", plain.Environment, plain.Secrets)
	}
}

type statement struct {
	Sid       string
	Effect    string
	Action    []string
	Resource  []string
	Condition map[string]map[string]any
}

func policyIn(t *testing.T, s *testutil.Synthesized, path string) []statement {
	t.Helper()
	_, p := s.Find(t, "aws_iam_role_policy", path)
	var doc struct{ Statement []statement }
	if err := json.Unmarshal([]byte(p["policy"].(string)), &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Statement
}

// TestExecutionRoleReadsExactlyTheInjectedSecrets: the policy names the injected secret
// ARNs and nothing else: no wildcard.
func TestExecutionRoleReadsExactlyTheInjectedSecrets(t *testing.T) {
	s := variants.Synth(t, "http")
	want := []statement{{Sid: "ReadInjectedSecrets", Effect: "Allow", Action: []string{"secretsmanager:GetSecretValue"},
		Resource: []string{s.RefTo(t, "aws_secretsmanager_secret", "Service/DBSecret", "arn"), s.RefTo(t, "aws_secretsmanager_secret", "Cache/ConnectionSecret", "arn"), apiKey}}}
	if diff := cmp.Diff(want, policyIn(t, s, "Service/ExecutionRoleSecrets")); diff != "" {
		t.Errorf("execution role policy (-want +got):\n%s", diff)
	}
	k := variants.Synth(t, "https")
	region, _ := k.FindData(t, "aws_region", "Service/Region")
	wantKMS := []statement{
		{Sid: "ReadInjectedSecrets", Effect: "Allow", Action: []string{"secretsmanager:GetSecretValue"}, Resource: []string{k.RefTo(t, "aws_secretsmanager_secret", "Service/DBSecret", "arn")}},
		{Sid: "DecryptInjectedSecrets", Effect: "Allow", Action: []string{"kms:Decrypt"}, Resource: []string{kmsKey},
			Condition: map[string]map[string]any{"StringEquals": {"kms:ViaService": "secretsmanager.${data.aws_region." + region + ".name}.amazonaws.com"}}},
	}
	if diff := cmp.Diff(wantKMS, policyIn(t, k, "Service/ExecutionRoleSecrets")); diff != "" {
		t.Errorf("execution role policy with KMS (-want +got):\n%s", diff)
	}
	for _, name := range variants.Names() {
		v := variants.Synth(t, name)
		for id := range services(t, name) {
			for _, p := range v.Resources("aws_iam_role_policy") {
				var doc struct{ Statement []statement }
				if err := json.Unmarshal([]byte(p["policy"].(string)), &doc); err != nil {
					t.Fatal(err)
				}
				for _, st := range doc.Statement {
					for _, r := range st.Resource {
						if r == "*" || strings.HasSuffix(r, ":*") && !strings.Contains(r, "log-group") {
							t.Errorf("%s %s: wildcard resource %q", name, id, r)
						}
					}
				}
			}
		}
	}
	_, attach := s.Find(t, "aws_iam_role_policy_attachment", "Service/ExecutionRoleManagedPolicy")
	partition, _ := s.FindData(t, "aws_partition", "Service/Partition")
	if attach["policy_arn"] != "arn:${data.aws_partition."+partition+".partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy" {
		t.Errorf("managed policy = %v", attach["policy_arn"])
	}
	if n := s.Count("aws_iam_role_policy"); n != 1 {
		t.Errorf("%d inline policies; the task role must have none without grants", n)
	}
}

// TestDBSecretPasswordIsEphemeral: the DB password is an ephemeral random password
// written through the write-only secret_string_wo: no data source (read into every plan)
// and no secret_string (kept in state). The harness checks the real plan and state of
// every variant for the value itself.
func TestDBSecretPasswordIsEphemeral(t *testing.T) {
	s := variants.Synth(t, "http")
	name, v := s.Find(t, "aws_secretsmanager_secret_version", "Service/DBSecretVersion")
	eph, _ := s.JSON["ephemeral"].(map[string]any)
	pw, _ := eph["aws_secretsmanager_random_password"].(map[string]any)[name].(map[string]any)
	if pw["password_length"] != 32.0 || pw["require_each_included_type"] != true || pw["exclude_characters"] != `"'@/\ ` {
		t.Errorf("ephemeral password %s = %v (ephemeral block: %v)", name, pw, s.JSON["ephemeral"])
	}
	want := `${jsonencode({"password" = ephemeral.aws_secretsmanager_random_password.` + name + `.random_password, "username" = "lmsadmin"})}`
	if v["secret_string_wo"] != want || v["secret_string_wo_version"] != 1.0 {
		t.Errorf("secret version = %v\nwant secret_string_wo %v and version 1", v, want)
	}
	if _, ok := v["secret_string"]; ok || v["lifecycle"] != nil {
		t.Errorf("the secret version keeps secret_string: %v", v)
	}
	if n := len(s.DataSources("aws_secretsmanager_random_password")); n != 0 {
		t.Errorf("%d password data sources: their value is in every plan", n)
	}
	if strings.Contains(string(s.Raw), `"password":"`) || strings.Contains(string(s.Raw), `password = "`) {
		t.Error("a literal password is in the synthesized JSON")
	}
	// Opt-in: without DBSecret, no secret, no password, no variable.
	plain := variants.Synth(t, "pr-endpoints")
	plain.Absent(t, "aws_secretsmanager_secret_version")
	if plain.JSON["ephemeral"] != nil {
		t.Errorf("an ephemeral block without DBSecret: %v", plain.JSON["ephemeral"])
	}
	if _, ok := service(t, "pr-endpoints").DBSecretARN(); ok {
		t.Error("DBSecretARN without DBSecret")
	}
}

func TestService(t *testing.T) {
	tests := []struct {
		variant     string
		subnets     []string
		publicIP    bool
		desired     float64
		autoscaling bool
		spot        bool
	}{
		{"http", []string{"Network/PrivateSubnet0", "Network/PrivateSubnet1"}, false, 2, false, false},
		{"pr-public-ip", []string{"Network/PublicSubnet0", "Network/PublicSubnet1"}, true, 1, false, true},
		{"https", []string{"Network/PrivateSubnet0", "Network/PrivateSubnet1"}, false, 2, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.variant, func(t *testing.T) {
			s := variants.Synth(t, tt.variant)
			svc := s.Only(t, "aws_ecs_service")
			var subnets []any
			for _, p := range tt.subnets {
				subnets = append(subnets, s.RefTo(t, "aws_subnet", p, "id"))
			}
			want := map[string]any{
				"desired_count": tt.desired,
				"network_configuration": map[string]any{"subnets": subnets, "assign_public_ip": tt.publicIP,
					"security_groups": []any{s.RefTo(t, "aws_security_group", "Service/TaskSecurityGroup", "id")}},
				"deployment_circuit_breaker": map[string]any{"enable": true, "rollback": true},
				"cluster":                    s.RefTo(t, "aws_ecs_cluster", "Service/Cluster", "arn"),
				"task_definition":            s.RefTo(t, "aws_ecs_task_definition", "Service/TaskDefinition", "arn"),
			}
			// PR environments run on Fargate Spot through the cluster's capacity provider.
			capacity := "launch_type"
			want[capacity] = "FARGATE"
			if tt.spot {
				delete(want, capacity)
				capacity = "capacity_provider_strategy"
				want[capacity] = []any{map[string]any{"capacity_provider": "FARGATE_SPOT", "weight": 1.0}}
			}
			if _, both := svc["launch_type"]; both && tt.spot {
				t.Error("a Spot service has a launch type too")
			}
			if diff := cmp.Diff(want, testutil.Pick(svc, "desired_count", "network_configuration", "deployment_circuit_breaker", "cluster", "task_definition", capacity)); diff != "" {
				t.Errorf("service (-want +got):\n%s", diff)
			}
			if got := s.Count("aws_appautoscaling_policy") == 1 && s.Count("aws_appautoscaling_target") == 1; got != tt.autoscaling {
				t.Errorf("autoscaling = %v, want %v", got, tt.autoscaling)
			}
			if _, ignores := svc["lifecycle"]; ignores != tt.autoscaling {
				t.Errorf("desired_count ignored = %v, want %v", ignores, tt.autoscaling)
			}
			_, target := service(t, tt.variant).ScalingTarget()
			if target != tt.autoscaling {
				t.Errorf("ScalingTarget() present = %v", target)
			}
		})
	}
	s := variants.Synth(t, "https")
	target := s.Only(t, "aws_appautoscaling_target")
	wantTarget := map[string]any{"min_capacity": 2.0, "max_capacity": 6.0, "scalable_dimension": "ecs:service:DesiredCount",
		"resource_id": "service/" + s.RefTo(t, "aws_ecs_cluster", "Service/Cluster", "name") + "/" + s.RefTo(t, "aws_ecs_service", "Service/Service", "name")}
	if diff := cmp.Diff(wantTarget, testutil.Pick(target, "min_capacity", "max_capacity", "scalable_dimension", "resource_id")); diff != "" {
		t.Errorf("scaling target (-want +got):\n%s", diff)
	}
	policy := s.Only(t, "aws_appautoscaling_policy")["target_tracking_scaling_policy_configuration"].(map[string]any)
	if policy["target_value"] != 50.0 || policy["predefined_metric_specification"].(map[string]any)["predefined_metric_type"] != "ECSServiceAverageCPUUtilization" {
		t.Errorf("scaling policy = %v", policy)
	}
}

func TestExistingCluster(t *testing.T) {
	s := variants.Synth(t, "existing-cluster")
	s.Absent(t, "aws_ecs_cluster", "aws_ecs_cluster_capacity_providers")
	if got := s.Only(t, "aws_ecs_service")["cluster"]; got != clusterARN {
		t.Errorf("cluster = %v", got)
	}
	svc := service(t, "existing-cluster")
	if _, ok := svc.Cluster().ECSCluster(); *svc.ClusterName() != "shared-cluster" || ok {
		t.Errorf("ClusterName() = %q", *svc.ClusterName())
	}
	c := variants.Synth(t, "http").Only(t, "aws_ecs_cluster")
	if diff := cmp.Diff([]any{map[string]any{"name": "containerInsights", "value": "enabled"}}, c["setting"]); diff != "" {
		t.Errorf("Container Insights (-want +got):\n%s", diff)
	}
}

func TestAccessors(t *testing.T) {
	s := variants.Synth(t, "http")
	svc := service(t, "http")
	lb, hasLB := svc.LoadBalancer()
	dns, _ := svc.LoadBalancerDNSName()
	db, _ := svc.DBSecretARN()
	if !hasLB {
		t.Fatal("no load balancer")
	}
	got := map[string]string{
		"ClusterName": testutil.ResolveString(svc, svc.ClusterName()), "ClusterARN": testutil.ResolveString(svc, svc.ClusterARN()),
		"ServiceName": testutil.ResolveString(svc, svc.ServiceName()), "LoadBalancerDNSName": testutil.ResolveString(svc, dns),
		"LoadBalancerARN": testutil.ResolveString(svc, lb.ARN()), "TaskSecurityGroupID": testutil.ResolveString(svc, svc.TaskSecurityGroupID()),
		"LoadBalancerSecurityGroupID": testutil.ResolveString(svc, lb.Connections().SecurityGroupID()),
		"DBSecretARN":                 testutil.ResolveString(svc, db), "ExecutionRoleARN": testutil.ResolveString(svc, svc.ExecutionRoleARN()),
		"TaskRoleARN": testutil.ResolveString(svc, svc.TaskRoleARN()), "LogGroupName": *svc.LogGroupName(),
	}
	want := map[string]string{
		"ClusterName": s.RefTo(t, "aws_ecs_cluster", "Service/Cluster", "name"), "ClusterARN": s.RefTo(t, "aws_ecs_cluster", "Service/Cluster", "arn"),
		"ServiceName": s.RefTo(t, "aws_ecs_service", "Service/Service", "name"), "LoadBalancerDNSName": s.RefTo(t, "aws_lb", "Service/LoadBalancer", "dns_name"),
		"LoadBalancerARN": s.RefTo(t, "aws_lb", "Service/LoadBalancer", "arn"), "TaskSecurityGroupID": s.RefTo(t, "aws_security_group", "Service/TaskSecurityGroup", "id"),
		"LoadBalancerSecurityGroupID": s.RefTo(t, "aws_security_group", "Service/LoadBalancerSecurityGroup", "id"),
		"DBSecretARN":                 s.RefTo(t, "aws_secretsmanager_secret", "Service/DBSecret", "arn"), "ExecutionRoleARN": s.RefTo(t, "aws_iam_role", "Service/ExecutionRole", "arn"),
		"TaskRoleARN": s.RefTo(t, "aws_iam_role", "Service/TaskRole", "arn"), "LogGroupName": "/ecs/lms-stage",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("accessors (-want +got):\n%s", diff)
	}
	_, hasCluster := svc.Cluster().ECSCluster()
	_, hasTG := svc.TargetGroup()
	_, hasDB := svc.DBSecret()
	listener, hasListener := svc.Listener()
	if !hasCluster || svc.ECSService() == nil || svc.TaskDefinition() == nil || !hasTG || !hasListener || svc.ExecutionRole() == nil ||
		svc.TaskRole() == nil || svc.LogGroup() == nil || !hasDB || svc.Connections() == nil || listener.Port() != 80 {
		t.Error("an escape hatch is missing")
	}
	if l, _ := service(t, "https").Listener(); l.Port() != 443 {
		t.Error("HTTPS variant: services attach to the HTTPS listener")
	}
	if svc.ContainerPort() != 80 || svc.Identity().ID() != "stage" || svc.Place().Region != testutil.Region {
		t.Errorf("ContainerPort %d, Identity %v, Place %v", svc.ContainerPort(), svc.Identity(), svc.Place())
	}
}

func TestOptionalEncryptionAndAccessLogs(t *testing.T) {
	s := variants.Synth(t, "https")
	if got := s.Only(t, "aws_cloudwatch_log_group")["kms_key_id"]; got != kmsKey {
		t.Errorf("log group kms_key_id = %v", got)
	}
	want := map[string]any{"bucket": "shop-alb-logs", "prefix": "lms-prod", "enabled": true}
	if diff := cmp.Diff(want, s.Only(t, "aws_lb")["access_logs"]); diff != "" {
		t.Errorf("access_logs (-want +got):\n%s", diff)
	}
	plain := variants.Synth(t, "http")
	if _, ok := plain.Only(t, "aws_lb")["access_logs"]; ok {
		t.Error("access logs without AccessLogsBucket")
	}
	if _, ok := plain.Only(t, "aws_cloudwatch_log_group")["kms_key_id"]; ok {
		t.Error("log group key without LogKMSKeyARN")
	}
}

// BenchmarkNew synthesizes a stack holding a network and the service (subtract the
// network package's BenchmarkNew for the service alone).
func BenchmarkNew(b *testing.B) {
	testutil.WarmUp(b)
	for i := 0; i < b.N; i++ {
		stack := testutil.NewStack("Bench")
		net := network.New(stack, "Network", network.Config{Environment: stage})
		lmsservice.New(stack, "Service", lmsservice.Config{Environment: stage, Network: net, Image: image})
		testutil.Synth(b, stack)
	}
}
