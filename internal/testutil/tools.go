package testutil

import (
	"fmt"
	"os"
	"slices"
	"sync"
	"testing"

	"github.com/tapstack/infra/internal/engine"
)

// RequireEnv names the variable that, set to 1, turns a missing Terraform CLI or provider mirror into a test
// failure instead of a skip. make test sets it, so CI never skips silently.
const RequireEnv = "TAPSTACK_REQUIRE_TERRAFORM"

// TofuEnv names the variable that adds OpenTofu as a second engine of every check: a
// name on PATH or a path (make test sets it to the pinned ./bin/tofu-<version>). Unset,
// only the engine of $TERRAFORM_BINARY_NAME runs.
const TofuEnv = "TOFU_BINARY_NAME"

// engineOf is one Terraform-compatible CLI of the harness, named for its directory.
type engineOf struct {
	name string
	eng  engine.Engine
}

type tool struct {
	engines []engineOf
	plugins string
	missing string
}

var (
	toolOnce sync.Once
	tools    tool
)

func findTools() tool {
	toolOnce.Do(func() {
		e, err := engine.Find()
		if err != nil {
			tools.missing = err.Error()
			return
		}
		tools.engines, tools.plugins = []engineOf{{"terraform", e}}, e.PluginDir
		if name := os.Getenv(TofuEnv); name != "" {
			tofu, err := engine.Engine{Binary: name, PluginDir: e.PluginDir}.Resolve()
			if err != nil {
				tools.missing = fmt.Sprintf("OpenTofu CLI %q not found (%s): %v", name, TofuEnv, err)
				return
			}
			tools.engines = append(tools.engines, engineOf{"tofu", tofu})
		}
	})
	return tools
}

// pinned checks that the provider mirror holds the version the stacks pin: the tests
// must run the provider users install.
func (tl tool) pinned() error {
	held := engine.ProviderVersions(tl.plugins)
	if slices.Contains(held, PinnedProvider) {
		return nil
	}
	return fmt.Errorf("the stacks require hashicorp/aws %s exactly (identity.ProviderVersion), but the provider mirror %s holds %v: "+
		"the tests would run a provider that no stack installs. Put %s into the mirror (%s), or, to upgrade the provider, set "+
		"identity.ProviderVersion to the mirror's version, run make golden and make test, and read the diff of the goldens and the "+
		"release baseline check (docs/verify.md, \"The provider version\")", PinnedProvider, tl.plugins, held, PinnedProvider, engine.PluginDirEnv)
}

// FindPluginDir returns a local provider mirror that holds hashicorp/aws for this
// platform: $TF_PLUGIN_DIR when set, otherwise the first directory found under the usual
// roots (/opt, /usr/local/share, /usr/share, $HOME/.terraform.d, $HOME/.local/share)
// whose layout is <dir>/registry.terraform.io/hashicorp/aws/<version>/<os>_<arch>/.
// It is the one discovery of the module (internal/engine).
func FindPluginDir() (string, error) {
	return engine.FindPluginDir()
}

// requireTools skips (or, with RequireEnv=1, fails) a test when Terraform or the mirror
// is missing, saying exactly what is missing; it fails when the mirror does not hold
// PinnedProvider.
func requireTools(t testing.TB) tool {
	t.Helper()
	tl := findTools()
	if tl.missing != "" {
		if os.Getenv(RequireEnv) == "1" {
			t.Fatalf("Terraform checks required (%s=1) but %s", RequireEnv, tl.missing)
		}
		t.Skipf("skipping Terraform checks: %s", tl.missing)
	}
	if err := tl.pinned(); err != nil {
		t.Fatal(err)
	}
	return tl
}
