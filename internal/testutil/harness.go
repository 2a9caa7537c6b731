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
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tapstack/infra/internal/tfdiag"
)

// KeepEnv names the variable that, set to 1, keeps the Terraform working directory of
// each check (and logs where it is), to reproduce a failure by hand.
const KeepEnv = "TAPSTACK_KEEP_TERRAFORM_DIR"

// ProviderConstraint replaces the exact provider pin of the synthesized JSON, so that the
// mirror's newer 5.x provider can check it. The pin itself is asserted first.
const ProviderConstraint = ">= 5.84.0, < 6.0.0"

// ProviderSource is the fully qualified address of the AWS provider in the harness. The
// host is written out because OpenTofu expands "hashicorp/aws" to
// registry.opentofu.org/hashicorp/aws, which the mirror's registry.terraform.io layout
// does not hold; Terraform reads both spellings as the same provider.
const ProviderSource = "registry.terraform.io/hashicorp/aws"

// PinnedProvider is the hashicorp/aws version the library's stacks require
// (tfx.ProviderVersion): the version the tests run.
const PinnedProvider = "5.100.0"

// Case is one synthesized stack for the Terraform harness.
type Case struct {
	// Name is a short identifier: lowercase letters, digits, "_" and "-".
	Name string
	// Stack is the synthesized stack.
	Stack *Synthesized
	// Asserts are HCL conditions checked after the mock apply, written against the
	// module of this case: "module.<Name>.<output>". Every output of the stack must be
	// compared in one of them (a mock gives every output some value, so "not empty"
	// checks nothing).
	Asserts []string
}

var caseName = regexp.MustCompile(`^[a-z][a-z0-9_-]*$`)

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

// Check checks every case in the empty directory dir, once per engine (the engine of
// $TERRAFORM_BINARY_NAME, and OpenTofu when TofuEnv is set, at the same time, each in a
// subdirectory named after it; the first engine to fail stops the other, and its error is
// the one returned), with one init, one validate and one test:
//
//   - each case becomes a child module (its backend dropped, its provider pin checked
//     and widened to ProviderConstraint);
//   - validate runs with each case's own provider block in the root under the case's
//     alias, so provider arguments are checked against the real AWS provider schema too;
//   - test then plans every case with the real AWS provider (offline: fake credentials,
//     skip flags, data sources that would call AWS overridden), and applies every case
//     against one mocked AWS provider (one mock per alias would load the provider schema
//     once per case) and checks the cases' Asserts, which must compare every output
//     with the value it must have.
func Check(dir string, cases ...Case) error {
	tl := findTools()
	if tl.missing != "" {
		return errors.New(tl.missing)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var (
		mu    sync.Mutex
		first error
		wg    sync.WaitGroup
	)
	for _, e := range tl.engines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sub := filepath.Join(dir, e.name)
			err := os.MkdirAll(sub, 0o755)
			if err == nil {
				err = checkWith(ctx, e, tl.plugins, sub, cases)
			}
			mu.Lock()
			defer mu.Unlock()
			if err != nil && first == nil { // not stopped by the other engine's failure
				first = fmt.Errorf("%s (%s): %w", e.name, e.path, err)
				cancel()
			}
		}()
	}
	wg.Wait()
	return first
}

func checkWith(ctx context.Context, e engine, plugins, dir string, cases []Case) error {
	validateRoot, testRoot, err := writeRoot(dir, cases)
	if err != nil {
		return err
	}
	main := filepath.Join(dir, "main.tf.json")
	if err := writeJSON(main, validateRoot); err != nil {
		return err
	}
	if out, err := terraform(ctx, e, dir, "init", "-no-color", "-input=false", "-backend=false", "-plugin-dir="+plugins); err != nil {
		return fmt.Errorf("terraform init: %v\n%s", err, out)
	}
	if err := validate(ctx, e, dir); err != nil {
		return err
	}
	if err := writeJSON(main, testRoot); err != nil {
		return err
	}
	if out, err := terraform(ctx, e, dir, "test", "-no-color"); err != nil {
		return fmt.Errorf("terraform test (mock apply): %v\n%s", err, out)
	}
	return nil
}

func terraform(ctx context.Context, e engine, dir string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, e.path, args...)
	cmd.Dir = dir
	// As verify's engine runs: interrupt first, so that the engine stops its provider
	// processes (a kill would leave them running); kill after a delay.
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 10 * time.Second
	cmd.Env = append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+filepath.Join(dir, ".terraformrc"),
		"CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_INPUT=0", "TF_PLUGIN_CACHE_DIR=")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

func validate(ctx context.Context, e engine, dir string) error {
	out, runErr := terraform(ctx, e, dir, "validate", "-json", "-no-color")
	var res struct {
		Valid       bool                `json:"valid"`
		Diagnostics []tfdiag.Diagnostic `json:"diagnostics"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		return fmt.Errorf("terraform validate: %v (%v)\n%s", err, runErr, out)
	}
	if res.Valid && runErr == nil {
		return nil
	}
	return errors.New("terraform validate found errors:\n" + tfdiag.Errors(res.Diagnostics))
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
	required := map[string]any{"required_providers": map[string]any{"aws": map[string]any{"source": ProviderSource, "version": ProviderConstraint}}}
	validateRoot = map[string]any{"terraform": required, "provider": map[string]any{"aws": providers}, "module": aliased}
	testRoot = map[string]any{"terraform": required, "provider": map[string]any{"aws": []any{map[string]any{"region": Region}}}, "module": plain}

	test, err := testFile(cases)
	if err != nil {
		return nil, nil, err
	}
	return validateRoot, testRoot, os.WriteFile(filepath.Join(dir, "mock.tftest.hcl"), []byte(test), 0o644)
}

// testFile is the terraform test file: a real-provider plan of every case (fake
// credentials, the provider's offline skip flags, data sources that would call AWS
// overridden with fakes), then an apply against the mocked provider that asserts every
// output and the cases' Asserts.
func testFile(cases []Case) (string, error) {
	var test strings.Builder
	fmt.Fprintf(&test, "provider \"aws\" {%s}\n\nmock_provider \"aws\" {\n  alias = \"mock\"\n%s}\n\n", RealProviderSettings, MockDefaults)
	test.WriteString("run \"real_plan\" {\n  command = plan\n")
	for _, c := range cases {
		for _, typ := range sortedKeys(mapOf(c.Stack.JSON["data"])) {
			for _, name := range sortedKeys(mapOf(mapOf(c.Stack.JSON["data"])[typ])) {
				if offlineData[typ] {
					continue
				}
				values, ok := dataOverrides[typ]
				if !ok {
					return "", fmt.Errorf("case %s: data source %s.%s would call AWS in the real-provider plan: add an override for %s to testutil's dataOverrides", c.Name, typ, name, typ)
				}
				fmt.Fprintf(&test, "  override_data {\n    target = module.%s.data.%s.%s\n    values = %s\n  }\n", c.Name, typ, name, values)
			}
		}
	}
	test.WriteString("}\n\nrun \"mock_apply\" {\n  command = apply\n  providers = {\n    aws = aws.mock\n  }\n")
	for _, c := range cases {
		// After a mock apply every output has some value, so only a comparison with the
		// value it must have checks it: every output needs an assertion of its own.
		for _, o := range sortedKeys(mapOf(c.Stack.JSON["output"])) {
			ref := fmt.Sprintf("module.%s.%s", c.Name, o)
			if !slices.ContainsFunc(c.Asserts, func(a string) bool { return mentions(a, ref) && strings.Contains(a, "==") }) {
				return "", fmt.Errorf("case %s: output %s has no assertion: compare it (==) with the value it must have after apply (Case.Asserts)", c.Name, o)
			}
		}
		for _, a := range c.Asserts {
			fmt.Fprintf(&test, "  assert {\n    condition     = %s\n    error_message = %q\n  }\n", a, "case "+c.Name+": "+a)
		}
	}
	test.WriteString("}\n")
	return test.String(), nil
}

// mentions reports whether the HCL expression a refers to ref (not only to a longer
// name that starts with it).
func mentions(a, ref string) bool {
	return regexp.MustCompile(regexp.QuoteMeta(ref) + `([^A-Za-z0-9_-]|$)`).MatchString(a)
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
	aws["source"], aws["version"] = ProviderSource, ProviderConstraint
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
