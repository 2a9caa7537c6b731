package testutil

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// RequireEnv names the variable that, set to 1, turns a missing Terraform CLI or provider mirror into a test
// failure instead of a skip. make test sets it, so CI never skips silently.
const RequireEnv = "TAPSTACK_REQUIRE_TERRAFORM"

type tool struct {
	terraform, plugins string
	missing            string
}

var (
	toolOnce sync.Once
	tools    tool
)

func findTools() tool {
	toolOnce.Do(func() {
		tf := os.Getenv("TERRAFORM_BINARY_NAME")
		if tf == "" {
			tf = "terraform"
		}
		path, err := exec.LookPath(tf)
		if err != nil {
			tools.missing = fmt.Sprintf("terraform CLI %q not found on PATH (set TERRAFORM_BINARY_NAME)", tf)
			return
		}
		tools.terraform = path
		dir, err := FindPluginDir()
		if err != nil {
			tools.missing = err.Error()
			return
		}
		tools.plugins = dir
	})
	return tools
}

// FindPluginDir returns a local provider mirror that holds hashicorp/aws for this
// platform: $TF_PLUGIN_DIR when set, otherwise the first directory found under the usual
// roots (/opt, /usr/local/share, /usr/share, $HOME/.terraform.d, $HOME/.local/share)
// whose layout is <dir>/registry.terraform.io/hashicorp/aws/<version>/<os>_<arch>/.
func FindPluginDir() (string, error) {
	platform := runtime.GOOS + "_" + runtime.GOARCH
	has := func(dir string) bool {
		m, _ := filepath.Glob(filepath.Join(dir, "registry.terraform.io", "hashicorp", "aws", "5.*", platform))
		return len(m) > 0
	}
	if d := os.Getenv("TF_PLUGIN_DIR"); d != "" {
		if has(d) {
			return d, nil
		}
		return "", fmt.Errorf("TF_PLUGIN_DIR=%s holds no registry.terraform.io/hashicorp/aws/5.*/%s", d, platform)
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
	return "", fmt.Errorf("no provider mirror with registry.terraform.io/hashicorp/aws/5.*/%s under %v (set TF_PLUGIN_DIR)", platform, roots)
}

// requireTools skips (or, with RequireEnv=1, fails) a test when Terraform or the mirror
// is missing, saying exactly what is missing.
func requireTools(t testing.TB) tool {
	t.Helper()
	tl := findTools()
	if tl.missing != "" {
		if os.Getenv(RequireEnv) == "1" {
			t.Fatalf("Terraform checks required (%s=1) but %s", RequireEnv, tl.missing)
		}
		t.Skipf("skipping Terraform checks: %s", tl.missing)
	}
	return tl
}
