package verify

import (
	"archive/zip"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Tests that need no engine.

func TestScanTemplate(t *testing.T) {
	tests := []struct {
		in    string
		refs  []string
		whole bool
		pure  bool
	}{
		{in: "plain text", pure: true},
		{in: "escaped $${aws_vpc.x.id} and %%{if}", pure: true},
		{in: "${aws_vpc.x.id}", refs: []string{"aws_vpc.x.id"}, whole: true, pure: true},
		{in: "${ aws_vpc.x.id }", refs: []string{"aws_vpc.x.id"}, whole: true, pure: true},
		{in: "arn:${data.aws_partition.p.partition}:iam::aws:x", refs: []string{"data.aws_partition.p.partition"}, pure: true},
		{in: "${aws_x.c.endpoint[0].address}:${aws_x.c.endpoint[0].port}", refs: []string{"aws_x.c.endpoint[0].address", "aws_x.c.endpoint[0].port"}, pure: true},
		{in: `${element(data.aws_availability_zones.z.names, 0)}`, refs: []string{"element", "data.aws_availability_zones.z.names"}},
		{in: `${jsonencode({"password" = data.r.p.random_password, "u" = "lms"})}`, refs: []string{"jsonencode", "data.r.p.random_password"}},
		{in: `${format("%s-${aws_a.b.id}", "x")}`, refs: []string{"format", "aws_a.b.id"}},
		{in: `${aws_a.b[*].id}`, refs: []string{"aws_a.b[*].id"}, whole: true, pure: true},
		{in: `${aws_a.b.*.id}`, refs: []string{"aws_a.b[*].id"}, whole: true, pure: true},
		{in: `${aws_a.b["k"].id}`, refs: []string{`aws_a.b["k"].id`}, whole: true, pure: true},
		{in: `${aws_a.b.0.id}`, refs: []string{`aws_a.b[0].id`}, whole: true, pure: true},
		{in: `${aws_a.b[count.index].id}`, refs: []string{"aws_a.b", "count.index"}},
		{in: `${f(x).name}`, refs: []string{"f", "x"}},
		{in: `${[for s in aws_s.x : s.id]}`, refs: []string{"for", "s", "in", "aws_s.x", "s.id"}},
		{in: `${1.5 + aws_a.b.n} # ok`, refs: []string{"aws_a.b.n"}},
		{in: "${a.b # comment }\n}", refs: []string{"a.b"}},
		{in: "${a.b /* c } */}", refs: []string{"a.b"}},
		{in: `%{ if aws_a.b.x }y%{ endif }`, refs: []string{"if", "aws_a.b.x", "endif"}},
		{in: `${"q\"uoted"}`},
	}
	for _, tt := range tests {
		refs, spans, err := scanTemplate(tt.in)
		if err != nil {
			t.Errorf("%q: %v", tt.in, err)
			continue
		}
		var got []string
		whole := false
		for _, r := range refs {
			got = append(got, renderParts(r.parts))
			whole = whole || r.whole
			if r.whole && tt.in[r.start:r.end] != strings.TrimSpace(tt.in[2:len(tt.in)-1]) {
				t.Errorf("%q: span %q", tt.in, tt.in[r.start:r.end])
			}
		}
		if diff := cmp.Diff(tt.refs, got); diff != "" {
			t.Errorf("%q refs (-want +got):\n%s", tt.in, diff)
		}
		if whole != tt.whole {
			t.Errorf("%q whole = %v", tt.in, whole)
		}
		if p := pureTemplate(tt.in, refs, spans); p != tt.pure {
			t.Errorf("%q pure = %v", tt.in, p)
		}
	}
	for _, bad := range []string{"${a.b", `${"x}`, "${a /* x"} {
		if _, _, err := scanTemplate(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestLiterals(t *testing.T) {
	v := map[string]any{"s": "a\"b\\c\n${x}%{y}", "n": json.Number("6379"), "b": true, "z": nil,
		"l": []any{1, 2.5, "x"}, "d": dynamicValue{Type: json.RawMessage(`"string"`), Value: "v"}}
	got, err := hclLiteral(v)
	want := `{"b" = true, "d" = "v", "l" = [1, 2.5, "x"], "n" = 6379, "s" = "a\"b\\c\n$${x}%%{y}", "z" = null}`
	if err != nil || got != want {
		t.Errorf("hclLiteral = %s, %v\nwant %s", got, err, want)
	}
	if _, err := hclLiteral(unknown); err == nil {
		t.Error("hclLiteral(unknown): no error")
	}
	if _, err := hclLiteral([]any{unknown}); err == nil {
		t.Error("hclLiteral([unknown]): no error")
	}
	if _, err := hclLiteral(map[string]any{"x": unknown}); err == nil {
		t.Error("hclLiteral({x: unknown}): no error")
	}
	lit := jsonLiteral(map[string]any{"${k}": []any{"${v}", dynamicValue{Value: "%{d}"}, 1}})
	if diff := cmp.Diff(map[string]any{"$${k}": []any{"$${v}", "%%{d}", 1}}, lit); diff != "" {
		t.Errorf("jsonLiteral (-want +got):\n%s", diff)
	}
	if unescapeTemplate("$${a}%%{b}") != "${a}%{b}" {
		t.Error("unescapeTemplate")
	}
}

func TestWiden(t *testing.T) {
	for in, want := range map[string]string{"5.84.0": ">= 5.84.0, < 6.0.0", "= 4.1.2": ">= 4.1.2, < 5.0.0",
		"~> 5.0": "~> 5.0", ">= 5.0": ">= 5.0"} {
		if got := widen(in); got != want {
			t.Errorf("widen(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPrepare(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "examples", "tapstack", "testdata", "s3-backend.golden.json"))
	if err != nil {
		t.Fatal(err)
	}
	st, err := prepare(raw, Options{DataSources: map[string]map[string]any{
		"data.aws_secretsmanager_random_password.Service_DBPassword_3E91DC8D": {"random_password": "from-options"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	tf := st.doc["terraform"].(map[string]any)
	if _, ok := tf["backend"]; ok {
		t.Error("the backend is still there")
	}
	wantOverride := map[string]any{
		"terraform": map[string]any{"required_providers": map[string]any{"aws": map[string]any{"source": awsSource, "version": ">= 5.100.0, < 6.0.0"}}},
		"provider":  map[string]any{"aws": []any{offlineProvider()}},
	}
	if diff := cmp.Diff(wantOverride, st.override); diff != "" {
		t.Errorf("override (-want +got):\n%s", diff)
	}
	if st.region != "ca-central-1" || st.partition != "aws" || fmt.Sprint(st.providers) != "["+awsSource+"]" {
		t.Errorf("region %s partition %s providers %v", st.region, st.partition, st.providers)
	}
	data := st.doc["data"].(map[string]any)
	if _, ok := data["aws_availability_zones"]; ok {
		t.Error("aws_availability_zones is still a data source")
	}
	if _, ok := data["aws_region"]; !ok {
		t.Error("aws_region, which calls nothing, was replaced")
	}
	locals := st.doc["locals"].(map[string]any)
	azs := locals["verify_aws_availability_zones_Network_AvailabilityZones_E029EBAA"].(map[string]any)
	if diff := cmp.Diff([]any{"ca-central-1a", "ca-central-1b", "ca-central-1c"}, azs["names"]); diff != "" {
		t.Errorf("AZ names (-want +got):\n%s", diff)
	}
	if got := locals["verify_aws_secretsmanager_random_password_Service_DBPassword_3E91DC8D"]; fmt.Sprint(got) != "map[random_password:from-options]" {
		t.Errorf("the fake of Options.DataSources is not used: %v", got)
	}
	subnet := st.resources["aws_subnet.Network_PrivateSubnet1_E8491189"].body
	if got := subnet["availability_zone"]; got != "${element(local.verify_aws_availability_zones_Network_AvailabilityZones_E029EBAA.names, 1)}" {
		t.Errorf("availability_zone = %v", got)
	}
	secret := st.resources["aws_secretsmanager_secret_version.Service_DBSecretVersion_EEDF8B45"].body
	if got := secret["secret_string"]; !strings.Contains(got.(string), "local.verify_aws_secretsmanager_random_password_Service_DBPassword_3E91DC8D.random_password") {
		t.Errorf("secret_string = %v", got)
	}

	// A hand-written stack: one provider object with credentials, an alias, modules.
	st, err = prepare([]byte(`{
	  "provider": {"aws": [{"region": "cn-north-1", "profile": "prod", "assume_role": [{"role_arn": "x"}]}, {"alias": "gov", "region": "us-gov-west-1"}]},
	  "data": {"aws_caller_identity": {"me": {}}, "aws_vpc": {"existing": {"id": "vpc-0123"}}},
	  "resource": {"aws_s3_bucket": {"b": {"bucket": "${data.aws_caller_identity.me.account_id}-logs", "depends_on": ["data.aws_caller_identity.me", "aws_vpc.v"]}},
	               "aws_vpc": {"v": {"cidr_block": "${data.aws_vpc.existing.cidr_block}"}}},
	  "output": {"vpc": {"value": "${data.aws_vpc.existing.id}", "depends_on": ["data.aws_vpc.existing"]}}
	}`), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if st.region != "cn-north-1" || st.partition != "aws-cn" {
		t.Errorf("region %s partition %s", st.region, st.partition)
	}
	p := st.doc["provider"].(map[string]any)["aws"].([]any)[0].(map[string]any)
	if _, ok := p["profile"]; ok {
		t.Error("profile kept")
	}
	if _, ok := p["assume_role"]; ok {
		t.Error("assume_role kept")
	}
	if got := st.override["provider"].(map[string]any)["aws"].([]any)[1].(map[string]any)["alias"]; got != "gov" {
		t.Errorf("alias of the second override = %v", got)
	}
	b := st.resources["aws_s3_bucket.b"].body
	if b["bucket"] != "${local.verify_aws_caller_identity_me.account_id}-logs" || fmt.Sprint(b["depends_on"]) != "[aws_vpc.v]" {
		t.Errorf("bucket %v depends_on %v", b["bucket"], b["depends_on"])
	}
	out := st.doc["output"].(map[string]any)["vpc"].(map[string]any)
	if _, ok := out["depends_on"]; ok || out["value"] != "${local.verify_aws_vpc_existing.id}" {
		t.Errorf("output %v", out)
	}
	if _, ok := st.doc["data"]; ok {
		t.Error("an empty data section is left")
	}
	if got := st.doc["locals"].(map[string]any)["verify_aws_vpc_existing"].(map[string]any)["id"]; got != "vpc-0123" {
		t.Errorf("the existing VPC's id = %v", got)
	}

	// No provider block at all: one is added; no aws at all: no override.
	st, err = prepare([]byte(`{"resource": {"aws_vpc": {"v": {"cidr_block": "10.0.0.0/16"}}}}`), Options{})
	if err != nil || st.region != "us-east-1" || st.doc["provider"] == nil {
		t.Errorf("no provider block: %v %v", err, st)
	}
	st, err = prepare([]byte(`{"terraform": {"required_providers": {"random": {"source": "hashicorp/random"}}}, "resource": {"terraform_data": {"x": {}}}}`), Options{})
	if err != nil || len(st.override) != 0 || fmt.Sprint(st.providers) != "[hashicorp/random]" {
		t.Errorf("no aws: %v %v %v", err, st.override, st.providers)
	}

	for stack, want := range map[string]string{
		`[]`:                                  "not Terraform JSON",
		`null`:                                "not a JSON object",
		`{"module": {"m": {}}}`:               "modules",
		`{"resource": {"aws_vpc": {"v": 1}}}`: "aws_vpc.v is not an object",
		`{"locals": {"verify_aws_caller_identity_me": 1}, "data": {"aws_caller_identity": {"me": {}}}}`:              "already has a local",
		`{"data": {"aws_caller_identity": {"me": {}}}, "output": {"x": {"value": "${data.aws_caller_identity.me"}}}`: "unterminated",
	} {
		if _, err := prepare([]byte(stack), Options{}); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("prepare(%s) = %v, want %q", stack, err, want)
		}
	}
}

func TestDataFakes(t *testing.T) {
	for typ, fake := range builtinDataFakes {
		v := fake("eu-west-1", "aws", "data."+typ+".x", map[string]any{})
		if len(v) == 0 {
			t.Errorf("%s: empty fake", typ)
		}
		raw, _ := json.Marshal(v)
		if strings.Contains(string(raw), "${") {
			t.Errorf("%s: a fake holds an interpolation: %s", typ, raw)
		}
		if arn, ok := v["arn"].(string); ok && !arnShape.MatchString(arn) {
			t.Errorf("%s: ARN %q", typ, arn)
		}
	}
	pw := fakePassword("data.x.y", map[string]any{"password_length": json.Number("40"), "exclude_characters": "\"'@/\\ ", "exclude_punctuation": true})
	if len(pw) != 40 || strings.ContainsAny(pw, "\"'@/\\ !#%&*+-=?^_~") || pw != fakePassword("data.x.y", map[string]any{"password_length": json.Number("40"), "exclude_characters": "\"'@/\\ ", "exclude_punctuation": true}) {
		t.Errorf("password %q", pw)
	}
	if got := fakePassword("a", map[string]any{"exclude_characters": "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#%&*+-=?^_~"}); got != strings.Repeat("x", 32) {
		t.Errorf("password with every character excluded: %q", got)
	}
	if regionShort("ca-central-1") != "cac1" || regionShort("local") != "az" {
		t.Error("regionShort")
	}
	for region, want := range map[string]string{"cn-north-1": "aws-cn", "us-gov-east-1": "aws-us-gov", "us-iso-east-1": "aws-iso", "us-isob-east-1": "aws-iso-b", "eu-west-1": "aws"} {
		if got := partitionOf(region); got != want {
			t.Errorf("partitionOf(%s) = %s", region, got)
		}
	}
}

var arnShape = regexp.MustCompile(`^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12})?:[^\s]+$`)

func TestFakes(t *testing.T) {
	ctx := func(typ string, attrs map[string]any) fakeCtx {
		return fakeCtx{typ: typ, addr: typ + ".x", region: "ca-central-1", partition: "aws",
			get: func(a string) (any, bool) { v, ok := attrs[a]; return v, ok }}
	}
	str := func(typ, attr string, attrs map[string]any) string {
		v, ok := fakeValue(ctx(typ, attrs), []string{attr}, &ctyType{kind: "string"})
		if !ok {
			t.Fatalf("%s.%s: no fake", typ, attr)
		}
		return v.(string)
	}
	arns := map[string]string{
		"aws_iam_role":                     `^arn:aws:iam::123456789012:role/r$`,
		"aws_iam_policy":                   `^arn:aws:iam::123456789012:policy/r$`,
		"aws_lb":                           `^arn:aws:elasticloadbalancing:ca-central-1:123456789012:loadbalancer/app/r/[0-9a-f]{16}$`,
		"aws_lb_target_group":              `^arn:aws:elasticloadbalancing:ca-central-1:123456789012:targetgroup/r/[0-9a-f]{16}$`,
		"aws_lb_listener":                  `^arn:aws:elasticloadbalancing:ca-central-1:123456789012:listener/app/lb/0123456789abcdef/[0-9a-f]{16}$`,
		"aws_secretsmanager_secret":        `^arn:aws:secretsmanager:ca-central-1:123456789012:secret:r-[A-Za-z]{6}$`,
		"aws_ecs_cluster":                  `^arn:aws:ecs:ca-central-1:123456789012:cluster/r$`,
		"aws_ecs_service":                  `^arn:aws:ecs:ca-central-1:123456789012:service/c/r$`,
		"aws_ecs_task_definition":          `^arn:aws:ecs:ca-central-1:123456789012:task-definition/r:1$`,
		"aws_cloudwatch_log_group":         `^arn:aws:logs:ca-central-1:123456789012:log-group:r$`,
		"aws_elasticache_serverless_cache": `^arn:aws:elasticache:ca-central-1:123456789012:serverlesscache:r$`,
		"aws_kms_key":                      `^arn:aws:kms:ca-central-1:123456789012:key/[0-9a-f-]{36}$`,
		"aws_appautoscaling_target":        `^arn:aws:application-autoscaling:ca-central-1:123456789012:scalable-target/[0-9a-f]+$`,
		"aws_s3_bucket":                    `^arn:aws:s3:::r$`,
		"aws_vpc":                          `^arn:aws:ec2:ca-central-1:123456789012:vpc/vpc-[0-9a-f]{17}$`,
		"aws_security_group":               `^arn:aws:ec2:ca-central-1:123456789012:security-group/sg-[0-9a-f]{17}$`,
		"aws_flow_log":                     `^arn:aws:ec2:ca-central-1:123456789012:vpc-flow-log/fl-[0-9a-f]{17}$`,
		"aws_foo_bar_baz":                  `^arn:aws:foo:ca-central-1:123456789012:bar-baz/r$`,
	}
	for _, typ := range []string{"aws_iam_user", "aws_iam_instance_profile", "aws_lb_listener_rule", "aws_secretsmanager_secret_version",
		"aws_ecs_capacity_provider", "aws_elasticache_replication_group", "aws_elasticache_subnet_group", "aws_kms_alias",
		"aws_appautoscaling_policy", "aws_sns_topic", "aws_sqs_queue", "aws_lambda_function", "aws_ecr_repository", "aws_dynamodb_table",
		"aws_ssm_parameter", "aws_db_instance", "aws_rds_cluster", "aws_db_subnet_group", "aws_acm_certificate", "aws_cloudwatch_metric_alarm",
		"aws_cloudwatch_event_rule", "aws_sfn_state_machine", "aws_subnet", "aws_internet_gateway", "aws_route_table",
		"aws_eip", "aws_vpc_endpoint", "aws_vpc_security_group_ingress_rule", "aws_network_acl", "aws_nat_gateway", "aws_network_interface",
		"aws_instance", "aws_key_pair"} {
		arns[typ] = `^arn:aws:`
	}
	attrs := map[string]any{"name": "r", "family": "r", "bucket": "r", "cluster": "arn:aws:ecs:ca-central-1:123456789012:cluster/c",
		"load_balancer_arn": "arn:aws:elasticloadbalancing:ca-central-1:123456789012:loadbalancer/app/lb/0123456789abcdef",
		"resource_id":       "service/c/s", "secret_id": "s"}
	for typ, re := range arns {
		if got := str(typ, "arn", attrs); !regexp.MustCompile(re).MatchString(got) || !arnShape.MatchString(got) && typ != "aws_s3_bucket" && typ != "aws_route53_zone" {
			t.Errorf("%s arn = %s, want %s", typ, got, re)
		}
	}
	ids := map[string]string{"aws_vpc": `^vpc-[0-9a-f]{17}$`, "aws_subnet": `^subnet-`, "aws_security_group": `^sg-`, "aws_internet_gateway": `^igw-`,
		"aws_nat_gateway": `^nat-`, "aws_eip": `^eipalloc-`, "aws_route_table": `^rtb-`, "aws_route_table_association": `^rtbassoc-`,
		"aws_vpc_endpoint": `^vpce-`, "aws_flow_log": `^fl-`, "aws_vpc_security_group_egress_rule": `^sgr-`,
		"aws_iam_role": `^r$`, "aws_lb": `^arn:aws:elasticloadbalancing:`, "terraform_data": `^[0-9a-f-]{36}$`, "aws_kms_key": `^[0-9a-f-]{36}$`,
		"aws_iam_role_policy": `^role:r$`, "aws_iam_role_policy_attachment": `^role-2024`, "aws_secretsmanager_secret_version": `^s\|`,
		"aws_route": `^r-rtb-1`, "aws_sqs_queue": `^https://sqs.ca-central-1.amazonaws.com/123456789012/r$`, "aws_db_instance": `^db-[0-9A-F]{26}$`,
		"aws_something_else": `^something_else-[0-9a-f]{17}$`}
	idAttrs := map[string]any{"name": "r", "role": "role", "secret_id": "s", "route_table_id": "rtb-1", "destination_cidr_block": "0.0.0.0/0", "identifier": "r"}
	for typ, re := range ids {
		if got := str(typ, "id", idAttrs); !regexp.MustCompile(re).MatchString(got) {
			t.Errorf("%s id = %s, want %s", typ, got, re)
		}
	}
	if got := str("aws_db_instance", "id", map[string]any{}); !strings.HasPrefix(got, "db-") {
		t.Errorf("aws_db_instance id without identifier = %s", got)
	}

	lb := map[string]any{"name": "alb", "internal": true, "load_balancer_type": "network",
		"arn": "arn:aws:elasticloadbalancing:ca-central-1:123456789012:loadbalancer/net/alb/0123456789abcdef"}
	for attr, re := range map[string]string{"dns_name": `^internal-alb-\d+\.ca-central-1\.elb\.amazonaws\.com$`, "zone_id": `^ZQSVJUPU6J1EY$`,
		"arn_suffix": `^net/alb/0123456789abcdef$`, "arn": `loadbalancer/net/alb/`, "owner_id": `^123456789012$`, "create_date": `^2024-`,
		"main_route_table_id": `^rtb-`, "default_network_acl_id": `^acl-`, "default_security_group_id": `^sg-`, "dhcp_options_id": `^dopt-`,
		"network_interface_id": `^eni-`, "association_id": `^eipassoc-`, "private_ip": `^10\.0\.`, "listener_arn": `^arn:aws:elasticloadbalancing:ca-central-1:123456789012:listener/`,
		"ip_address_type": `^ipv4$`} {
		if got := str("aws_lb", attr, lb); !regexp.MustCompile(re).MatchString(got) {
			t.Errorf("aws_lb.%s = %s, want %s", attr, got, re)
		}
	}
	if got := str("aws_route53_zone", "arn", map[string]any{"id": "Z123"}); got != "arn:aws:route53:::hostedzone/Z123" {
		t.Errorf("hosted zone ARN %s", got)
	}
	other := ctx("aws_lb", nil)
	other.region = "mars-north-1"
	if v, _ := fakeValue(other, []string{"zone_id"}, nil); !strings.HasPrefix(v.(string), "Z") {
		t.Errorf("zone of an unknown region: %v", v)
	}
	cache := ctx("aws_elasticache_serverless_cache", map[string]any{"name": "redis", "major_engine_version": "7"})
	ep, _ := fakeValue(cache, []string{"reader_endpoint"}, nil)
	if got := fmt.Sprint(ep); !regexp.MustCompile(`^\[map\[address:redis-ro-[0-9a-f]{6}\.serverless\.cac1\.cache\.amazonaws\.com port:6380\]\]$`).MatchString(got) {
		t.Errorf("reader endpoint %s", got)
	}
	if v, _ := fakeValue(cache, []string{"endpoint", "address"}, nil); !strings.HasPrefix(v.(string), "redis-") {
		t.Errorf("endpoint address %v", v)
	}
	if v, _ := fakeValue(cache, []string{"full_engine_version"}, nil); v != "7.1" {
		t.Errorf("full_engine_version %v", v)
	}
	if v, _ := fakeValue(ctx("aws_lb_listener", nil), []string{"default_action", "order"}, &ctyType{kind: "number"}); v != json.Number("1") {
		t.Errorf("default_action.order %v", v)
	}
	if _, ok := fakeValue(ctx("aws_x", nil), []string{"block", "thing"}, nil); ok {
		t.Error("a nested attribute without a rule and without a type has a fake")
	}
	if v, _ := fakeValue(ctx("aws_subnet", map[string]any{"availability_zone": "ca-central-1b"}), []string{"availability_zone_id"}, nil); v != "cac1-az2" {
		t.Errorf("availability_zone_id %v", v)
	}
	if _, ok := fakeValue(ctx("aws_subnet", nil), []string{"availability_zone_id"}, nil); ok {
		t.Error("availability_zone_id without an AZ")
	}
	if v, _ := fakeValue(ctx("aws_iam_role", map[string]any{"name_prefix": "lms-"}), []string{"name"}, nil); v != "lms-20240101000000000000000001" {
		t.Errorf("name from name_prefix: %v", v)
	}
	if v, _ := fakeValue(ctx("aws_lb_target_group", map[string]any{"arn": "arn:aws:elasticloadbalancing:r:1:targetgroup/tg/0123"}), []string{"arn_suffix"}, nil); v != "targetgroup/tg/0123" {
		t.Errorf("target group arn_suffix %v", v)
	}
	if v, _ := fakeValue(ctx("aws_x", map[string]any{"tags": map[string]any{"a": "b"}}), []string{"tags_all"}, nil); fmt.Sprint(v) != "map[a:b]" {
		t.Errorf("tags_all %v", v)
	}
	// Options.Computed wins, when it fits the type.
	over := ctx("aws_lb", nil)
	over.overrides = map[string]any{"aws_lb.dns_name": "mine.example", "aws_lb.zone_id": 3}
	if v, _ := fakeValue(over, []string{"dns_name"}, &ctyType{kind: "string"}); v != "mine.example" {
		t.Errorf("override %v", v)
	}
	if v, _ := fakeValue(over, []string{"zone_id"}, &ctyType{kind: "list", elem: &ctyType{kind: "string"}}); fmt.Sprint(v) != "[]" {
		t.Errorf("an override of the wrong type must not be used: %v", v)
	}
	// Without a rule: AWS's empty values, in the right type.
	obj := &ctyType{kind: "object", attrs: map[string]*ctyType{"s": {kind: "string"}, "n": {kind: "number"}, "b": {kind: "bool"},
		"l": {kind: "list", elem: &ctyType{kind: "string"}}, "m": {kind: "map", elem: &ctyType{kind: "string"}}, "d": {kind: "dynamic"}}}
	if v, _ := fakeValue(ctx("aws_x", nil), []string{"thing"}, obj); fmt.Sprint(v) != "map[b:false d:<nil> l:[] m:map[] n:0 s:]" {
		t.Errorf("zero object %v", v)
	}
}

func TestFits(t *testing.T) {
	str, num := &ctyType{kind: "string"}, &ctyType{kind: "number"}
	tests := []struct {
		v    any
		t    *ctyType
		want bool
	}{
		{"x", str, true}, {"x", num, false}, {json.Number("1"), str, true}, {true, str, true}, {true, num, false},
		{[]any{"a"}, &ctyType{kind: "list", elem: str}, true}, {[]any{1.5}, &ctyType{kind: "set", elem: str}, false},
		{[]any{"a", json.Number("1")}, &ctyType{kind: "tuple", elems: []*ctyType{str, num}}, true},
		{[]any{"a", "b"}, &ctyType{kind: "tuple", elems: []*ctyType{str}}, false},
		{[]any{}, str, false},
		{map[string]any{"a": "b"}, &ctyType{kind: "map", elem: str}, true}, {map[string]any{"a": []any{}}, &ctyType{kind: "map", elem: str}, false},
		{map[string]any{"a": "b"}, &ctyType{kind: "object", attrs: map[string]*ctyType{"a": str}}, true},
		{map[string]any{"x": "b"}, &ctyType{kind: "object", attrs: map[string]*ctyType{"a": str}}, false},
		{map[string]any{}, str, false}, {dynamicValue{}, &ctyType{kind: "dynamic"}, true}, {dynamicValue{}, str, false},
		{struct{}{}, str, false}, {nil, str, true}, {"x", nil, true},
	}
	for _, tt := range tests {
		if got := fits(tt.v, tt.t); got != tt.want {
			t.Errorf("fits(%#v, %v) = %v", tt.v, tt.t, got)
		}
	}
}

func TestValues(t *testing.T) {
	var obj ctyType
	if err := json.Unmarshal([]byte(`["object",{"n":"number","s":"string","l":["list","number"],"t":["tuple",["string","number"]],"m":["map","number"],"d":"dynamic","o":["object",{"x":"bool"}]}]`), &obj); err != nil {
		t.Fatal(err)
	}
	typeJSON := []byte(`["tuple",["number"]]`)
	in := map[string]any{"n": "12345678901234567890.5", "s": json.Number("3"), "l": []any{1.5}, "t": []any{"a", "2", "extra"},
		"m": map[string]any{"k": "4"}, "d": []any{typeJSON, []any{json.Number("1")}}, "o": map[string]any{"x": true}}
	got, _ := json.Marshal(normalize(in, &obj))
	want := `{"d":{"type":["tuple",["number"]],"value":[1]},"l":[1.5],"m":{"k":4},"n":12345678901234567890.5,"o":{"x":true},"s":"3","t":["a",2,"extra"]}`
	if string(got) != want {
		t.Errorf("normalize = %s\nwant        %s", got, want)
	}
	if d := normalize(map[string]any{"a": "b"}, &ctyType{kind: "dynamic"}).(dynamicValue); string(d.Type) != `["object",{"a":"string"}]` {
		t.Errorf("inferred %s", d.Type)
	}
	if got := string(inferType([]any{json.Number("1"), true, nil})); got != `["tuple",["number","bool","dynamic"]]` {
		t.Errorf("inferType %s", got)
	}
	if normalize(true, &ctyType{kind: "string"}) != "true" || normalize(2.5, &ctyType{kind: "number"}) != json.Number("2.5") {
		t.Error("primitive conversions")
	}
	if !known(map[string]any{"a": []any{1}}) || known(map[string]any{"a": []any{unknown}}) || known(dynamicValue{Value: unknown}) {
		t.Error("known")
	}

	v := map[string]any{"l": []any{map[string]any{"a": "x"}}, "b": map[string]any{"c": "y"}, "m": map[string]any{"k": "z"},
		"d": dynamicValue{Value: map[string]any{"e": "f"}}, "u": unknown}
	for path, want := range map[string]any{"l[0].a": "x", "b[0].c": "y", `m["k"]`: "z", "d.e": "f"} {
		refs, _, _ := scanTemplate("${v." + path + "}")
		got, err := navigate(v, refs[0].parts[1:])
		if err != nil || got != want {
			t.Errorf("navigate %s = %v, %v", path, got, err)
		}
	}
	for _, path := range []string{"l[1]", "l.a", "b[1]", `m["nope"]`, "nope", "u", "u.x", "l[*]", `l["k"]`} {
		refs, _, _ := scanTemplate("${v." + path + "}")
		if _, err := navigate(v, refs[0].parts[1:]); !errors.Is(err, errUnresolvable) {
			t.Errorf("navigate %s: %v", path, err)
		}
	}
	if _, err := navigate("s", []part{{name: "x"}}); err == nil {
		t.Error("navigate into a string")
	}

	same := []struct {
		a, b any
		want bool
	}{
		{"80", json.Number("80"), true}, {json.Number("80"), 80, true}, {json.Number("1.0"), "1", true}, {true, "true", true}, {true, false, false},
		{nil, nil, true}, {nil, "", false}, {"a", []any{}, false},
		{[]any{"a"}, []any{"a"}, true}, {[]any{"a"}, []any{"a", "b"}, false}, {[]any{"a"}, []any{"b"}, false},
		{[]any{map[string]any{"k": "v"}}, map[string]any{"k": "v", "other": nil}, true}, {[]any{"a"}, "a", false},
		{map[string]any{"k": "v"}, []any{map[string]any{"k": "v"}}, true}, {map[string]any{"k": "v"}, "x", false},
		{map[string]any{"k": "v"}, map[string]any{"k": "w"}, false},
		{dynamicValue{Value: "x"}, dynamicValue{Value: "x"}, true}, {struct{}{}, struct{}{}, false}, {2.5, "2.5", true},
	}
	for _, tt := range same {
		if got := sameValue(tt.a, tt.b); got != tt.want {
			t.Errorf("sameValue(%#v, %#v) = %v", tt.a, tt.b, got)
		}
	}
	if primitiveText(json.Number("x1")) != "x1" {
		t.Error("primitiveText of a bad number")
	}

	var tags ctyType
	_ = json.Unmarshal([]byte(`["object",{"tags":["map","string"],"l":["list",["object",{"p":"string"}]],"t":["tuple",["string"]],"s":"string"}]`), &tags)
	paths := [][]part{{{name: "tags"}, {name: "Name"}}, {{name: "l"}, {key: 0}, {name: "p"}}, {{name: "t"}, {key: 0}}, {{name: "t"}, {key: 3}, {name: "x"}}, {{name: "s"}, {key: "k"}}}
	gotPaths, _ := json.Marshal(func() (out [][]any) {
		for _, p := range paths {
			out = append(out, statePath(p, &tags))
		}
		return out
	}())
	wantPaths := `[[{"type":"get_attr","value":"tags"},{"type":"index","value":{"type":"string","value":"Name"}}],` +
		`[{"type":"get_attr","value":"l"},{"type":"index","value":{"type":"number","value":0}},{"type":"get_attr","value":"p"}],` +
		`[{"type":"get_attr","value":"t"},{"type":"index","value":{"type":"number","value":0}}],` +
		`[{"type":"get_attr","value":"t"},{"type":"index","value":{"type":"number","value":3}},{"type":"get_attr","value":"x"}],` +
		`[{"type":"get_attr","value":"s"},{"type":"index","value":{"type":"string","value":"k"}}]]`
	if string(gotPaths) != wantPaths {
		t.Errorf("statePath\n got %s\nwant %s", gotPaths, wantPaths)
	}
	if instanceAddr("a.b", nil) != "a.b" || instanceAddr("a.b", 2) != "a.b[2]" || instanceAddr("a.b", "k") != `a.b["k"]` {
		t.Error("instanceAddr")
	}
	var bad ctyType
	for _, raw := range []string{`1`, `["list"]`, `["nope", 1]`, `[1, 2]`} {
		if err := json.Unmarshal([]byte(raw), &bad); err == nil {
			t.Errorf("type %s: no error", raw)
		}
	}
}

// msgpack and protobuf encoders, for the tests only.
func mp(v any) []byte {
	var b []byte
	var enc func(v any)
	enc = func(v any) {
		switch v := v.(type) {
		case nil:
			b = append(b, 0xc0)
		case bool:
			if v {
				b = append(b, 0xc3)
			} else {
				b = append(b, 0xc2)
			}
		case int:
			switch {
			case v >= 0 && v < 128:
				b = append(b, byte(v))
			case v < 0 && v >= -32:
				b = append(b, byte(int8(v)))
			case v >= 0 && v < 256:
				b = append(b, 0xcc, byte(v))
			case v >= 0 && v < 65536:
				b = append(b, 0xcd, byte(v>>8), byte(v))
			case v >= -128 && v < 0:
				b = append(b, 0xd0, byte(int8(v)))
			default:
				b = append(b, 0xd3)
				b = binary.BigEndian.AppendUint64(b, uint64(v))
			}
		case uint64:
			b = append(b, 0xcf)
			b = binary.BigEndian.AppendUint64(b, v)
		case float64:
			b = append(b, 0xcb)
			b = binary.BigEndian.AppendUint64(b, math.Float64bits(v))
		case float32:
			b = append(b, 0xca)
			b = binary.BigEndian.AppendUint32(b, math.Float32bits(v))
		case string:
			switch {
			case len(v) < 32:
				b = append(b, 0xa0|byte(len(v)))
			case len(v) < 256:
				b = append(b, 0xd9, byte(len(v)))
			default:
				b = append(b, 0xda, byte(len(v)>>8), byte(len(v)))
			}
			b = append(b, v...)
		case []byte:
			b = append(b, 0xc4, byte(len(v)))
			b = append(b, v...)
		case []any:
			if len(v) < 16 {
				b = append(b, 0x90|byte(len(v)))
			} else {
				b = append(b, 0xdc, byte(len(v)>>8), byte(len(v)))
			}
			for _, e := range v {
				enc(e)
			}
		case map[string]any:
			if len(v) < 16 {
				b = append(b, 0x80|byte(len(v)))
			} else {
				b = append(b, 0xde, byte(len(v)>>8), byte(len(v)))
			}
			for _, k := range sortedKeys(v) {
				enc(k)
				enc(v[k])
			}
		case unknownVal:
			b = append(b, 0xd4, 0, 0)
		case [2]byte: // a refined unknown (ext 8)
			b = append(b, 0xc7, 2, 0x0c, v[0], v[1])
		}
	}
	enc(v)
	return b
}

func pbVarint(field int, v uint64) []byte {
	b := binary.AppendUvarint(nil, uint64(field<<3))
	return binary.AppendUvarint(b, v)
}

func pbBytes(field int, data []byte) []byte {
	b := binary.AppendUvarint(nil, uint64(field<<3|2))
	b = binary.AppendUvarint(b, uint64(len(data)))
	return append(b, data...)
}

func pbDynamic(field int, v any) []byte { return pbBytes(field, pbBytes(1, mp(v))) }

// key is a map key step of a path.
type key string

func pbPath(field int, steps ...any) []byte {
	var p []byte
	for _, s := range steps {
		switch s := s.(type) {
		case string:
			p = append(p, pbBytes(1, pbBytes(1, []byte(s)))...)
		case key:
			p = append(p, pbBytes(1, pbDynamic(2, string(s)))...)
		default:
			p = append(p, pbBytes(1, pbDynamic(2, s))...)
		}
	}
	return pbBytes(field, p)
}

func concat(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func TestDecodePlan(t *testing.T) {
	after := map[string]any{"id": unknown, "name": "x", "n": 300, "neg": -5, "big": 70000, "f": 2.5, "f32": float32(0.5), "u": uint64(1 << 63),
		"i8": -100, "i64": -1 << 40, "b": true, "nb": false, "z": nil, "long": strings.Repeat("s", 40), "longer": strings.Repeat("s", 300),
		"l": []any{"a", [2]byte{1, 2}}, "many": make([]any, 20), "m": map[string]any{"k": "v"}}
	many := map[string]any{}
	for i := range 20 {
		many[fmt.Sprint("k", i)] = i
	}
	after["bigmap"] = many
	change := concat(
		pbBytes(13, []byte(`aws_lb.x["k"]`)), pbBytes(8, []byte(`provider["registry.terraform.io/hashicorp/aws"]`)),
		pbBytes(10, []byte("private")), pbPath(11, "name"), pbPath(11, "tags", key("Name")), pbPath(11, "list", 3), pbVarint(12, 3),
		pbBytes(9, concat(pbVarint(1, 6), pbDynamic(2, map[string]any{"name": "old"}), pbDynamic(2, after), pbPath(4, "secret"))),
		pbVarint(99, 1), binary.AppendUvarint(nil, 98<<3|1), make([]byte, 8), binary.AppendUvarint(nil, 97<<3|5), make([]byte, 4),
	)
	del := concat(pbBytes(13, []byte("data.aws_region.r")), pbBytes(9, concat(pbVarint(1, 5), pbDynamic(2, nil))))
	noop := concat(pbBytes(13, []byte("aws_vpc.v[2]")), pbBytes(9, pbDynamic(2, map[string]any{"id": "vpc-1"})))
	create := concat(pbBytes(13, []byte("aws_vpc.w")), pbBytes(9, concat(pbVarint(1, 1), pbDynamic(2, map[string]any{"id": unknown}))))
	plan := concat(pbVarint(1, 3), pbBytes(3, change), pbBytes(3, del), pbBytes(3, noop), pbBytes(3, create), pbBytes(14, []byte("1.11.4")))
	changes, err := decodePlan(plan)
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 4 {
		t.Fatalf("%d changes", len(changes))
	}
	c := changes[0]
	if c.addr != `aws_lb.x["k"]` || c.typ != "aws_lb" || c.name != "x" || c.index != "k" || c.mode != "managed" || c.action != "delete-then-create" ||
		c.reason != "replace_because_cannot_update" || string(c.private) != "private" || c.provider != `provider["registry.terraform.io/hashicorp/aws"]` {
		t.Errorf("change %+v", c)
	}
	var paths []string
	for _, p := range c.replacePaths {
		paths = append(paths, formatPath(p))
	}
	if fmt.Sprint(paths) != `[name tags["Name"] list[3]]` || formatPath(c.afterSensitive[0]) != "secret" {
		t.Errorf("paths %v sensitive %v", paths, c.afterSensitive)
	}
	a := c.after.(map[string]any)
	gotAfter := fmt.Sprint([]any{a["id"] == unknown, a["name"], a["n"], a["neg"], a["big"], a["f"], a["f32"], a["u"], a["i8"], a["i64"], a["b"], a["nb"], a["z"],
		len(a["long"].(string)), len(a["longer"].(string)), a["l"].([]any)[1] == unknown, len(a["many"].([]any)), a["m"], len(a["bigmap"].(map[string]any))})
	if gotAfter != "[true x 300 -5 70000 2.5 0.5 9223372036854775808 -100 -1099511627776 true false <nil> 40 300 true 20 map[k:v] 20]" {
		t.Errorf("after: %s", gotAfter)
	}
	if fmt.Sprint(c.before) != "map[name:old]" {
		t.Errorf("before %v", c.before)
	}
	if d := changes[1]; d.mode != "data" || d.typ != "aws_region" || d.action != "delete" || d.before != nil || d.after != nil {
		t.Errorf("delete %+v", d)
	}
	if n := changes[2]; n.action != "no-op" || n.index != 2 || fmt.Sprint(n.after) != "map[id:vpc-1]" {
		t.Errorf("no-op %+v", n)
	}
	if c := changes[3]; c.action != "create" || c.before != nil || c.after.(map[string]any)["id"] != unknown {
		t.Errorf("create %+v", c)
	}

	// Refusals: another format version, broken bytes, addresses verify does not know.
	if _, err := decodePlan(pbVarint(1, 4)); !errors.Is(err, errPlanFormat) {
		t.Errorf("version 4: %v", err)
	}
	bad := map[string][]byte{
		"key":          {0x80},
		"varint":       {0x08, 0x80},
		"length":       {0x1a, 0x05, 0x01},
		"fixed64":      {0x09, 0x01},
		"fixed32":      {0x0d, 0x01},
		"wire":         {0x0b},
		"action":       pbBytes(3, concat(pbBytes(13, []byte("a.b")), pbBytes(9, pbVarint(1, 42)))),
		"module":       pbBytes(3, pbBytes(13, []byte("module.m.a.b"))),
		"addr":         pbBytes(3, pbBytes(13, []byte("nodot"))),
		"key syntax":   pbBytes(3, pbBytes(13, []byte("a.b[x]"))),
		"msgpack":      pbBytes(3, concat(pbBytes(13, []byte("a.b")), pbBytes(9, pbBytes(2, pbBytes(1, []byte{0xc1}))))),
		"short":        pbBytes(3, concat(pbBytes(13, []byte("a.b")), pbBytes(9, pbBytes(2, pbBytes(1, []byte{0x92, 0x01}))))),
		"trailing":     pbBytes(3, concat(pbBytes(13, []byte("a.b")), pbBytes(9, pbBytes(2, pbBytes(1, []byte{0x01, 0x02}))))),
		"no msgpack":   pbBytes(3, concat(pbBytes(13, []byte("a.b")), pbBytes(9, pbBytes(2, nil)))),
		"path key":     pbBytes(3, concat(pbBytes(13, []byte("a.b")), pbPath(11, true))),
		"path number":  pbBytes(3, concat(pbBytes(13, []byte("a.b")), pbPath(11, 2.5))),
		"path msgpack": pbBytes(3, concat(pbBytes(13, []byte("a.b")), pbBytes(11, pbBytes(1, pbBytes(2, pbBytes(1, []byte{0xc1})))))),
		"sensitive":    pbBytes(3, concat(pbBytes(13, []byte("a.b")), pbBytes(9, pbBytes(4, pbBytes(1, pbBytes(2, pbBytes(1, []byte{0xc1}))))))),
		"bad step":     pbBytes(3, concat(pbBytes(13, []byte("a.b")), pbBytes(11, []byte{0x80}))),
		"big array":    pbBytes(3, concat(pbBytes(13, []byte("a.b")), pbBytes(9, pbBytes(2, pbBytes(1, []byte{0xdd, 0x7f, 0xff, 0xff, 0xff}))))),
		"big map":      pbBytes(3, concat(pbBytes(13, []byte("a.b")), pbBytes(9, pbBytes(2, pbBytes(1, []byte{0xdf, 0x7f, 0xff, 0xff, 0xff}))))),
	}
	for name, raw := range bad {
		if _, err := decodePlan(concat(pbVarint(1, 3), raw)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	for _, raw := range [][]byte{{0xd9}, {0xda, 0}, {0xc4}, {0xc7}, {0xcb, 1}, {0xdc}, {0xde}, {0x81, 0xc1}, {0x81, 0x01, 0xc1}, {0x91, 0xc1}, {0xa2, 'x'}} {
		d := &mpDecoder{b: raw}
		if _, err := d.value(); err == nil {
			t.Errorf("msgpack % x: no error", raw)
		}
	}

	// A plan file on disk.
	dir := t.TempDir()
	if _, err := readPlanFile(filepath.Join(dir, "missing")); err == nil {
		t.Error("missing plan file: no error")
	}
	writeZip(t, filepath.Join(dir, "empty.tfplan"), map[string][]byte{"tfstate": nil})
	if _, err := readPlanFile(filepath.Join(dir, "empty.tfplan")); !errors.Is(err, errPlanFormat) {
		t.Errorf("no tfplan: %v", err)
	}
	writeZip(t, filepath.Join(dir, "ok.tfplan"), map[string][]byte{"tfplan": plan})
	if got, err := readPlanFile(filepath.Join(dir, "ok.tfplan")); err != nil || len(got) != 4 {
		t.Errorf("plan file: %d changes, %v", len(got), err)
	}
}

func TestReadPlanJSON(t *testing.T) {
	raw := []byte(`{"resource_changes": [
	  {"address": "aws_lb.x", "provider_name": "registry.terraform.io/hashicorp/aws", "action_reason": "replace_because_cannot_update",
	   "change": {"actions": ["delete", "create"], "before": {"name": "a"}, "after": {"name": "b", "arn": null, "l": [1, null], "o": {"k": null}},
	     "after_unknown": {"arn": true, "l": [false, true], "o": {"k": true}}, "after_sensitive": {"secret": true, "l": [false, true], "t": {"k": true}},
	     "replace_paths": [["name"], ["list", 0]]}},
	  {"address": "aws_vpc.v[0]", "provider_name": "p", "change": {"actions": ["create", "delete"], "after": {}}},
	  {"address": "aws_vpc.w", "provider_name": "p", "change": {"actions": ["delete"], "before": {"id": "x"}}},
	  {"address": "aws_vpc.f", "provider_name": "p", "change": {"actions": ["create", "forget"]}},
	  {"address": "aws_vpc.n", "provider_name": "p", "change": {"actions": ["no-op"], "after": {"id": "x"}}}
	]}`)
	changes, err := readPlanJSON(raw)
	if err != nil {
		t.Fatal(err)
	}
	c := changes[0]
	a := c.after.(map[string]any)
	if c.action != "delete-then-create" || a["arn"] != unknown || a["l"].([]any)[1] != unknown || a["o"].(map[string]any)["k"] != unknown || a["name"] != "b" ||
		c.provider != `provider["registry.terraform.io/hashicorp/aws"]` || c.reason != "replace_because_cannot_update" {
		t.Errorf("change %+v", c)
	}
	var sens, repl []string
	for _, p := range c.afterSensitive {
		sens = append(sens, formatPath(p))
	}
	for _, p := range c.replacePaths {
		repl = append(repl, formatPath(p))
	}
	if fmt.Sprint(sens) != "[l[1] secret t.k]" || fmt.Sprint(repl) != "[name list[0]]" {
		t.Errorf("sensitive %v replace %v", sens, repl)
	}
	if changes[1].action != "create-then-delete" || changes[1].index != 0 || changes[2].action != "delete" || changes[2].after != nil ||
		changes[3].action != "create-then-forget" || changes[4].action != "no-op" {
		t.Errorf("actions %+v", changes[1:])
	}
	for _, bad := range []string{`{`, `{"resource_changes": [{"address": "module.m.a.b", "change": {"actions": ["create"]}}]}`,
		`{"resource_changes": [{"address": "a.b", "change": {"actions": []}}]}`} {
		if _, err := readPlanJSON([]byte(bad)); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

func TestReport(t *testing.T) {
	st := &stack{resources: map[string]*resource{
		"aws_lb.x":  {typ: "aws_lb", name: "x", path: "App/LB"},
		"aws_vpc.v": {typ: "aws_vpc", name: "v", path: "App/VPC", multi: true},
	}}
	old := &stack{resources: map[string]*resource{"aws_iam_role.gone": {typ: "aws_iam_role", name: "gone", path: "App/Role"}}}
	d := &Deployment{deployed: old}
	changes := []plannedChange{
		{addr: "aws_lb.x", mode: "managed", typ: "aws_lb", name: "x", action: "create-then-delete", reason: "replace_because_cannot_update",
			replacePaths: [][]part{{{name: "subnets"}}, {{name: "name"}}}},
		{addr: "aws_vpc.v[1]", mode: "managed", typ: "aws_vpc", name: "v", index: 1, action: "update"},
		{addr: "aws_iam_role.gone", mode: "managed", typ: "aws_iam_role", name: "gone", action: "delete"},
		{addr: "aws_iam_role.forgotten", mode: "managed", typ: "aws_iam_role", name: "forgotten", action: "forget"},
		{addr: "aws_sg.s", mode: "managed", typ: "aws_sg", name: "s", action: "delete-then-create"},
		{addr: "aws_new.n", mode: "managed", typ: "aws_new", name: "n", action: "create"},
		{addr: "aws_same.s", mode: "managed", typ: "aws_same", name: "s", action: "no-op"},
		{addr: "data.aws_region.r", mode: "data", typ: "aws_region", name: "r", action: "read"},
		{addr: "aws_lb.x", mode: "managed", typ: "aws_lb", name: "x", action: "delete", deposed: "abcd"},
	}
	r := d.report(changes, st)
	want := `1 to create, 1 to update, 2 to replace, 1 to delete, 1 to forget
ACTION                         RESOURCE                TYPE          FORCED BY
forget                         aws_iam_role.forgotten  aws_iam_role  -
delete                         App/Role                aws_iam_role  -
replace (create, then delete)  App/LB                  aws_lb        name, subnets
create                         aws_new.n               aws_new       -
replace (delete, then create)  aws_sg.s                aws_sg        -
update                         App/VPC[1]              aws_vpc       -
`
	if diff := cmp.Diff(want, r.String()); diff != "" {
		t.Errorf("String (-want +got):\n%s", diff)
	}
	if got := fmt.Sprint(r.Replaced("aws_lb")); got != "[replace (create, then delete) aws_lb.x (App/LB), forced by name, subnets]" {
		t.Errorf("Replaced(aws_lb) = %s", got)
	}
	if len(r.Replaced()) != 2 || len(r.Replaced("aws_vpc")) != 0 {
		t.Errorf("Replaced() = %v", r.Replaced())
	}
	if (&Report{}).String() != "no changes\n" {
		t.Error("empty report")
	}

	rec := &recorder{TB: t}
	AssertNoReplacements(rec, r, "aws_vpc")
	if rec.failed {
		t.Errorf("no aws_vpc is replaced, but: %s", rec.msg)
	}
	AssertNoReplacements(rec, r, "aws_sg", "aws_lb")
	wantMsg := "the change replaces 2 resource(s) of aws_lb, aws_sg (-want +got):\n" +
		"+ replace (create, then delete) aws_lb.x (App/LB), forced by name, subnets\n" +
		"+ replace (delete, then create) aws_sg.s\n\nthe whole plan:\n" + want
	if diff := cmp.Diff(wantMsg, rec.msg); !rec.failed || diff != "" {
		t.Errorf("AssertNoReplacements message (-want +got):\n%s", diff)
	}
	rec = &recorder{TB: t}
	AssertNoReplacements(rec, r)
	if !strings.Contains(rec.msg, "of any type") {
		t.Errorf("no types: %s", rec.msg)
	}
	rec = &recorder{TB: t}
	AssertNoReplacements(rec, nil)
	if !rec.failed {
		t.Error("nil report accepted")
	}

	// A delete destroys the live object as surely as a replacement: a renamed construct ID
	// deletes the old address and creates a new one.
	renamed := &Report{Changes: []Change{
		{Address: "aws_lb.old", Type: "aws_lb", Path: "aws_lb.old", Action: Delete},
		{Address: "aws_lb.new", Type: "aws_lb", Path: "aws_lb.new", Action: Create},
	}}
	if len(renamed.Replaced("aws_lb")) != 0 || len(renamed.Destroyed("aws_lb")) != 1 || len(r.Destroyed()) != 3 {
		t.Errorf("Destroyed = %v, %v", renamed.Destroyed("aws_lb"), r.Destroyed())
	}
	rec = &recorder{TB: t}
	AssertNoneDestroyed(rec, renamed, "aws_lb")
	if !rec.failed || !strings.HasPrefix(rec.msg, "the change destroys 1 resource(s) of aws_lb (-want +got):\n+ delete aws_lb.old\n") {
		t.Errorf("AssertNoneDestroyed message: %s", rec.msg)
	}
	rec = &recorder{TB: t}
	AssertNoneDestroyed(rec, renamed, "aws_vpc")
	if rec.failed {
		t.Errorf("nothing of aws_vpc is destroyed, but: %s", rec.msg)
	}
}

func TestDiagnostics(t *testing.T) {
	out := `{"type":"version"}
{"type":"diagnostic","diagnostic":{"severity":"warning","summary":"w"}}
{"type":"diagnostic","diagnostic":{"severity":"error","summary":"Invalid value","detail":"line one\nline two","address":"aws_vpc.v","range":{"filename":"main.tf.json","start":{"line":7}},"snippet":{"context":"resource.aws_vpc.v","code":"  \"cidr_block\": \"x\""}}}
{"type":"diagnostic","diagnostic":{"severity":"error","summary":"Bare"}}
not json`
	want := "  - aws_vpc.v: main.tf.json:7: Invalid value: line one\n    line two\n    \"cidr_block\": \"x\" (in resource.aws_vpc.v)\n  - Bare"
	if diff := cmp.Diff(want, diagnostics([]byte(out))); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	if got := diagnostics([]byte("plain failure\n")); got != "plain failure" {
		t.Errorf("plain: %q", got)
	}
}

func TestFindPluginDir(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(PluginDirEnv, dir)
	if _, err := FindPluginDir(); err == nil || !strings.Contains(err.Error(), PluginDirEnv+"="+dir) {
		t.Errorf("empty mirror: %v", err)
	}
	platform := runtime.GOOS + "_" + runtime.GOARCH
	if err := os.MkdirAll(filepath.Join(dir, "registry.terraform.io", "hashicorp", "aws", "5.1.0", platform), 0o755); err != nil {
		t.Fatal(err)
	}
	if got, err := FindPluginDir(); err != nil || got != dir {
		t.Errorf("FindPluginDir = %q, %v", got, err)
	}
	e, err := Engine{Binary: "sh"}.resolve()
	if err != nil || e.PluginDir != dir || !filepath.IsAbs(e.Binary) {
		t.Errorf("resolve = %+v, %v", e, err)
	}
	t.Setenv(PluginDirEnv, "")
	t.Setenv("HOME", t.TempDir())
	if _, err := FindPluginDir(); err != nil && !strings.Contains(err.Error(), "set "+PluginDirEnv) {
		t.Errorf("discovery: %v", err)
	}
}

func TestEngineEnv(t *testing.T) {
	t.Setenv("AWS_PROFILE", "prod")
	t.Setenv("TF_DATA_DIR", "/elsewhere")
	t.Setenv("TF_CLI_ARGS_plan", "-refresh=true")
	env := strings.Join(engineEnv("/w"), "\n")
	for _, gone := range []string{"AWS_PROFILE=", "TF_DATA_DIR=", "TF_CLI_ARGS_plan="} {
		if strings.Contains(env, gone) {
			t.Errorf("%s is passed to the engine", gone)
		}
	}
	for _, want := range []string{"TF_CLI_CONFIG_FILE=/w/.terraformrc", "CHECKPOINT_DISABLE=1", "AWS_EC2_METADATA_DISABLED=true"} {
		if !strings.Contains(env, want) {
			t.Errorf("%s is not set", want)
		}
	}
}

func TestSchemas(t *testing.T) {
	raw := []byte(`{"provider_schemas": {"registry.terraform.io/hashicorp/aws": {"resource_schemas": {
	  "aws_x": {"version": 2, "block": {
	    "attributes": {"id": {"type": "string", "computed": true}, "tags": {"type": ["map", "string"], "optional": true},
	      "nested": {"nested_type": {"nesting_mode": "list", "attributes": {"a": {"type": "string", "computed": true},
	        "deep": {"nested_type": {"nesting_mode": "single", "attributes": {"b": {"type": "number", "optional": true}}}}}}},
	      "m": {"nested_type": {"nesting_mode": "map", "attributes": {"c": {"type": "bool", "required": true}}}},
	      "s": {"nested_type": {"nesting_mode": "set", "attributes": {}}}, "dyn": {"optional": true}},
	    "block_types": {"blk": {"nesting_mode": "set", "block": {"attributes": {"x": {"type": "string", "optional": true}}}},
	      "one": {"nesting_mode": "single", "block": {}}}}},
	  "aws_bad": {"version": "x"}}}}}`)
	s, err := parseSchemas(raw)
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.resource(`provider["registry.terraform.io/hashicorp/aws"].alias`, "aws_x")
	if err != nil {
		t.Fatal(err)
	}
	a := r.typ.attrs
	if r.version != 2 || !a["id"].computed || a["tags"].kind != "map" || a["nested"].kind != "list" || !a["nested"].elem.attrs["a"].computed ||
		a["nested"].elem.attrs["deep"].kind != "object" || a["m"].kind != "map" || a["s"].kind != "set" || a["dyn"].kind != "dynamic" ||
		a["blk"].kind != "set" || a["blk"].elem.attrs["x"].kind != "string" || a["one"].kind != "object" {
		t.Errorf("schema %+v", a)
	}
	if again, _ := s.resource("registry.terraform.io/hashicorp/aws", "aws_x"); again != r {
		t.Error("not cached")
	}
	if _, err := s.resource("registry.terraform.io/hashicorp/aws", "aws_nope"); err == nil {
		t.Error("unknown type: no error")
	}
	if _, err := s.resource("registry.terraform.io/hashicorp/aws", "aws_bad"); err == nil {
		t.Error("bad schema: no error")
	}
	if _, err := parseSchemas([]byte("{")); err == nil {
		t.Error("bad JSON: no error")
	}
	if providerSource(`provider["x/y"`) != `provider["x/y"` {
		t.Error("providerSource of a malformed address")
	}
}

func writeZip(t *testing.T, path string, files map[string][]byte) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	zw := zip.NewWriter(f)
	for name, data := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestCommitWave: a resource waits when the plan contradicts a prediction it used, when
// what it depends on waits, or when the plan does not create it.
func TestCommitWave(t *testing.T) {
	s, err := parseSchemas([]byte(`{"provider_schemas": {"p": {"resource_schemas": {
	  "aws_x": {"version": 1, "block": {"attributes": {"id": {"type": "string", "computed": true}, "name": {"type": "string", "optional": true},
	    "ref": {"type": "string", "optional": true}, "tags": {"type": ["map", "string"], "optional": true}}}}}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	st, err := prepare([]byte(`{"resource": {"aws_x": {
	  "a": {"name": "A"},
	  "b": {"ref": "${aws_x.a.name}", "lifecycle": {"create_before_destroy": true}},
	  "c": {"ref": "${aws_x.b.id}"},
	  "d": {"ref": "${aws_x.c.id}", "depends_on": ["aws_x.b"]},
	  "e": {"name": "E"},
	  "h": {"name": "H", "depends_on": ["aws_x.b"]},
	  "f": {"name": "F", "count": 1},
	  "g": {"ref": "${join(\",\", aws_x.f[*].id)}-${upper(aws_x.a.id)}"}
	}}}`), Options{})
	if err != nil {
		t.Fatal(err)
	}
	d := &Deployment{deployed: st, state: map[string]*instance{}, done: map[string]bool{}}
	p := &predictor{d: d, st: st, memo: map[string]any{}, busy: map[string]bool{}}
	doc, preds, err := p.inline()
	if err != nil {
		t.Fatal(err)
	}
	body := func(name string) map[string]any {
		return doc["resource"].(map[string]any)["aws_x"].(map[string]any)[name].(map[string]any)
	}
	if body("b")["ref"] != "A" || !strings.HasPrefix(body("c")["ref"].(string), "x-") || !strings.Contains(body("g")["ref"].(string), `${upper("x-`) {
		t.Fatalf("inlined: b %v c %v g %v", body("b")["ref"], body("c")["ref"], body("g")["ref"])
	}
	deps := map[string]map[string]bool{}
	for addr, res := range st.resources {
		deps[addr] = resourceRefs(st, st.doc, res, true)
	}
	planned := func(name string, vals map[string]any) plannedChange {
		after := map[string]any{"id": unknown, "name": nil, "ref": nil, "tags": nil}
		for k, v := range vals {
			after[k] = v
		}
		return plannedChange{addr: "aws_x." + name, mode: "managed", typ: "aws_x", name: name, provider: "p", action: "create", after: after}
	}
	changes := []plannedChange{
		planned("a", map[string]any{"name": "a-normalized"}), // contradicts b's prediction
		planned("b", map[string]any{"ref": "A"}),
		planned("c", map[string]any{"ref": body("c")["ref"]}),
		planned("d", nil),
		planned("e", map[string]any{"name": "E"}),
		planned("h", map[string]any{"name": "H"}),
		{addr: "aws_x.f[0]", mode: "managed", typ: "aws_x", name: "f", index: 0, provider: "p", action: "update", after: map[string]any{}},
		planned("g", nil),
	}
	stuck, err := d.commitWave(st, doc, deps, preds, changes, s)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"aws_x.b": `the plan says aws_x.a.name = "a-normalized", verify predicted "A"`,
		"aws_x.c": "its prediction of aws_x.b waits for that resource",
		"aws_x.h": "it depends on aws_x.b, which waits",
		"aws_x.d": "its prediction of aws_x.c waits for that resource",
		"aws_x.f": "aws_x.f[0] is planned to update, not to create",
		"aws_x.g": "references aws_x.f in a way verify cannot predict",
	}
	if diff := cmp.Diff(want, stuck); diff != "" {
		t.Errorf("stuck (-want +got):\n%s", diff)
	}
	if !d.done["aws_x.a"] || !d.done["aws_x.e"] || len(d.state) != 2 || d.state["aws_x.a"].schemaVersion != 1 {
		t.Errorf("done %v state %v", d.done, d.state)
	}
	// The next wave predicts from the state and from the last plan.
	p = &predictor{d: d, st: st, memo: map[string]any{}, busy: map[string]bool{},
		last: map[string]map[string]any{"aws_x.b": {"ref": "A", "id": unknown}}}
	if v, err := p.ref([]part{{name: "aws_x"}, {name: "a"}, {name: "name"}}); err != nil || v != "a-normalized" {
		t.Errorf("a.name from the state = %v, %v", v, err)
	}
	if v, err := p.ref([]part{{name: "aws_x"}, {name: "b"}, {name: "ref"}}); err != nil || v != "A" {
		t.Errorf("b.ref from the last plan = %v, %v", v, err)
	}
	for _, ref := range []string{"aws_x.f.id", "aws_x.f[*].id", "aws_x.b", "aws_x.b.count", "aws_x.g.ref", "nope.x.y"} {
		refs, _, _ := scanTemplate("${" + ref + "}")
		if _, err := p.ref(refs[0].parts); err == nil {
			t.Errorf("%s resolved", ref)
		}
	}
	if v, err := p.ref([]part{{name: "aws_x"}, {name: "f"}, {key: 0}, {name: "name"}}); err != nil || v != "F" {
		t.Errorf("f[0].name = %v, %v", v, err)
	}
	if v, err := p.eval(map[string]any{"l": []any{"x-${aws_x.a.name}", json.Number("1")}}); err != nil || fmt.Sprint(v) != "map[l:[x-a-normalized 1]]" {
		t.Errorf("eval = %v, %v", v, err)
	}
	for _, bad := range []any{"${", []any{"${aws_x.g.ref}"}, map[string]any{"k": "${aws_x.g.ref}"}, "a${aws_x.a.tags}", "a${aws_x.g.ref}"} {
		if _, err := p.eval(bad); err == nil {
			t.Errorf("eval(%v) resolved", bad)
		}
	}
}

// TestTerraformDataSchemaWithoutBuiltin: schemas loaded for a configuration that did not
// use terraform_data (and cached per provider lock) still know it.
func TestTerraformDataSchemaWithoutBuiltin(t *testing.T) {
	s, err := parseSchemas([]byte(`{"provider_schemas":{"registry.terraform.io/hashicorp/aws":{"resource_schemas":{}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.resource(`provider["terraform.io/builtin/terraform"]`, "terraform_data")
	if err != nil || r.version != 0 || r.typ.attrs["output"].kind != "dynamic" || !r.typ.attrs["output"].computed {
		t.Fatalf("terraform_data schema = %+v, %v", r, err)
	}
	if _, err := s.resource(`provider["terraform.io/builtin/terraform"]`, "terraform_remote_state"); err == nil {
		t.Error("an unknown built-in type has a schema")
	}
}
