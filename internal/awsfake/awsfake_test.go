package awsfake

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tapstack/infra/awsid"
	"github.com/tapstack/infra/internal/tfjson"
)

// args are the arguments every pinned fake sees.
var args = map[string]any{"name": "n", "family": "n", "bucket": "n", "function_name": "n", "alarm_name": "n", "replication_group_id": "n",
	"cluster_identifier": "n", "identifier": "n", "dashboard_name": "n", "role": "r", "secret_id": "s", "route_table_id": "rtb-1",
	"resource_id": "service/c/s", "cluster": "arn:aws:ecs:ca-central-1:123456789012:cluster/c", "cluster_name": "c", "queue_url": "q",
	"load_balancer_arn":    "arn:aws:elasticloadbalancing:ca-central-1:123456789012:loadbalancer/app/lb/0123456789abcdef",
	"listener_arn":         "arn:aws:elasticloadbalancing:ca-central-1:123456789012:listener/app/lb/0123456789abcdef/fedcba9876543210",
	"major_engine_version": "7", "availability_zone": "ca-central-1b", "tags": map[string]any{"k": "v"}, "name_prefix": "p-",
	"input": "in", "domain_name": "example.org", "target_key_id": "k-1"}

func mockCtx(typ string, attrs map[string]any) Ctx {
	return Ctx{Type: typ, Addr: typ + ".x", Place: awsid.In("ca-central-1"), Mock: true,
		Get: func(a string) (any, bool) { v, ok := attrs[a]; return v, ok }}
}

func fake(t *testing.T, c Ctx, path ...string) (any, bool) {
	t.Helper()
	v, ok, err := c.Fake(path)
	if err != nil {
		t.Fatalf("%s.%s: %v", c.Type, strings.Join(path, "."), err)
	}
	return v, ok
}

// TestKinds pins the id and the ARN of every type of the table (in mock mode, so that
// the values are readable), and every type has a row: a new entry needs its row, and a
// changed shape (listener/ for listener-rule/, say) fails here.
func TestKinds(t *testing.T) {
	rows := map[string][2]string{ // type: id, arn ("" when the type has no arn)
		"aws_acm_certificate":                                {"arn:aws:acm:ca-central-1:123456789012:certificate/00000000-0000-0000-0000-000000000000", "arn:aws:acm:ca-central-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"},
		"aws_ami":                                            {"ami-0123456789abcdef0", "arn:aws:ec2:ca-central-1::image/ami-0123456789abcdef0"},
		"aws_appautoscaling_policy":                          {"n", "arn:aws:autoscaling:ca-central-1:123456789012:scalingPolicy:00000000-0000-0000-0000-000000000000:resource/service/c/s:policyName/n"},
		"aws_appautoscaling_target":                          {"service/c/s", "arn:aws:application-autoscaling:ca-central-1:123456789012:scalable-target/0123456789abcdef0123456789abcdef0123"},
		"aws_cloudwatch_dashboard":                           {"n", ""},
		"aws_cloudwatch_event_rule":                          {"n", "arn:aws:events:ca-central-1:123456789012:rule/n"},
		"aws_cloudwatch_log_group":                           {"n", "arn:aws:logs:ca-central-1:123456789012:log-group:n"},
		"aws_cloudwatch_metric_alarm":                        {"n", "arn:aws:cloudwatch:ca-central-1:123456789012:alarm:n"},
		"aws_cognito_user_pool":                              {"ca-central-1_012345678", "arn:aws:cognito-idp:ca-central-1:123456789012:userpool/ca-central-1_012345678"},
		"aws_customer_gateway":                               {"cgw-0123456789abcdef0", "arn:aws:ec2:ca-central-1:123456789012:customer-gateway/cgw-0123456789abcdef0"},
		"aws_db_instance":                                    {"db-0123456789ABCDEF0123456789", "arn:aws:rds:ca-central-1:123456789012:db:n"},
		"aws_db_subnet_group":                                {"n", "arn:aws:rds:ca-central-1:123456789012:subgrp:n"},
		"aws_default_network_acl":                            {"acl-0123456789abcdef0", "arn:aws:ec2:ca-central-1:123456789012:network-acl/acl-0123456789abcdef0"},
		"aws_default_route_table":                            {"rtb-0123456789abcdef0", "arn:aws:ec2:ca-central-1:123456789012:route-table/rtb-0123456789abcdef0"},
		"aws_default_security_group":                         {"sg-0123456789abcdef0", "arn:aws:ec2:ca-central-1:123456789012:security-group/sg-0123456789abcdef0"},
		"aws_dynamodb_table":                                 {"n", "arn:aws:dynamodb:ca-central-1:123456789012:table/n"},
		"aws_ebs_volume":                                     {"vol-0123456789abcdef0", "arn:aws:ec2:ca-central-1:123456789012:volume/vol-0123456789abcdef0"},
		"aws_ec2_client_vpn_endpoint":                        {"cvpn-endpoint-0123456789abcdef0", "arn:aws:ec2:ca-central-1:123456789012:client-vpn-endpoint/cvpn-endpoint-0123456789abcdef0"},
		"aws_ec2_managed_prefix_list":                        {"pl-0123456789abcdef0", "arn:aws:ec2:ca-central-1:123456789012:prefix-list/pl-0123456789abcdef0"},
		"aws_ec2_transit_gateway":                            {"tgw-0123456789abcdef0", "arn:aws:ec2:ca-central-1:123456789012:transit-gateway/tgw-0123456789abcdef0"},
		"aws_ec2_transit_gateway_vpc_attachment":             {"tgw-attach-0123456789abcdef0", "arn:aws:ec2:ca-central-1:123456789012:transit-gateway-attachment/tgw-attach-0123456789abcdef0"},
		"aws_ecr_repository":                                 {"n", "arn:aws:ecr:ca-central-1:123456789012:repository/n"},
		"aws_ecs_capacity_provider":                          {"n", "arn:aws:ecs:ca-central-1:123456789012:capacity-provider/n"},
		"aws_ecs_cluster":                                    {"arn:aws:ecs:ca-central-1:123456789012:cluster/n", "arn:aws:ecs:ca-central-1:123456789012:cluster/n"},
		"aws_ecs_cluster_capacity_providers":                 {"c", ""},
		"aws_ecs_service":                                    {"arn:aws:ecs:ca-central-1:123456789012:service/c/n", ""},
		"aws_ecs_task_definition":                            {"n", "arn:aws:ecs:ca-central-1:123456789012:task-definition/n:1"},
		"aws_efs_file_system":                                {"fs-0123456789abcdef0", "arn:aws:elasticfilesystem:ca-central-1:123456789012:file-system/fs-0123456789abcdef0"},
		"aws_egress_only_internet_gateway":                   {"eigw-0123456789abcdef0", ""},
		"aws_eip":                                            {"eipalloc-0123456789abcdef0", "arn:aws:ec2:ca-central-1:123456789012:elastic-ip/eipalloc-0123456789abcdef0"},
		"aws_elasticache_replication_group":                  {"n", "arn:aws:elasticache:ca-central-1:123456789012:replicationgroup:n"},
		"aws_elasticache_serverless_cache":                   {"n", "arn:aws:elasticache:ca-central-1:123456789012:serverlesscache:n"},
		"aws_elasticache_subnet_group":                       {"n", "arn:aws:elasticache:ca-central-1:123456789012:subnetgroup:n"},
		"aws_flow_log":                                       {"fl-0123456789abcdef0", "arn:aws:ec2:ca-central-1:123456789012:vpc-flow-log/fl-0123456789abcdef0"},
		"aws_iam_group":                                      {"n", "arn:aws:iam::123456789012:group/n"},
		"aws_iam_instance_profile":                           {"n", "arn:aws:iam::123456789012:instance-profile/n"},
		"aws_iam_policy":                                     {"arn:aws:iam::123456789012:policy/n", "arn:aws:iam::123456789012:policy/n"},
		"aws_iam_role":                                       {"n", "arn:aws:iam::123456789012:role/n"},
		"aws_iam_role_policy":                                {"r:n", ""},
		"aws_iam_role_policy_attachment":                     {"r-20240101000000000000000000", ""},
		"aws_iam_user":                                       {"n", "arn:aws:iam::123456789012:user/n"},
		"aws_instance":                                       {"i-0123456789abcdef0", "arn:aws:ec2:ca-central-1:123456789012:instance/i-0123456789abcdef0"},
		"aws_internet_gateway":                               {"igw-0123456789abcdef0", "arn:aws:ec2:ca-central-1:123456789012:internet-gateway/igw-0123456789abcdef0"},
		"aws_key_pair":                                       {"key-0123456789abcdef0", "arn:aws:ec2:ca-central-1:123456789012:key-pair/key-0123456789abcdef0"},
		"aws_kms_alias":                                      {"n", "arn:aws:kms:ca-central-1:123456789012:n"},
		"aws_kms_key":                                        {"00000000-0000-0000-0000-000000000000", "arn:aws:kms:ca-central-1:123456789012:key/00000000-0000-0000-0000-000000000000"},
		"aws_lambda_function":                                {"n", "arn:aws:lambda:ca-central-1:123456789012:function:n"},
		"aws_launch_template":                                {"lt-0123456789abcdef0", "arn:aws:ec2:ca-central-1:123456789012:launch-template/lt-0123456789abcdef0"},
		"aws_lb":                                             {"arn:aws:elasticloadbalancing:ca-central-1:123456789012:loadbalancer/app/n/0123456789abcdef", "arn:aws:elasticloadbalancing:ca-central-1:123456789012:loadbalancer/app/n/0123456789abcdef"},
		"aws_lb_listener":                                    {"arn:aws:elasticloadbalancing:ca-central-1:123456789012:listener/app/lb/0123456789abcdef/0123456789abcdef", "arn:aws:elasticloadbalancing:ca-central-1:123456789012:listener/app/lb/0123456789abcdef/0123456789abcdef"},
		"aws_lb_listener_rule":                               {"arn:aws:elasticloadbalancing:ca-central-1:123456789012:listener-rule/app/lb/0123456789abcdef/fedcba9876543210/0123456789abcdef", "arn:aws:elasticloadbalancing:ca-central-1:123456789012:listener-rule/app/lb/0123456789abcdef/fedcba9876543210/0123456789abcdef"},
		"aws_lb_target_group":                                {"arn:aws:elasticloadbalancing:ca-central-1:123456789012:targetgroup/n/0123456789abcdef", "arn:aws:elasticloadbalancing:ca-central-1:123456789012:targetgroup/n/0123456789abcdef"},
		"aws_main_route_table_association":                   {"rtbassoc-0123456789abcdef0", ""},
		"aws_nat_gateway":                                    {"nat-0123456789abcdef0", ""},
		"aws_network_acl":                                    {"acl-0123456789abcdef0", "arn:aws:ec2:ca-central-1:123456789012:network-acl/acl-0123456789abcdef0"},
		"aws_network_acl_rule":                               {"nacl-1234567890", ""},
		"aws_network_interface":                              {"eni-0123456789abcdef0", "arn:aws:ec2:ca-central-1:123456789012:network-interface/eni-0123456789abcdef0"},
		"aws_placement_group":                                {"pg-0123456789abcdef0", "arn:aws:ec2:ca-central-1:123456789012:placement-group/pg-0123456789abcdef0"},
		"aws_rds_cluster":                                    {"n", "arn:aws:rds:ca-central-1:123456789012:cluster:n"},
		"aws_route":                                          {"r-rtb-11234567890", ""},
		"aws_route53_zone":                                   {"Z0123456789ABCDEF0123", "arn:aws:route53:::hostedzone/Z0123456789ABCDEF0123"},
		"aws_route_table":                                    {"rtb-0123456789abcdef0", "arn:aws:ec2:ca-central-1:123456789012:route-table/rtb-0123456789abcdef0"},
		"aws_route_table_association":                        {"rtbassoc-0123456789abcdef0", ""},
		"aws_s3_bucket":                                      {"n", "arn:aws:s3:::n"},
		"aws_s3_bucket_lifecycle_configuration":              {"n", ""},
		"aws_s3_bucket_ownership_controls":                   {"n", ""},
		"aws_s3_bucket_policy":                               {"n", ""},
		"aws_s3_bucket_public_access_block":                  {"n", ""},
		"aws_s3_bucket_server_side_encryption_configuration": {"n", ""},
		"aws_s3_bucket_versioning":                           {"n", ""},
		"aws_secretsmanager_secret":                          {"arn:aws:secretsmanager:ca-central-1:123456789012:secret:n-AbCdEf", "arn:aws:secretsmanager:ca-central-1:123456789012:secret:n-AbCdEf"},
		"aws_secretsmanager_secret_version":                  {"s|00000000-0000-0000-0000-000000000000", "arn:aws:secretsmanager:ca-central-1:123456789012:secret:s-AbCdEf"},
		"aws_security_group":                                 {"sg-0123456789abcdef0", "arn:aws:ec2:ca-central-1:123456789012:security-group/sg-0123456789abcdef0"},
		"aws_security_group_rule":                            {"sgrule-1234567890", ""},
		"aws_sfn_state_machine":                              {"arn:aws:states:ca-central-1:123456789012:stateMachine:n", "arn:aws:states:ca-central-1:123456789012:stateMachine:n"},
		"aws_sns_topic":                                      {"arn:aws:sns:ca-central-1:123456789012:n", "arn:aws:sns:ca-central-1:123456789012:n"},
		"aws_sqs_queue":                                      {"https://sqs.ca-central-1.amazonaws.com/123456789012/n", "arn:aws:sqs:ca-central-1:123456789012:n"},
		"aws_sqs_queue_policy":                               {"q", ""},
		"aws_ssm_parameter":                                  {"n", "arn:aws:ssm:ca-central-1:123456789012:parameter/n"},
		"aws_subnet":                                         {"subnet-0123456789abcdef0", "arn:aws:ec2:ca-central-1:123456789012:subnet/subnet-0123456789abcdef0"},
		"aws_vpc":                                            {"vpc-0123456789abcdef0", "arn:aws:ec2:ca-central-1:123456789012:vpc/vpc-0123456789abcdef0"},
		"aws_vpc_dhcp_options":                               {"dopt-0123456789abcdef0", "arn:aws:ec2:ca-central-1:123456789012:dhcp-options/dopt-0123456789abcdef0"},
		"aws_vpc_endpoint":                                   {"vpce-0123456789abcdef0", "arn:aws:ec2:ca-central-1:123456789012:vpc-endpoint/vpce-0123456789abcdef0"},
		"aws_vpc_endpoint_service":                           {"vpce-svc-0123456789abcdef0", "arn:aws:ec2:ca-central-1:123456789012:vpc-endpoint-service/vpce-svc-0123456789abcdef0"},
		"aws_vpc_ipv4_cidr_block_association":                {"vpc-cidr-assoc-0123456789abcdef0", ""},
		"aws_vpc_peering_connection":                         {"pcx-0123456789abcdef0", ""},
		"aws_vpc_security_group_egress_rule":                 {"sgr-0123456789abcdef0", "arn:aws:ec2:ca-central-1:123456789012:security-group-rule/sgr-0123456789abcdef0"},
		"aws_vpc_security_group_ingress_rule":                {"sgr-0123456789abcdef0", "arn:aws:ec2:ca-central-1:123456789012:security-group-rule/sgr-0123456789abcdef0"},
		"aws_vpn_connection":                                 {"vpn-0123456789abcdef0", "arn:aws:ec2:ca-central-1:123456789012:vpn-connection/vpn-0123456789abcdef0"},
		"aws_vpn_gateway":                                    {"vgw-0123456789abcdef0", "arn:aws:ec2:ca-central-1:123456789012:vpn-gateway/vgw-0123456789abcdef0"},
		"terraform_data":                                     {"00000000-0000-0000-0000-000000000000", ""},
	}
	var missing []string
	for _, typ := range Types() {
		if _, ok := rows[typ]; !ok {
			missing = append(missing, typ)
		}
	}
	if len(missing) > 0 {
		t.Errorf("types of the table without a row here: %v", missing)
	}
	for typ, want := range rows {
		c := mockCtx(typ, args)
		id, _ := fake(t, c, "id")
		arn, hasARN := fake(t, c, "arn")
		if hasARN != (want[1] != "") {
			t.Errorf("%s: an arn fake %v, want %v", typ, hasARN, want[1] != "")
		}
		got := [2]string{fmt.Sprint(id), ""}
		if hasARN {
			got[1] = fmt.Sprint(arn)
		}
		if got != want {
			t.Errorf("%s:\n got id %q arn %q\nwant id %q arn %q", typ, got[0], got[1], want[0], want[1])
		}
		if hasARN {
			if _, err := awsid.ParseARN(got[1]); err != nil {
				t.Errorf("%s: %v", typ, err)
			}
		}
	}
}

// TestARNKinds: the fakes of the kinds the library takes as input pass awsid's checks
// of that kind, with the addresses' real hex digits, in other partitions too; and a
// listener rule's ARN is not a listener's.
func TestARNKinds(t *testing.T) {
	for _, region := range []string{"ca-central-1", "cn-north-1", "us-gov-west-1"} {
		kinds := map[string]awsid.ARNKind{"aws_lb": awsid.LoadBalancerARN, "aws_lb_listener": awsid.ListenerARN,
			"aws_ecs_cluster": awsid.ClusterARN, "aws_secretsmanager_secret": awsid.SecretARN, "aws_kms_key": awsid.KMSKeyARN,
			"aws_acm_certificate": awsid.CertificateARN, "aws_iam_role": awsid.RoleARN, "aws_s3_bucket": awsid.BucketARN, "aws_ssm_parameter": awsid.SSMParameterARN}
		attrs := map[string]any{"name": "lms-web", "bucket": "lms-bucket"}
		for typ, kind := range kinds {
			c := Ctx{Type: typ, Addr: typ + ".real", Place: awsid.In(region), Get: func(a string) (any, bool) { v, ok := attrs[a]; return v, ok }}
			arn, _ := fake(t, c, "arn")
			if err := kind.CheckIn(arn.(string), awsid.Place{Partition: awsid.Partition(region), Region: region, Account: Account}); err != nil {
				t.Errorf("%s in %s: %v", typ, region, err)
			}
		}
		rule, _ := fake(t, Ctx{Type: "aws_lb_listener_rule", Addr: "r", Place: awsid.In(region)}, "arn")
		if awsid.ListenerARN.Check(rule.(string)) == nil || !strings.Contains(rule.(string), ":listener-rule/app/") {
			t.Errorf("listener rule ARN %s", rule)
		}
	}
	// Real mode: seeded by the address, 17 hex digits, different per instance.
	a, _ := fake(t, Ctx{Type: "aws_subnet", Addr: "aws_subnet.a", Place: awsid.In("ca-central-1")}, "id")
	b, _ := fake(t, Ctx{Type: "aws_subnet", Addr: "aws_subnet.b", Place: awsid.In("ca-central-1")}, "id")
	if a == b || !regexp.MustCompile(`^subnet-[0-9a-f]{17}$`).MatchString(a.(string)) || awsid.SubnetID.Check(a.(string)) != nil {
		t.Errorf("subnet ids %v %v", a, b)
	}
	// The general fakes of a type without an entry.
	c := Ctx{Type: "aws_foo_bar_baz", Addr: "x", Place: awsid.In("ca-central-1"), Get: func(string) (any, bool) { return "n", true }}
	id, _ := fake(t, c, "id")
	arn, _ := fake(t, c, "arn")
	if !regexp.MustCompile(`^foo_bar_baz-[0-9a-f]{17}$`).MatchString(id.(string)) || arn != "arn:aws:foo:ca-central-1:123456789012:bar-baz/n" {
		t.Errorf("general fakes: %v %v", id, arn)
	}
	if Global("aws_iam_something") != true || Global("aws_route53_record") != true || Global("aws_route53resolver_endpoint") || Global("aws_s3_bucket") || Global("aws_vpc") {
		t.Error("Global")
	}
}

// TestAttrs pins the attribute fakes, by type and by attribute name.
func TestAttrs(t *testing.T) {
	rows := []struct {
		typ, path string
		want      any // nil: no fake
	}{
		{"aws_lb", "dns_name", "n-123456789.ca-central-1.elb.amazonaws.com"},
		{"aws_lb", "zone_id", "ZQSVJUPU6J1EY"},
		{"aws_lb", "arn_suffix", "app/n/0123456789abcdef"},
		{"aws_lb", "ip_address_type", "ipv4"},
		{"aws_lb_target_group", "arn_suffix", "targetgroup/n/0123456789abcdef"},
		{"aws_lb_target_group", "load_balancing_cross_zone_enabled", "use_load_balancer_configuration"},
		{"aws_lb_listener", "default_action.order", json.Number("1")},
		{"aws_elasticache_serverless_cache", "endpoint", []any{map[string]any{"address": "n.serverless.cac1.cache.amazonaws.com", "port": json.Number("6379")}}},
		{"aws_elasticache_serverless_cache", "reader_endpoint", []any{map[string]any{"address": "n-ro.serverless.cac1.cache.amazonaws.com", "port": json.Number("6380")}}},
		{"aws_elasticache_serverless_cache", "endpoint.address", "n.serverless.cac1.cache.amazonaws.com"},
		{"aws_elasticache_serverless_cache", "full_engine_version", "7.1"},
		{"aws_ecs_task_definition", "arn_without_revision", "arn:aws:ecs:ca-central-1:123456789012:task-definition/n"},
		{"aws_ecs_task_definition", "revision", json.Number("1")},
		{"aws_ecs_service", "iam_role", "/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS"},
		{"aws_secretsmanager_secret_version", "version_stages", []any{"AWSCURRENT"}},
		{"aws_eip", "allocation_id", "eipalloc-0123456789abcdef0"},
		{"aws_eip", "association_id", ""},
		{"aws_eip", "domain", "vpc"},
		{"aws_subnet", "availability_zone_id", "cac1-az2"},
		{"aws_iam_role", "unique_id", "AROA0123456789ABCDEF0"},
		{"aws_s3_bucket", "bucket_regional_domain_name", "n.s3.ca-central-1.amazonaws.com"},
		{"aws_sqs_queue", "url", "https://sqs.ca-central-1.amazonaws.com/123456789012/n"},
		{"aws_ecr_repository", "repository_url", "123456789012.dkr.ecr.ca-central-1.amazonaws.com/n"},
		{"aws_kms_key", "key_id", "00000000-0000-0000-0000-000000000000"},
		{"aws_kms_alias", "target_key_arn", "arn:aws:kms:ca-central-1:123456789012:key/k-1"},
		{"aws_cloudwatch_log_group", "log_group_class", "STANDARD"},
		{"aws_default_security_group", "name", "default"},
		{"aws_acm_certificate", "domain_validation_options.resource_record_name", "_0123456789abcdef0123456789abcdef.example.org."},
		{"terraform_data", "output", "in"},
		// By attribute name, for every type.
		{"aws_anything", "name", "p-20240101000000000000000001"},
		{"aws_anything", "tags_all", map[string]any{"k": "v"}},
		{"aws_anything", "owner_id", "123456789012"},
		{"aws_anything", "created_at", "2024-01-01T00:00:00Z"},
		{"aws_anything", "main_route_table_id", "rtb-0123456789abcdef0"},
		{"aws_anything", "default_security_group_id", "sg-0123456789abcdef0"},
		{"aws_anything", "kms_key_arn", "arn:aws:anything:ca-central-1:123456789012:kms-key/0123456789abcdef"},
		{"aws_anything", "private_ip", "10.0.100.193"},
		{"aws_anything", "block.thing", nil},
		{"aws_anything", "nothing_known", nil},
	}
	for _, r := range rows {
		got, ok := fake(t, mockCtx(r.typ, args), strings.Split(r.path, ".")...)
		if r.want == nil {
			if ok {
				t.Errorf("%s.%s = %v, want no fake", r.typ, r.path, got)
			}
			continue
		}
		if diff := cmp.Diff(r.want, got); diff != "" {
			t.Errorf("%s.%s (-want +got):\n%s", r.typ, r.path, diff)
		}
	}
	// What a fake needs and does not know: no fake.
	for _, path := range []string{"full_engine_version", "name"} {
		if v, ok := fake(t, mockCtx("aws_elasticache_serverless_cache", nil), path); ok && path != "name" {
			t.Errorf("%s without what it needs: %v", path, v)
		}
	}
	if _, ok := fake(t, mockCtx("aws_anything", nil), "tags_all"); !ok {
		t.Error("tags_all without tags: want {}")
	}
	if _, ok := fake(t, mockCtx("terraform_data", nil), "output"); ok {
		t.Error("terraform_data.output without an input has a fake")
	}
	// Another partition: its DNS suffix; a region without a canonical zone: a fake one.
	cn := Ctx{Type: "aws_lb", Addr: "x", Place: awsid.In("cn-north-1"), Mock: true, Get: mockCtx("aws_lb", args).Get}
	if v, _ := fake(t, cn, "dns_name"); v != "n-123456789.cn-north-1.elb.amazonaws.com.cn" {
		t.Errorf("dns_name in aws-cn: %v", v)
	}
	if v, _ := fake(t, cn, "zone_id"); !regexp.MustCompile(`^Z[0-9A-F]{13}$`).MatchString(v.(string)) {
		t.Errorf("zone of a region without a known zone: %v", v)
	}
	if RegionShort("ca-central-1") != "cac1" || RegionShort("us-gov-west-1") != "usgw1" || RegionShort("local") != "az" {
		t.Error("RegionShort")
	}
}

// TestReads pins the data sources and ephemeral resources: every entry has a row.
func TestReads(t *testing.T) {
	place := awsid.In("ca-central-1")
	none := func(string) (any, bool) { return nil, false }
	rows := map[string]map[string]any{ // "<section>.<type>": the fake (mock mode, no arguments), nil for pure ones
		"data.aws_availability_zones": {"id": "ca-central-1", "names": []any{"ca-central-1a", "ca-central-1b", "ca-central-1c"},
			"zone_ids": []any{"cac1-az1", "cac1-az2", "cac1-az3"}, "group_names": []any{"ca-central-1"}, "state": "available"},
		"data.aws_caller_identity": {"id": "123456789012", "account_id": "123456789012", "arn": "arn:aws:iam::123456789012:user/verify", "user_id": "AIDAVERIFYFAKEUSER0001"},
		"data.aws_lb_listener": {"arn": "arn:aws:elasticloadbalancing:ca-central-1:123456789012:listener/app/mock/0123456789abcdef/0123456789abcdef",
			"id":                "arn:aws:elasticloadbalancing:ca-central-1:123456789012:listener/app/mock/0123456789abcdef/0123456789abcdef",
			"load_balancer_arn": "arn:aws:elasticloadbalancing:ca-central-1:123456789012:loadbalancer/app/mock/0123456789abcdef", "port": json.Number("443"), "protocol": "HTTPS"},
		"data.aws_lb": {"name": "mock", "arn": "arn:aws:elasticloadbalancing:ca-central-1:123456789012:loadbalancer/app/mock/0123456789abcdef",
			"id": "arn:aws:elasticloadbalancing:ca-central-1:123456789012:loadbalancer/app/mock/0123456789abcdef", "arn_suffix": "app/mock/0123456789abcdef",
			"dns_name": "mock-123456789.ca-central-1.elb.amazonaws.com", "zone_id": "ZQSVJUPU6J1EY", "load_balancer_type": "application", "internal": false,
			"ip_address_type": "ipv4", "vpc_id": "vpc-0123456789abcdef0", "security_groups": []any{"sg-0123456789abcdef0"}, "subnets": []any{}},
		"data.aws_vpc": {"id": "vpc-0123456789abcdef0", "arn": "arn:aws:ec2:ca-central-1:123456789012:vpc/vpc-0123456789abcdef0", "cidr_block": "10.0.0.0/16",
			"default": false, "owner_id": "123456789012", "state": "available", "enable_dns_support": true, "enable_dns_hostnames": true,
			"instance_tenancy": "default", "main_route_table_id": "rtb-0123456789abcdef0", "dhcp_options_id": "dopt-0123456789abcdef0",
			"ipv6_cidr_block": "", "ipv6_association_id": "", "tags": map[string]any{},
			"cidr_block_associations": []any{map[string]any{"association_id": "vpc-cidr-assoc-0123456789abcdef0", "cidr_block": "10.0.0.0/16", "state": "associated"}}},
		"data.aws_secretsmanager_random_password":      {"id": "mock", "random_password": "zH8#nM7+nL6%kG8%tR6=yM7*fC8&tF4="},
		"ephemeral.aws_secretsmanager_random_password": {"random_password": "fL2&sC2!jY6#kE3%rQ8=xK9!iN7!fD3="},
	}
	check := func(key string, r Read, isData bool) {
		want, pinned := rows[key]
		if !pinned && !r.Pure {
			// Every read that is faked needs its row, at least a shape check below.
			obj, err := r.Object(Ctx{Type: strings.SplitN(key, ".", 2)[1], Addr: key + ".x", Place: place, Mock: true}, none)
			if err != nil {
				t.Errorf("%s: %v", key, err)
			}
			if len(obj) == 0 && !r.Outputs {
				t.Errorf("%s: an empty fake", key)
			}
			raw, _ := json.Marshal(obj)
			if strings.Contains(string(raw), "{{") || strings.Contains(string(raw), "${") {
				t.Errorf("%s: a fake holds a template or an interpolation: %s", key, raw)
			}
			if arn, ok := obj["arn"].(string); ok {
				if _, err := awsid.ParseARN(arn); err != nil {
					t.Errorf("%s: %v", key, err)
				}
			}
			return
		}
		if !pinned {
			return
		}
		addr := "data.x.y"
		if !isData {
			addr = "ephemeral.x.y"
		}
		got, err := r.Object(Ctx{Type: strings.SplitN(key, ".", 2)[1], Addr: addr, Place: place, Mock: true}, none)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", key, diff)
		}
	}
	for _, typ := range DataSourceTypes() {
		r, _ := DataSource(typ)
		check("data."+typ, r, true)
	}
	for _, typ := range EphemeralTypes() {
		r, _ := Ephemeral(typ)
		check("ephemeral."+typ, r, false)
	}
	// A listener read by its ARN: its load balancer is the one the ARN names; the load
	// balancer read by that ARN has the name in it.
	listener, _ := DataSource("aws_lb_listener")
	lARN := "arn:aws:elasticloadbalancing:eu-west-1:210987654321:listener/app/shared-alb/0123456789abcdef/fedcba9876543210"
	obj, _ := listener.Object(Ctx{Type: "aws_lb_listener", Addr: "d", Place: place}, func(a string) (any, bool) {
		if a == "arn" {
			return lARN, true
		}
		return nil, false
	})
	lb := obj["load_balancer_arn"].(string)
	if lb != "arn:aws:elasticloadbalancing:eu-west-1:210987654321:loadbalancer/app/shared-alb/0123456789abcdef" || obj["arn"] != lARN {
		t.Errorf("listener fake: %v", obj)
	}
	lbRead, _ := DataSource("aws_lb")
	obj, _ = lbRead.Object(Ctx{Type: "aws_lb", Addr: "d", Place: place, Mock: true}, func(a string) (any, bool) {
		if a == "arn" {
			return lb, true
		}
		return nil, false
	})
	if obj["dns_name"] != "shared-alb-123456789.ca-central-1.elb.amazonaws.com" || obj["arn"] != lb || obj["arn_suffix"] != "app/shared-alb/0123456789abcdef" {
		t.Errorf("load balancer fake: %v", obj)
	}
	// The password honors the arguments.
	pw := Ctx{Type: "aws_secretsmanager_random_password", Addr: "e", Get: func(a string) (any, bool) {
		v, ok := map[string]any{"password_length": json.Number("40"), "exclude_characters": "\"'@/\\ ", "exclude_punctuation": true}[a]
		return v, ok
	}}.Password()
	if len(pw) != 40 || strings.ContainsAny(pw, "\"'@/\\ !#%&*+-=?^_~") {
		t.Errorf("password %q", pw)
	}
	if got := (Ctx{Addr: "a", Get: func(a string) (any, bool) {
		return "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#%&*+-=?^_~", a == "exclude_characters"
	}}).Password(); got != strings.Repeat("x", 32) {
		t.Errorf("password with every character excluded: %q", got)
	}
}

func TestMockDefaults(t *testing.T) {
	body, err := MockDefaults(awsid.In("ca-central-1"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`  mock_resource "aws_lb" {` + "\n    defaults = {\n      arn = \"arn:aws:elasticloadbalancing:ca-central-1:123456789012:loadbalancer/app/mock/0123456789abcdef\"\n",
		`      arn_suffix = "app/mock/0123456789abcdef"`,
		`      dns_name = "mock-123456789.ca-central-1.elb.amazonaws.com"`,
		`      endpoint = [{"address" = "mock.serverless.cac1.cache.amazonaws.com", "port" = 6379}]`,
		`      arn = "arn:aws:elasticloadbalancing:ca-central-1:123456789012:listener/app/mock/0123456789abcdef/0123456789abcdef"`,
		`      id = "arn:aws:secretsmanager:ca-central-1:123456789012:secret:mock-AbCdEf"`,
		`      arn_without_revision = "arn:aws:ecs:ca-central-1:123456789012:task-definition/mock"`,
		`      id = "vpc-0123456789abcdef0"`,
		`      id = "arn:aws:ecs:ca-central-1:123456789012:service/mock/mock"`,
		`  mock_data "aws_region" {`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("MockDefaults lacks %q", want)
		}
	}
	for _, bad := range []string{"{{", "mock_resource \"terraform_data\"", "mock_data \"aws_vpc\""} {
		if strings.Contains(body, bad) {
			t.Errorf("MockDefaults holds %q", bad)
		}
	}
	// No arn default for a type without an arn attribute (OpenTofu refuses it).
	m, _ := MockResource("aws_nat_gateway", awsid.In("ca-central-1"))
	if _, ok := m["arn"]; ok || m["id"] != "nat-0123456789abcdef0" {
		t.Errorf("nat gateway defaults %v", m)
	}
	if !slices.IsSorted(Types()) {
		t.Error("Types not sorted")
	}
	_ = tfjson.Blocks
}

// TestOffline: what Apply does to a stack: every read that would call AWS becomes a
// local (one fake per instance of a literal count or for_each), every reference reads the
// local, the block stays with no instance, ephemeral fakes stay ephemeral, and the
// values handed to ephemeral resources are listed.
func TestOffline(t *testing.T) {
	doc, err := tfjson.Parse([]byte(`{
	  "variable": {"n": {"default": 2}},
	  "locals": {"listener": "arn:aws:elasticloadbalancing:ca-central-1:123456789012:listener/app/shared/0123456789abcdef/fedcba9876543210"},
	  "data": {
	    "aws_lb_listener": {"l": {"arn": "${local.listener}"}},
	    "aws_lb": {"b": {"arn": "${data.aws_lb_listener.l.load_balancer_arn}"}},
	    "aws_availability_zones": {"z": {"count": "${var.n}"}},
	    "aws_vpc": {"each": {"for_each": {"a": "vpc-0000000a", "b": "vpc-0000000b"}, "id": "${each.value}"}},
	    "aws_region": {"r": {}},
	    "aws_ami": {"given": {}},
	    "terraform_remote_state": {"platform": {"backend": "s3"}}
	  },
	  "ephemeral": {"aws_secretsmanager_random_password": {"pw": {"password_length": 20}}},
	  "resource": {"terraform_data": {"x": {"input": {
	    "dns": "${data.aws_lb.b.dns_name}", "az": "${data.aws_availability_zones.z[1].names[0]}", "vpc": "${data.aws_vpc.each[\"a\"].cidr_block}",
	    "region": "${data.aws_region.r.name}", "ami": "${data.aws_ami.given.id}", "out": "${data.terraform_remote_state.platform.outputs.vpc_id}",
	    "escaped": "$${data.aws_lb.b.dns_name}"},
	    "depends_on": ["data.aws_lb.b"]}},
	    "aws_secretsmanager_secret_version": {"v": {"secret_string_wo": "${ephemeral.aws_secretsmanager_random_password.pw.random_password}"}}}
	}`))
	if err != nil {
		t.Fatal(err)
	}
	faked, err := Offline{Places: map[string]awsid.Place{"aws": awsid.In("eu-west-1")}, Mock: true,
		Given: map[string]map[string]any{"data.aws_ami.given": {"id": "ami-given"}}}.Apply(doc)
	if err != nil {
		t.Fatal(err)
	}
	input := doc["resource"].(map[string]any)["terraform_data"].(map[string]any)["x"].(map[string]any)["input"]
	want := map[string]any{"dns": "${local.verify_aws_lb_b.dns_name}", "az": "${local.verify_aws_availability_zones_z[1].names[0]}",
		"vpc": `${local.verify_aws_vpc_each["a"].cidr_block}`, "region": "${data.aws_region.r.name}", "ami": "${local.verify_aws_ami_given.id}",
		"out": "${local.verify_terraform_remote_state_platform.outputs.vpc_id}", "escaped": "$${data.aws_lb.b.dns_name}"}
	if diff := cmp.Diff(want, input); diff != "" {
		t.Errorf("references (-want +got):\n%s", diff)
	}
	locals := doc["locals"].(map[string]any)
	if got := locals["verify_aws_lb_b"].(map[string]any)["dns_name"]; got != "shared-123456789.eu-west-1.elb.amazonaws.com" {
		t.Errorf("the load balancer read through the listener: %v", got)
	}
	if got := locals["verify_aws_availability_zones_z"].([]any); len(got) != 2 || got[1].(map[string]any)["names"].([]any)[0] != "eu-west-1a" {
		t.Errorf("count = var.n: %v", got)
	}
	if got := locals["verify_aws_vpc_each"].(map[string]any); got["b"].(map[string]any)["id"] != "vpc-0000000b" {
		t.Errorf("for_each: %v", got)
	}
	if got := locals["verify_aws_ami_given"]; fmt.Sprint(got) != "map[id:ami-given]" {
		t.Errorf("the given fake: %v", got)
	}
	if got := locals["verify_terraform_remote_state_platform"]; fmt.Sprint(got) != "map[outputs:map[vpc_id:vpc_id-verify-fake]]" {
		t.Errorf("remote state: %v", got)
	}
	eph, _ := locals["verify_ephemeral_aws_secretsmanager_random_password_pw"].(string)
	if !strings.HasPrefix(eph, "${terraform.applying ? {") || len(faked.Secrets) != 1 || len(faked.Secrets[0]) != 20 || !strings.Contains(eph, faked.Secrets[0]) {
		t.Errorf("the ephemeral local %q, secrets %q", eph, faked.Secrets)
	}
	data := doc["data"].(map[string]any)
	for _, block := range []map[string]any{data["aws_lb"].(map[string]any)["b"].(map[string]any), doc["ephemeral"].(map[string]any)["aws_secretsmanager_random_password"].(map[string]any)["pw"].(map[string]any)} {
		if block["count"] != json.Number("0") {
			t.Errorf("a faked block keeps instances: %v", block)
		}
	}
	if fe := data["aws_vpc"].(map[string]any)["each"].(map[string]any)["for_each"]; fmt.Sprint(fe) != "map[]" {
		t.Errorf("a faked for_each block keeps instances: %v", fe)
	}
	if _, ok := data["aws_region"].(map[string]any)["r"].(map[string]any)["count"]; ok {
		t.Error("a pure data source is faked")
	}
	if diff := cmp.Diff(map[string]string{"data.aws_ami.given": "verify_aws_ami_given", "data.aws_availability_zones.z": "verify_aws_availability_zones_z",
		"data.aws_lb.b": "verify_aws_lb_b", "data.aws_lb_listener.l": "verify_aws_lb_listener_l", "data.aws_vpc.each": "verify_aws_vpc_each",
		"data.terraform_remote_state.platform":            "verify_terraform_remote_state_platform",
		"ephemeral.aws_secretsmanager_random_password.pw": "verify_ephemeral_aws_secretsmanager_random_password_pw"}, faked.Locals); diff != "" {
		t.Errorf("locals (-want +got):\n%s", diff)
	}
	for raw, wantErr := range map[string]string{
		`{"data": {"aws_nope": {"x": {}}}}`:                                                                 "no fake for what would call AWS: data.aws_nope.x (type aws_nope)",
		`{"data": {"aws_vpc": {"x": {"count": "${length(var.l)}"}}}}`:                                       "data.aws_vpc.x: count = ${length(var.l)}, which verify cannot evaluate",
		`{"data": {"aws_vpc": {"x": {"for_each": "${var.m}"}}}}`:                                            "data.aws_vpc.x: for_each = ${var.m}, which verify cannot evaluate",
		`{"locals": {"verify_aws_vpc_x": 1}, "data": {"aws_vpc": {"x": {}}}}`:                               "the stack already has a local named verify_aws_vpc_x",
		`{"data": {"aws_vpc": {"x": {"id": "${data.aws_vpc.y.id}"}, "y": {"id": "${data.aws_vpc.x.id}"}}}}`: "",
	} {
		doc, err := tfjson.Parse([]byte(raw))
		if err != nil {
			t.Fatal(err)
		}
		_, err = Offline{Places: map[string]awsid.Place{"aws": awsid.In("eu-west-1")}}.Apply(doc)
		if wantErr == "" {
			if err != nil {
				t.Errorf("%s: %v", raw, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), wantErr) {
			t.Errorf("%s: %v, want %q", raw, err, wantErr)
		}
	}
}
