// Package engine runs the Terraform CLI (or OpenTofu) offline: the one runner of the
// verify package and the test harness. It owns the discovery of the engine and of the
// local provider mirror, the environment an engine process gets (the caller's, with
// everything that could reach AWS, a registry or another state scrubbed), interrupt
// then kill on cancellation, the provider settings that keep hashicorp/aws offline, the
// widening of an exact provider pin, and the reading of a saved plan file.
package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"
)

// BinaryEnv names the variable that selects the engine binary: a name looked up on PATH
// or a path. Unset, the engine is "terraform". Set it to "tofu" for OpenTofu.
const BinaryEnv = "TERRAFORM_BINARY_NAME"

// PluginDirEnv names the variable that overrides the discovery of the provider mirror.
const PluginDirEnv = "TF_PLUGIN_DIR"

// AWSSource is the fully qualified address of hashicorp/aws. It is written out because
// OpenTofu expands "hashicorp/aws" to registry.opentofu.org/hashicorp/aws, which a
// mirror in the registry.terraform.io layout does not hold; Terraform reads both
// spellings as the same provider.
const AWSSource = "registry.terraform.io/hashicorp/aws"

// Engine is the Terraform CLI (or OpenTofu) and the local provider mirror it installs
// providers from. Nothing is ever downloaded.
type Engine struct {
	// Binary is the path of the terraform (or tofu) executable.
	Binary string
	// PluginDir is a local provider mirror in the unpacked filesystem-mirror layout
	// (<dir>/registry.terraform.io/hashicorp/aws/<version>/<os>_<arch>/), passed to
	// init as -plugin-dir.
	PluginDir string
}

// Find discovers the engine: the binary named by $TERRAFORM_BINARY_NAME (default
// "terraform") on PATH, and the provider mirror found by FindPluginDir. The error says
// what is missing and which variable to set.
func Find() (Engine, error) {
	return Engine{}.Resolve()
}

// Resolve fills the zero fields of e by discovery and makes Binary an absolute path.
func (e Engine) Resolve() (Engine, error) {
	if e.Binary == "" {
		name := os.Getenv(BinaryEnv)
		if name == "" {
			name = "terraform"
		}
		path, err := exec.LookPath(name)
		if err != nil {
			return e, fmt.Errorf("terraform CLI %q not found on PATH (set %s)", name, BinaryEnv)
		}
		e.Binary = path
	} else {
		path, err := exec.LookPath(e.Binary)
		if err != nil {
			return e, fmt.Errorf("terraform CLI %q not found: %v", e.Binary, err)
		}
		e.Binary = path
	}
	if abs, err := filepath.Abs(e.Binary); err == nil {
		e.Binary = abs
	}
	if e.PluginDir == "" {
		dir, err := FindPluginDir()
		if err != nil {
			return e, err
		}
		e.PluginDir = dir
	}
	return e, nil
}

// Name is the base name of the binary ("terraform", "tofu-v1.12.6"), for messages.
func (e Engine) Name() string { return filepath.Base(e.Binary) }

// platform is the provider platform directory of this machine ("linux_amd64").
func platform() string { return runtime.GOOS + "_" + runtime.GOARCH }

// FindPluginDir returns a local provider mirror that holds hashicorp/aws 5.x for this
// platform: $TF_PLUGIN_DIR when set, otherwise the first directory found under the usual
// roots (/opt, /usr/local/share, /usr/share, $HOME/.terraform.d, $HOME/.local/share)
// whose layout is <dir>/registry.terraform.io/hashicorp/aws/<version>/<os>_<arch>/.
func FindPluginDir() (string, error) {
	has := func(dir string) bool {
		m, _ := filepath.Glob(filepath.Join(dir, "registry.terraform.io", "hashicorp", "aws", "5.*", platform()))
		return len(m) > 0
	}
	if d := os.Getenv(PluginDirEnv); d != "" {
		if has(d) {
			return d, nil
		}
		return "", fmt.Errorf("%s=%s holds no registry.terraform.io/hashicorp/aws/5.*/%s", PluginDirEnv, d, platform())
	}
	home, _ := os.UserHomeDir()
	roots := []string{"/opt", "/usr/local/share", "/usr/share", filepath.Join(home, ".terraform.d"), filepath.Join(home, ".local", "share")}
	for _, root := range roots {
		found := ""
		_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err != nil || !d.IsDir() || found != "" {
				return filepath.SkipDir
			}
			if strings.Count(strings.TrimPrefix(p, root), string(filepath.Separator)) > 3 {
				return filepath.SkipDir
			}
			if d.Name() == "registry.terraform.io" && has(filepath.Dir(p)) {
				found = filepath.Dir(p)
				return filepath.SkipAll
			}
			return nil
		})
		if found != "" {
			return found, nil
		}
	}
	return "", fmt.Errorf("no provider mirror with registry.terraform.io/hashicorp/aws/5.*/%s under %v (set %s)", platform(), roots, PluginDirEnv)
}

// ProviderVersions returns the versions of hashicorp/aws the mirror holds for this
// platform, sorted as versions ("5.84.0" before "5.100.0").
func ProviderVersions(pluginDir string) []string {
	m, _ := filepath.Glob(filepath.Join(pluginDir, "registry.terraform.io", "hashicorp", "aws", "*", platform()))
	var out []string
	for _, p := range m {
		out = append(out, filepath.Base(filepath.Dir(p)))
	}
	sort.Slice(out, func(i, j int) bool { return versionLess(out[i], out[j]) })
	return out
}

// versionLess orders dotted versions by their numeric parts.
func versionLess(a, b string) bool {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(pa) && i < len(pb); i++ {
		var x, y int
		_, ex := fmt.Sscan(pa[i], &x)
		_, ey := fmt.Sscan(pb[i], &y)
		if ex != nil || ey != nil {
			if pa[i] != pb[i] {
				return pa[i] < pb[i]
			}
			continue
		}
		if x != y {
			return x < y
		}
	}
	return len(pa) < len(pb)
}

// DefaultTimeout bounds one engine command when the caller's context has no deadline.
const DefaultTimeout = 10 * time.Minute

// killDelay is how long a canceled engine has, after the interrupt, to stop its
// provider processes before it is killed.
var killDelay = 10 * time.Second

// Run runs the engine in dir with the environment of Env and returns its combined
// output. A canceled context interrupts the engine first, so that it stops its provider
// processes (a kill would leave them running), and kills it after a delay; the error
// then wraps the context's error.
func (e Engine) Run(ctx context.Context, dir string, args ...string) ([]byte, error) {
	var out bytes.Buffer
	err := e.run(ctx, dir, &out, &out, args)
	return out.Bytes(), err
}

// Output runs the engine like Run and returns its standard output alone (a -json
// document); the standard error is in the error when the command fails.
func (e Engine) Output(ctx context.Context, dir string, args ...string) ([]byte, error) {
	var stdout, stderr bytes.Buffer
	err := e.run(ctx, dir, &stdout, &stderr, args)
	if err != nil {
		err = fmt.Errorf("%w\n%s", err, bytes.TrimSpace(stderr.Bytes()))
	}
	return stdout.Bytes(), err
}

func (e Engine) run(ctx context.Context, dir string, stdout, stderr *bytes.Buffer, args []string) error {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, DefaultTimeout)
		defer cancel()
	}
	cmd := exec.CommandContext(ctx, e.Binary, args...)
	cmd.Dir = dir
	cmd.Env = Env(dir)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = killDelay
	cmd.Stdout, cmd.Stderr = stdout, stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		return fmt.Errorf("%s %s: %w", e.Name(), args[0], ctx.Err())
	}
	if err != nil {
		return fmt.Errorf("%s %s: %w", e.Name(), args[0], err)
	}
	return nil
}

// scrubbed tells whether a variable of the caller's environment is kept from the engine:
// every TF_ and TOFU_ variable (CLI arguments, data directory, workspace, CLI
// configuration, plugin cache, reattached providers, input variables, logs, registry
// tokens, OpenTofu's state encryption) and every AWS_ variable (profiles, credentials,
// regions, endpoints).
func scrubbed(name string) bool {
	return strings.HasPrefix(name, "TF_") || strings.HasPrefix(name, "TOFU_") || strings.HasPrefix(name, "AWS_")
}

// Env is the environment of an engine process working in dir: the caller's without the
// scrubbed variables, plus an empty CLI configuration of dir (.terraformrc, which the
// caller writes), no checkpoint calls, automation mode, no input, and AWS settings that
// read no profile, shared file or instance metadata.
func Env(dir string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if !scrubbed(name) {
			env = append(env, kv)
		}
	}
	rc := filepath.Join(dir, ".terraformrc")
	return append(env,
		"TF_CLI_CONFIG_FILE="+rc, "TOFU_CLI_CONFIG_FILE="+rc,
		"CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_INPUT=0",
		"AWS_EC2_METADATA_DISABLED=true", "AWS_CONFIG_FILE="+os.DevNull, "AWS_SHARED_CREDENTIALS_FILE="+os.DevNull)
}

// WriteCLIConfig writes the empty CLI configuration that Env points the engine at.
func WriteCLIConfig(dir string) error {
	return os.WriteFile(filepath.Join(dir, ".terraformrc"), nil, 0o644)
}

// Init runs init in dir with the mirror as the only provider source (no backend).
func (e Engine) Init(ctx context.Context, dir string) error {
	if err := WriteCLIConfig(dir); err != nil {
		return err
	}
	out, err := e.Run(ctx, dir, "init", "-input=false", "-no-color", "-backend=false", "-plugin-dir="+e.PluginDir)
	if err != nil {
		return fmt.Errorf("%w\n%s", err, bytes.TrimSpace(out))
	}
	return nil
}

var versions sync.Map // binary path -> string

// Version returns the engine's version ("1.11.4"), once per binary and process. Both
// engines name the key of `version -json` terraform_version.
func (e Engine) Version(ctx context.Context, dir string) (string, error) {
	if v, ok := versions.Load(e.Binary); ok {
		return v.(string), nil
	}
	out, err := e.Output(ctx, dir, "version", "-json")
	var v struct {
		Version string `json:"terraform_version"`
	}
	if jerr := json.Unmarshal(out, &v); err != nil || jerr != nil || v.Version == "" {
		return "", fmt.Errorf("%s version -json: %v\n%s", e.Name(), errors.Join(err, jerr), out)
	}
	versions.Store(e.Binary, v.Version)
	return v.Version, nil
}
