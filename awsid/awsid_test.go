package awsid_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/tapstack/infra/awsid"
)

func wantErr(t *testing.T, what string, err error, want string) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Errorf("%s: unexpected error %v", what, err)
	case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
		t.Errorf("%s: error %v, want it to contain %q", what, err, want)
	}
}

func TestRegions(t *testing.T) {
	for _, r := range []string{"ca-central-1", "us-east-1", "eu-north-1", "us-gov-west-1", "cn-north-1", "us-isob-east-1", "mx-central-1", "eusc-de-east-1"} {
		wantErr(t, r, awsid.ValidateRegion(r), "")
	}
	for r, want := range map[string]string{
		"us-east-9":  `"us-east-9" is not a region of any AWS partition the provider knows`,
		"eu-north-7": `(did you mean "eu-north-1"?)`,
		"canada":     `"canada" is not a region`,
		"":           `"" is not a region`,
	} {
		wantErr(t, r, awsid.ValidateRegion(r), want)
	}
	// One table for every partition: verify's fakes use the same answers.
	for region, want := range map[string][2]string{
		"ca-central-1": {"aws", "amazonaws.com"}, "us-gov-east-1": {"aws-us-gov", "amazonaws.com"},
		"cn-north-1": {"aws-cn", "amazonaws.com.cn"}, "us-iso-east-1": {"aws-iso", "c2s.ic.gov"},
		"us-isob-east-1": {"aws-iso-b", "sc2s.sgov.gov"}, "eu-isoe-west-1": {"aws-iso-e", "cloud.adc-e.uk"},
		"us-isof-south-1": {"aws-iso-f", "csp.hci.ic.gov"}, "eusc-de-east-1": {"aws-eusc", "amazonaws.eu"},
	} {
		p := awsid.Partition(region)
		if p != want[0] || awsid.DNSSuffix(p) != want[1] {
			t.Errorf("%s: partition %q (%q), want %v", region, p, awsid.DNSSuffix(p), want)
		}
		if !slices.Contains(awsid.RegionsOf(p), region) {
			t.Errorf("RegionsOf(%q) lacks %s", p, region)
		}
	}
	if awsid.Partition("x") != "" || awsid.DNSSuffix("x") != "" || awsid.RegionsOf("x") != nil {
		t.Error("an unknown region or partition has an answer")
	}
	rs := awsid.Regions()
	if len(rs) < 40 || rs[0] != "af-south-1" || !slices.IsSorted(rs) {
		t.Errorf("Regions() = %v", rs)
	}
	rs[0] = "changed"
	if awsid.Regions()[0] != "af-south-1" {
		t.Error("Regions returns the table itself")
	}
	if ps := awsid.Partitions(); len(ps) != 8 || ps[0] != "aws" {
		t.Errorf("Partitions() = %v", ps)
	}
	for _, r := range rs[1:] {
		if len(r) > len(awsid.LongestRegion()) {
			t.Errorf("LongestRegion %q is shorter than %q", awsid.LongestRegion(), r)
		}
	}
}

func TestParseARN(t *testing.T) {
	a, err := awsid.ParseARN("arn:aws:ecs:ca-central-1:123456789012:cluster/shared")
	if err != nil || a != (awsid.ARN{Partition: "aws", Service: "ecs", Region: "ca-central-1", Account: "123456789012", Resource: "cluster/shared"}) {
		t.Fatalf("ParseARN = %+v, %v", a, err)
	}
	if a.String() != "arn:aws:ecs:ca-central-1:123456789012:cluster/shared" {
		t.Errorf("String() = %q", a)
	}
	for s, want := range map[string]string{
		"cluster/shared":                                          "is not an ARN (arn:<partition>",
		"arn:aws:ecs:ca-central-1":                                "is not an ARN (arn:<partition>",
		"arn:awz:ecs:ca-central-1:123456789012:cluster/x":         `"awz" is not an AWS partition`,
		"arn:aws:ECS:ca-central-1:123456789012:cluster/x":         `the service "ECS" is not a service name`,
		"arn:aws:ecs:ca-central-9:123456789012:cluster/x":         `"ca-central-9" is not a region the provider knows`,
		"arn:aws-cn:ecs:ca-central-1:123456789012:cluster/x":      "region ca-central-1 is in partition aws, not aws-cn",
		"arn:aws:ecs:ca-central-1:1234:cluster/x":                 `the account "1234" is not 12 digits`,
		"arn:aws:ecs:ca-central-1:123456789012:":                  "the resource part is empty",
		"arn:aws:s3:::my-bucket":                                  "",
		"arn:aws:iam::123456789012:role/x":                        "",
		"arn:aws-us-gov:ecs:us-gov-west-1:123456789012:cluster/x": "",
	} {
		_, err := awsid.ParseARN(s)
		wantErr(t, s, err, want)
	}
}

func TestARNKinds(t *testing.T) {
	const acct = "123456789012"
	cases := []struct {
		kind awsid.ARNKind
		good []string
		bad  map[string]string
	}{
		{awsid.CertificateARN, []string{"arn:aws:acm:ca-central-1:" + acct + ":certificate/0b6c8f7e-1234"},
			map[string]string{"arn:aws:iam::" + acct + ":server-certificate/x": `the service is "iam", not "acm"`, "cert": "is not an ARN"}},
		{awsid.KMSKeyARN, []string{"arn:aws:kms:ca-central-1:" + acct + ":key/0b6c8f7e-1234"},
			map[string]string{"arn:aws:kms:ca-central-1:" + acct + ":alias/x": `the resource part "alias/x" has the wrong shape`, "alias/x": "is not an ARN", "0b6c8f7e": "is not an ARN"}},
		{awsid.SecretARN, []string{"arn:aws:secretsmanager:ca-central-1:" + acct + ":secret:lms/api-AbCdEf",
			"arn:aws:secretsmanager:ca-central-1:" + acct + ":secret:rds!db-1234-AbCdEf"},
			map[string]string{"lms/api": "is not an ARN", "arn:aws:secretsmanager:ca-central-1:" + acct + ":secret:a b": "wrong shape"}},
		{awsid.SSMParameterARN, []string{"arn:aws:ssm:ca-central-1:" + acct + ":parameter/lms/db/url"},
			map[string]string{"arn:aws:ssm:ca-central-1:" + acct + ":document/x": "wrong shape"}},
		{awsid.ClusterARN, []string{"arn:aws:ecs:ca-central-1:" + acct + ":cluster/shared"},
			map[string]string{"arn:aws:ecs:ca-central-1:" + acct + ":service/shared/x": "wrong shape", "arn:aws:ecs::" + acct + ":cluster/x": "it has no region"}},
		{awsid.ListenerARN, []string{"arn:aws:elasticloadbalancing:ca-central-1:" + acct + ":listener/app/shared/0123456789abcdef/0123456789abcdef"},
			map[string]string{"arn:aws:elasticloadbalancing:ca-central-1:" + acct + ":loadbalancer/app/shared/0123456789abcdef": "wrong shape",
				"arn:aws:elasticloadbalancing:ca-central-1:" + acct + ":listener-rule/app/shared/0123456789abcdef/0123456789abcdef/0123456789abcdef": "wrong shape"}},
		{awsid.LoadBalancerARN, []string{"arn:aws:elasticloadbalancing:ca-central-1:" + acct + ":loadbalancer/app/shared/0123456789abcdef"}, nil},
		{awsid.BucketARN, []string{"arn:aws:s3:::my-bucket"},
			map[string]string{"arn:aws:s3:ca-central-1::my-bucket": "it has a region", "arn:aws:s3:::" + acct + ":b": "wrong shape", "arn:aws:s3:::My_Bucket": "wrong shape"}},
		{awsid.RoleARN, []string{"arn:aws:iam::" + acct + ":role/app", "arn:aws:iam::" + acct + ":role/service-role/app"},
			map[string]string{"arn:aws:iam:ca-central-1:" + acct + ":role/app": "it has a region", "arn:aws:iam:::role/app": "it has no account"}},
		{awsid.ResourceARN, []string{"arn:aws:s3:::bucket/*", "arn:aws:dynamodb:ca-central-1:" + acct + ":table/t"},
			map[string]string{"*": "is not an ARN", "arn:aws:s3:::*": `the resource "*" names every resource`, "arn:aws:dynamodb:*:" + acct + ":table/t": "is not a region the provider knows"}},
	}
	for _, c := range cases {
		for _, s := range c.good {
			wantErr(t, c.kind.String()+" "+s, c.kind.Check(s), "")
		}
		for s, want := range c.bad {
			err := c.kind.Check(s)
			wantErr(t, c.kind.String()+" "+s, err, want)
			if err != nil && !strings.HasPrefix(err.Error(), `"`+s[:min(len(s), 5)]) {
				t.Errorf("%s: the error does not start with the value: %v", s, err)
			}
		}
	}
	if awsid.ARNKind(0).String() != "ARNKind(0)" || awsid.CertificateARN.Form() == "" || !awsid.ListenerARN.SameAccount() || awsid.KMSKeyARN.SameAccount() {
		t.Error("ARNKind accessors")
	}
}

func TestCheckIn(t *testing.T) {
	here := awsid.Place{Partition: "aws", Region: "ca-central-1", Account: "123456789012"}
	listener := func(region, acct string) string {
		return "arn:aws:elasticloadbalancing:" + region + ":" + acct + ":listener/app/shared/0123456789abcdef/0123456789abcdef"
	}
	for _, c := range []struct {
		kind  awsid.ARNKind
		arn   string
		place awsid.Place
		want  string
	}{
		{awsid.ListenerARN, listener("ca-central-1", "123456789012"), here, ""},
		{awsid.ListenerARN, listener("eu-west-1", "123456789012"), here, "is in region eu-west-1, not the stack's region ca-central-1"},
		{awsid.ListenerARN, listener("ca-central-1", "210987654321"), here, "is in account 210987654321, not the stack's account 123456789012"},
		{awsid.ListenerARN, listener("ca-central-1", "210987654321"), awsid.In("ca-central-1"), ""}, // the account is unknown
		{awsid.KMSKeyARN, "arn:aws:kms:ca-central-1:210987654321:key/abc", here, ""},                // keys may be shared across accounts
		{awsid.KMSKeyARN, "arn:aws:kms:eu-west-1:123456789012:key/abc", here, "not the stack's region"},
		{awsid.ClusterARN, "arn:aws-us-gov:ecs:us-gov-west-1:123456789012:cluster/x", here, "is in partition aws-us-gov, not the stack's partition aws"},
		{awsid.BucketARN, "arn:aws:s3:::b-1", here, ""},
		{awsid.RoleARN, "arn:aws:iam::210987654321:role/x", here, ""},
	} {
		wantErr(t, c.arn, c.kind.CheckIn(c.arn, c.place), c.want)
	}
	if got := awsid.In("us-gov-west-1"); got != (awsid.Place{Partition: "aws-us-gov", Region: "us-gov-west-1"}) || got.String() != "aws-us-gov/us-gov-west-1/?" {
		t.Errorf("In = %+v %s", got, got)
	}
}

func TestIDs(t *testing.T) {
	for _, c := range []struct {
		kind      awsid.IDKind
		good, bad []string
	}{
		{awsid.VPCID, []string{"vpc-0a1b2c3d", "vpc-0123456789abcdef0"}, []string{"vpc-123", "subnet-0a1b2c3d", "vpc-0A1B2C3D"}},
		{awsid.SubnetID, []string{"subnet-0a1b2c3d"}, []string{"sub-1"}},
		{awsid.RouteTableID, []string{"rtb-0a1b2c3d"}, []string{"rt-1"}},
		{awsid.SecurityGroupID, []string{"sg-0a1b2c3d"}, []string{"sg-x"}},
		{awsid.PrefixListID, []string{"pl-0a1b2c3d"}, []string{"pl-"}},
	} {
		for _, s := range c.good {
			wantErr(t, s, c.kind.Check(s), "")
		}
		for _, s := range c.bad {
			wantErr(t, s, c.kind.Check(s), `"`+s+`" is not `+c.kind.String()+" ("+c.kind.Prefix()+"- and 8 or 17 hex digits)")
		}
	}
	if awsid.IDKind(0).String() != "IDKind(0)" {
		t.Error("IDKind(0)")
	}
	for az, want := range map[[2]string]string{
		{"ca-central-1a", "ca-central-1"}: "", {"us-gov-west-1b", ""}: "",
		{"ca-central-1", ""}: "is not an availability zone name", {"central", ""}: "is not an availability zone name",
		{"xx-north-9a", ""}:            "not an availability zone of a region the provider knows",
		{"eu-west-1a", "ca-central-1"}: `"eu-west-1a" is a zone of region eu-west-1, not of the stack's region ca-central-1`,
	} {
		wantErr(t, az[0], awsid.CheckAvailabilityZone(az[0], az[1]), want)
	}
}

func TestHostName(t *testing.T) {
	for _, good := range []string{"preview.example.com", "pr4892.preview.example.com", "a.io", "x-1.y2.example.org", strings.Repeat("a", 63) + ".com"} {
		wantErr(t, good, awsid.CheckHostName(good), "")
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
		wantErr(t, bad, awsid.CheckHostName(bad), want)
	}
}

func TestBucketNames(t *testing.T) {
	for s, want := range map[string]string{
		"iac-tf-states": "", "my.bucket-1": "", "ab": "is not an S3 bucket name", "My_Bucket": "is not an S3 bucket name",
		"-ab": "is not an S3 bucket name", strings.Repeat("a", 64): "is not an S3 bucket name",
		"xn--bucket": `AWS reserves the prefix "xn--"`, "sthree-b": `AWS reserves the prefix "sthree-"`, "amzn-s3-demo-b": `reserves the prefix "amzn-s3-demo-"`,
		"b-s3alias": `reserves the suffix "-s3alias"`, "b--ol-s3": `reserves the suffix "--ol-s3"`, "b.mrap": `reserves the suffix ".mrap"`,
		"b--x-s3": `reserves the suffix "--x-s3"`, "b--table-s3": `reserves the suffix "--table-s3"`,
		"a.-b": `".-" and "-." are not allowed`, "a-.b": `are not allowed`, "a..b": `are not allowed`, "10.0.0.1": "shaped like an IP address",
	} {
		wantErr(t, s, awsid.CheckBucketName(s), want)
	}
}

func TestLogRetention(t *testing.T) {
	wantErr(t, "0", awsid.CheckLogRetention(0), "")
	wantErr(t, "3653", awsid.CheckLogRetention(3653), "")
	wantErr(t, "2", awsid.CheckLogRetention(2), "2 is not a CloudWatch Logs retention")
	days := awsid.LogRetentionDays()
	days[0] = 99
	if awsid.LogRetentionDays()[0] != 0 {
		t.Error("LogRetentionDays returns the table itself")
	}
}
