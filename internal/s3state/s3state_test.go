package s3state

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// requireEnv, set to 1, turns a missing CLI into a failure instead of a skip (the
// convention of internal/testutil; make test sets it).
const requireEnv = "TAPSTACK_REQUIRE_TERRAFORM"

// The stack the test synthesizes and the state location it must declare.
const (
	envName      = "pr4892"
	stackName    = "TapStack" + envName
	stateKey     = envName + "/" + stackName + ".tfstate"
	lockKey      = stateKey + ".tflock"
	bucket       = "tapstack-state-test"
	bucketRegion = "us-east-1"
	lockError    = "Error acquiring the state lock"
)

// Timeouts: every command runs under a context.
const (
	buildTimeout   = 15 * time.Minute // the app, from a cold build cache
	commandTimeout = 2 * time.Minute  // one init, apply or output
	holdTimeout    = 3 * time.Minute  // the apply that holds the lock until released
)

// engine is a Terraform-compatible CLI. The S3 lock file (use_lockfile) needs
// Terraform >= 1.11 or OpenTofu >= 1.10; both print "Error acquiring the state lock".
type engine struct {
	name string // subtest name
	env  string // variable naming the binary
	def  string // binary when env is unset
}

// engines are the CLIs the test runs against: Terraform, and OpenTofu when
// $TOFU_BINARY_NAME names it (make state-test sets it to the pinned ./bin/tofu-<version>).
var engines = []engine{
	{name: "terraform", env: "TERRAFORM_BINARY_NAME", def: "terraform"},
}

func init() {
	if os.Getenv("TOFU_BINARY_NAME") != "" {
		engines = append(engines, engine{name: "tofu", env: "TOFU_BINARY_NAME", def: "tofu"})
	}
}

// TestS3State proves the TapStack's synthesized S3 backend block with a real CLI and a
// real S3 API (gofakes3 on loopback): state at <env>/<stack>.tfstate, a lock file that
// keeps a second apply out while a first one runs, and one state for every working
// directory; then a stale lock left by a killed run, cleared with force-unlock.
func TestS3State(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			bin := lookupEngine(t, e)
			backend, requiredVersion := synthesizedBackend(t, bucket)
			testS3State(t, bin, backend, requiredVersion)
		})
	}
}

func lookupEngine(t *testing.T, e engine) string {
	t.Helper()
	name := os.Getenv(e.env)
	if name == "" {
		name = e.def
	}
	path, err := exec.LookPath(name)
	if err != nil {
		msg := fmt.Sprintf("%s CLI %q not found on PATH (set %s)", e.name, name, e.env)
		if os.Getenv(requireEnv) == "1" {
			t.Fatalf("S3 state check required (%s=1) but %s", requireEnv, msg)
		}
		t.Skipf("skipping the S3 state check: %s", msg)
	}
	return path
}

// synthesizedBackend runs the real app (cmd/tapstack of the
// repository this module sits in) with an S3 state bucket and returns the stack's
// terraform.backend.s3 block and terraform.required_version, after checking both.
func synthesizedBackend(t *testing.T, bucket string) (map[string]any, string) {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if gomod, err := os.ReadFile(filepath.Join(root, "go.mod")); err != nil || !strings.HasPrefix(string(gomod), "module github.com/tapstack/infra\n") {
		t.Fatalf("%s is not the root of github.com/tapstack/infra (go.mod: %v)", root, err)
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("go not found on PATH: %v", err)
	}
	tmp := t.TempDir()
	app := filepath.Join(tmp, "tapstack")
	if out, err := run(t, buildTimeout, root, nil, goBin, "build", "-o", app, "./cmd/tapstack"); err != nil {
		t.Fatalf("go build the app: %v\n%s", err, out)
	}
	outdir := filepath.Join(tmp, "cdktf.out")
	env := append(os.Environ(),
		"ENVIRONMENT_SUFFIX="+envName, "PR_TIMESTAMP_SUFFIX=123456",
		"TERRAFORM_STATE_BUCKET="+bucket, "TERRAFORM_STATE_BUCKET_REGION="+bucketRegion,
		"CDKTF_OUTDIR="+outdir, "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20")
	if out, err := run(t, commandTimeout, tmp, env, app); err != nil {
		t.Fatalf("synthesize %s: %v\n%s", stackName, err, out)
	}
	raw, err := os.ReadFile(filepath.Join(outdir, "stacks", stackName, "cdk.tf.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Terraform struct {
			RequiredVersion string `json:"required_version"`
			Backend         struct {
				S3 map[string]any `json:"s3"`
			} `json:"backend"`
		} `json:"terraform"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("cdk.tf.json: %v", err)
	}
	want := map[string]any{"bucket": bucket, "key": stateKey, "region": bucketRegion, "encrypt": true, "use_lockfile": true}
	if got := doc.Terraform.Backend.S3; !reflect.DeepEqual(got, want) {
		t.Fatalf("synthesized terraform.backend.s3 = %v, want %v", got, want)
	}
	if got := doc.Terraform.RequiredVersion; got != ">= 1.11" {
		t.Fatalf("synthesized terraform.required_version = %q, want \">= 1.11\"", got)
	}
	return doc.Terraform.Backend.S3, doc.Terraform.RequiredVersion
}

// localServer is what reaching the fake server adds to the synthesized block, as a
// partial backend configuration (-backend-config): the endpoint, path-style addressing
// and no calls to STS or the instance metadata service. Credentials come from the
// environment (workdir.env).
func localServer(url string) map[string]string {
	return map[string]string{
		"endpoints":                   fmt.Sprintf("{ s3 = %q }", url),
		"use_path_style":              "true",
		"skip_credentials_validation": "true",
		"skip_requesting_account_id":  "true",
		"skip_metadata_api_check":     "true",
		"skip_region_validation":      "true",
	}
}

// holdCommand is the local-exec of terraform_data.hold: it says the apply has started
// (so the lock is held) and waits for the test to release it, at most 5 minutes.
const holdCommand = `touch "$HOLD/started"; i=0
while [ ! -e "$HOLD/release" ]; do
  i=$((i+1)); if [ "$i" -gt 3000 ]; then echo "hold: never released" >&2; exit 1; fi
  sleep 0.1
done`

// config is the root module: the synthesized backend block unchanged, and Terraform's
// built-in terraform_data (no provider to install), so that apply writes real state.
// var.run is stored as the output "run"; with var.hold set to a directory, the apply
// blocks in terraform_data.hold until <hold>/release exists, before it changes
// terraform_data.run (depends_on), so the stored state stays as it was while it blocks.
func config(backend map[string]any, requiredVersion string) map[string]any {
	return map[string]any{
		"terraform": map[string]any{
			"required_version": requiredVersion,
			"backend":          map[string]any{"s3": backend},
		},
		"variable": map[string]any{
			"run":  map[string]any{"type": "string"},
			"hold": map[string]any{"type": "string", "default": ""},
		},
		"resource": map[string]any{"terraform_data": map[string]any{
			"hold": map[string]any{
				"count":            `${var.hold == "" ? 0 : 1}`,
				"triggers_replace": "${var.run}",
				"provisioner": []any{map[string]any{"local-exec": map[string]any{
					"command":     holdCommand,
					"environment": map[string]any{"HOLD": "${var.hold}"},
				}}},
			},
			"run": map[string]any{
				"input":      "${var.run}",
				"depends_on": []any{"terraform_data.hold"},
			},
		}},
		"output": map[string]any{"run": map[string]any{"value": "${terraform_data.run.output}"}},
	}
}

func testS3State(t *testing.T, bin string, backend map[string]any, requiredVersion string) {
	srv, err := Start(bucket)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Errorf("stop the S3 server: %v", err)
		}
	})
	local := localServer(srv.URL)
	for k := range local {
		if _, ok := backend[k]; ok {
			t.Fatalf("the synthesized backend already sets %q; the test must only add settings", k)
		}
	}
	a := newWorkdir(t, bin, "a", config(backend, requiredVersion), local)
	b := newWorkdir(t, bin, "b", config(backend, requiredVersion), local)

	// init and apply store the state at <env>/<stack>.tfstate, and nothing else.
	a.must(t, "init", "-input=false", "-no-color", "-backend-config="+a.backendFile)
	a.must(t, "apply", "-auto-approve", "-input=false", "-no-color", "-var=run=v1")
	wantKeys(t, srv, stateKey)
	v1 := stored(t, srv)
	if v1.Outputs.Run.Value != "v1" {
		t.Fatalf("after the first apply, s3://%s/%s has output run = %q, want \"v1\"", bucket, stateKey, v1.Outputs.Run.Value)
	}
	b.must(t, "init", "-input=false", "-no-color", "-backend-config="+b.backendFile)

	// A second apply in a, held inside terraform_data.hold, holds the lock.
	hold := t.TempDir()
	held := a.start(t, holdTimeout, "apply", "-auto-approve", "-input=false", "-no-color", "-var=run=v2", "-var=hold="+hold)
	t.Cleanup(func() { release(t, hold); _, _ = held.wait(t) }) // on an early failure too
	waitFor(t, filepath.Join(hold, "started"), held)
	wantKeys(t, srv, stateKey, lockKey)
	lockBefore := object(t, srv, lockKey)
	var lock struct{ ID, Operation, Who, Path string }
	if err := json.Unmarshal(lockBefore, &lock); err != nil || lock.ID == "" || lock.Operation != "OperationTypeApply" {
		t.Fatalf("s3://%s/%s is not a lock (%v):\n%s", bucket, lockKey, err, lockBefore)
	}
	t.Logf("lock held: %s", lockBefore)
	stateBefore := object(t, srv, stateKey)
	if !bytes.Equal(stateBefore, v1.raw) {
		t.Fatalf("s3://%s/%s changed while the holding apply had changed nothing yet:\n%s", bucket, stateKey, stateBefore)
	}

	// While it is held, an apply from b fails with the lock error and changes nothing.
	out, err := b.run(t, commandTimeout, "apply", "-auto-approve", "-input=false", "-no-color", "-lock-timeout=0s", "-var=run=v3")
	if err == nil {
		t.Fatalf("apply in b succeeded while a held the lock (the lock did not lock):\n%s", out)
	}
	if !strings.Contains(out, lockError) || !strings.Contains(out, lock.ID) {
		t.Fatalf("apply in b failed, but not with %q naming lock %s: %v\n%s", lockError, lock.ID, err, out)
	}
	t.Logf("apply in b refused, as it must be:\n%s", out)
	if got := object(t, srv, stateKey); !bytes.Equal(got, stateBefore) {
		t.Fatalf("s3://%s/%s changed by the apply that did not get the lock:\nbefore: %s\nafter: %s", bucket, stateKey, stateBefore, got)
	}
	if got := object(t, srv, lockKey); !bytes.Equal(got, lockBefore) {
		t.Fatalf("s3://%s/%s was overwritten by the apply that did not get the lock:\nbefore: %s\nafter: %s", bucket, lockKey, lockBefore, got)
	}

	// Released, the first apply finishes and removes the lock file.
	release(t, hold)
	if out, err := held.wait(t); err != nil {
		t.Fatalf("the holding apply in a: %v\n%s", err, out)
	}
	wantKeys(t, srv, stateKey)
	if v2 := stored(t, srv); v2.Outputs.Run.Value != "v2" || v2.Serial <= v1.Serial || v2.Lineage != v1.Lineage {
		t.Fatalf("after the holding apply: output run %q serial %d lineage %s, want \"v2\", serial > %d, lineage %s", v2.Outputs.Run.Value, v2.Serial, v2.Lineage, v1.Serial, v1.Lineage)
	}

	// Now the second one succeeds.
	b.must(t, "apply", "-auto-approve", "-input=false", "-no-color", "-lock-timeout=0s", "-var=run=v3")
	wantKeys(t, srv, stateKey)
	v3 := stored(t, srv)
	if v3.Outputs.Run.Value != "v3" || v3.Lineage != v1.Lineage {
		t.Fatalf("after the apply in b: output run %q lineage %s, want \"v3\" and lineage %s", v3.Outputs.Run.Value, v3.Lineage, v1.Lineage)
	}

	// Both working directories see that one state.
	for _, w := range []*workdir{a, b} {
		if got := strings.TrimSpace(w.must(t, "output", "-no-color", "-raw", "run")); got != "v3" {
			t.Errorf("terraform output run in %s = %q, want \"v3\" (the state b wrote)", w.name, got)
		}
		if got := strings.Fields(w.must(t, "state", "list")); !reflect.DeepEqual(got, []string{"terraform_data.run"}) {
			t.Errorf("terraform state list in %s = %v, want [terraform_data.run]", w.name, got)
		}
	}
	if t.Failed() {
		return
	}

	// A run killed while it holds the lock leaves a stale lock file: every later run
	// fails with the lock error until force-unlock with the lock's ID removes it (the
	// runbook's procedure).
	hold = t.TempDir()
	killed := a.start(t, holdTimeout, "apply", "-auto-approve", "-input=false", "-no-color", "-var=run=v4", "-var=hold="+hold)
	t.Cleanup(func() { release(t, hold); _, _ = killed.wait(t) })
	waitFor(t, filepath.Join(hold, "started"), killed)
	stale := object(t, srv, lockKey)
	killed.kill()
	release(t, hold) // the orphaned provisioner's shell
	if out, err := killed.wait(t); err == nil {
		t.Fatalf("the killed apply in a succeeded:\n%s", out)
	}
	wantKeys(t, srv, stateKey, lockKey)
	if !bytes.Equal(object(t, srv, stateKey), v3.raw) {
		t.Fatalf("s3://%s/%s changed by the killed apply", bucket, stateKey)
	}
	if err := json.Unmarshal(stale, &lock); err != nil {
		t.Fatalf("s3://%s/%s: %v\n%s", bucket, lockKey, err, stale)
	}
	if out, err := b.run(t, commandTimeout, "apply", "-auto-approve", "-input=false", "-no-color", "-lock-timeout=0s", "-var=run=v5"); err == nil || !strings.Contains(out, lockError) || !strings.Contains(out, lock.ID) {
		t.Fatalf("apply in b with a stale lock: want %q naming lock %s, got %v\n%s", lockError, lock.ID, err, out)
	}
	b.must(t, "force-unlock", "-force", "-no-color", lock.ID)
	wantKeys(t, srv, stateKey)
	b.must(t, "apply", "-auto-approve", "-input=false", "-no-color", "-lock-timeout=0s", "-var=run=v5")
	if v5 := stored(t, srv); v5.Outputs.Run.Value != "v5" {
		t.Fatalf("after force-unlock and apply in b: output run %q, want \"v5\"", v5.Outputs.Run.Value)
	}
	wantKeys(t, srv, stateKey)
}

// workdir is one Terraform working directory holding the root module.
type workdir struct {
	name, dir, bin, backendFile string
	env                         []string
}

func newWorkdir(t *testing.T, bin, name string, root map[string]any, backendConfig map[string]string) *workdir {
	t.Helper()
	dir := filepath.Join(t.TempDir(), name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	raw, err := json.MarshalIndent(root, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	var hcl strings.Builder
	for _, k := range slices.Sorted(maps.Keys(backendConfig)) {
		fmt.Fprintf(&hcl, "%s = %s\n", k, backendConfig[k])
	}
	w := &workdir{name: name, dir: dir, bin: bin, backendFile: filepath.Join(dir, "local.s3.tfbackend")}
	cliConfig := filepath.Join(dir, "terraformrc")
	for path, content := range map[string][]byte{
		filepath.Join(dir, "main.tf.json"): raw,
		w.backendFile:                      []byte(hcl.String()),
		cliConfig:                          nil, // empty: no plugin cache, no mirrors, no credentials
	} {
		if err := os.WriteFile(path, content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The machine's AWS and TF settings are left out: fake static credentials, and the
	// empty CLI configuration.
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "AWS_") || strings.HasPrefix(k, "TF_") && !strings.HasPrefix(k, "TF_LOG") {
			continue
		}
		w.env = append(w.env, kv)
	}
	w.env = append(w.env,
		"TF_CLI_CONFIG_FILE="+cliConfig, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_INPUT=0",
		"AWS_ACCESS_KEY_ID=AKIAFAKE00000000TEST", "AWS_SECRET_ACCESS_KEY=fake-secret-for-the-local-s3-server",
		"AWS_CONFIG_FILE="+filepath.Join(dir, "no-aws-config"), "AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(dir, "no-aws-credentials"),
		"NO_PROXY=127.0.0.1", "no_proxy=127.0.0.1")
	return w
}

func (w *workdir) run(t *testing.T, timeout time.Duration, args ...string) (string, error) {
	t.Helper()
	return run(t, timeout, w.dir, w.env, w.bin, args...)
}

// must runs a command that has to succeed and returns its output.
func (w *workdir) must(t *testing.T, args ...string) string {
	t.Helper()
	out, err := w.run(t, commandTimeout, args...)
	if err != nil {
		t.Fatalf("%s %s in %s: %v\n%s", filepath.Base(w.bin), strings.Join(args, " "), w.name, err, out)
	}
	return out
}

// background is a command running on its own.
type background struct {
	done chan struct{}
	kill context.CancelFunc // SIGKILL, as when a CI runner dies
	out  string
	err  error
}

func (w *workdir) start(t *testing.T, timeout time.Duration, args ...string) *background {
	t.Helper()
	ctx, kill := context.WithCancel(context.Background())
	bg := &background{done: make(chan struct{}), kill: kill}
	go func() {
		defer close(bg.done)
		defer kill()
		bg.out, bg.err = runContext(ctx, t, timeout, w.dir, w.env, w.bin, args...)
	}()
	return bg
}

// wait returns the command's output and error once it has ended (its own timeout
// bounds the wait).
func (bg *background) wait(t *testing.T) (string, error) {
	t.Helper()
	<-bg.done
	return bg.out, bg.err
}

// waitFor returns once path exists; it fails the test if the background command ends
// first, or after holdTimeout.
func waitFor(t *testing.T, path string, bg *background) {
	t.Helper()
	deadline := time.Now().Add(holdTimeout)
	for {
		if _, err := os.Stat(path); err == nil {
			return
		}
		select {
		case <-bg.done:
			t.Fatalf("the holding apply ended before it held the lock: %v\n%s", bg.err, bg.out)
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("the holding apply did not reach its provisioner within %s", holdTimeout)
		}
	}
}

func release(t *testing.T, hold string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(hold, "release"), nil, 0o644); err != nil {
		t.Error(err)
	}
}

// run runs bin with args in dir under a timeout; env nil means the test's environment.
func run(t *testing.T, timeout time.Duration, dir string, env []string, bin string, args ...string) (string, error) {
	t.Helper()
	return runContext(context.Background(), t, timeout, dir, env, bin, args...)
}

// runContext is run that also ends (SIGKILL) when parent is canceled.
func runContext(parent context.Context, t *testing.T, timeout time.Duration, dir string, env []string, bin string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(parent, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir, cmd.Env = dir, env
	cmd.WaitDelay = 5 * time.Second
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		err = fmt.Errorf("timed out after %s: %w", timeout, errors.Join(err, ctx.Err()))
	}
	t.Logf("%s %s (%s): %.1fs", filepath.Base(bin), strings.Join(args, " "), filepath.Base(dir), time.Since(start).Seconds())
	return out.String(), err
}

type state struct {
	Serial  int    `json:"serial"`
	Lineage string `json:"lineage"`
	Outputs struct {
		Run struct {
			Value string `json:"value"`
		} `json:"run"`
	} `json:"outputs"`
	raw []byte
}

// stored reads and parses the state object from the fake S3.
func stored(t *testing.T, srv *Server) state {
	t.Helper()
	raw := object(t, srv, stateKey)
	var s state
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatalf("s3://%s/%s is not a state file: %v\n%s", bucket, stateKey, err, raw)
	}
	s.raw = raw
	return s
}

func object(t *testing.T, srv *Server, key string) []byte {
	t.Helper()
	content, found, err := srv.Object(bucket, key)
	if err != nil {
		t.Fatal(err)
	}
	if !found {
		keys, _ := srv.Keys(bucket)
		t.Fatalf("no object s3://%s/%s; the bucket holds %q", bucket, key, keys)
	}
	return content
}

func wantKeys(t *testing.T, srv *Server, want ...string) {
	t.Helper()
	got, err := srv.Keys(bucket)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("bucket %s holds %q, want %q", bucket, got, want)
	}
}
