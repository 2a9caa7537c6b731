package tfx_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/internal/tfx"
)

func TestPolicy(t *testing.T) {
	got := *tfx.Policy(tfx.Statement{Effect: "Allow", Action: []string{"b:Y", "a:X"}, Resource: []string{"${aws_x.y.arn}"}})
	want := `{"Statement":[{"Effect":"Allow","Action":["a:X","b:Y"],"Resource":["${aws_x.y.arn}"]}],"Version":"2012-10-17"}`
	if got != want {
		t.Errorf("Policy =\n%s\nwant\n%s", got, want)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(*tfx.AssumeRole("ecs-tasks.amazonaws.com")), &doc); err != nil {
		t.Fatal(err)
	}
	st := doc["Statement"].([]any)[0].(map[string]any)
	if diff := cmp.Diff(map[string]any{"Service": "ecs-tasks.amazonaws.com"}, st["Principal"]); diff != "" || st["Action"].([]any)[0] != "sts:AssumeRole" {
		t.Errorf("AssumeRole principal (-want +got):\n%s", diff)
	}
}

func TestTagsAndLists(t *testing.T) {
	env := naming.MustEnvironment("stage", naming.Options{})
	got := map[string]string{}
	for k, v := range *tfx.Tags(env, "lms-x-stage") {
		got[k] = *v
	}
	want := map[string]string{"Name": "lms-x-stage", "Project": "lms", "Environment": "stage", "ManagedBy": "cdktf"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Tags (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"a", "b"}, tfx.Values(tfx.Strings([]string{"a", "b"}))); diff != "" || tfx.Values(nil) != nil {
		t.Errorf("Strings/Values round trip (-want +got):\n%s", diff)
	}
}

func TestMustBeValid(t *testing.T) {
	tfx.MustBeValid("x", "ID", nil)
	defer func() {
		msg, _ := recover().(string)
		if !strings.Contains(msg, `x.New("ID"): invalid Config:`+"\n"+"bad field") {
			t.Errorf("panic = %q", msg)
		}
	}()
	tfx.MustBeValid("x", "ID", errors.New("bad field"))
}

func TestNamesAndARNs(t *testing.T) {
	for s, want := range map[string]bool{
		"arn:aws:kms:ca-central-1:123456789012:key/0b6c8f7e-1234": true, "alias/x": false,
		"arn:aws:kms:ca-central-1:123456789012:alias/x": false, "0b6c8f7e-1234": false,
	} {
		if got := tfx.IsKMSKeyARN(s); got != want {
			t.Errorf("IsKMSKeyARN(%q) = %v", s, got)
		}
	}
	for s, want := range map[string]bool{
		"iac-tf-states": true, "my.bucket-1": true, "ab": false, "My_Bucket": false,
		"192.168.1.1": false, "a..b": false, "-ab": false, strings.Repeat("a", 64): false,
	} {
		if got := tfx.IsBucketName(s); got != want {
			t.Errorf("IsBucketName(%q) = %v", s, got)
		}
	}
}

func TestProblems(t *testing.T) {
	var p tfx.Problems
	if p.Err() != nil || !p.RequireEnvironment(naming.MustEnvironment("stage", naming.Options{})) {
		t.Fatal("an empty collector reports problems")
	}
	p.Add(nil)
	if p.RequireEnvironment(naming.Environment{}) {
		t.Error("zero Environment accepted")
	}
	p.Addf("Field %q is bad", "x")
	p.Add(errors.New("another"))
	want := "Environment is required (build one with naming.NewEnvironment)\nField \"x\" is bad\nanother"
	if got := p.Err().Error(); got != want {
		t.Errorf("Err() = %q, want %q", got, want)
	}
}
