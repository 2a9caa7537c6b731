package stackapp

import (
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/awsid"
	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/internal/tfx"
)

// Defaults every app shares.
const (
	DefaultRegion            = "ca-central-1"
	DefaultStateBucketRegion = "us-east-1"
	// RequiredTerraformVersion is every stack's required_version: the S3 lock file
	// (use_lockfile) needs Terraform 1.11 (OpenTofu 1.10); an older CLI stops with its
	// own version message instead of an unknown-argument error.
	RequiredTerraformVersion = ">= 1.11"
)

// State is where a stack keeps its Terraform state.
type State struct {
	// Bucket selects the S3 backend (key "<env>/<stack id>.tfstate", encrypted, locked
	// with a lock file). "" keeps the state in a local file (LocalStatePath).
	Bucket string
	// BucketRegion is the S3 backend's region. Default: DefaultStateBucketRegion.
	BucketRegion string
	// AllowLocal lets a stack that needs remote state keep it in a local file.
	AllowLocal bool
}

// WithDefaults fills BucketRegion.
func (s State) WithDefaults() State {
	if s.BucketRegion == "" {
		s.BucketRegion = DefaultStateBucketRegion
	}
	return s
}

// Check adds the problems of region and s (with defaults applied) to f, as problems of
// the fields Region, StateBucketRegion and StateBucket. needsRemote, when not empty,
// names what must not keep its state in a local file ("production environment
// \"prod\""): without a Bucket and without AllowLocal that is a problem too.
func (s State) Check(f *Fields, region, needsRemote string) {
	f.Check("Region", region, awsid.ValidateRegion(region))
	f.Check("StateBucketRegion", s.BucketRegion, awsid.ValidateRegion(s.BucketRegion))
	if s.Bucket != "" {
		f.Check("StateBucket", s.Bucket, tfx.BucketNameError(s.Bucket))
	} else if needsRemote != "" && !s.AllowLocal {
		f.Add("StateBucket", "", "is empty: "+needsRemote+
			" needs remote state: set StateBucket, or set AllowLocalState to true to keep its state in a local file on purpose")
	}
}

// LocalStatePath is the local backend's path for the stack stackID, relative to the
// stack's working directory <outdir>/stacks/<stackID>: "../../../terraform.<stackID>.tfstate",
// the file terraform.<stackID>.tfstate next to the output directory. It does not depend
// on the directory synthesis ran in, and it is outside the directory that synthesis
// rewrites, so state survives every re-synth.
func LocalStatePath(stackID string) string { return "../../../terraform." + stackID + ".tfstate" }

// Setup gives the stack defined under id its AWS provider ("aws", in region, with the
// environment's tags as default tags), the Terraform version it needs
// (RequiredTerraformVersion) and its backend: S3 with a lock file when s has a Bucket
// (key env.StateKey(id)), otherwise a local state file whose path is relative, so the
// JSON is the same from any directory (LocalStatePath).
func Setup(stack cdktf.TerraformStack, id string, env naming.Environment, region string, s State) {
	tags := map[string]*string{}
	for k, v := range env.Tags() {
		tags[k] = jsii.String(v)
	}
	provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{
		Region:      jsii.String(region),
		DefaultTags: &[]*provider.AwsProviderDefaultTags{{Tags: &tags}},
	})
	stack.AddOverride(jsii.String("terraform.required_version"), jsii.String(RequiredTerraformVersion))
	tfx.PinProvider(stack)
	if s.Bucket == "" {
		cdktf.NewLocalBackend(stack, &cdktf.LocalBackendConfig{Path: jsii.String(LocalStatePath(id))})
		return
	}
	backend := cdktf.NewS3Backend(stack, &cdktf.S3BackendConfig{
		Bucket:  jsii.String(s.Bucket),
		Key:     jsii.String(env.StateKey(id)),
		Region:  jsii.String(s.WithDefaults().BucketRegion),
		Encrypt: jsii.Bool(true),
	})
	// Terraform's S3-native lock file (GA in 1.11, also in OpenTofu >= 1.10); the
	// cdktf 0.20 S3BackendConfig has no field for it.
	backend.AddOverride(jsii.String("use_lockfile"), jsii.Bool(true))
}
