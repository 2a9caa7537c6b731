package testutil

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-cdk-go/cdktf"
)

// RequireEnv names the variable that, set to 1, turns a missing Terraform CLI or provider mirror into a test
// failure instead of a skip. make test sets it, so CI never skips silently.
const RequireEnv = "TAPSTACK_REQUIRE_TERRAFORM"

// KeepEnv names the variable that, set to 1, keeps the Terraform working directory of
// each check (and logs where it is), to reproduce a failure by hand.
const KeepEnv = "TAPSTACK_KEEP_TERRAFORM_DIR"

// ProviderConstraint replaces the exact provider pin of the synthesized JSON, so that the
// mirror's newer 5.x provider can check it. The pin itself is asserted first.
const ProviderConstraint = ">= 5.84.0, < 6.0.0"

// PinnedProvider is the hashicorp/aws version the AWS bindings pin.
const PinnedProvider = "5.84.0"

// Case is one synthesized stack for the Terraform harness.
type Case struct {
	// Name is a short identifier: lowercase letters, digits, "_" and "-".
	Name string
	// Stack is the synthesized stack.
	Stack *Synthesized
	// Asserts are extra HCL conditions checked after the mock apply, written against
	// the module of this case: "module.<Name>.<output>".
	Asserts []string
}

var caseName = regexp.MustCompile(`^[a-z][a-z0-9_-]*$`)

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

// Terraform checks every case with the real Terraform CLI (see Check), failing the test
// with the diagnostics of the case that broke. It skips, or with RequireEnv=1 fails,
// when Terraform or the provider mirror is missing.
func Terraform(t testing.TB, cases ...Case) {
	t.Helper()
	requireTools(t)
	dir := t.TempDir()
	if os.Getenv(KeepEnv) == "1" {
		var err error
		if dir, err = os.MkdirTemp("", "tapstack-terraform-"); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s=1: keeping the Terraform working directory %s", KeepEnv, dir)
	}
	if err := Check(dir, cases...); err != nil {
		t.Fatal(err)
	}
}

// Check checks every case in the empty directory dir with one terraform init, one
// terraform validate and one terraform test:
//
//   - each case becomes a child module (its backend dropped, its provider pin checked
//     and widened to ProviderConstraint);
//   - validate runs with each case's own provider block in the root under the case's
//     alias, so provider arguments are checked against the real AWS provider schema too;
//   - test then plans and applies every case against one mocked AWS provider (one mock
//     per alias would load the provider schema once per case) and asserts that every
//     output is non-empty, plus the cases' Asserts.
func Check(dir string, cases ...Case) error {
	tl := findTools()
	if tl.missing != "" {
		return errors.New(tl.missing)
	}
	validateRoot, testRoot, err := writeRoot(dir, cases)
	if err != nil {
		return err
	}
	main := filepath.Join(dir, "main.tf.json")
	if err := writeJSON(main, validateRoot); err != nil {
		return err
	}
	if out, err := terraform(tl, dir, "init", "-no-color", "-input=false", "-backend=false", "-plugin-dir="+tl.plugins); err != nil {
		return fmt.Errorf("terraform init: %v\n%s", err, out)
	}
	if err := validate(tl, dir); err != nil {
		return err
	}
	if err := writeJSON(main, testRoot); err != nil {
		return err
	}
	if out, err := terraform(tl, dir, "test", "-no-color"); err != nil {
		return fmt.Errorf("terraform test (mock apply): %v\n%s", err, out)
	}
	return nil
}

func terraform(tl tool, dir string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, tl.terraform, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+filepath.Join(dir, ".terraformrc"),
		"CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_INPUT=0", "TF_PLUGIN_CACHE_DIR=")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

type diagnostic struct {
	Severity string `json:"severity"`
	Summary  string `json:"summary"`
	Detail   string `json:"detail"`
	Range    *struct {
		Filename string `json:"filename"`
		Start    struct {
			Line int `json:"line"`
		} `json:"start"`
	} `json:"range"`
	Snippet *struct {
		Context string `json:"context"`
		Code    string `json:"code"`
	} `json:"snippet"`
}

func validate(tl tool, dir string) error {
	out, runErr := terraform(tl, dir, "validate", "-json", "-no-color")
	var res struct {
		Valid       bool         `json:"valid"`
		Diagnostics []diagnostic `json:"diagnostics"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		return fmt.Errorf("terraform validate: %v (%v)\n%s", err, runErr, out)
	}
	if res.Valid && runErr == nil {
		return nil
	}
	var b strings.Builder
	b.WriteString("terraform validate found errors:\n")
	for _, d := range res.Diagnostics {
		if d.Severity != "error" {
			continue
		}
		where := "(no location)"
		if d.Range != nil {
			where = fmt.Sprintf("%s:%d", d.Range.Filename, d.Range.Start.Line)
		}
		fmt.Fprintf(&b, "- %s: %s: %s\n", where, d.Summary, d.Detail)
		if d.Snippet != nil {
			fmt.Fprintf(&b, "    in %s: %s\n", d.Snippet.Context, strings.TrimSpace(d.Snippet.Code))
		}
	}
	return errors.New(b.String())
}

// writeRoot writes .terraformrc (empty), <case>/cdk.tf.json and mock.tftest.hcl into
// dir, and returns the two root modules: one that hands each case its own provider
// configuration (for validate), and one with a single default provider (for test).
func writeRoot(dir string, cases []Case) (validateRoot, testRoot map[string]any, err error) {
	if len(cases) == 0 {
		return nil, nil, errors.New("testutil.Terraform: no cases")
	}
	if err := os.WriteFile(filepath.Join(dir, ".terraformrc"), nil, 0o644); err != nil {
		return nil, nil, err
	}
	var providers []any
	aliased, plain := map[string]any{}, map[string]any{}
	for _, c := range cases {
		if !caseName.MatchString(c.Name) || aliased[c.Name] != nil {
			return nil, nil, fmt.Errorf("testutil.Terraform: case name %q must match %s and be unique", c.Name, caseName)
		}
		doc, provider, err := childModule(c.Stack.JSON)
		if err != nil {
			return nil, nil, fmt.Errorf("case %s: %w", c.Name, err)
		}
		provider["alias"] = c.Name
		providers = append(providers, provider)
		aliased[c.Name] = map[string]any{"source": "./" + c.Name, "providers": map[string]any{"aws": "aws." + c.Name}}
		plain[c.Name] = map[string]any{"source": "./" + c.Name}
		if err := os.MkdirAll(filepath.Join(dir, c.Name), 0o755); err != nil {
			return nil, nil, err
		}
		if err := writeJSON(filepath.Join(dir, c.Name, "cdk.tf.json"), doc); err != nil {
			return nil, nil, err
		}
	}
	required := map[string]any{"required_providers": map[string]any{"aws": map[string]any{"source": "hashicorp/aws", "version": ProviderConstraint}}}
	validateRoot = map[string]any{"terraform": required, "provider": map[string]any{"aws": providers}, "module": aliased}
	testRoot = map[string]any{"terraform": required, "provider": map[string]any{"aws": []any{map[string]any{"region": Region}}}, "module": plain}

	var test strings.Builder
	fmt.Fprintf(&test, "mock_provider \"aws\" {%s}\n\nrun \"mock_apply\" {\n  command = apply\n", MockDefaults)
	for _, c := range cases {
		for _, o := range sortedKeys(mapOf(c.Stack.JSON["output"])) {
			ref := fmt.Sprintf("module.%s.%s", c.Name, o)
			fmt.Fprintf(&test, "  assert {\n    condition     = %s != null && %s != \"\"\n    error_message = \"case %s: output %s is empty after apply\"\n  }\n", ref, ref, c.Name, o)
		}
		for _, a := range c.Asserts {
			fmt.Fprintf(&test, "  assert {\n    condition     = %s\n    error_message = %q\n  }\n", a, "case "+c.Name+": "+a)
		}
	}
	test.WriteString("}\n")
	return validateRoot, testRoot, os.WriteFile(filepath.Join(dir, "mock.tftest.hcl"), []byte(test.String()), 0o644)
}

// childModule turns a synthesized stack into a child module: it checks the provider
// pin, widens it to ProviderConstraint, drops the backend and returns the provider
// configuration separately.
func childModule(stack map[string]any) (map[string]any, map[string]any, error) {
	var doc map[string]any
	raw, _ := json.Marshal(stack)
	_ = json.Unmarshal(raw, &doc) // deep copy
	tf := mapOf(doc["terraform"])
	aws := mapOf(mapOf(tf["required_providers"])["aws"])
	if v := aws["version"]; v != PinnedProvider {
		return nil, nil, fmt.Errorf("required_providers.aws.version = %v, want the pin %q", v, PinnedProvider)
	}
	aws["source"], aws["version"] = "hashicorp/aws", ProviderConstraint
	delete(tf, "backend")
	providers, _ := mapOf(doc["provider"])["aws"].([]any)
	if len(providers) != 1 {
		return nil, nil, fmt.Errorf("want exactly one aws provider block, got %d", len(providers))
	}
	provider := mapOf(providers[0])
	if _, aliased := provider["alias"]; aliased {
		return nil, nil, errors.New("the harness checks only an unaliased aws provider")
	}
	delete(doc, "provider")
	return doc, provider, nil
}

func mapOf(v any) map[string]any {
	m, _ := v.(map[string]any)
	if m == nil {
		return map[string]any{}
	}
	return m
}

func writeJSON(path string, v any) error {
	raw, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, raw, 0o644)
}

// Variants is a package's set of named stacks. Tests synthesize each one once through
// Synth, and one test hands them all to Terraform through CheckTerraform.
type Variants struct {
	names   []string
	build   map[string]func() cdktf.TerraformStack
	asserts map[string][]string
	done    map[string]*Synthesized
}

// NewVariants returns an empty set.
func NewVariants() *Variants {
	return &Variants{build: map[string]func() cdktf.TerraformStack{}, asserts: map[string][]string{}, done: map[string]*Synthesized{}}
}

// Add registers a variant: build defines the stack and is called at most once; asserts
// are extra HCL conditions for the mock apply (see Case).
func (v *Variants) Add(name string, build func() cdktf.TerraformStack, asserts ...string) {
	if _, dup := v.build[name]; dup {
		panic("testutil: duplicate variant " + name)
	}
	v.names = append(v.names, name)
	v.build[name] = build
	v.asserts[name] = asserts
}

// Names returns the registered names, sorted.
func (v *Variants) Names() []string {
	out := append([]string(nil), v.names...)
	sort.Strings(out)
	return out
}

// Synth returns the synthesized variant, synthesizing it on first use only.
func (v *Variants) Synth(t testing.TB, name string) *Synthesized {
	t.Helper()
	if s, ok := v.done[name]; ok {
		return s
	}
	build, ok := v.build[name]
	if !ok {
		t.Fatalf("no variant %q", name)
	}
	s := Synth(t, build())
	v.done[name] = s
	return s
}

// CheckTerraform runs Terraform over every variant (see Terraform).
func (v *Variants) CheckTerraform(t testing.TB) {
	t.Helper()
	requireTools(t)
	var cases []Case
	for _, name := range v.Names() {
		cases = append(cases, Case{Name: name, Stack: v.Synth(t, name), Asserts: v.asserts[name]})
	}
	Terraform(t, cases...)
}
