package tfjson

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// canon parses a document and renders it back, for comparisons.
func canon(t *testing.T, raw string) string {
	t.Helper()
	doc, err := Parse([]byte(raw))
	if err != nil {
		t.Fatalf("Parse(%s): %v", raw, err)
	}
	out, _ := json.Marshal(doc)
	return string(out)
}

// TestParseForms: every form the engine accepts for a block gives the canonical
// document of the plain form, so the stack means the same after verify rewrote it.
func TestParseForms(t *testing.T) {
	plain := `{"resource": {"aws_s3_bucket": {"a": {"bucket": "x"}, "b": {"bucket": "y"}}, "terraform_data": {"c": {}}}}`
	want := canon(t, plain)
	for name, form := range map[string]string{
		"array at the top":          `{"resource": [{"aws_s3_bucket": {"a": {"bucket": "x"}}}, {"aws_s3_bucket": {"b": {"bucket": "y"}}, "terraform_data": {"c": {}}}]}`,
		"array at the type":         `{"resource": {"aws_s3_bucket": [{"a": {"bucket": "x"}}, {"b": {"bucket": "y"}}], "terraform_data": [{"c": {}}]}}`,
		"array at the body":         `{"resource": {"aws_s3_bucket": {"a": [{"bucket": "x"}], "b": {"bucket": "y"}}, "terraform_data": {"c": [{}]}}}`,
		"the resource key twice":    `{"resource": {"aws_s3_bucket": {"a": {"bucket": "x"}}}, "resource": {"aws_s3_bucket": {"b": {"bucket": "y"}}, "terraform_data": {"c": {}}}}`,
		"the type key twice":        `{"resource": {"aws_s3_bucket": {"a": {"bucket": "x"}}, "aws_s3_bucket": {"b": {"bucket": "y"}}, "terraform_data": {"c": {}}}}`,
		"an array at the top level": `[{"resource": {"aws_s3_bucket": {"a": {"bucket": "x"}}}}, {"resource": {"aws_s3_bucket": {"b": {"bucket": "y"}}, "terraform_data": {"c": {}}}}]`,
	} {
		if got := canon(t, form); got != want {
			t.Errorf("%s:\n got %s\nwant %s", name, got, want)
		}
	}
	// Other block types: locals merge, providers and terraform blocks list, the
	// lifecycle block of a resource is one object.
	got := canon(t, `{"locals": [{"a": 1}, {"b": "${local.a}"}], "provider": {"aws": {"region": "x"}, "aws": [{"alias": "w", "region": "y"}]},
	  "terraform": {"required_version": ">= 1.0"}, "terraform": [{"required_providers": [{"aws": {"source": "hashicorp/aws"}}]}],
	  "data": [{"aws_region": {"r": {}}}], "ephemeral": {"aws_x": [{"e": {"lifecycle": [{"precondition": []}]}}]},
	  "output": [{"o": {"value": 1}}], "variable": {"v": {}}, "moved": {"from": "a.b", "to": "a.c"}, "moved": [{"from": "a.d", "to": "a.e"}],
	  "resource": {"terraform_data": {"t": {"lifecycle": [{"create_before_destroy": true}], "//": {"metadata": {"path": "A"}}, "//": "second"}}},
	  "//": {"metadata": {}}}`)
	wantDoc := `{"//":{"metadata":{}},"data":{"aws_region":{"r":{}}},"ephemeral":{"aws_x":{"e":{"lifecycle":{"precondition":[]}}}},` +
		`"locals":{"a":1,"b":"${local.a}"},"moved":[{"from":"a.b","to":"a.c"},{"from":"a.d","to":"a.e"}],"output":{"o":{"value":1}},` +
		`"provider":{"aws":[{"region":"x"},{"alias":"w","region":"y"}]},"resource":{"terraform_data":{"t":{"//":{"metadata":{"path":"A"}},"lifecycle":{"create_before_destroy":true}}}},` +
		`"terraform":[{"required_version":"\u003e= 1.0"},{"required_providers":{"aws":{"source":"hashicorp/aws"}}}],"variable":{"v":{}}}`
	if diff := cmp.Diff(wantDoc, got); diff != "" {
		t.Errorf("canonical form (-want +got):\n%s", diff)
	}
	if got := canon(t, `[]`); got != `{}` {
		t.Errorf("an empty array: %s", got)
	}
	// Numbers keep their text.
	if got := canon(t, `{"locals": {"n": 12345678901234567890.5}}`); !strings.Contains(got, "12345678901234567890.5") {
		t.Errorf("a big number: %s", got)
	}
}

// TestParseRefusals: what the engine refuses, and what verify cannot carry over with
// the engine's meaning, is refused with the place and the value.
func TestParseRefusals(t *testing.T) {
	for raw, want := range map[string]string{
		`{"resource": {}} garbage`:        "data after the top-level object at offset",
		`{"resource": {}}{}`:              "data after the top-level object",
		`null`:                            "the top level is null, not an object",
		`{"resource": `:                   "not Terraform JSON",
		"{\"locals\": {\"a\": \"\xff\"}}": "not valid UTF-8 (byte 0xff at offset 18)",
		`{"bogus": {}}`:                   `the top-level key "bogus", which is not a Terraform block type`,
		`{"resource": {"terraform_data": {"a": {}}}, "resource": {"terraform_data": {"a": {}}}}`:                  "resource.terraform_data.a is defined twice",
		`{"resource": {"terraform_data": {"a": [{}, {}]}}}`:                                                       "resource.terraform_data.a is defined twice",
		`{"locals": [{"a": 1}, {"a": 2}]}`:                                                                        `the local "a" is defined twice`,
		`{"output": {"o": {"value": 1}}, "output": {"o": {"value": 2}}}`:                                          "output.o is defined twice",
		`{"resource": {"terraform_data": {"a": {"input": "x", "input": "y"}}}}`:                                   `resource.terraform_data.a has the key "input" twice`,
		`{"resource": {"aws_security_group": {"a": {"ingress": {"from_port": 1}, "ingress": {"from_port": 2}}}}}`: `write repeated nested blocks as one array: "ingress": [{...}, {...}]`,
		`{"resource": {"terraform_data": {"a": {"input": {"k": 1, "k": 2}}}}}`:                                    `resource.terraform_data.a.input has the key "k" twice`,
		`{"resource": {"terraform_data": {"a": {"lifecycle": [{}, {}]}}}}`:                                        "resource.terraform_data.a has 2 lifecycle blocks",
		`{"resource": {"terraform_data": {"a": {"lifecycle": "x"}}}}`:                                             "resource.terraform_data.a.lifecycle is a string, want an object",
		`{"resource": {"terraform_data": {"a": 1}}}`:                                                              "resource.terraform_data.a is a number, want an object",
		`{"resource": {"terraform_data": [1]}}`:                                                                   "resource.terraform_data[0] is a number, want an object",
		`{"terraform": {"required_providers": [{}, {}]}}`:                                                         "has 2 required_providers blocks",
		`{"terraform": {"required_version": "1", "required_version": "2"}}`:                                       `terraform has the key "required_version" twice`,
	} {
		_, err := Parse([]byte(raw))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%q) = %v, want an error containing %q", raw, err, want)
		}
	}
}

func TestBlocks(t *testing.T) {
	if len(Blocks(map[string]any{"a": 1})) != 1 || len(Blocks([]any{map[string]any{}, 1, map[string]any{}})) != 2 || Blocks("x") != nil {
		t.Error("Blocks")
	}
	if MapOf(1) != nil || MapOf(map[string]any{}) == nil {
		t.Error("MapOf")
	}
}
