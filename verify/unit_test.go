package verify

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tapstack/infra/awsid"
	"github.com/tapstack/infra/internal/engine"
	"github.com/tapstack/infra/internal/tfjson"
)

func TestPrepare(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "examples", "tapstack", "testdata", "s3-backend.golden.json"))
	if err != nil {
		t.Fatal(err)
	}
	st, err := prepare(raw, Options{DataSources: map[string]map[string]any{
		"ephemeral.aws_secretsmanager_random_password.Service_DBSecretVersion_EEDF8B45": {"random_password": "from-options"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tf := range tfjson.Blocks(st.doc["terraform"]) {
		if _, ok := tf["backend"]; ok {
			t.Error("the backend is still there")
		}
	}
	wantOverride := map[string]any{
		"terraform": map[string]any{"required_providers": map[string]any{"aws": map[string]any{"source": engine.AWSSource, "version": ">= 5.100.0, < 6.0.0"}}},
		"provider":  map[string]any{"aws": []any{engine.OfflineAWS()}},
	}
	if diff := cmp.Diff(wantOverride, st.override); diff != "" {
		t.Errorf("override (-want +got):\n%s", diff)
	}
	if st.places["aws"] != awsid.In("ca-central-1") || fmt.Sprint(st.providers) != "["+engine.AWSSource+"]" {
		t.Errorf("places %v providers %v", st.places, st.providers)
	}
	// Data sources that would call AWS stay, with no instance (so that the engine still
	// checks their arguments), and their references read a local holding the fake.
	data := st.doc["data"].(map[string]any)
	azData := data["aws_availability_zones"].(map[string]any)["Network_AvailabilityZones_E029EBAA"].(map[string]any)
	if azData["count"] != json.Number("0") {
		t.Errorf("aws_availability_zones: %v, want count = 0", azData)
	}
	if _, ok := data["aws_region"].(map[string]any)["Service_Region_18DEA33E"].(map[string]any)["count"]; ok {
		t.Error("aws_region, which calls nothing, was faked")
	}
	locals := st.doc["locals"].(map[string]any)
	azs := locals["verify_aws_availability_zones_Network_AvailabilityZones_E029EBAA"].(map[string]any)
	if diff := cmp.Diff([]any{"ca-central-1a", "ca-central-1b", "ca-central-1c"}, azs["names"]); diff != "" {
		t.Errorf("AZ names (-want +got):\n%s", diff)
	}
	if got := fmt.Sprint(locals["verify_ephemeral_aws_secretsmanager_random_password_Service_DBSecretVersion_EEDF8B45"]); !strings.Contains(got, `{"random_password" = "from-options"}`) {
		t.Errorf("the fake of Options.DataSources is not used: %v", got)
	}
	subnet := st.resources["aws_subnet.Network_PrivateSubnet1_E8491189"].body
	if got := subnet["availability_zone"]; got != "${element(local.verify_aws_availability_zones_Network_AvailabilityZones_E029EBAA.names, 1)}" {
		t.Errorf("availability_zone = %v", got)
	}
	// What the stack references is read from the stack as written: the fakes do not cut
	// a dependency that passes through a data source.
	if got := resourceRefs(st, st.orig, st.resources["aws_subnet.Network_PrivateSubnet1_E8491189"], true); !got["aws_vpc.Network_VPC_F81DA5AA"] {
		t.Errorf("the subnet's references: %v", got)
	}

	// A hand-written stack: one provider object with credentials, an alias, modules.
	st, err = prepare([]byte(`{
	  "provider": {"aws": [{"region": "cn-north-1", "profile": "prod", "assume_role": [{"role_arn": "arn:aws-cn:iam::210987654321:role/deploy"}]},
	    {"alias": "gov", "region": "${var.gov}", "allowed_account_ids": ["333333333333"]}]},
	  "variable": {"gov": {"default": "us-gov-west-1"}},
	  "data": {"aws_caller_identity": {"me": {}}, "aws_vpc": {"existing": {"id": "vpc-0123"}}},
	  "resource": {"aws_s3_bucket": {"b": {"bucket": "${data.aws_caller_identity.me.account_id}-logs", "depends_on": ["data.aws_caller_identity.me", "aws_vpc.v"]}},
	               "aws_vpc": {"v": {"cidr_block": "${data.aws_vpc.existing.cidr_block}", "provider": "aws.gov"}}},
	  "output": {"vpc": {"value": "${data.aws_vpc.existing.id}", "depends_on": ["data.aws_vpc.existing"]}}
	}`), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if st.places["aws"] != (awsid.Place{Partition: "aws-cn", Region: "cn-north-1", Account: "210987654321"}) ||
		st.places["aws.gov"] != (awsid.Place{Partition: "aws-us-gov", Region: "us-gov-west-1", Account: "333333333333"}) ||
		st.place(st.resources["aws_vpc.v"]) != st.places["aws.gov"] {
		t.Errorf("places %v", st.places)
	}
	p := st.doc["provider"].(map[string]any)["aws"].([]any)[0].(map[string]any)
	if _, ok := p["profile"]; ok {
		t.Error("profile kept")
	}
	if _, ok := p["assume_role"]; ok {
		t.Error("assume_role kept")
	}
	if _, ok := st.doc["provider"].(map[string]any)["aws"].([]any)[1].(map[string]any)["allowed_account_ids"]; ok {
		t.Error("allowed_account_ids kept: the offline provider knows no account and would refuse every plan")
	}
	if got := st.override["provider"].(map[string]any)["aws"].([]any)[1].(map[string]any)["alias"]; got != "gov" {
		t.Errorf("alias of the second override = %v", got)
	}
	b := st.resources["aws_s3_bucket.b"].body
	if b["bucket"] != "${local.verify_aws_caller_identity_me.account_id}-logs" || fmt.Sprint(b["depends_on"]) != "[data.aws_caller_identity.me aws_vpc.v]" {
		t.Errorf("bucket %v depends_on %v", b["bucket"], b["depends_on"])
	}
	out := st.doc["output"].(map[string]any)["vpc"].(map[string]any)
	if out["value"] != "${local.verify_aws_vpc_existing.id}" {
		t.Errorf("output %v", out)
	}
	if got := st.doc["locals"].(map[string]any)["verify_aws_vpc_existing"].(map[string]any)["id"]; got != "vpc-0123" {
		t.Errorf("the existing VPC's id = %v", got)
	}
	if got := st.doc["locals"].(map[string]any)["verify_aws_caller_identity_me"].(map[string]any)["account_id"]; got != "210987654321" {
		t.Errorf("the caller's account = %v, want the provider's", got)
	}

	// No provider block at all: one is added; no aws at all: no override.
	st, err = prepare([]byte(`{"resource": {"aws_vpc": {"v": {"cidr_block": "10.0.0.0/16"}}}}`), Options{})
	if err != nil || st.places["aws"] != awsid.In(defaultRegion) || st.doc["provider"] == nil {
		t.Errorf("no provider block: %v %v", err, st)
	}
	st, err = prepare([]byte(`{"terraform": {"required_providers": {"random": {"source": "hashicorp/random"}}}, "resource": {"terraform_data": {"x": {}}}}`), Options{})
	if err != nil || len(st.override) != 0 || fmt.Sprint(st.providers) != "[hashicorp/random]" {
		t.Errorf("no aws: %v %v %v", err, st.override, st.providers)
	}

	for stack, want := range map[string]string{
		`[1]`:                                 "element 0 of the top-level array is a number",
		`null`:                                "not Terraform JSON: the top level is null",
		`{"module": {"m": {}}}`:               "modules",
		`{"resource": {"aws_vpc": {"v": 1}}}`: "resource.aws_vpc.v is a number, want an object",
		`{"locals": {"verify_aws_caller_identity_me": 1}, "data": {"aws_caller_identity": {"me": {}}}}`:              "already has a local",
		`{"data": {"aws_caller_identity": {"me": {}}}, "output": {"x": {"value": "${data.aws_caller_identity.me"}}}`: "unterminated",
		`{"provider": {"aws": {"profile": "x"}}, "resource": {"aws_vpc": {"v": {}}}}`:                                "provider aws has no region: set region in the provider block",
		`{"provider": {"aws": {"region": "${data.x.y.z}"}}, "resource": {"aws_vpc": {"v": {}}}}`:                     "region = ${data.x.y.z} is neither a literal nor a variable with a default",
		`{"provider": {"aws": {"region": "us-east-9"}}, "resource": {"aws_vpc": {"v": {}}}}`:                         `provider aws: region "us-east-9": "us-east-9" is not a region`,
		`{"data": {"aws_caller_identity": {"me": {"count": "${var.n}"}}}}`:                                           "data.aws_caller_identity.me: count = ${var.n}, which verify cannot evaluate",
		`{"data": {"aws_nope": {"x": {}}, "external": {"y": {}}}}`:                                                   "no fake for what would call AWS: data.aws_nope.x (type aws_nope), data.external.y (type external)",
		`{"ephemeral": {"aws_kms_secrets": {"x": {}}}}`:                                                              "ephemeral.aws_kms_secrets.x (type aws_kms_secrets)",
	} {
		if _, err := prepare([]byte(stack), Options{}); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("prepare(%s) = %v, want %q", stack, err, want)
		}
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
		{map[string]any{}, str, false}, {tfjson.DynamicValue{}, &ctyType{kind: "dynamic"}, true}, {tfjson.DynamicValue{}, str, false},
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
	if d := normalize(map[string]any{"a": "b"}, &ctyType{kind: "dynamic"}).(tfjson.DynamicValue); string(d.Type) != `["object",{"a":"string"}]` {
		t.Errorf("inferred %s", d.Type)
	}
	if got := string(inferType([]any{json.Number("1"), true, nil})); got != `["tuple",["number","bool","dynamic"]]` {
		t.Errorf("inferType %s", got)
	}
	if normalize(true, &ctyType{kind: "string"}) != "true" || normalize(2.5, &ctyType{kind: "number"}) != json.Number("2.5") {
		t.Error("primitive conversions")
	}
	if !tfjson.Known(map[string]any{"a": []any{1}}) || tfjson.Known(map[string]any{"a": []any{tfjson.Unknown}}) || tfjson.Known(tfjson.DynamicValue{Value: tfjson.Unknown}) {
		t.Error("known")
	}

	v := map[string]any{"l": []any{map[string]any{"a": "x"}}, "b": map[string]any{"c": "y"}, "m": map[string]any{"k": "z"},
		"d": tfjson.DynamicValue{Value: map[string]any{"e": "f"}}, "u": tfjson.Unknown}
	for path, want := range map[string]any{"l[0].a": "x", "b[0].c": "y", `m["k"]`: "z", "d.e": "f"} {
		refs, _, _ := tfjson.ScanTemplate("${v." + path + "}")
		got, err := tfjson.Navigate(v, refs[0].Parts[1:])
		if err != nil || got != want {
			t.Errorf("navigate %s = %v, %v", path, got, err)
		}
	}
	for _, path := range []string{"l[1]", "l.a", "b[1]", `m["nope"]`, "nope", "u", "u.x", "l[*]", `l["k"]`} {
		refs, _, _ := tfjson.ScanTemplate("${v." + path + "}")
		if _, err := tfjson.Navigate(v, refs[0].Parts[1:]); !errors.Is(err, tfjson.ErrUnresolvable) {
			t.Errorf("navigate %s: %v", path, err)
		}
	}
	if _, err := tfjson.Navigate("s", []tfjson.Part{{Name: "x"}}); err == nil {
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
		{tfjson.DynamicValue{Value: "x"}, tfjson.DynamicValue{Value: "x"}, true}, {struct{}{}, struct{}{}, false}, {2.5, "2.5", true},
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
	paths := [][]tfjson.Part{{{Name: "tags"}, {Name: "Name"}}, {{Name: "l"}, {Key: 0}, {Name: "p"}}, {{Name: "t"}, {Key: 0}}, {{Name: "t"}, {Key: 3}, {Name: "x"}}, {{Name: "s"}, {Key: "k"}}}
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

func TestReport(t *testing.T) {
	st := &stack{resources: map[string]*resource{
		"aws_lb.x":  {typ: "aws_lb", name: "x", path: "App/LB"},
		"aws_vpc.v": {typ: "aws_vpc", name: "v", path: "App/VPC", multi: true},
	}}
	old := &stack{resources: map[string]*resource{"aws_iam_role.gone": {typ: "aws_iam_role", name: "gone", path: "App/Role"}}}
	d := &Deployment{deployed: old}
	changes := []engine.Change{
		{Addr: "aws_lb.x", Mode: "managed", Type: "aws_lb", Name: "x", Action: "create-then-delete", Reason: "replace_because_cannot_update",
			ReplacePaths: [][]tfjson.Part{{{Name: "subnets"}}, {{Name: "name"}}}},
		{Addr: "aws_vpc.v[1]", Mode: "managed", Type: "aws_vpc", Name: "v", Index: 1, Action: "update"},
		{Addr: "aws_iam_role.gone", Mode: "managed", Type: "aws_iam_role", Name: "gone", Action: "delete"},
		{Addr: "aws_iam_role.forgotten", Mode: "managed", Type: "aws_iam_role", Name: "forgotten", Action: "forget"},
		{Addr: "aws_sg.s", Mode: "managed", Type: "aws_sg", Name: "s", Action: "delete-then-create"},
		{Addr: "aws_new.n", Mode: "managed", Type: "aws_new", Name: "n", Action: "create"},
		{Addr: "aws_same.s", Mode: "managed", Type: "aws_same", Name: "s", Action: "no-op"},
		{Addr: "data.aws_region.r", Mode: "data", Type: "aws_region", Name: "r", Action: "read"},
		{Addr: "aws_lb.x", Mode: "managed", Type: "aws_lb", Name: "x", Action: "delete", Deposed: "abcd"},
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

	rec := &recorder{}
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
	rec = &recorder{}
	AssertNoReplacements(rec, r)
	if !strings.Contains(rec.msg, "of any type") {
		t.Errorf("no types: %s", rec.msg)
	}
	rec = &recorder{}
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
	rec = &recorder{}
	AssertNoneDestroyed(rec, renamed, "aws_lb")
	if !rec.failed || !strings.HasPrefix(rec.msg, "the change destroys 1 resource(s) of aws_lb (-want +got):\n+ delete aws_lb.old\n") {
		t.Errorf("AssertNoneDestroyed message: %s", rec.msg)
	}
	rec = &recorder{}
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
	// The state's dependencies are transitive, and a dependency of a
	// create-before-destroy resource is one too, as the engine records them.
	deps, cbd := dependencies(st)
	if diff := cmp.Diff(map[string]bool{"aws_x.a": true, "aws_x.b": true, "aws_x.c": true}, deps["aws_x.d"]); diff != "" {
		t.Errorf("dependencies of d (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]bool{"aws_x.a": true, "aws_x.b": true}, cbd); diff != "" {
		t.Errorf("create_before_destroy (-want +got):\n%s", diff)
	}
	planned := func(name string, vals map[string]any) engine.Change {
		after := map[string]any{"id": tfjson.Unknown, "name": nil, "ref": nil, "tags": nil}
		for k, v := range vals {
			after[k] = v
		}
		return engine.Change{Addr: "aws_x." + name, Mode: "managed", Type: "aws_x", Name: name, Provider: "p", Action: "create", After: after}
	}
	changes := []engine.Change{
		planned("a", map[string]any{"name": "a-normalized"}), // contradicts b's prediction
		planned("b", map[string]any{"ref": "A"}),
		planned("c", map[string]any{"ref": body("c")["ref"]}),
		planned("d", nil),
		planned("e", map[string]any{"name": "E"}),
		planned("h", map[string]any{"name": "H"}),
		{Addr: "aws_x.f[0]", Mode: "managed", Type: "aws_x", Name: "f", Index: 0, Provider: "p", Action: "update", After: map[string]any{}},
		planned("g", nil),
	}
	stuck, err := d.commitWave(st, doc, deps, cbd, preds, changes, s)
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
	if !d.done["aws_x.a"] || !d.done["aws_x.e"] || len(d.state) != 2 || d.state["aws_x.a"].schemaVersion != 1 ||
		!d.state["aws_x.a"].cbd || d.state["aws_x.e"].cbd {
		t.Errorf("done %v state %v", d.done, d.state)
	}
	// The next wave predicts from the state and from the last plan.
	p = &predictor{d: d, st: st, memo: map[string]any{}, busy: map[string]bool{},
		last: map[string]map[string]any{"aws_x.b": {"ref": "A", "id": tfjson.Unknown}}}
	if v, err := p.ref([]tfjson.Part{{Name: "aws_x"}, {Name: "a"}, {Name: "name"}}); err != nil || v != "a-normalized" {
		t.Errorf("a.name from the state = %v, %v", v, err)
	}
	if v, err := p.ref([]tfjson.Part{{Name: "aws_x"}, {Name: "b"}, {Name: "ref"}}); err != nil || v != "A" {
		t.Errorf("b.ref from the last plan = %v, %v", v, err)
	}
	for _, ref := range []string{"aws_x.f.id", "aws_x.f[*].id", "aws_x.b", "aws_x.b.count", "aws_x.g.ref", "nope.x.y"} {
		refs, _, _ := tfjson.ScanTemplate("${" + ref + "}")
		if _, err := p.ref(refs[0].Parts); err == nil {
			t.Errorf("%s resolved", ref)
		}
	}
	if v, err := p.ref([]tfjson.Part{{Name: "aws_x"}, {Name: "f"}, {Key: 0}, {Name: "name"}}); err != nil || v != "F" {
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
		t.Error("an tfjson.Unknown built-in type has a schema")
	}
}

// TestMovedBetweenConfigurations: a resource moved to another provider configuration,
// in another region, is created anew there; a global one only when the account or the
// partition differs; what is created or deleted anyway stays so.
func TestMovedBetweenConfigurations(t *testing.T) {
	east, west := awsid.Place{Partition: "aws", Region: "us-east-1", Account: "111111111111"}, awsid.Place{Partition: "aws", Region: "eu-west-1", Account: "111111111111"}
	places := map[string]awsid.Place{"aws": east, "aws.west": west}
	const def, alias = `provider["registry.terraform.io/hashicorp/aws"]`, `provider["registry.terraform.io/hashicorp/aws"].west`
	d := &Deployment{deployed: &stack{places: places, resources: map[string]*resource{}}, state: map[string]*instance{
		"aws_dynamodb_table.t": {provider: def}, "aws_iam_role.r": {provider: def}, "aws_s3_bucket.b": {provider: def}, "aws_s3_bucket.gone": {provider: def}}}
	st := &stack{places: places, resources: map[string]*resource{}}
	r := d.report([]engine.Change{
		{Addr: "aws_dynamodb_table.t", Mode: "managed", Type: "aws_dynamodb_table", Name: "t", Provider: alias, Action: "no-op"},
		{Addr: "aws_iam_role.r", Mode: "managed", Type: "aws_iam_role", Name: "r", Provider: alias, Action: "update"},
		{Addr: "aws_s3_bucket.b", Mode: "managed", Type: "aws_s3_bucket", Name: "b", Provider: def, Action: "no-op"},
		{Addr: "aws_s3_bucket.gone", Mode: "managed", Type: "aws_s3_bucket", Name: "gone", Provider: alias, Action: "delete"},
		{Addr: "aws_s3_bucket.new", Mode: "managed", Type: "aws_s3_bucket", Name: "new", Provider: alias, Action: "create"},
	}, st)
	got := map[string]string{}
	for _, c := range r.Changes {
		got[c.Address] = string(c.Action) + " " + strings.Join(c.ReplacePaths, ",") + " " + c.Reason
	}
	want := map[string]string{"aws_dynamodb_table.t": "replace provider.region " + ReasonProviderMoved, "aws_iam_role.r": "update  ",
		"aws_s3_bucket.gone": "delete  ", "aws_s3_bucket.new": "create  "}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("verdict (-want +got):\n%s", diff)
	}
	if len(r.Moves) != 0 {
		t.Errorf("moves %v: no configuration moved", r.Moves)
	}
	if providerRefOf(alias) != "aws.west" || providerRefOf(`provider["terraform.io/builtin/terraform"]`) != "terraform" || providerRefOf("x") != "x" {
		t.Error("providerRefOf")
	}
}
