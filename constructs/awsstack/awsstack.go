package awsstack

import (
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/awsid"
	"github.com/tapstack/infra/constructs/identity"
	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/field"
	"github.com/tapstack/infra/internal/check"
	"github.com/tapstack/infra/internal/jsiix"
)

// Defaults.
const (
	// DefaultStateBucketRegion is the S3 backend's region when StateBucketRegion is
	// empty.
	DefaultStateBucketRegion = "us-east-1"
	// RequiredTerraformVersion is every stack's required_version: the S3 lock file
	// (use_lockfile) needs Terraform 1.11 (OpenTofu 1.10); an older CLI stops with its
	// own version message instead of an unknown-argument error.
	RequiredTerraformVersion = ">= 1.11"
)

// Config configures a stack.
type Config struct {
	// Environment tags every resource (default tags of the provider) and names the
	// state key. Required.
	Environment naming.Environment
	// Region of the AWS provider: a region of an AWS partition the provider knows
	// (awsid.ValidateRegion). Required.
	Region string
	// StateBucket selects the S3 backend: key "<env>/<stack id>.tfstate" (StateKey),
	// encrypted, locked with a lock file next to the state. Default: "", a local state
	// file (LocalStatePath), which production environments refuse (below).
	StateBucket string
	// StateBucketRegion is the S3 backend's region. Default: "us-east-1".
	StateBucketRegion string
	// AllowLocalState lets a stack that needs remote state (a production environment,
	// or RemoteStateReason) keep it in a local file. Default: false: a CI runner's disk is
	// where production state gets lost.
	AllowLocalState bool
	// RemoteStateReason, when not "", makes the stack need remote state like a
	// production environment, and says why in the message ("the shared platform is
	// long-lived"). Default: "", only production environments ("prod", "production").
	RemoteStateReason string
}

func (c Config) withDefaults() Config {
	if c.StateBucketRegion == "" {
		c.StateBucketRegion = DefaultStateBucketRegion
	}
	return c
}

// Validate returns every problem of c (field.Error values, joined): Region,
// StateBucketRegion, StateBucket, and a local state where remote state is needed.
func (c Config) Validate() error {
	c = c.withDefaults()
	var l field.List
	if c.Environment.IsZero() {
		l.Add("Environment", "", "is required (build one with naming.NewEnvironment)")
	}
	if check.Literal(&l, "Region", c.Region) {
		l.Check("Region", c.Region, awsid.ValidateRegion(c.Region))
	}
	if check.Literal(&l, "StateBucketRegion", c.StateBucketRegion) {
		l.Check("StateBucketRegion", c.StateBucketRegion, awsid.ValidateRegion(c.StateBucketRegion))
	}
	reason := c.RemoteStateReason
	if reason == "" && c.Environment.IsProduction() {
		reason = "production environment \"" + c.Environment.Name() + "\" needs remote state"
	}
	switch {
	case c.StateBucket != "":
		if check.Literal(&l, "StateBucket", c.StateBucket) {
			l.Check("StateBucket", c.StateBucket, awsid.CheckBucketName(c.StateBucket))
		}
	case reason != "" && !c.AllowLocalState:
		l.Add("StateBucket", "", "is empty: "+reason+
			": set StateBucket, or set AllowLocalState to true to keep its state in a local file on purpose")
	}
	return l.Err()
}

// StateKey returns the S3 state key of the stack stackID of env:
// "<env>/<stackID>.tfstate" ("stage/TapStackstage.tfstate"). It never carries the PR
// timestamp, so every synth of an environment finds its state again, and two stacks of
// one environment (two regions, say) never share a key.
func StateKey(env naming.Environment, stackID string) string { return env.StateKey(stackID) }

// LocalStatePath is the local backend's path for the stack stackID, relative to the
// stack's working directory <outdir>/stacks/<stackID>: "../../../terraform.<stackID>.tfstate",
// the file terraform.<stackID>.tfstate next to the output directory. It does not depend
// on the directory synthesis ran in, and it is outside the directory that synthesis
// rewrites, so state survives every re-synth.
func LocalStatePath(stackID string) string { return "../../../terraform." + stackID + ".tfstate" }

// New defines a stack id in scope (an app) and sets it up (Setup). It panics with every
// problem of cfg (Config.Validate) before defining anything.
func New(scope constructs.Construct, id string, cfg Config) cdktf.TerraformStack {
	jsiix.MustBeValid("awsstack.New", id, cfg.Validate())
	stack := cdktf.NewTerraformStack(scope, jsii.String(id))
	setup(stack, id, cfg)
	return stack
}

// Setup gives the stack defined under id its AWS provider ("aws", in cfg.Region, with the
// environment's tags as default tags), the Terraform version it needs
// (RequiredTerraformVersion), the provider version the library is tested with
// (identity.ProviderVersion), and its backend: S3 with a lock file when cfg has a
// StateBucket (key StateKey(env, id)), otherwise a local state file whose path is
// relative, so the JSON is the same from any directory (LocalStatePath). It is for a
// stack type of your own that embeds cdktf.TerraformStack; it panics on an invalid cfg.
//
// Child IDs: "aws" (the provider) and the backend ("backend").
func Setup(stack cdktf.TerraformStack, id string, cfg Config) {
	jsiix.MustBeValid("awsstack.Setup", id, cfg.Validate())
	setup(stack, id, cfg)
}

// setup is Setup for a cfg already validated.
func setup(stack cdktf.TerraformStack, id string, cfg Config) {
	cfg = cfg.withDefaults()
	tags := map[string]*string{}
	for k, v := range cfg.Environment.Tags() {
		tags[k] = jsii.String(v)
	}
	provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{
		Region:      jsii.String(cfg.Region),
		DefaultTags: &[]*provider.AwsProviderDefaultTags{{Tags: &tags}},
	})
	stack.AddOverride(jsii.String("terraform.required_version"), jsii.String(RequiredTerraformVersion))
	identity.EnterStack(stack) // pins identity.ProviderVersion
	if cfg.StateBucket == "" {
		cdktf.NewLocalBackend(stack, &cdktf.LocalBackendConfig{Path: jsii.String(LocalStatePath(id))})
		return
	}
	backend := cdktf.NewS3Backend(stack, &cdktf.S3BackendConfig{
		Bucket:  jsii.String(cfg.StateBucket),
		Key:     jsii.String(StateKey(cfg.Environment, id)),
		Region:  jsii.String(cfg.StateBucketRegion),
		Encrypt: jsii.Bool(true),
	})
	// Terraform's S3-native lock file (GA in 1.11, also in OpenTofu >= 1.10); the
	// cdktf 0.20 S3BackendConfig has no field for it.
	backend.AddOverride(jsii.String("use_lockfile"), jsii.Bool(true))
}
