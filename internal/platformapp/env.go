// Package platformapp is the environment contract of the platform command
// (cmd/platform): the variables it reads into a platform.Config, and its run.
package platformapp

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/constructs/network"
	"github.com/tapstack/infra/examples/platform"
	"github.com/tapstack/infra/internal/envapp"
)

// The environment contract of the platform app (plus AWS_REGION,
// TERRAFORM_STATE_BUCKET, TERRAFORM_STATE_BUCKET_REGION, ALLOW_LOCAL_STATE and
// CDKTF_OUTDIR, as in the TapStack app).
const (
	EnvName             = "PLATFORM_NAME"
	EnvCertificateARN   = "PLATFORM_CERTIFICATE_ARN"
	EnvNAT              = "PLATFORM_NAT"
	EnvEndpoints        = "PLATFORM_ENDPOINTS"
	EnvTargetPorts      = "PLATFORM_TARGET_PORTS"
	EnvAccessLogsBucket = "PLATFORM_ACCESS_LOGS_BUCKET"
)

// fieldVars names the variable that sets each Config field, for messages.
var fieldVars = envapp.FieldVars(map[string]string{
	"Environment":      EnvName,
	"CertificateARN":   EnvCertificateARN,
	"TargetPorts":      EnvTargetPorts,
	"AccessLogsBucket": EnvAccessLogsBucket,
})

// ConfigFromEnv reads the platform app's environment variables (see ConfigFromLookup).
func ConfigFromEnv() (platform.Config, error) { return ConfigFromLookup(os.LookupEnv) }

// ConfigFromLookup builds a Config from variables:
//
//	PLATFORM_NAME                  default "platform" (the environment of the platform's names)
//	AWS_REGION                     default "ca-central-1"
//	PLATFORM_CERTIFICATE_ARN       required: ACM certificate of the HTTPS listener, in AWS_REGION
//	PLATFORM_NAT                   none, single or per-az; default single
//	PLATFORM_ENDPOINTS             default false: VPC endpoints for private tasks
//	PLATFORM_TARGET_PORTS          "80" or "8000-8100"; default 80
//	PLATFORM_ACCESS_LOGS_BUCKET    default unset (no access logs)
//	TERRAFORM_STATE_BUCKET         required unless ALLOW_LOCAL_STATE=true
//	TERRAFORM_STATE_BUCKET_REGION  default "us-east-1"
//	ALLOW_LOCAL_STATE              default false
//
// Like the TapStack app's, it only parses, returns every problem as an
// *envapp.VarError, and leaves the rest to platform.Config.Validate.
func ConfigFromLookup(lookup func(string) (string, bool)) (platform.Config, error) {
	r := envapp.NewReader(lookup)
	var cfg platform.Config
	name := r.Get(EnvName)
	if name == "" && r.Raw(EnvName) == "" {
		name = platform.DefaultName
	}
	if name != "" {
		env, err := naming.NewEnvironment(name, naming.Options{})
		if err != nil {
			r.Bad(EnvName, name, err.Error())
		}
		cfg.Environment = env
	}
	state := r.State()
	cfg.Region, cfg.StateBucket, cfg.StateBucketRegion, cfg.AllowLocalState = state.Region, state.StateBucket, state.StateBucketRegion, state.AllowLocalState
	cfg.CertificateARN = r.Get(EnvCertificateARN)
	switch v := r.Get(EnvNAT); v {
	case "":
	case string(network.NATNone), string(network.NATSingle), string(network.NATPerAZ):
		cfg.NAT = network.NATMode(v)
	default:
		r.Bad(EnvNAT, v, fmt.Sprintf("want %s, %s or %s", network.NATNone, network.NATSingle, network.NATPerAZ))
	}
	cfg.Endpoints = r.Bool(EnvEndpoints)
	if v := r.Get(EnvTargetPorts); v != "" {
		ports, ok := parsePorts(v)
		if !ok || ports.From == 0 || ports.To == 0 {
			// 0 is not a port: unset the variable for the default, 80.
			r.Bad(EnvTargetPorts, v, `want a port ("80") or a range ("8000-8100") of ports from 1 to 65535 (unset it for 80)`)
		}
		cfg.TargetPorts = ports
	}
	cfg.AccessLogsBucket = r.Get(EnvAccessLogsBucket)
	return cfg, r.Err()
}

// parsePorts reads "80" or "8000-8100" (the range itself is checked by Validate).
func parsePorts(v string) (network.Port, bool) {
	from, to, isRange := strings.Cut(v, "-")
	if !isRange {
		to = from
	}
	f, err1 := strconv.Atoi(from)
	t, err2 := strconv.Atoi(to)
	return network.TCPRange(f, t), err1 == nil && err2 == nil
}

// Run is the platform app, with the TapStack app's discipline: every variable is read
// and the whole Config validated in one pass; on any problem it prints one line per
// problem to stderr (naming the variable) and returns 2 without writing anything;
// otherwise it synthesizes Platform<name> into $CDKTF_OUTDIR (default cdktf.out),
// prints one line on stdout and returns 0.
func Run(lookup func(string) (string, bool), stdout, stderr io.Writer) int {
	cfg, parseErr := ConfigFromLookup(lookup)
	problems := envapp.Problems(parseErr, cfg.Validate(), fieldVars, lookup)
	return envapp.Run("platform", lookup, problems, stdout, stderr, func(app cdktf.App) string {
		platform.New(app, cfg.StackName(), cfg)
		return cfg.StackName()
	})
}
