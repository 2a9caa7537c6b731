package platformapp_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tapstack/infra/internal/apptest"
	"github.com/tapstack/infra/internal/platformapp"
	"github.com/tapstack/infra/internal/testutil"
)

// TestConfigFromLookup: defaults and every variable.
func TestConfigFromLookup(t *testing.T) {
	cfg, err := platformapp.ConfigFromLookup(testutil.Lookup(map[string]string{"PLATFORM_CERTIFICATE_ARN": certARN}))
	if err != nil {
		t.Fatal(err)
	}
	type view struct {
		Name, Stack, Key, NAT, Ports string
		Endpoints                    bool
	}
	got := view{cfg.Environment.Name(), cfg.StackName(), cfg.StateKey(cfg.StackName()), string(cfg.NAT), cfg.TargetPorts.String(), cfg.Endpoints}
	if diff := cmp.Diff(view{"platform", "Platformplatform", "platform/Platformplatform.tfstate", "", "0", false}, got); diff != "" {
		t.Errorf("defaults (-want +got):\n%s", diff)
	}
	cfg = apptest.Platform(map[string]string{"PLATFORM_NAME": "platform-edge", "PLATFORM_NAT": "per-az", "PLATFORM_ENDPOINTS": "1", "PLATFORM_TARGET_PORTS": "8080"})
	got = view{cfg.Environment.Name(), cfg.StackName(), cfg.StateKey(cfg.StackName()), string(cfg.NAT), cfg.TargetPorts.String(), cfg.Endpoints}
	if diff := cmp.Diff(view{"platform-edge", "Platformplatform-edge", "platform-edge/Platformplatform-edge.tfstate", "per-az", "8080", true}, got); diff != "" {
		t.Errorf("set (-want +got):\n%s", diff)
	}
}

// TestRunRefusesBadInput: one line per problem, naming the variable; exit 2; nothing
// on stdout and nothing written.
func TestRunRefusesBadInput(t *testing.T) {
	tests := []struct {
		desc  string
		vars  map[string]string
		lines []string
	}{
		{"nothing set", map[string]string{}, []string{
			`platform: TERRAFORM_STATE_BUCKET="": is empty: the shared platform "platform" needs remote state: set TERRAFORM_STATE_BUCKET, or set ALLOW_LOCAL_STATE to true to keep its state in a local file on purpose`,
			`platform: PLATFORM_CERTIFICATE_ARN="": is required: the HTTPS listener needs an ACM certificate for the preview hosts (a wildcard *.<preview domain>)`,
		}},
		{"every variable bad", map[string]string{
			"PLATFORM_NAME": "Shared", "AWS_REGION": "us-east-9", "PLATFORM_CERTIFICATE_ARN": "cert", "PLATFORM_NAT": "yes",
			"PLATFORM_ENDPOINTS": "maybe", "PLATFORM_TARGET_PORTS": "http", "PLATFORM_ACCESS_LOGS_BUCKET": "A_B",
			"TERRAFORM_STATE_BUCKET": "x", "TERRAFORM_STATE_BUCKET_REGION": " us-east-1",
		}, []string{
			`platform: PLATFORM_NAME="Shared": environment name "Shared" must match ^[a-z][a-z0-9-]*$ (a lowercase letter, then lowercase letters, digits and '-')`,
			`platform: TERRAFORM_STATE_BUCKET_REGION=" us-east-1": has whitespace around the value: remove it`,
			`platform: PLATFORM_NAT="yes": want none, single or per-az`,
			`platform: PLATFORM_ENDPOINTS="maybe": want true, false, 1 or 0`,
			`platform: PLATFORM_TARGET_PORTS="http": want a port ("80") or a range ("8000-8100") of ports from 1 to 65535 (unset it for 80)`,
			`platform: AWS_REGION="us-east-9": is not a region of any AWS partition the provider knows (like "ca-central-1"; the list is in docs/naming.md) (did you mean "us-east-1"?)`,
			`platform: TERRAFORM_STATE_BUCKET="x": is not an S3 bucket name (3-63 lowercase letters, digits, '.' and '-', starting and ending with a letter or digit)`,
			`platform: PLATFORM_CERTIFICATE_ARN="cert": is not an ARN (arn:<partition>:<service>:<region>:<account>:<resource>) (want an ACM certificate ARN: arn:aws:acm:<region>:<account>:certificate/<id>)`,
			`platform: PLATFORM_ACCESS_LOGS_BUCKET="A_B": is not an S3 bucket name (3-63 lowercase letters, digits, '.' and '-', starting and ending with a letter or digit)`,
		}},
		{"a PR environment", map[string]string{"PLATFORM_NAME": "pr12", "PLATFORM_CERTIFICATE_ARN": certARN, "ALLOW_LOCAL_STATE": "1"}, []string{
			`platform: PLATFORM_NAME="pr12": is a PR environment: the platform outlives every PR, give it a platform name ("platform" or "platform-<name>")`,
		}},
		{"ports out of range", map[string]string{"PLATFORM_TARGET_PORTS": "80-70000", "PLATFORM_CERTIFICATE_ARN": certARN, "ALLOW_LOCAL_STATE": "1"}, []string{
			`platform: PLATFORM_TARGET_PORTS="80-70000": is not a port range: want 1 <= From <= To <= 65535`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			dir := t.TempDir()
			vars := map[string]string{"CDKTF_OUTDIR": filepath.Join(dir, "out")}
			for k, v := range tt.vars {
				vars[k] = v
			}
			var stdout, stderr bytes.Buffer
			code := platformapp.Run(testutil.Lookup(vars), &stdout, &stderr)
			if diff := cmp.Diff(tt.lines, strings.Split(strings.TrimSuffix(stderr.String(), "\n"), "\n")); diff != "" {
				t.Errorf("stderr (-want +got):\n%s", diff)
			}
			if code != 2 || stdout.Len() != 0 {
				t.Errorf("exit %d, stdout %q", code, stdout.String())
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("a refused run wrote %v", entries)
			}
		})
	}
}

// TestAppBinary runs the real command: bad input exits 2 with one line per problem, no
// panic trace and no files; a good run prints its one line on stdout, nothing on
// stderr, and writes the stack.
func TestAppBinary(t *testing.T) {
	bin := testutil.BuildCommand(t, "../../cmd/platform")
	bad := testutil.RunCommand(t, bin, "PLATFORM_NAME=x-", "PLATFORM_CERTIFICATE_ARN=", "TERRAFORM_STATE_BUCKET=", "CDKTF_OUTDIR=")
	want := `platform: PLATFORM_NAME="x-": environment name "x-" must not end with '-'` + "\n" +
		`platform: TERRAFORM_STATE_BUCKET="": is empty: the shared platform needs remote state: set TERRAFORM_STATE_BUCKET, or set ALLOW_LOCAL_STATE to true to keep its state in a local file on purpose` + "\n" +
		`platform: PLATFORM_CERTIFICATE_ARN="": is required: the HTTPS listener needs an ACM certificate for the preview hosts (a wildcard *.<preview domain>)` + "\n"
	if bad.Code != 2 || bad.Stdout != "" || bad.Stderr != want {
		t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant:\n%s", bad.Code, bad.Stdout, bad.Stderr, want)
	}
	if files := testutil.Files(bad.Dir); len(files) != 0 {
		t.Errorf("bad input wrote %v", files)
	}
	good := testutil.RunCommand(t, bin, "CDKTF_OUTDIR=out", "PLATFORM_CERTIFICATE_ARN="+certARN, "TERRAFORM_STATE_BUCKET=iac-tf-states")
	if good.Code != 0 || good.Stderr != "" || good.Stdout != "platform: synthesized Platformplatform into \"out\"\n" {
		t.Errorf("exit %d, stdout %q, stderr %q", good.Code, good.Stdout, good.Stderr)
	}
	if _, err := os.Stat(filepath.Join(good.Dir, "out", "stacks", "Platformplatform", "cdk.tf.json")); err != nil {
		t.Error(err)
	}
}
