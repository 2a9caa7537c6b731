package tfjson

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

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
		refs, spans, err := ScanTemplate(tt.in)
		if err != nil {
			t.Errorf("%q: %v", tt.in, err)
			continue
		}
		var got []string
		whole := false
		for _, r := range refs {
			got = append(got, RenderParts(r.Parts))
			whole = whole || r.Whole
			if r.Whole && tt.in[r.Start:r.End] != strings.TrimSpace(tt.in[2:len(tt.in)-1]) {
				t.Errorf("%q: span %q", tt.in, tt.in[r.Start:r.End])
			}
		}
		if diff := cmp.Diff(tt.refs, got); diff != "" {
			t.Errorf("%q refs (-want +got):\n%s", tt.in, diff)
		}
		if whole != tt.whole {
			t.Errorf("%q whole = %v", tt.in, whole)
		}
		if p := PureTemplate(tt.in, refs, spans); p != tt.pure {
			t.Errorf("%q pure = %v", tt.in, p)
		}
	}
	for _, bad := range []string{"${a.b", `${"x}`, "${a /* x"} {
		if _, _, err := ScanTemplate(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestLiterals(t *testing.T) {
	v := map[string]any{"s": "a\"b\\c\n${x}%{y}", "n": json.Number("6379"), "b": true, "z": nil,
		"l": []any{1, 2.5, "x"}, "d": DynamicValue{Type: json.RawMessage(`"string"`), Value: "v"}}
	got, err := HCLLiteral(v)
	want := `{"b" = true, "d" = "v", "l" = [1, 2.5, "x"], "n" = 6379, "s" = "a\"b\\c\n$${x}%%{y}", "z" = null}`
	if err != nil || got != want {
		t.Errorf("HCLLiteral = %s, %v\nwant %s", got, err, want)
	}
	if _, err := HCLLiteral(Unknown); err == nil {
		t.Error("HCLLiteral(Unknown): no error")
	}
	if _, err := HCLLiteral([]any{Unknown}); err == nil {
		t.Error("HCLLiteral([Unknown]): no error")
	}
	if _, err := HCLLiteral(map[string]any{"x": Unknown}); err == nil {
		t.Error("HCLLiteral({x: Unknown}): no error")
	}
	lit := JSONLiteral(map[string]any{"${k}": []any{"${v}", DynamicValue{Value: "%{d}"}, 1}})
	if diff := cmp.Diff(map[string]any{"$${k}": []any{"$${v}", "%%{d}", 1}}, lit); diff != "" {
		t.Errorf("JSONLiteral (-want +got):\n%s", diff)
	}
	if UnescapeTemplate("$${a}%%{b}") != "${a}%{b}" {
		t.Error("UnescapeTemplate")
	}
}
