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
	var got any
	if err := json.Unmarshal([]byte(*tfx.Policy(tfx.Statement{Effect: "Allow", Action: []string{"b:Y", "a:X"}, Resource: []string{"${aws_x.y.arn}"}})), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"Version": "2012-10-17", "Statement": []any{
		map[string]any{"Effect": "Allow", "Action": []any{"a:X", "b:Y"}, "Resource": []any{"${aws_x.y.arn}"}},
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Policy (-want +got):\n%s", diff)
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

func TestRules(t *testing.T) {
	for s, want := range map[string]bool{"${aws_x.y.id}": true, "#{TfToken[TOKEN.3]}": true, "vpc-1": false, "": false} {
		if tfx.IsToken(s) != want {
			t.Errorf("IsToken(%q) = %v", s, !want)
		}
	}
	if !tfx.IsListToken("#{TfToken[TOKEN.3]}") || tfx.IsListToken("${a.b}") {
		t.Error("IsListToken")
	}
	checks := []struct {
		f    func(string) bool
		good []string
		bad  []string
	}{
		{tfx.IsCertificateARN, []string{"arn:aws:acm:ca-central-1:123456789012:certificate/0b6c8f7e-1234"}, []string{"arn:aws:iam::123456789012:server-certificate/x", "cert"}},
		{tfx.IsSecretARN, []string{"arn:aws:secretsmanager:ca-central-1:123456789012:secret:lms/api-AbCdEf"}, []string{"lms/api", "arn:aws:kms:ca-central-1:123456789012:key/x"}},
		{tfx.IsListenerARN, []string{"arn:aws:elasticloadbalancing:ca-central-1:123456789012:listener/app/shared/0123456789abcdef/0123456789abcdef"}, []string{"arn:aws:elasticloadbalancing:ca-central-1:123456789012:loadbalancer/app/shared/0123456789abcdef"}},
		{tfx.IsAvailabilityZone, []string{"ca-central-1a", "us-gov-west-1b"}, []string{"ca-central-1", "central"}},
		{tfx.IsVPCID, []string{"vpc-0a1b2c3d", "vpc-0123456789abcdef0"}, []string{"vpc-123", "subnet-0a1b2c3d"}},
		{tfx.IsSubnetID, []string{"subnet-0a1b2c3d"}, []string{"sub-1"}},
		{tfx.IsRouteTableID, []string{"rtb-0a1b2c3d"}, []string{"rt-1"}},
		{tfx.IsSecurityGroupID, []string{"sg-0a1b2c3d"}, []string{"sg-x"}},
	}
	for i, c := range checks {
		for _, s := range c.good {
			if !c.f(s) {
				t.Errorf("check %d refused %q", i, s)
			}
		}
		for _, s := range c.bad {
			if c.f(s) {
				t.Errorf("check %d accepted %q", i, s)
			}
		}
	}
	if name, ok := tfx.ClusterName("arn:aws:ecs:ca-central-1:123456789012:cluster/shared"); !ok || name != "shared" {
		t.Errorf("ClusterName = %q, %v", name, ok)
	}
	if _, ok := tfx.ClusterName("shared"); ok {
		t.Error("ClusterName accepted a name")
	}
	for b, want := range map[string]string{
		"xn--bucket": `AWS reserves the prefix "xn--"`, "sthree-b": `AWS reserves the prefix "sthree-"`, "amzn-s3-demo-b": `reserves the prefix "amzn-s3-demo-"`,
		"b-s3alias": `reserves the suffix "-s3alias"`, "b--ol-s3": `reserves the suffix "--ol-s3"`, "b.mrap": `reserves the suffix ".mrap"`,
		"b--x-s3": `reserves the suffix "--x-s3"`, "b--table-s3": `reserves the suffix "--table-s3"`,
		"a.-b": `".-" and "-." are not allowed`, "a-.b": `are not allowed`, "a..b": `are not allowed`, "10.0.0.1": "shaped like an IP address",
	} {
		err := tfx.BucketNameError(b)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("BucketNameError(%q) = %v, want %q", b, err, want)
		}
	}
	if err := tfx.LogRetentionError("X", 0); err != nil {
		t.Errorf("retention 0 (never expire) refused: %v", err)
	}
	if err := tfx.LogRetentionError("X", 2); err == nil || !strings.Contains(err.Error(), "X 2 is not a CloudWatch Logs retention") {
		t.Errorf("retention 2: %v", err)
	}
	if lc := tfx.CreateBeforeDestroy(); lc == nil || lc.CreateBeforeDestroy == nil || !*lc.CreateBeforeDestroy {
		t.Error("CreateBeforeDestroy")
	}
	if got := tfx.SortedKeys(map[string]int{"b": 1, "a": 2}); !cmp.Equal(got, []string{"a", "b"}) {
		t.Errorf("SortedKeys = %v", got)
	}
}

func TestProblemsIdentity(t *testing.T) {
	var p tfx.Problems
	env := naming.MustEnvironment("stage", naming.Options{})
	id, ok := p.Identity(env, "web", true)
	if !ok || id.Component() != "web" || id.Region() == "" || p.Err() != nil {
		t.Errorf("Identity = %+v, %v, %v", id, ok, p.Err())
	}
	if _, ok := p.Identity(env, "Web", true); ok || p.Err() == nil || !strings.Contains(p.Err().Error(), `Component: component "Web"`) {
		t.Errorf("a bad component: %v", p.Err())
	}
	if _, ok := (&tfx.Problems{}).Identity(env, "web", false); ok {
		t.Error("an identity without an environment")
	}
	if tfx.StampResourceID(naming.MustEnvironment("pr1", naming.Options{})) != "PRSuffix-lms-pr1" {
		t.Error("StampResourceID")
	}
}

func TestHostNameError(t *testing.T) {
	for _, good := range []string{"preview.example.com", "pr4892.preview.example.com", "a.io", "x-1.y2.example.org", strings.Repeat("a", 63) + ".com"} {
		if err := tfx.HostNameError(good); err != nil || !tfx.IsHostName(good) {
			t.Errorf("HostNameError(%q) = %v", good, err)
		}
	}
	long := strings.Repeat(strings.Repeat("a", 60)+".", 5) + "com"
	for bad, want := range map[string]string{
		"":                               `"" is not a DNS name: it needs at least two labels`,
		"localhost":                      `"localhost" is not a DNS name: it needs at least two labels (like "preview.example.com")`,
		"preview..example.com":           `label 2 is empty`,
		"preview.example.com.":           `label 4 is empty`,
		"Preview.example.com":            `label "Preview" must be lowercase letters, digits and '-', not starting or ending with '-'`,
		"-a.example.com":                 `label "-a" must be lowercase`,
		"a_b.example.com":                `label "a_b" must be lowercase`,
		"*.example.com":                  `label "*" must be lowercase`,
		"10.0.0.1":                       `the last label "1" is all digits`,
		strings.Repeat("a", 64) + ".com": "label 1 is 64 characters, over the limit of 63",
		long:                             "is not a DNS name: 308 characters, over the limit of 253",
	} {
		err := tfx.HostNameError(bad)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("HostNameError(%q) = %v, want %q", bad, err, want)
		}
	}
}
