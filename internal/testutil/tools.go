package testutil

import (
	"os"
	"sync"
	"testing"

	"github.com/tapstack/infra/verify"
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
		e, err := verify.FindEngine()
		if err != nil {
			tools.missing = err.Error()
			return
		}
		tools.terraform, tools.plugins = e.Binary, e.PluginDir
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
