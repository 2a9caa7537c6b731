package tapstackapp_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tapstack/infra/examples/tapstack"
	"github.com/tapstack/infra/internal/apptest"
	"github.com/tapstack/infra/internal/tapstackapp"
	"github.com/tapstack/infra/internal/testutil"
)

// run runs the app with vars (CDKTF_OUTDIR defaults to a new directory in a temporary
// one) and returns its exit code, stdout and stderr.
func run(t *testing.T, vars map[string]string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = tapstackapp.Run(testutil.Lookup(vars), apptest.Clock, &out, &errOut)
	return code, out.String(), errOut.String()
}

// TestRunRefusesBadInput: every row exits 2 with exactly the lines given (one per
// problem, naming the variable), prints nothing on stdout, and writes nothing.
func TestRunRefusesBadInput(t *testing.T) {
	bucket := func(name, reason string) string {
		return `tapstack: TERRAFORM_STATE_BUCKET="` + name + `": is not an S3 bucket name` + reason
	}
	region := func(v, hint string) string {
		return `tapstack: AWS_REGION="` + v + `": is not a region of any AWS partition the provider knows (like "ca-central-1"; the list is in docs/naming.md)` + hint
	}
	long := strings.Repeat("b", 10000)
	tests := []struct {
		desc  string
		vars  map[string]string
		lines []string
	}{
		{"whitespace-only environment", map[string]string{"ENVIRONMENT_SUFFIX": "   "},
			[]string{`tapstack: ENVIRONMENT_SUFFIX="   ": is only whitespace: leave it empty or unset for the default, or give a value`}},
		{"region of no partition", map[string]string{"AWS_REGION": "us-east-9"}, []string{region("us-east-9", ` (did you mean "us-east-1"?)`)}},
		{"another region of no partition", map[string]string{"AWS_REGION": "eu-north-7"}, []string{region("eu-north-7", ` (did you mean "eu-north-1"?)`)}},
		{"reserved bucket prefix xn--", map[string]string{"TERRAFORM_STATE_BUCKET": "xn--bucket"}, []string{bucket("xn--bucket", `: AWS reserves the prefix "xn--"`)}},
		{"reserved bucket prefix sthree-", map[string]string{"TERRAFORM_STATE_BUCKET": "sthree-bucket"}, []string{bucket("sthree-bucket", `: AWS reserves the prefix "sthree-"`)}},
		{"reserved bucket suffix -s3alias", map[string]string{"TERRAFORM_STATE_BUCKET": "bucket-s3alias"}, []string{bucket("bucket-s3alias", `: AWS reserves the suffix "-s3alias"`)}},
		{"reserved bucket suffix --ol-s3", map[string]string{"TERRAFORM_STATE_BUCKET": "bucket--ol-s3"}, []string{bucket("bucket--ol-s3", `: AWS reserves the suffix "--ol-s3"`)}},
		{"bucket with .-", map[string]string{"TERRAFORM_STATE_BUCKET": "a.-b"}, []string{bucket("a.-b", `: "..", ".-" and "-." are not allowed`)}},
		{"production without a bucket", map[string]string{"ENVIRONMENT_SUFFIX": "prod"},
			[]string{`tapstack: TERRAFORM_STATE_BUCKET="": is empty: production environment "prod" needs remote state: set TERRAFORM_STATE_BUCKET, or set ALLOW_LOCAL_STATE to true to keep its state in a local file on purpose`}},
		{"a 10,000-character value is echoed short", map[string]string{"TERRAFORM_STATE_BUCKET": long},
			[]string{`tapstack: TERRAFORM_STATE_BUCKET="` + long[:100] + `"... (10000 characters): is not an S3 bucket name (3-63 lowercase letters, digits, '.' and '-', starting and ending with a letter or digit)`}},
		{"eight bad variables in one pass", map[string]string{
			"ENVIRONMENT_SUFFIX": "Bad!", "PR_TIMESTAMP_SUFFIX": "12345", "AWS_REGION": "moon-1", "CREATE_NAT_GATEWAY": "maybe",
			"ENABLE_CACHE_LIMITS": "on", "TERRAFORM_STATE_BUCKET": "My_Bucket", "TERRAFORM_STATE_BUCKET_REGION": "mars-2", "CDKTF_OUTDIR": "/",
		}, []string{
			`tapstack: ENVIRONMENT_SUFFIX="Bad!": environment name "Bad!" must match ^[a-z][a-z0-9-]*$ (a lowercase letter, then lowercase letters, digits and '-')`,
			`tapstack: PR_TIMESTAMP_SUFFIX="12345": PR timestamp suffix "12345" must be exactly 6 digits`,
			`tapstack: CREATE_NAT_GATEWAY="maybe": want true, false, 1 or 0`,
			`tapstack: ENABLE_CACHE_LIMITS="on": want true, false, 1 or 0`,
			`tapstack: AWS_REGION="moon-1": is not a region of any AWS partition the provider knows (like "ca-central-1"; the list is in docs/naming.md)`,
			`tapstack: TERRAFORM_STATE_BUCKET_REGION="mars-2": is not a region of any AWS partition the provider knows (like "ca-central-1"; the list is in docs/naming.md)`,
			`tapstack: TERRAFORM_STATE_BUCKET="My_Bucket": is not an S3 bucket name (3-63 lowercase letters, digits, '.' and '-', starting and ending with a letter or digit)`,
			"CDKTF_OUTDIR", // checked below: "/" holds unrelated files
		}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			lines := refused(t, tt.vars)
			if last := len(tt.lines) - 1; tt.lines[last] == "CDKTF_OUTDIR" && len(lines) == len(tt.lines) {
				if !strings.HasPrefix(lines[last], `tapstack: CDKTF_OUTDIR="/": holds files that are not a synth output (`) {
					t.Errorf("outdir line = %q", lines[last])
				}
				lines = lines[:last]
				tt.lines = tt.lines[:last]
			}
			if diff := cmp.Diff(tt.lines, lines); diff != "" {
				t.Errorf("stderr (-want +got):\n%s", diff)
			}
		})
	}
}

// refused runs the app with vars (CDKTF_OUTDIR a new directory in a temporary one,
// unless vars set it), checks that it exits 2 with nothing on stdout, no panic trace
// and nothing written, and returns its stderr lines.
func refused(t *testing.T, vars map[string]string) []string {
	t.Helper()
	dir := t.TempDir()
	all := map[string]string{"CDKTF_OUTDIR": filepath.Join(dir, "out")}
	for k, v := range vars {
		all[k] = v
	}
	code, stdout, stderr := run(t, all)
	if code != 2 || stdout != "" || strings.Contains(stderr, "goroutine") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if got := testutil.Files(dir); len(got) != 0 {
		t.Errorf("a refused run wrote %v", got)
	}
	return strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
}

// TestRunOutdir: the app writes only into a new or empty directory, or one that holds
// a previous synth output, and refuses the rest naming CDKTF_OUTDIR, without writing.
func TestRunOutdir(t *testing.T) {
	t.Run("holding unrelated files", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644); err != nil {
			t.Fatal(err)
		}
		code, _, stderr := run(t, map[string]string{"CDKTF_OUTDIR": dir})
		want := `tapstack: CDKTF_OUTDIR="` + dir + `": holds files that are not a synth output (notes.txt): write into a new or empty directory, or one that holds a previous synth output` + "\n"
		if code != 2 || stderr != want {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
	})
	t.Run("a file", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "file")
		if err := os.WriteFile(file, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, dir := range []string{file, filepath.Join(file, "out")} {
			code, _, stderr := run(t, map[string]string{"CDKTF_OUTDIR": dir})
			if code != 2 || !strings.HasPrefix(stderr, `tapstack: CDKTF_OUTDIR="`+dir+`": `) || strings.Count(stderr, "\n") != 1 {
				t.Errorf("%s: exit %d, stderr %q", dir, code, stderr)
			}
		}
	})
	t.Run("a previous output that cannot be rewritten", func(t *testing.T) {
		for desc, setup := range map[string]func(dir string) error{
			"stacks is a file":             func(dir string) error { return os.WriteFile(filepath.Join(dir, "stacks"), nil, 0o644) },
			"manifest.json is a directory": func(dir string) error { return os.Mkdir(filepath.Join(dir, "manifest.json"), 0o755) },
			"a stack directory is locked": func(dir string) error {
				st := filepath.Join(dir, "stacks", "TapStackstage")
				if err := os.MkdirAll(st, 0o755); err != nil {
					return err
				}
				lockDir(t, st)
				return nil
			},
		} {
			dir := t.TempDir()
			if err := setup(dir); err != nil {
				t.Fatal(err)
			}
			code, _, stderr := run(t, map[string]string{"CDKTF_OUTDIR": dir})
			if code != 2 || !strings.HasPrefix(stderr, `tapstack: CDKTF_OUTDIR="`+dir+`": holds a previous synth output that cannot be rewritten: `) || strings.Count(stderr, "\n") != 1 {
				t.Errorf("%s: exit %d, stderr %q", desc, code, stderr)
			}
		}
	})
	t.Run("not writable", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "locked")
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		lockDir(t, dir)
		for _, target := range []string{dir, filepath.Join(dir, "out")} {
			code, _, stderr := run(t, map[string]string{"CDKTF_OUTDIR": target})
			if code != 2 || !strings.HasPrefix(stderr, `tapstack: CDKTF_OUTDIR="`+target+`": cannot be`) || strings.Count(stderr, "\n") != 1 {
				t.Errorf("%s: exit %d, stderr %q", target, code, stderr)
			}
		}
	})
}

// lockDir makes dir unwritable for this process: immutable when running as root (root
// ignores permission bits, not the immutable flag, like a read-only mount), read-only
// permissions otherwise.
func lockDir(t *testing.T, dir string) {
	t.Helper()
	if os.Geteuid() != 0 {
		if err := os.Chmod(dir, 0o555); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = os.Chmod(dir, 0o755) })
		return
	}
	if out, err := exec.Command("chattr", "+i", dir).CombinedOutput(); err != nil {
		t.Skipf("running as root, and chattr +i is not available to make %s unwritable: %v %s", dir, err, out)
	}
	t.Cleanup(func() { _ = exec.Command("chattr", "-i", dir).Run() })
}

func TestRunSynthesizes(t *testing.T) {
	out := filepath.Join(t.TempDir(), "nested", "out") // parents are created too
	vars := map[string]string{"CDKTF_OUTDIR": out, "ENVIRONMENT_SUFFIX": "pr4892", "PR_TIMESTAMP_SUFFIX": "123456"}
	code, stdout, stderr := run(t, vars)
	if code != 0 || stderr != "" || stdout != "tapstack: synthesized TapStackpr4892 into \""+out+"\"\n" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	raw, err := os.ReadFile(filepath.Join(out, "stacks", "TapStackpr4892", "cdk.tf.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	if outputs := doc["output"].(map[string]any); len(outputs) != len(tapstack.Outputs()) {
		t.Errorf("outputs = %v", outputs)
	}
	// A directory holding a previous synth output is written again.
	if code, _, stderr := run(t, vars); code != 0 || stderr != "" {
		t.Errorf("re-synth into the previous output: exit %d, stderr %q", code, stderr)
	}
}

// TestAppBinary runs the real command: bad input exits 2 with one line per problem, no
// panic trace and no files; a good run prints its one line on stdout and nothing on
// stderr (twice: the jsii runtime once printed a stray line on some exits).
func TestAppBinary(t *testing.T) {
	bin := testutil.BuildCommand(t, "../../cmd/tapstack")
	bad := testutil.RunCommand(t, bin, "ENVIRONMENT_SUFFIX=pr-", "TERRAFORM_STATE_BUCKET=x", "CDKTF_OUTDIR=")
	if bad.Code != 2 || bad.Stdout != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", bad.Code, bad.Stdout, bad.Stderr)
	}
	for _, w := range []string{`tapstack: ENVIRONMENT_SUFFIX="pr-"`, `tapstack: TERRAFORM_STATE_BUCKET="x"`} {
		if !strings.Contains(bad.Stderr, w) {
			t.Errorf("output lacks %q:\n%s", w, bad.Stderr)
		}
	}
	if strings.Contains(bad.Stderr, "panic") || strings.Contains(bad.Stderr, "goroutine") {
		t.Errorf("panic trace in output:\n%s", bad.Stderr)
	}
	if files := testutil.Files(bad.Dir); len(files) != 0 {
		t.Errorf("bad input wrote %v", files)
	}
	for i := 0; i < 2; i++ {
		good := testutil.RunCommand(t, bin, "CDKTF_OUTDIR=out")
		if good.Code != 0 || good.Stderr != "" || good.Stdout != "tapstack: synthesized TapStackstage into \"out\"\n" {
			t.Errorf("run %d: exit %d, stdout %q, stderr %q", i, good.Code, good.Stdout, good.Stderr)
		}
	}
}
