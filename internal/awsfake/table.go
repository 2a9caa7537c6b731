package awsfake

import (
	"strings"

	"github.com/tapstack/infra/internal/tfjson"
)

// Kind is what AWS decides for one resource type.
type Kind struct {
	// Service is the ARN's service ("elasticloadbalancing"); empty: the general rule
	// (the first word of the type, through the services table).
	Service string
	// ARN is the template of the ARN's resource part ("cluster/{{.Name}}"), or of the
	// whole ARN when FullARN. Empty: the general ARN.
	ARN     string
	FullARN bool
	// Global resources live in no region (IAM, Route 53): their ARN has no region, and a
	// provider moved to another region does not recreate them. NoRegion and NoAccount
	// leave the region or the account out of the ARN of a regional resource (S3).
	Global, NoRegion, NoAccount bool
	// NoARN: the type has no arn attribute (its ARN, when it has a template, is its id).
	NoARN bool
	// ID is the template of the id. Empty: the general id.
	ID string
	// Name is the attribute that holds the resource's name when it is none of the usual
	// ones (see Ctx.Name).
	Name string
	// Attrs are the fakes of other attributes AWS decides, by attribute name or dotted
	// path ("endpoint.address"): templates, JSON values holding templates, or a Copy.
	Attrs map[string]any
	// Defaults are AWS's defaults of attributes a configuration may set (optional and
	// computed): the value when it leaves them out. The mocks of the test harness do not
	// take them (a mock may not override a configured value).
	Defaults map[string]any
}

// ec2 is a kind whose id is an EC2-style prefix and 17 hex digits and whose ARN is
// ec2:<region>:<account>:<arnKind>/<id>.
func ec2(prefix, arnKind string) Kind {
	return Kind{Service: "ec2", ID: prefix + "-{{.Hex 17}}", ARN: arnKind + "/{{.ID}}"}
}

// noARN marks a kind whose type has no arn attribute.
func noARN(k Kind) Kind {
	k.NoARN = true
	return k
}

// byName is a kind whose id is its name attribute.
func byName(service, arn, nameAttr string) Kind {
	return Kind{Service: service, ARN: arn, ID: "{{.Need \"" + nameAttr + "\"}}", Name: nameAttr}
}

// withAttrs returns k with attrs.
func (k Kind) withAttrs(attrs map[string]any) Kind {
	k.Attrs = attrs
	return k
}

// withDefaults returns k with defaults.
func (k Kind) withDefaults(defaults map[string]any) Kind {
	k.Defaults = defaults
	return k
}

const lbListenerARN = `listener/{{or (.After "load_balancer_arn" ":loadbalancer/") (printf "app/%s/%s" .Unnamed (.Hex 16))}}/{{.Hex 16}}`

// resources is the table of resource types. Every entry has a row in TestKinds, which
// pins the id and ARN it gives.
var resources = map[string]Kind{
	// EC2 and VPC.
	"aws_vpc": ec2("vpc", "vpc"),
	"aws_subnet": ec2("subnet", "subnet").withDefaults(map[string]any{"availability_zone_id": `{{.RegionShort}}-az{{azNumber (.Need "availability_zone")}}`,
		"private_dns_hostname_type_on_launch": "ip-name"}),
	"aws_security_group":               ec2("sg", "security-group"),
	"aws_default_security_group":       ec2("sg", "security-group").withAttrs(map[string]any{"name": "default", "description": "default VPC security group"}),
	"aws_internet_gateway":             ec2("igw", "internet-gateway"),
	"aws_egress_only_internet_gateway": noARN(ec2("eigw", "egress-only-internet-gateway")),
	"aws_nat_gateway":                  noARN(ec2("nat", "natgateway")).withAttrs(map[string]any{"public_ip": "203.0.113.{{octet .Addr}}"}),
	"aws_eip": ec2("eipalloc", "elastic-ip").withAttrs(map[string]any{"allocation_id": "{{.ID}}", "public_ip": "203.0.113.{{octet .Addr}}",
		"public_dns": "ec2-203-0-113-1.{{.Region}}.compute.{{.DNS}}", "association_id": ""}).
		withDefaults(map[string]any{"network_border_group": "{{.Region}}", "public_ipv4_pool": "amazon", "domain": "vpc"}),
	"aws_route_table":                        ec2("rtb", "route-table"),
	"aws_default_route_table":                ec2("rtb", "route-table"),
	"aws_route_table_association":            {NoARN: true, Service: "ec2", ID: "rtbassoc-{{.Hex 17}}"},
	"aws_main_route_table_association":       {NoARN: true, Service: "ec2", ID: "rtbassoc-{{.Hex 17}}"},
	"aws_route":                              {NoARN: true, Service: "ec2", ID: `r-{{.Arg "route_table_id" ""}}{{.Digits 10}}`},
	"aws_vpc_endpoint":                       ec2("vpce", "vpc-endpoint"),
	"aws_vpc_endpoint_service":               ec2("vpce-svc", "vpc-endpoint-service"),
	"aws_flow_log":                           ec2("fl", "vpc-flow-log").withDefaults(map[string]any{"log_format": "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}"}),
	"aws_vpc_security_group_ingress_rule":    ec2("sgr", "security-group-rule").withAttrs(map[string]any{"security_group_rule_id": "{{.ID}}"}),
	"aws_vpc_security_group_egress_rule":     ec2("sgr", "security-group-rule").withAttrs(map[string]any{"security_group_rule_id": "{{.ID}}"}),
	"aws_security_group_rule":                {NoARN: true, Service: "ec2", ID: "sgrule-{{.Digits 10}}"},
	"aws_network_acl":                        ec2("acl", "network-acl"),
	"aws_default_network_acl":                ec2("acl", "network-acl"),
	"aws_network_acl_rule":                   {NoARN: true, Service: "ec2", ID: "nacl-{{.Digits 10}}"},
	"aws_network_interface":                  ec2("eni", "network-interface"),
	"aws_instance":                           ec2("i", "instance"),
	"aws_launch_template":                    ec2("lt", "launch-template"),
	"aws_ebs_volume":                         ec2("vol", "volume"),
	"aws_vpc_peering_connection":             noARN(ec2("pcx", "vpc-peering-connection")),
	"aws_customer_gateway":                   ec2("cgw", "customer-gateway"),
	"aws_vpn_gateway":                        ec2("vgw", "vpn-gateway"),
	"aws_vpn_connection":                     ec2("vpn", "vpn-connection"),
	"aws_ec2_transit_gateway":                ec2("tgw", "transit-gateway"),
	"aws_ec2_transit_gateway_vpc_attachment": ec2("tgw-attach", "transit-gateway-attachment"),
	"aws_vpc_dhcp_options":                   ec2("dopt", "dhcp-options"),
	"aws_ec2_managed_prefix_list":            ec2("pl", "prefix-list"),
	"aws_placement_group":                    ec2("pg", "placement-group"),
	"aws_key_pair":                           ec2("key", "key-pair"),
	"aws_vpc_ipv4_cidr_block_association":    {NoARN: true, Service: "ec2", ID: "vpc-cidr-assoc-{{.Hex 17}}"},
	"aws_ami":                                {Service: "ec2", ID: "ami-{{.Hex 17}}", ARN: "image/{{.ID}}", NoAccount: true},
	"aws_ec2_client_vpn_endpoint":            ec2("cvpn-endpoint", "client-vpn-endpoint"),

	// IAM (global).
	"aws_iam_role":                   {Service: "iam", Global: true, ARN: `role{{.Arg "path" "/"}}{{.Name}}`, ID: "{{.Name}}", Attrs: map[string]any{"unique_id": "AROA{{upper (.Hex 17)}}"}},
	"aws_iam_policy":                 {Service: "iam", Global: true, ARN: `policy{{.Arg "path" "/"}}{{.Name}}`, ID: "{{.ARN}}", Attrs: map[string]any{"policy_id": "ANPA{{upper (.Hex 17)}}"}},
	"aws_iam_user":                   {Service: "iam", Global: true, ARN: `user{{.Arg "path" "/"}}{{.Name}}`, ID: "{{.Name}}", Attrs: map[string]any{"unique_id": "AIDA{{upper (.Hex 17)}}"}},
	"aws_iam_group":                  {Service: "iam", Global: true, ARN: `group{{.Arg "path" "/"}}{{.Name}}`, ID: "{{.Name}}", Attrs: map[string]any{"unique_id": "AGPA{{upper (.Hex 17)}}"}},
	"aws_iam_instance_profile":       {Service: "iam", Global: true, ARN: `instance-profile{{.Arg "path" "/"}}{{.Name}}`, ID: "{{.Name}}", Attrs: map[string]any{"unique_id": "AIPA{{upper (.Hex 17)}}"}},
	"aws_iam_role_policy":            {NoARN: true, Service: "iam", Global: true, ID: `{{.Need "role"}}:{{.Need "name"}}`},
	"aws_iam_role_policy_attachment": {NoARN: true, Service: "iam", Global: true, ID: `{{.Need "role"}}-2024010100000000000000000{{.Hex 1}}`},

	// Elastic Load Balancing.
	"aws_lb": {Service: "elasticloadbalancing", ARN: `loadbalancer/{{lbKind (.Arg "load_balancer_type" "application")}}/{{.Name}}/{{.Hex 16}}`, ID: "{{.ARN}}", Attrs: map[string]any{
		"dns_name":   `{{if eq (.Arg "internal" "false") "true"}}internal-{{end}}{{.Name}}-{{.Digits 9}}.{{.Region}}.elb.{{.DNS}}`,
		"zone_id":    "{{.LBZone}}",
		"arn_suffix": `{{after .ARN ":loadbalancer/"}}`,
	}, Defaults: map[string]any{"ip_address_type": "ipv4"}},
	"aws_lb_target_group": {Service: "elasticloadbalancing", ARN: "targetgroup/{{.Name}}/{{.Hex 16}}", ID: "{{.ARN}}", Attrs: map[string]any{
		"arn_suffix": `{{afterLast .ARN ":"}}`,
	}, Defaults: map[string]any{"ip_address_type": "ipv4", "load_balancing_algorithm_type": "round_robin",
		"load_balancing_anomaly_mitigation": "off", "load_balancing_cross_zone_enabled": "use_load_balancer_configuration",
		"protocol_version": "HTTP1",
	}},
	"aws_lb_listener":      {Service: "elasticloadbalancing", ARN: lbListenerARN, ID: "{{.ARN}}", Attrs: map[string]any{"default_action.order": 1}},
	"aws_lb_listener_rule": {Service: "elasticloadbalancing", ARN: `listener-rule/{{or (.After "listener_arn" ":listener/") (printf "app/%s/%s/%s" .Unnamed (.Hex 16) (.Hex 16))}}/{{.Hex 16}}`, ID: "{{.ARN}}"},

	// Secrets, keys, parameters.
	"aws_secretsmanager_secret": {Service: "secretsmanager", ARN: "secret:{{.Name}}-{{.SecretSuffix}}", ID: "{{.ARN}}"},
	"aws_secretsmanager_secret_version": {Service: "secretsmanager", FullARN: true,
		ARN:   `{{$s := .Arg "secret_id" .Unnamed}}{{if hasPrefix $s "arn:"}}{{$s}}{{else}}arn:{{.Partition}}:secretsmanager:{{.Region}}:{{.Account}}:secret:{{$s}}-{{.SecretSuffix}}{{end}}`,
		ID:    `{{.Arg "secret_id" .Unnamed}}|{{.UUIDOf "version_id"}}`,
		Attrs: map[string]any{"version_id": `{{.UUIDOf "version_id"}}`}, Defaults: map[string]any{"version_stages": []any{"AWSCURRENT"}}},
	"aws_kms_key":       {Service: "kms", ARN: "key/{{.UUID}}", ID: "{{.UUID}}", Attrs: map[string]any{"key_id": "{{.ID}}"}},
	"aws_kms_alias":     {Service: "kms", ARN: "{{.Name}}", ID: "{{.Name}}", Attrs: map[string]any{"target_key_arn": `arn:{{.Partition}}:kms:{{.Region}}:{{.Account}}:key/{{.Arg "target_key_id" .UUID}}`}},
	"aws_ssm_parameter": {Service: "ssm", ARN: `parameter/{{trimPrefix .Name "/"}}`, ID: "{{.Name}}"},
	"aws_acm_certificate": {Service: "acm", ARN: "certificate/{{.UUID}}", ID: "{{.ARN}}", Attrs: map[string]any{
		"status": "ISSUED", "domain_validation_options.resource_record_name": `_{{.Hex 32}}.{{.Arg "domain_name" "example.com"}}.`}},

	// Compute and containers.
	"aws_ecs_cluster":                    {Service: "ecs", ARN: "cluster/{{.Name}}", ID: "{{.ARN}}"},
	"aws_ecs_service":                    {NoARN: true, Service: "ecs", ARN: `service/{{.Last "cluster" .Unnamed}}/{{.Name}}`, ID: "{{.ARN}}", Defaults: map[string]any{"iam_role": "/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS"}},
	"aws_ecs_task_definition":            {Service: "ecs", ARN: "task-definition/{{.Name}}:1", ID: "{{.Name}}", Attrs: map[string]any{"revision": 1, "arn_without_revision": `{{trimSuffix .ARN ":1"}}`}},
	"aws_ecs_capacity_provider":          {Service: "ecs", ARN: "capacity-provider/{{.Name}}", ID: "{{.Name}}"},
	"aws_ecs_cluster_capacity_providers": {NoARN: true, Service: "ecs", ID: `{{.Need "cluster_name"}}`},
	"aws_ecr_repository": byName("ecr", "repository/{{.Name}}", "name").withAttrs(map[string]any{
		"repository_url": "{{.Account}}.dkr.ecr.{{.Region}}.{{.DNS}}/{{.Name}}", "registry_id": "{{.Account}}"}),
	"aws_lambda_function": byName("lambda", "function:{{.Name}}", "function_name").withAttrs(map[string]any{
		"qualified_arn": "{{.ARN}}:$LATEST", "invoke_arn": "arn:{{.Partition}}:apigateway:{{.Region}}:lambda:path/2015-03-31/functions/{{.ARN}}/invocations", "version": "$LATEST"}),
	"aws_appautoscaling_target": {Service: "application-autoscaling", ARN: "scalable-target/{{.Hex 36}}", ID: `{{.Need "resource_id"}}`},
	"aws_appautoscaling_policy": {Service: "autoscaling", ARN: `scalingPolicy:{{.UUID}}:resource/{{.Arg "resource_id" .Unnamed}}:policyName/{{.Name}}`, ID: "{{.Name}}"},

	// Logs and monitoring.
	"aws_cloudwatch_log_group":    byName("logs", "log-group:{{.Name}}", "name").withDefaults(map[string]any{"log_group_class": "STANDARD"}),
	"aws_cloudwatch_metric_alarm": byName("cloudwatch", "alarm:{{.Name}}", "alarm_name"),
	"aws_cloudwatch_event_rule":   byName("events", "rule/{{.Name}}", "name"),
	"aws_cloudwatch_dashboard":    {NoARN: true, Service: "cloudwatch", Global: true, ARN: "dashboard/{{.Name}}", ID: `{{.Need "dashboard_name"}}`, Name: "dashboard_name"},
	"aws_sfn_state_machine":       {Service: "states", ARN: "stateMachine:{{.Name}}", ID: "{{.ARN}}"},

	// Caches and databases.
	"aws_elasticache_serverless_cache": byName("elasticache", "serverlesscache:{{.Name}}", "name").withAttrs(map[string]any{
		"endpoint":                []any{map[string]any{"address": "{{.Name}}.serverless.{{.RegionShort}}.cache.{{.DNS}}", "port": 6379}},
		"reader_endpoint":         []any{map[string]any{"address": "{{.Name}}-ro.serverless.{{.RegionShort}}.cache.{{.DNS}}", "port": 6380}},
		"endpoint.address":        "{{.Name}}.serverless.{{.RegionShort}}.cache.{{.DNS}}",
		"reader_endpoint.address": "{{.Name}}-ro.serverless.{{.RegionShort}}.cache.{{.DNS}}",
		"status":                  "available",
		"full_engine_version":     `{{.Need "major_engine_version"}}.1`,
	}),
	"aws_elasticache_replication_group": byName("elasticache", "replicationgroup:{{.Name}}", "replication_group_id").withAttrs(map[string]any{
		"primary_endpoint_address": "master.{{.Name}}.{{.Hex 6}}.{{.RegionShort}}.cache.{{.DNS}}",
		"reader_endpoint_address":  "replica.{{.Name}}.{{.Hex 6}}.{{.RegionShort}}.cache.{{.DNS}}"}),
	"aws_elasticache_subnet_group": byName("elasticache", "subnetgroup:{{.Name}}", "name"),
	"aws_db_instance": {Service: "rds", ARN: "db:{{.Name}}", ID: "db-{{upper (.Hex 26)}}", Attrs: map[string]any{
		"address": "{{.Name}}.{{.Hex 12}}.{{.Region}}.rds.{{.DNS}}", "resource_id": "db-{{upper (.Hex 26)}}"}},
	"aws_rds_cluster": byName("rds", "cluster:{{.Name}}", "cluster_identifier").withAttrs(map[string]any{
		"endpoint": "{{.Name}}.cluster-{{.Hex 12}}.{{.Region}}.rds.{{.DNS}}", "reader_endpoint": "{{.Name}}.cluster-ro-{{.Hex 12}}.{{.Region}}.rds.{{.DNS}}",
		"cluster_resource_id": "cluster-{{upper (.Hex 26)}}"}),
	"aws_db_subnet_group": byName("rds", "subgrp:{{.Name}}", "name"),
	"aws_dynamodb_table":  byName("dynamodb", "table/{{.Name}}", "name"),

	// Storage, messaging, DNS.
	"aws_s3_bucket": {Service: "s3", NoRegion: true, NoAccount: true, ARN: "{{.Name}}", ID: `{{.Need "bucket"}}`, Name: "bucket", Attrs: map[string]any{
		"bucket_domain_name": "{{.Name}}.s3.{{.DNS}}", "bucket_regional_domain_name": "{{.Name}}.s3.{{.Region}}.{{.DNS}}", "region": "{{.Region}}"}},
	"aws_s3_bucket_policy":                               {NoARN: true, Service: "s3", ID: `{{.Need "bucket"}}`},
	"aws_s3_bucket_versioning":                           {NoARN: true, Service: "s3", ID: `{{.Need "bucket"}}`},
	"aws_s3_bucket_public_access_block":                  {NoARN: true, Service: "s3", ID: `{{.Need "bucket"}}`},
	"aws_s3_bucket_server_side_encryption_configuration": {NoARN: true, Service: "s3", ID: `{{.Need "bucket"}}`},
	"aws_s3_bucket_lifecycle_configuration":              {NoARN: true, Service: "s3", ID: `{{.Need "bucket"}}`},
	"aws_s3_bucket_ownership_controls":                   {NoARN: true, Service: "s3", ID: `{{.Need "bucket"}}`},
	"aws_efs_file_system":                                {Service: "elasticfilesystem", ARN: "file-system/{{.ID}}", ID: "fs-{{.Hex 17}}", Attrs: map[string]any{"dns_name": "{{.ID}}.efs.{{.Region}}.{{.DNS}}"}},
	"aws_sns_topic":                                      {Service: "sns", ARN: "{{.Name}}", ID: "{{.ARN}}"},
	"aws_sqs_queue":                                      {Service: "sqs", ARN: "{{.Name}}", ID: "https://sqs.{{.Region}}.{{.DNS}}/{{.Account}}/{{.Name}}", Attrs: map[string]any{"url": "{{.ID}}"}},
	"aws_sqs_queue_policy":                               {NoARN: true, Service: "sqs", ID: `{{.Need "queue_url"}}`},
	"aws_route53_zone": {Service: "route53", Global: true, NoAccount: true, ARN: "hostedzone/{{.ID}}", ID: "Z{{upper (.Hex 20)}}", Attrs: map[string]any{
		"zone_id": "{{.ID}}", "name_servers": []any{"ns-1.awsdns-01.org", "ns-2.awsdns-02.co.uk", "ns-3.awsdns-03.com", "ns-4.awsdns-04.net"}}},
	"aws_cognito_user_pool": {Service: "cognito-idp", ARN: "userpool/{{.ID}}", ID: "{{.Region}}_{{.Hex 9}}", Attrs: map[string]any{"endpoint": "cognito-idp.{{.Region}}.{{.DNS}}/{{.ID}}"}},

	// Built in.
	"terraform_data": {ID: "{{.UUID}}", Attrs: map[string]any{"output": Copy{Attr: "input"}}},
}

// services maps the first word of a resource type to its ARN service, where they
// differ (the general ARN).
var services = map[string]string{"lb": "elasticloadbalancing", "alb": "elasticloadbalancing", "elb": "elasticloadbalancing",
	"appautoscaling": "application-autoscaling", "sfn": "states", "db": "rds", "vpc": "ec2",
	"security": "ec2", "route": "ec2", "subnet": "ec2", "eip": "ec2", "nat": "ec2", "internet": "ec2", "flow": "ec2",
	"default": "ec2", "network": "ec2", "instance": "ec2", "launch": "ec2", "ebs": "ec2", "ami": "ec2", "key": "ec2",
	"cognito": "cognito-idp", "efs": "elasticfilesystem"}

// globalServices are the services whose resources live in no region (the general rule
// for types without an entry).
var globalServices = map[string]bool{"iam": true, "route53": true, "cloudfront": true, "organizations": true,
	"globalaccelerator": true, "shield": true, "budgets": true, "ce": true, "account": true, "waf": true}

// Service returns the ARN service of a resource type.
func Service(typ string) string {
	if k, ok := resources[typ]; ok && k.Service != "" {
		return k.Service
	}
	first := strings.SplitN(strings.TrimPrefix(typ, "aws_"), "_", 2)[0]
	if s, ok := services[first]; ok {
		return s
	}
	return first
}

// Global tells whether resources of an AWS type live in no region: a provider moved
// to another region manages the same objects.
func Global(typ string) bool {
	if k, ok := resources[typ]; ok {
		return k.Global
	}
	return globalServices[strings.SplitN(strings.TrimPrefix(typ, "aws_"), "_", 2)[0]]
}

// KindOf returns the table entry of a resource type.
func KindOf(typ string) (Kind, bool) {
	k, ok := resources[typ]
	return k, ok
}

// FakedAttrs returns the attributes AWS decides that the table fakes for a resource
// type: id, arn (unless the type has none) and the entry's Attrs (dotted paths for
// nested ones), sorted; DefaultAttrs returns the entry's Defaults.
func FakedAttrs(typ string) []string {
	k := resources[typ]
	out := []string{"id"}
	if !k.NoARN {
		out = append(out, "arn")
	}
	out = append(out, tfjson.SortedKeys(k.Attrs)...)
	return out
}

// DefaultAttrs returns the attributes of a resource type whose AWS default the table
// gives, sorted.
func DefaultAttrs(typ string) []string { return tfjson.SortedKeys(resources[typ].Defaults) }

// Types returns the resource types of the table, sorted.
func Types() []string { return tfjson.SortedKeys(resources) }

func arnTemplate(typ string) string {
	k, known := resources[typ]
	res := k.ARN
	if known && k.FullARN {
		return res
	}
	if res == "" {
		first, kind, _ := strings.Cut(strings.TrimPrefix(typ, "aws_"), "_")
		if kind == "" {
			kind = first
		}
		res = strings.ReplaceAll(kind, "_", "-") + "/{{.Name}}"
	}
	region, account := "{{.Region}}", "{{.Account}}"
	if k.Global || k.NoRegion {
		region = ""
	}
	if k.NoAccount {
		account = ""
	}
	return "arn:{{.Partition}}:" + Service(typ) + ":" + region + ":" + account + ":" + res
}

func idTemplate(typ string) string {
	if k, ok := resources[typ]; ok && k.ID != "" {
		return k.ID
	}
	return strings.TrimPrefix(typ, "aws_") + "-{{.Hex 17}}"
}

// generalFakes are the fakes of attributes by name, for every type (after the type's
// own entry).
var generalFakes = map[string]any{
	"name":                      `{{.Need "name_prefix"}}20240101000000000000000001`,
	"owner_id":                  "{{.Account}}",
	"owner_account_id":          "{{.Account}}",
	"tags_all":                  Copy{Attr: "tags", Else: map[string]any{}},
	"main_route_table_id":       `rtb-{{.HexOf "main_route_table_id" 17}}`,
	"default_route_table_id":    `rtb-{{.HexOf "default_route_table_id" 17}}`,
	"default_network_acl_id":    "acl-{{.Hex 17}}",
	"default_security_group_id": `sg-{{.HexOf "default" 17}}`,
	"dhcp_options_id":           "dopt-{{.Hex 17}}",
	"network_interface_id":      "eni-{{.Hex 17}}",
	"association_id":            "eipassoc-{{.Hex 17}}",
	"private_ip":                `10.0.{{octet .Addr}}.{{octet (printf "%s/ip" .Addr)}}`,
}

// timestamps are attribute names that hold a creation or update time.
var timestamps = []string{"create_date", "created_date", "creation_date", "create_time", "created_time", "created_at",
	"last_modified", "last_modified_date", "last_updated_date", "updated_at"}

func generalFake(path []string) any {
	if len(path) != 1 {
		return nil
	}
	attr := path[0]
	if v, ok := generalFakes[attr]; ok {
		return v
	}
	for _, t := range timestamps {
		if attr == t {
			return "2024-01-01T00:00:00Z"
		}
	}
	if kind, ok := strings.CutSuffix(attr, "_arn"); ok {
		return "arn:{{.Partition}}:{{service .Type}}:{{.Region}}:{{.Account}}:" + strings.ReplaceAll(kind, "_", "-") + `/{{.HexOf "` + attr + `" 16}}`
	}
	return nil
}

// lbZones are the canonical hosted zones of application load balancers by region.
var lbZones = map[string]string{
	"us-east-1": "Z35SXDOTRQ7X7K", "us-east-2": "Z3AADJGX6KTTL2", "us-west-1": "Z368ELLRRE2KJ0",
	"us-west-2": "Z1H1FL5HABSF5", "ca-central-1": "ZQSVJUPU6J1EY", "eu-west-1": "Z32O12XQLNTSW2",
	"eu-west-2": "ZHURV8PSTC4K8", "eu-west-3": "Z3Q77PNBQS71R4", "eu-central-1": "Z215JYRZR1TBD5",
	"eu-north-1": "Z23TAZ7KA2PBF", "ap-southeast-1": "Z1LMS91P8CMLE5", "ap-southeast-2": "Z1GM3OXH4ZPM65",
	"ap-northeast-1": "Z14GRHDCWA56QT", "ap-south-1": "ZP97RAFLXTNZK", "sa-east-1": "Z2P70J7HTTTPLU",
}
