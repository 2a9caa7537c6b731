package tapstack_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tapstack/infra/examples/tapstack"
)

func TestRunRejectsBadInputAndWritesNothing(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	var stderr bytes.Buffer
	code := tapstack.Run(lookup(map[string]string{"ENVIRONMENT_SUFFIX": "Bad!", "ENABLE_CACHE_LIMITS": "nope", "CDKTF_OUTDIR": out}), clock, &stderr)
	if code != 2 {
		t.Errorf("exit code %d, want 2", code)
	}
	lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	want := []string{`tapstack: ENVIRONMENT_SUFFIX="Bad!": environment name "Bad!" must match`, `tapstack: ENABLE_CACHE_LIMITS="nope": want true, false, 1 or 0`}
	if len(lines) != len(want) {
		t.Fatalf("stderr:\n%s", stderr.String())
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("line %d = %q, want prefix %q", i, lines[i], w)
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("bad input created %s (%v)", out, err)
	}
}

func TestRunSynthesizes(t *testing.T) {
	out := filepath.Join(t.TempDir(), "nested", "out") // parents are created too
	var stderr bytes.Buffer
	if code := tapstack.Run(lookup(map[string]string{"CDKTF_OUTDIR": out, "ENVIRONMENT_SUFFIX": "pr4892", "PR_TIMESTAMP_SUFFIX": "123456"}), clock, &stderr); code != 0 {
		t.Fatalf("exit code %d: %s", code, stderr.String())
	}
	raw, err := os.ReadFile(filepath.Join(out, "stacks", "TapStackpr4892", "cdk.tf.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	if outputs := doc["output"].(map[string]any); len(outputs) != len(tapstack.Outputs) {
		t.Errorf("outputs = %v", outputs)
	}
}

// TestAppBinary runs the real command: bad input exits non-zero with one line per
// problem, no panic trace and no files.
func TestRunReportsAnUnusableOutdir(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	if code := tapstack.Run(lookup(map[string]string{"CDKTF_OUTDIR": filepath.Join(file, "out")}), clock, &stderr); code != 2 || !strings.Contains(stderr.String(), "tapstack: CDKTF_OUTDIR=") {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
}

func TestAppBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the app")
	}
	bin := filepath.Join(t.TempDir(), "tapstack")
	if out, err := exec.Command("go", "build", "-o", bin, "./cmd/tapstack").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dir := t.TempDir()
	cmd := exec.Command(bin)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "ENVIRONMENT_SUFFIX=pr-", "TERRAFORM_STATE_BUCKET=x", "CDKTF_OUTDIR=")
	out, err := cmd.CombinedOutput()
	exit, ok := err.(*exec.ExitError)
	if !ok || exit.ExitCode() != 2 {
		t.Fatalf("exit: %v\n%s", err, out)
	}
	text := string(out)
	for _, w := range []string{`tapstack: ENVIRONMENT_SUFFIX="pr-"`, `tapstack: TERRAFORM_STATE_BUCKET="x"`} {
		if !strings.Contains(text, w) {
			t.Errorf("output lacks %q:\n%s", w, text)
		}
	}
	if strings.Contains(text, "panic") || strings.Contains(text, "goroutine") {
		t.Errorf("panic trace in output:\n%s", text)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("bad input wrote %v", entries)
	}
}
