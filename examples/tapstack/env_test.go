package tapstack_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tapstack/infra/constructs/network"
	"github.com/tapstack/infra/examples/tapstack"
	"github.com/tapstack/infra/internal/testutil"
)

func TestConfigFromLookup(t *testing.T) {
	type view struct {
		Env, ID, Region string
		NAT             network.NATMode
		Limits          bool
		Bucket, BRegion string
		Stack, Key      string
	}
	tests := []struct {
		desc string
		vars map[string]string
		want view
	}{
		{"defaults", map[string]string{}, view{"stage", "stage", "ca-central-1", "", false, "", "us-east-1", "TapStackstage", "stage/TapStackstage.tfstate"}},
		{"empty counts as unset", map[string]string{"ENVIRONMENT_SUFFIX": " ", "AWS_REGION": ""}, view{"stage", "stage", "ca-central-1", "", false, "", "us-east-1", "TapStackstage", "stage/TapStackstage.tfstate"}},
		{"prod is not a PR", map[string]string{"ENVIRONMENT_SUFFIX": "prod", "PR_TIMESTAMP_SUFFIX": "123456", "ALLOW_LOCAL_STATE": "true"}, view{"prod", "prod", "ca-central-1", "", false, "", "us-east-1", "TapStackprod", "prod/TapStackprod.tfstate"}},
		{"pinned PR", map[string]string{"ENVIRONMENT_SUFFIX": "pr4892", "PR_TIMESTAMP_SUFFIX": "123456"}, view{"pr4892", "pr4892-123456", "ca-central-1", "", false, "", "us-east-1", "TapStackpr4892", "pr4892/TapStackpr4892.tfstate"}},
		{"PR from the clock", map[string]string{"ENVIRONMENT_SUFFIX": "pr12"}, view{"pr12", "pr12-000042", "ca-central-1", "", false, "", "us-east-1", "TapStackpr12", "pr12/TapStackpr12.tfstate"}},
		{"everything set", map[string]string{"ENVIRONMENT_SUFFIX": "dev-eu", "AWS_REGION": "eu-west-1", "CREATE_NAT_GATEWAY": "0",
			"ENABLE_CACHE_LIMITS": "1", "TERRAFORM_STATE_BUCKET": "my.state-bucket", "TERRAFORM_STATE_BUCKET_REGION": "eu-central-1"},
			view{"dev-eu", "dev-eu", "eu-west-1", network.NATNone, true, "my.state-bucket", "eu-central-1", "TapStackdev-eu", "dev-eu/TapStackdev-eu.tfstate"}},
		{"NAT forced on", map[string]string{"CREATE_NAT_GATEWAY": "TRUE"}, view{"stage", "stage", "ca-central-1", network.NATSingle, false, "", "us-east-1", "TapStackstage", "stage/TapStackstage.tfstate"}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			c := fromEnv(t, tt.vars)
			got := view{c.Environment.Name(), c.Environment.ID(), c.Region, c.NAT, c.EnableCacheLimits, c.StateBucket, c.StateBucketRegion, c.StackName(), c.StateKey(c.StackName())}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("config (-want +got):\n%s", diff)
			}
		})
	}
}

func TestConfigFromLookupErrors(t *testing.T) {
	tests := []struct {
		desc string
		vars map[string]string
		want []string
	}{
		{"bad environment", map[string]string{"ENVIRONMENT_SUFFIX": "Stage"}, []string{`ENVIRONMENT_SUFFIX="Stage": environment name "Stage" must match`}},
		{"too long environment", map[string]string{"ENVIRONMENT_SUFFIX": strings.Repeat("a", 33)}, []string{`ENVIRONMENT_SUFFIX="aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa": environment name`, "over the limit of 32"}},
		{"malformed pin", map[string]string{"ENVIRONMENT_SUFFIX": "pr1", "PR_TIMESTAMP_SUFFIX": "12345"}, []string{`PR_TIMESTAMP_SUFFIX="12345": PR timestamp suffix "12345" must be exactly 6 digits`}},
		{"bad region", map[string]string{"AWS_REGION": "canada"}, []string{`AWS_REGION="canada": "canada" is not an AWS region name`}},
		{"bad booleans", map[string]string{"CREATE_NAT_GATEWAY": "yes", "ENABLE_CACHE_LIMITS": "on"}, []string{`CREATE_NAT_GATEWAY="yes": want true, false, 1 or 0`, `ENABLE_CACHE_LIMITS="on": want true, false, 1 or 0`}},
		{"bad bucket", map[string]string{"TERRAFORM_STATE_BUCKET": "My_Bucket"}, []string{`TERRAFORM_STATE_BUCKET="My_Bucket": "My_Bucket" is not an S3 bucket name`}},
		{"IP bucket", map[string]string{"TERRAFORM_STATE_BUCKET": "192.168.1.1"}, []string{`TERRAFORM_STATE_BUCKET="192.168.1.1"`}},
		{"bad bucket region", map[string]string{"TERRAFORM_STATE_BUCKET_REGION": "us_east_1"}, []string{`TERRAFORM_STATE_BUCKET_REGION="us_east_1"`}},
		{"all at once, one line each", map[string]string{"ENVIRONMENT_SUFFIX": "BAD", "AWS_REGION": "x", "CREATE_NAT_GATEWAY": "maybe"},
			[]string{"ENVIRONMENT_SUFFIX=\"BAD\"", "\nAWS_REGION=\"x\"", "\nCREATE_NAT_GATEWAY=\"maybe\""}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			_, err := tapstack.ConfigFromLookup(lookup(tt.vars), clock)
			testutil.ErrorContains(t, err, tt.want...)
		})
	}
}

func TestConfigValidate(t *testing.T) {
	env := fromEnv(t, map[string]string{}).Environment
	tests := []struct {
		desc string
		cfg  tapstack.Config
		want []string
	}{
		{"no environment", tapstack.Config{}, []string{"Environment is required"}},
		{"bad bucket and regions", tapstack.Config{Environment: env, Region: "x", StateBucket: "A", StateBucketRegion: "y"},
			[]string{`Region: "x"`, `StateBucket: "A"`, `StateBucketRegion: "y"`}},
		{"blank image", tapstack.Config{Environment: env, Image: " "}, []string{"Image is empty"}},
		{"network problems surface", tapstack.Config{Environment: env, ExistingVPCID: "vpc-0a1b2c3d", PrivateSubnetIDs: []string{"subnet-00000003"}, NAT: network.NATSingle},
			[]string{"PrivateSubnetIDs has 1 subnet(s)", "NAT configures a new VPC"}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) { testutil.ErrorContains(t, tt.cfg.Validate(), tt.want...) })
	}
	if err := tapstack.ValidateBucket("a..b"); err == nil {
		t.Error(`bucket "a..b" accepted`)
	}
}
