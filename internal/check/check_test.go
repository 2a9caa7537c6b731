package check_test

import (
	"strings"
	"testing"

	"github.com/tapstack/infra/awsid"
	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/field"
	"github.com/tapstack/infra/internal/check"
)

func TestChecks(t *testing.T) {
	var l field.List
	env := naming.MustEnvironment("stage", naming.Options{})
	id, ok := check.Identity(&l, env, "web")
	if !ok || id.Component() != "web" || id.Region() != awsid.LongestRegion() || l.Err() != nil {
		t.Errorf("Identity = %+v, %v, %v", id, ok, l.Err())
	}
	if _, ok := check.Identity(&l, naming.Environment{}, "Web"); ok {
		t.Error("an identity without an environment")
	}
	check.ARN(&l, "Cert", "arn:aws:acm:eu-west-1:123456789012:certificate/abc", awsid.CertificateARN, awsid.In("ca-central-1"))
	check.ARN(&l, "Token", "${TfToken[TOKEN.1]}", awsid.CertificateARN, awsid.Place{})
	check.ARN(&l, "Text", "${aws_acm_certificate.x.arn}", awsid.CertificateARN, awsid.Place{})
	check.ARN(&l, "Empty", "", awsid.CertificateARN, awsid.Place{})
	check.ID(&l, "VPC", "vpc-1", awsid.VPCID)
	check.ID(&l, "VPCToken", "${TfToken[TOKEN.2]}", awsid.VPCID)
	check.LogRetention(&l, "Days", new(2))
	check.LogRetention(&l, "Unset", nil)
	if check.Literal(&l, "Ok", "plain") != true {
		t.Error("Literal refused plain text")
	}
	want := []string{
		`Environment is required`,
		`Component "Web" is not a component`,
		`Cert "arn:aws:acm:eu-west-1:123456789012:certificate/abc" is in region eu-west-1, not the stack's region ca-central-1`,
		`Text "${aws_acm_certificate.x.arn}" holds "${"`,
		`VPC "vpc-1" is not a VPC ID`,
		`Days 2 is not a CloudWatch Logs retention`,
	}
	errs := field.Split(l.Err())
	if len(errs) != len(want) {
		t.Fatalf("%d problems, want %d:\n%v", len(errs), len(want), l.Err())
	}
	for i, w := range want {
		if !strings.Contains(errs[i].Error(), w) {
			t.Errorf("problem %d = %q, want %q", i, errs[i], w)
		}
	}
}
