package verify

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
	"strings"
	"sync"
	"time"

	"github.com/tapstack/infra/internal/tfdiag"
)

// BinaryEnv names the variable that selects the engine binary: a name looked up on PATH
// or a path. Unset, the engine is "terraform". Set it to "tofu" for OpenTofu.
const BinaryEnv = "TERRAFORM_BINARY_NAME"

// PluginDirEnv names the variable that overrides the discovery of the provider mirror.
const PluginDirEnv = "TF_PLUGIN_DIR"

// Engine is the Terraform CLI (or OpenTofu) that plans, and the local provider mirror it
// installs providers from. Nothing is ever downloaded.
type Engine struct {
	// Binary is the path of the terraform (or tofu) executable.
	Binary string
	// PluginDir is a local provider mirror in the unpacked filesystem-mirror layout
	// (<dir>/registry.terraform.io/hashicorp/aws/<version>/<os>_<arch>/), passed to
	// init as -plugin-dir.
	PluginDir string
}

// FindEngine discovers the engine: the binary named by $TERRAFORM_BINARY_NAME (default
// "terraform") on PATH, and the provider mirror found by FindPluginDir. The error says
// what is missing and which variable to set.
func FindEngine() (Engine, error) {
	bin, err := findBinary()
	if err != nil {
		return Engine{}, err
	}
	dir, err := FindPluginDir()
	if err != nil {
		return Engine{}, err
	}
	return Engine{Binary: bin, PluginDir: dir}, nil
}

func findBinary() (string, error) {
	name := os.Getenv(BinaryEnv)
	if name == "" {
		name = "terraform"
	}
	path, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("terraform CLI %q not found on PATH (set %s)", name, BinaryEnv)
	}
	return path, nil
}

// FindPluginDir returns a local provider mirror that holds hashicorp/aws 5.x for this
// platform: $TF_PLUGIN_DIR when set, otherwise the first directory found under the usual
// roots (/opt, /usr/local/share, /usr/share, $HOME/.terraform.d, $HOME/.local/share)
// whose layout is <dir>/registry.terraform.io/hashicorp/aws/<version>/<os>_<arch>/.
func FindPluginDir() (string, error) {
	platform := runtime.GOOS + "_" + runtime.GOARCH
	has := func(dir string) bool {
		m, _ := filepath.Glob(filepath.Join(dir, "registry.terraform.io", "hashicorp", "aws", "5.*", platform))
		return len(m) > 0
	}
	if d := os.Getenv(PluginDirEnv); d != "" {
		if has(d) {
			return d, nil
		}
		return "", fmt.Errorf("%s=%s holds no registry.terraform.io/hashicorp/aws/5.*/%s", PluginDirEnv, d, platform)
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
	return "", fmt.Errorf("no provider mirror with registry.terraform.io/hashicorp/aws/5.*/%s under %v (set %s)", platform, roots, PluginDirEnv)
}

// resolve fills the zero fields of e by discovery.
func (e Engine) resolve() (Engine, error) {
	if e.Binary == "" {
		bin, err := findBinary()
		if err != nil {
			return e, err
		}
		e.Binary = bin
	} else if p, err := exec.LookPath(e.Binary); err == nil {
		e.Binary = p
	} else {
		return e, fmt.Errorf("terraform CLI %q not found: %v", e.Binary, err)
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

// commandTimeout bounds one engine command when the caller's context has no deadline.
const commandTimeout = 10 * time.Minute

// run runs the engine in dir and returns its combined output. The environment is the
// caller's with everything that could reach AWS or a remote service neutralized: an
// empty CLI configuration of the work directory, no checkpoint calls, no AWS profile or
// credentials from the environment, no instance metadata.
func (e Engine) run(ctx context.Context, dir string, args ...string) ([]byte, error) {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, commandTimeout)
		defer cancel()
	}
	cmd := exec.CommandContext(ctx, e.Binary, args...)
	cmd.Dir = dir
	cmd.Env = engineEnv(dir)
	// Interrupt first so that terraform stops its provider processes; kill after a delay.
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 10 * time.Second
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if ctx.Err() != nil {
		return out.Bytes(), fmt.Errorf("%s %s: %w", filepath.Base(e.Binary), args[0], ctx.Err())
	}
	return out.Bytes(), err
}

func engineEnv(dir string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case strings.HasPrefix(name, "AWS_"), name == "TF_CLI_CONFIG_FILE", name == "TF_DATA_DIR",
			name == "TF_WORKSPACE", name == "TF_PLUGIN_CACHE_DIR", name == "TF_CLI_ARGS",
			strings.HasPrefix(name, "TF_CLI_ARGS_"), name == "TOFU_CLI_CONFIG_FILE":
			continue
		}
		env = append(env, kv)
	}
	rc := filepath.Join(dir, ".terraformrc")
	return append(env,
		"TF_CLI_CONFIG_FILE="+rc, "TOFU_CLI_CONFIG_FILE="+rc,
		"CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_INPUT=0",
		"AWS_EC2_METADATA_DISABLED=true")
}

var versions sync.Map // binary path -> string

// version returns the engine's version ("1.11.4"), written into the fake state so that
// the engine accepts it.
func (e Engine) version(ctx context.Context, dir string) (string, error) {
	if v, ok := versions.Load(e.Binary); ok {
		return v.(string), nil
	}
	out, err := e.run(ctx, dir, "version", "-json")
	var v struct {
		Version string `json:"terraform_version"`
	}
	if jerr := json.Unmarshal(out, &v); err != nil || jerr != nil || v.Version == "" {
		return "", fmt.Errorf("%s version -json: %v\n%s", e.Binary, errors.Join(err, jerr), out)
	}
	versions.Store(e.Binary, v.Version)
	return v.Version, nil
}

// diagnostics formats the error diagnostics of a -json run (one JSON message per line);
// output that carries none is returned as it is.
func diagnostics(out []byte) string {
	if msg := tfdiag.Errors(tfdiag.Stream(out)); msg != "" {
		return msg
	}
	return strings.TrimSpace(string(out))
}
