package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// profile: constructs/a at 100%, constructs/b at 90% (9 of 10 statements; its first
// block is listed twice, covered by the first test binary only), edge at 89.99% (which
// go test prints as 90.0%), verify at 80%, constructsx (a sibling, not below
// constructs/) at 0%, and tools/x at 10%, which no pattern gates.
const profile = `mode: set
example.com/m/constructs/a/a.go:3.10,5.2 4 1
example.com/m/constructs/b/b.go:3.10,5.2 4 1
example.com/m/constructs/b/b.go:3.10,5.2 4 0
example.com/m/constructs/b/b.go:7.10,9.2 5 3
example.com/m/constructs/b/b.go:11.10,12.2 1 0
example.com/m/verify/v.go:3.10,5.2 8 1
example.com/m/verify/v.go:7.10,9.2 2 0
example.com/m/constructsx/x.go:3.10,5.2 3 0
example.com/m/edge/c.go:3.10,5.2 8999 1
example.com/m/edge/c.go:7.10,9.2 1001 0
example.com/m/tools/x/x.go:3.10,5.2 1 1
example.com/m/tools/x/x.go:7.10,9.2 9 0
`

// writeFiles writes each file (a path relative to a new directory: its content) and
// returns the directory.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestGate(t *testing.T) {
	prof := filepath.Join(writeFiles(t, map[string]string{"cover.out": profile}), "cover.out")
	tests := []struct {
		desc     string
		min      float64
		patterns []string
		code     int
		want     []string
	}{
		{"every gated package at the minimum", 90, []string{"./constructs/..."}, 0,
			[]string{"all 2 gated packages are at or above 90% (lowest: example.com/m/constructs/b, 90.0%)"}},
		{"one below", 90, []string{"./constructs/...", "./verify"}, 1,
			[]string{"covergate: example.com/m/verify covers 80.0% of its statements, below 90%"}},
		{"just below is below", 90.01, []string{"./constructs/b"}, 1,
			[]string{"example.com/m/constructs/b covers 90.0% of its statements, below 90.01%"}},
		{"below by less than go test shows", 90, []string{"./edge"}, 1,
			[]string{"example.com/m/edge covers 89.99% of its statements, below 90%"}},
		{"no tests", 90, []string{"./constructsx"}, 1,
			[]string{"example.com/m/constructsx covers none of its 3 statements (no tests, or none that run): below 90%"}},
		{"a pattern that matches nothing", 90, []string{"./constructs/...", "./cache", "./constructs/c/..."}, 1,
			[]string{"no package of " + prof + " matches ./cache: gate it by its new path", "matches ./constructs/c/..."}},
		{"the whole module", 10, []string{"./..."}, 1,
			[]string{"example.com/m/constructsx covers none", "all" /* absent: see below */}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			var out bytes.Buffer
			code := run(prof, "example.com/m", tt.min, tt.patterns, &out)
			if code != tt.code {
				t.Errorf("code %d, want %d; output:\n%s", code, tt.code, out.String())
			}
			for _, w := range tt.want {
				if w == "all" {
					if strings.Contains(out.String(), "gated packages are at or above") {
						t.Errorf("a failing gate printed the success line:\n%s", out.String())
					}
					continue
				}
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
		})
	}
}

func TestMatches(t *testing.T) {
	for _, tt := range []struct {
		pattern, pkg string
		want         bool
	}{
		{"./constructs/...", "example.com/m/constructs", true},
		{"./constructs/...", "example.com/m/constructs/naming", true},
		{"./constructs/...", "example.com/m/constructs/naming/sub", true},
		{"./constructs/...", "example.com/m/constructsx", false},
		{"./verify", "example.com/m/verify", true},
		{"./verify", "example.com/m/verify/sub", false},
		{"verify", "example.com/m/verify", true},
		{"./...", "example.com/m/anything", true},
		{"./...", "example.com/mx/anything", false},
	} {
		if got := matches("example.com/m", tt.pattern, tt.pkg); got != tt.want {
			t.Errorf("matches(%q, %q) = %v, want %v", tt.pattern, tt.pkg, got, tt.want)
		}
	}
}

func TestBadInput(t *testing.T) {
	for _, tt := range []struct {
		desc, profile string
		patterns      []string
		want          string
	}{
		{"not a profile", "ok  \texample.com/m/a\t0.1s\tcoverage: 95.0% of statements\n", []string{"./a"}, "is not a coverage profile's mode line"},
		{"a broken block", "mode: set\nexample.com/m/a/a.go:3.10,5.2 4\n", []string{"./a"}, "is not a coverage block"},
		{"a count that is no number", "mode: set\nexample.com/m/a/a.go:3.10,5.2 4 x\n", []string{"./a"}, `parsing "x"`},
		{"empty", "", []string{"./a"}, "empty"},
		{"no pattern", "mode: set\n", nil, "give -profile and at least one package pattern"},
	} {
		t.Run(tt.desc, func(t *testing.T) {
			var out bytes.Buffer
			if code := run(filepath.Join(writeFiles(t, map[string]string{"cover.out": tt.profile}), "cover.out"), "example.com/m", 90, tt.patterns, &out); code != 2 || !strings.Contains(out.String(), tt.want) {
				t.Errorf("code %d, output:\n%s\nwant code 2 and %q", code, out.String(), tt.want)
			}
		})
	}
	var out bytes.Buffer
	if code := run(filepath.Join(t.TempDir(), "missing.out"), "example.com/m", 90, []string{"./a"}, &out); code != 2 {
		t.Errorf("missing profile: code %d, output:\n%s", code, out.String())
	}
}

func TestModulePath(t *testing.T) {
	dir := writeFiles(t, map[string]string{"a/go.mod": "// a comment\nmodule example.com/m // the module\n\ngo 1.26\n", "b/go.mod": "go 1.26\n"})
	got, err := modulePath(filepath.Join(dir, "a", "go.mod"))
	if err != nil || got != "example.com/m" {
		t.Errorf("modulePath = %q, %v", got, err)
	}
	if _, err := modulePath(filepath.Join(dir, "b", "go.mod")); err == nil || !strings.Contains(err.Error(), "has no module line") {
		t.Errorf("no module line: err = %v", err)
	}
}

// TestRealProfile runs go test -coverprofile over a small module of three packages (one
// fully covered, one half covered, one without tests) and gates the profile it writes:
// the gate reads what go test really writes, the package without tests included.
func TestRealProfile(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test on a module of its own")
	}
	dir := writeFiles(t, map[string]string{
		"go.mod":         "module example.com/m\n\ngo 1.26\n",
		"full/f.go":      "package full\n\n// F doubles.\nfunc F(x int) int { return 2 * x }\n",
		"full/f_test.go": "package full\n\nimport \"testing\"\n\nfunc TestF(t *testing.T) {\n\tif F(2) != 4 {\n\t\tt.Fatal(F(2))\n\t}\n}\n",
		"half/h.go":      "package half\n\n// H is a sign.\nfunc H(x int) int {\n\tif x < 0 {\n\t\treturn -1\n\t}\n\treturn 1\n}\n",
		"half/h_test.go": "package half\n\nimport \"testing\"\n\nfunc TestH(t *testing.T) {\n\tif H(1) != 1 {\n\t\tt.Fatal(H(1))\n\t}\n}\n",
		"none/n.go":      "package none\n\n// N is one.\nfunc N() int { return 1 }\n",
	})
	prof := filepath.Join(dir, "cover.out")
	cmd := exec.Command("go", "test", "-count=1", "-cover", "-coverprofile="+prof, "./...")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=", "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go test: %v\n%s", err, out)
	}
	t.Chdir(dir) // the module path from go.mod, as make runs it
	var out bytes.Buffer
	if code := run(prof, "", 90, []string{"./full"}, &out); code != 0 || !strings.Contains(out.String(), "all 1 gated packages are at or above 90% (lowest: example.com/m/full, 100.0%)") {
		t.Errorf("./full: code %d, output:\n%s", code, out.String())
	}
	out.Reset()
	if code := run(prof, "", 90, []string{"./..."}, &out); code != 1 ||
		!strings.Contains(out.String(), "example.com/m/half covers 66.7% of its statements, below 90%") ||
		!strings.Contains(out.String(), "example.com/m/none covers none of its 1 statements (no tests, or none that run)") {
		t.Errorf("./...: code %d, output:\n%s", code, out.String())
	}
}
