package verify

import (
	"strings"

	"github.com/tapstack/infra/internal/engine"
	"github.com/tapstack/infra/internal/tfdiag"
)

// BinaryEnv names the variable that selects the engine binary: a name looked up on PATH
// or a path. Unset, the engine is "terraform". Set it to "tofu" for OpenTofu.
const BinaryEnv = engine.BinaryEnv

// PluginDirEnv names the variable that overrides the discovery of the provider mirror.
const PluginDirEnv = engine.PluginDirEnv

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
	e, err := engine.Find()
	return Engine(e), err
}

// FindPluginDir returns a local provider mirror that holds hashicorp/aws 5.x for this
// platform: $TF_PLUGIN_DIR when set, otherwise the first directory found under the usual
// roots (/opt, /usr/local/share, /usr/share, $HOME/.terraform.d, $HOME/.local/share)
// whose layout is <dir>/registry.terraform.io/hashicorp/aws/<version>/<os>_<arch>/.
func FindPluginDir() (string, error) { return engine.FindPluginDir() }

// resolve fills the zero fields of e by discovery.
func (e Engine) resolve() (engine.Engine, error) {
	return engine.Engine(e).Resolve()
}

// diagnostics formats the error diagnostics of a -json run (one JSON message per line);
// output that carries none is returned as it is.
func diagnostics(out []byte) string {
	if msg := tfdiag.Errors(tfdiag.Stream(out)); msg != "" {
		return msg
	}
	return strings.TrimSpace(string(out))
}
