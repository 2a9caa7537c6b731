package awsstack_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tapstack/infra/constructs/awsstack"
	"github.com/tapstack/infra/constructs/identity"
	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/internal/testutil"
)

func TestMain(m *testing.M) { testutil.Main(m) }

var (
	stage = naming.MustEnvironment("stage", naming.Options{})
	prod  = naming.MustEnvironment("prod", naming.Options{})
)

func TestNew(t *testing.T) {
	s := testutil.Synth(t, awsstack.New(testutil.NewApp(), "Shop", awsstack.Config{Environment: stage, Region: "eu-west-1", StateBucket: "shop-states"}))
	want := map[string]any{
		"required_version":   awsstack.RequiredTerraformVersion,
		"required_providers": map[string]any{"aws": map[string]any{"source": "aws", "version": identity.ProviderVersion}},
		"backend": map[string]any{"s3": map[string]any{"bucket": "shop-states", "key": "stage/Shop.tfstate", "region": awsstack.DefaultStateBucketRegion,
			"encrypt": true, "use_lockfile": true}},
	}
	if diff := cmp.Diff(want, s.JSON["terraform"]); diff != "" {
		t.Errorf("terraform block (-want +got):\n%s", diff)
	}
	p := s.JSON["provider"].(map[string]any)["aws"].([]any)[0].(map[string]any)
	if p["region"] != "eu-west-1" || p["default_tags"].([]any)[0].(map[string]any)["tags"].(map[string]any)["Environment"] != "stage" {
		t.Errorf("provider = %v", p)
	}
	local := testutil.Synth(t, awsstack.New(testutil.NewApp(), "Local", awsstack.Config{Environment: stage, Region: "ca-central-1"}))
	if b := local.JSON["terraform"].(map[string]any)["backend"]; !cmp.Equal(b, map[string]any{"local": map[string]any{"path": awsstack.LocalStatePath("Local")}}) {
		t.Errorf("local backend = %v", b)
	}
	if awsstack.LocalStatePath("X") != "../../../terraform.X.tfstate" || awsstack.StateKey(stage, "X") != "stage/X.tfstate" {
		t.Error("LocalStatePath, StateKey")
	}
}

func TestValidate(t *testing.T) {
	for desc, c := range map[string]struct {
		cfg  awsstack.Config
		want []string
	}{
		"nothing":            {awsstack.Config{}, []string{"Environment is required", `Region "" is not a region`}},
		"bad values":         {awsstack.Config{Environment: stage, Region: "moon-1", StateBucketRegion: "mars-2", StateBucket: "Bad_Bucket"}, []string{`Region "moon-1" is not a region`, `StateBucketRegion "mars-2" is not a region`, `StateBucket "Bad_Bucket" is not an S3 bucket name`}},
		"an expression":      {awsstack.Config{Environment: stage, Region: "${var.region}"}, []string{`Region "${var.region}" holds "${"`}},
		"production locally": {awsstack.Config{Environment: prod, Region: "ca-central-1"}, []string{`StateBucket is empty: production environment "prod" needs remote state`}},
		"production, spelled out": {awsstack.Config{Environment: naming.MustEnvironment("production", naming.Options{}), Region: "ca-central-1"},
			[]string{`StateBucket is empty: production environment "production" needs remote state`}},
		"a reason": {awsstack.Config{Environment: stage, Region: "ca-central-1", RemoteStateReason: "the platform is shared"}, []string{"StateBucket is empty: the platform is shared"}},
		"allowed":  {awsstack.Config{Environment: prod, Region: "ca-central-1", AllowLocalState: true}, nil},
	} {
		t.Run(desc, func(t *testing.T) {
			err := c.cfg.Validate()
			if c.want == nil {
				if err != nil {
					t.Errorf("refused: %v", err)
				}
				return
			}
			testutil.ErrorContains(t, err, c.want...)
		})
	}
	msg := testutil.MustPanic(t, func() { awsstack.New(testutil.NewApp(), "X", awsstack.Config{Environment: stage}) })
	if !strings.Contains(msg, `awsstack.New("X"): invalid Config`) {
		t.Errorf("panic = %q", msg)
	}
}
