// Package archtest holds the test of the module's layering (docs/architecture.md): it
// reads the import graph with go list and fails on a forbidden edge.
package archtest

import (
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/tapstack/infra"

// pkg is what go list says of one package of the module.
type pkg struct {
	ImportPath   string
	Imports      []string // of the package's own (non-test) files
	Deps         []string // every package those import, transitively
	TestImports  []string
	XTestImports []string
}

func list(t *testing.T) []pkg {
	t.Helper()
	cmd := exec.Command("go", "list", "-json", "./...")
	cmd.Dir = "../.."
	out, err := cmd.Output()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		t.Fatalf("go list: %v\n%s", err, exit.Stderr)
	}
	if err != nil {
		t.Fatal(err)
	}
	var pkgs []pkg
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) < 20 {
		t.Fatalf("go list found %d packages", len(pkgs))
	}
	return pkgs
}

// rel is the package's path in the module ("constructs/naming"), or "" outside it.
func rel(importPath string) string {
	if importPath == module {
		return "."
	}
	if r, ok := strings.CutPrefix(importPath, module+"/"); ok {
		return r
	}
	return ""
}

func under(p, dir string) bool { return p == dir || strings.HasPrefix(p, dir+"/") }

// pureGo are the packages that must build without jsii, cdktf or any construct: their
// whole dependency closure is the standard library and these packages.
var pureGo = []string{"awsid", "field", "constructs/naming", "internal/text"}

// rules says, for a package of the module, which of its (non-test) imports of the
// module are forbidden and why; "" allows the edge.
func rules(from, to string) string {
	switch {
	case under(to, "cmd"):
		return "nothing imports a command"
	case (to == "internal/testutil" && from != "internal/apptest") || to == "internal/apptest" || to == "internal/archtest":
		return "only tests (and the apps' fixtures, internal/apptest) import the test helpers"
	case under(from, "examples") && under(to, "internal"):
		return "the examples are supported patterns: public API only, nothing a reader must copy"
	case under(from, "constructs") && (under(to, "examples") || to == "verify" || strings.HasSuffix(to, "app")):
		return "a construct imports no example, no app and not the checker"
	case from == "verify" && under(to, "constructs") && to != "constructs/naming":
		return "the checker reads Terraform JSON, not constructs"
	case (from == "awsid" || from == "field") && to != "internal/text" && to != "awsid":
		return "awsid and field are the bottom layer"
	}
	return ""
}

// TestLayering: the import graph of the module keeps its layers (docs/architecture.md).
func TestLayering(t *testing.T) {
	pkgs := list(t)
	var bad []string
	for _, p := range pkgs {
		from := rel(p.ImportPath)
		for _, imp := range p.Imports {
			to := rel(imp)
			if to == "" {
				if from == "verify" && imp == "testing" {
					bad = append(bad, from+" imports testing: the checker's assertions take an interface")
				}
				continue
			}
			if why := rules(from, to); why != "" {
				bad = append(bad, from+" imports "+to+": "+why)
			}
		}
		if slices.Contains(pureGo, from) {
			for _, dep := range p.Deps {
				if r := rel(dep); (r != "" && !slices.Contains(pureGo, r)) || (r == "" && strings.Contains(strings.Split(dep, "/")[0], ".")) {
					bad = append(bad, from+" depends on "+dep+": it must stay pure Go (the standard library and "+strings.Join(pureGo, ", ")+")")
				}
			}
		}
	}
	// The examples' own tests may use the test helpers; their code may not (above).
	for _, b := range bad {
		t.Error(b)
	}
	if testing.Verbose() {
		t.Logf("%d packages checked", len(pkgs))
	}
}
