package testutil

import (
	"fmt"
	"os"
	"os/exec"
	"sync"
	"testing"

	"github.com/tapstack/infra/verify"
)

// RequireEnv names the variable that, set to 1, turns a missing Terraform CLI or provider mirror into a test
// failure instead of a skip. make test sets it, so CI never skips silently.
const RequireEnv = "TAPSTACK_REQUIRE_TERRAFORM"

// TofuEnv names the variable that adds OpenTofu as a second engine of every check: a
// name on PATH or a path (make test sets it to the pinned ./bin/tofu-<version>). Unset,
// only the engine of $TERRAFORM_BINARY_NAME runs.
const TofuEnv = "TOFU_BINARY_NAME"

// engine is one Terraform-compatible CLI.
type engine struct {
	name, path string
}

type tool struct {
	engines []engine
	plugins string
	missing string
}

var (
	toolOnce sync.Once
	tools    tool
)

func findTools() tool {
	toolOnce.Do(func() {
		e, err := verify.FindEngine()
		if err != nil {
			tools.missing = err.Error()
			return
		}
		tools.engines, tools.plugins = []engine{{"terraform", e.Binary}}, e.PluginDir
		if name := os.Getenv(TofuEnv); name != "" {
			path, err := exec.LookPath(name)
			if err != nil {
				tools.missing = fmt.Sprintf("OpenTofu CLI %q not found (%s): %v", name, TofuEnv, err)
				return
			}
			tools.engines = append(tools.engines, engine{"tofu", path})
		}
	})
	return tools
}

// FindPluginDir returns a local provider mirror that holds hashicorp/aws for this
// platform: $TF_PLUGIN_DIR when set, otherwise the first directory found under the usual
// roots (/opt, /usr/local/share, /usr/share, $HOME/.terraform.d, $HOME/.local/share)
// whose layout is <dir>/registry.terraform.io/hashicorp/aws/<version>/<os>_<arch>/.
// It is verify.FindPluginDir, the one discovery of the module.
func FindPluginDir() (string, error) {
	return verify.FindPluginDir()
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
