package tapstackapp_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tapstack/infra/constructs/network"
	"github.com/tapstack/infra/examples/tapstack"
	"github.com/tapstack/infra/field"
	"github.com/tapstack/infra/internal/apptest"
	"github.com/tapstack/infra/internal/envapp"
	"github.com/tapstack/infra/internal/tapstackapp"
	"github.com/tapstack/infra/internal/testutil"
)

func TestConfigFromLookup(t *testing.T) {
	type view struct {
		Env, ID, Region string
		NAT             network.NATMode
		Limits, Local   bool
		Bucket, BRegion string
		Stack, Key      string
	}
	tests := []struct {
		desc string
		vars map[string]string
		want view
	}{
		{"defaults", map[string]string{}, view{"stage", "stage", "", "", false, false, "", "", "TapStackstage", "stage/TapStackstage.tfstate"}},
		{"empty counts as unset", map[string]string{"ENVIRONMENT_SUFFIX": "", "AWS_REGION": ""}, view{"stage", "stage", "", "", false, false, "", "", "TapStackstage", "stage/TapStackstage.tfstate"}},
		{"prod is not a PR", map[string]string{"ENVIRONMENT_SUFFIX": "prod", "PR_TIMESTAMP_SUFFIX": "123456", "ALLOW_LOCAL_STATE": "true"}, view{"prod", "prod", "", "", false, true, "", "", "TapStackprod", "prod/TapStackprod.tfstate"}},
		{"pinned PR", map[string]string{"ENVIRONMENT_SUFFIX": "pr4892", "PR_TIMESTAMP_SUFFIX": "123456"}, view{"pr4892", "pr4892-123456", "", "", false, false, "", "", "TapStackpr4892", "pr4892/TapStackpr4892.tfstate"}},
		{"PR suffix for the first deploy from the clock", map[string]string{"ENVIRONMENT_SUFFIX": "pr12"}, view{"pr12", "pr12-000042", "", "", false, false, "", "", "TapStackpr12", "pr12/TapStackpr12.tfstate"}},
		{"everything set", map[string]string{"ENVIRONMENT_SUFFIX": "dev-eu", "AWS_REGION": "eu-west-1", "CREATE_NAT_GATEWAY": "0",
			"ENABLE_CACHE_LIMITS": "1", "TERRAFORM_STATE_BUCKET": "my.state-bucket", "TERRAFORM_STATE_BUCKET_REGION": "eu-central-1"},
			view{"dev-eu", "dev-eu", "eu-west-1", network.NATNone, true, false, "my.state-bucket", "eu-central-1", "TapStackdev-eu", "dev-eu/TapStackdev-eu.tfstate"}},
		{"NAT forced on", map[string]string{"CREATE_NAT_GATEWAY": "TRUE"}, view{"stage", "stage", "", network.NATSingle, false, false, "", "", "TapStackstage", "stage/TapStackstage.tfstate"}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			c := apptest.TapStack(t, tt.vars)
			got := view{c.Environment.Name(), c.Environment.ID(), c.Region, c.NAT, c.EnableCacheLimits, c.AllowLocalState, c.StateBucket, c.StateBucketRegion, c.StackName(), c.StateKey(c.StackName())}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("config (-want +got):\n%s", diff)
			}
		})
	}
	// An unpinned PR environment keeps its suffix in state; a pin is a literal.
	if !apptest.TapStack(t, map[string]string{"ENVIRONMENT_SUFFIX": "pr12"}).Environment.StampKept() ||
		apptest.TapStack(t, map[string]string{"ENVIRONMENT_SUFFIX": "pr12", "PR_TIMESTAMP_SUFFIX": "000001"}).Environment.StampKept() {
		t.Error("StampKept does not follow PR_TIMESTAMP_SUFFIX")
	}
}

// TestConfigFromLookupOnlyParses: parsing reports what it cannot read, and leaves
// the rest (regions, buckets) to Config.Validate.
func TestConfigFromLookupOnlyParses(t *testing.T) {
	cfg, err := tapstackapp.ConfigFromLookup(testutil.Lookup(map[string]string{"AWS_REGION": "moon-1", "TERRAFORM_STATE_BUCKET": "Not_A_Bucket"}), apptest.Clock)
	if err != nil {
		t.Fatalf("parsing validated: %v", err)
	}
	testutil.ErrorContains(t, cfg.Validate(), `Region "moon-1" is not a region`, `StateBucket "Not_A_Bucket" is not an S3 bucket name`)
	// A NAT choice on the shared platform parses; Config.Validate refuses it.
	cfg, err = tapstackapp.ConfigFromLookup(testutil.Lookup(apptest.PlatformVars(map[string]string{"ENVIRONMENT_SUFFIX": "pr4892", "CREATE_NAT_GATEWAY": "true"})), apptest.Clock)
	if err != nil || cfg.NAT != network.NATSingle {
		t.Fatalf("parsing validated: NAT %q, %v", cfg.NAT, err)
	}
	testutil.ErrorContains(t, cfg.Validate(), `NAT "single" is decided by the shared platform (Platform): leave it unset (Platform.Egress says where the tasks run)`)
	_, err = tapstackapp.ConfigFromLookup(testutil.Lookup(map[string]string{"ENVIRONMENT_SUFFIX": "Stage", "CREATE_NAT_GATEWAY": "yes", "ENABLE_CACHE_LIMITS": " true"}), apptest.Clock)
	want := `ENVIRONMENT_SUFFIX="Stage": environment name "Stage" must match ^[a-z][a-z0-9-]*$ (a lowercase letter, then lowercase letters, digits and '-')` + "\n" +
		`CREATE_NAT_GATEWAY="yes": want true, false, 1 or 0` + "\n" +
		`ENABLE_CACHE_LIMITS=" true": has whitespace around the value: remove it`
	if err == nil || err.Error() != want {
		t.Errorf("parse errors:\n%v\nwant\n%s", err, want)
	}
}

func TestConfigValidate(t *testing.T) {
	env := apptest.TapStack(t, map[string]string{}).Environment
	prod := apptest.TapStack(t, map[string]string{"ENVIRONMENT_SUFFIX": "prod", "ALLOW_LOCAL_STATE": "1"}).Environment
	tests := []struct {
		desc string
		cfg  tapstack.Config
		want []string
	}{
		{"no environment", tapstack.Config{}, []string{"Environment is required"}},
		{"bad bucket and regions", tapstack.Config{Environment: env, Region: "x", StateBucket: "A", StateBucketRegion: "y"},
			[]string{`Region "x" is not a region`, `StateBucket "A" is not an S3 bucket name`, `StateBucketRegion "y" is not a region`}},
		{"bucket region checked without a bucket too", tapstack.Config{Environment: env, StateBucketRegion: "us-east-9"}, []string{`StateBucketRegion "us-east-9" is not a region`}},
		{"blank image", tapstack.Config{Environment: env, Image: " "}, []string{`Image " " is empty`}},
		{"production needs remote state", tapstack.Config{Environment: prod}, []string{`StateBucket is empty: production environment "prod" needs remote state`}},
		{"network problems surface", tapstack.Config{Environment: env, ExistingVPCID: "vpc-0a1b2c3d", PrivateSubnetIDs: []string{"subnet-00000003"}, NAT: network.NATSingle},
			[]string{"PrivateSubnetIDs has 1 subnet(s)", `NAT "single" configures a new VPC and cannot be used with ExistingVPCID`}},
		// The whole composition is checked before anything is defined: an existing VPC
		// without public subnets cannot hold the ALB.
		{"composition", tapstack.Config{Environment: env, ExistingVPCID: "vpc-0a1b2c3d", PrivateSubnetIDs: []string{"subnet-00000003", "subnet-00000004"}},
			[]string{"PublicSubnetIDs has 0 public subnet(s): the internet-facing load balancer needs two"}},
		{"service fields", tapstack.Config{Environment: env, CPU: 256, Memory: 4096, CertificateARN: "cert"},
			[]string{"Memory 4096 invalid Memory 4096 for CPU 256", `CertificateARN "cert" is not an ARN`, "want an ACM certificate ARN"}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) { testutil.ErrorContains(t, tt.cfg.Validate(), tt.want...) })
	}
	for _, b := range []string{"xn--bucket", "sthree-bucket", "bucket-s3alias", "bucket--ol-s3", "a.-b", "a-.b", "192.168.1.1"} {
		if err := (tapstack.Config{Environment: env, StateBucket: b}).Validate(); err == nil || !strings.Contains(err.Error(), "is not an S3 bucket name") {
			t.Errorf("bucket %q: %v", b, err)
		}
	}
}

// TestErrorTypes: the problems of ConfigFromLookup are *envapp.VarError, those of
// Config.Validate *field.Error, with the field and the value.
func TestErrorTypes(t *testing.T) {
	_, err := tapstackapp.ConfigFromLookup(testutil.Lookup(map[string]string{"CREATE_NAT_GATEWAY": "maybe"}), apptest.Clock)
	var v *envapp.VarError
	if !errors.As(err, &v) || v.Name != "CREATE_NAT_GATEWAY" || v.Value != "maybe" || v.Error() != `CREATE_NAT_GATEWAY="maybe": want true, false, 1 or 0` {
		t.Errorf("ConfigFromLookup: %v (%#v)", err, v)
	}
	err = tapstack.Config{Environment: apptest.TapStack(t, map[string]string{}).Environment, Region: "moon-1"}.Validate()
	var f *field.Error
	if !errors.As(err, &f) || f.Field != "Region" || f.Value != "moon-1" || !strings.HasPrefix(f.Error(), `Region "moon-1" is not a region`) {
		t.Errorf("Validate: %v (%#v)", err, f)
	}
}
