package testutil

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tapstack/infra/awsid"
	"github.com/tapstack/infra/constructs/identity"
	"github.com/tapstack/infra/internal/awsfake"
	"github.com/tapstack/infra/internal/engine"
	"github.com/tapstack/infra/internal/tfdiag"
	"github.com/tapstack/infra/internal/tfjson"
)

// KeepEnv names the variable that, set to 1, keeps the Terraform working directory of
// each check (and logs where it is), to reproduce a failure by hand.
const KeepEnv = "TAPSTACK_KEEP_TERRAFORM_DIR"

// PinnedProvider is the hashicorp/aws version the library's stacks require
// (identity.ProviderVersion): the one version the tests run. The harness fails when the
// provider mirror does not hold it, and when a stack pins another.
const PinnedProvider = identity.ProviderVersion

// The shared load balancer that the data sources of an attached service read: the
// fakes of the harness read a listener by its ARN (the listener ARN the tests use,
// arn:aws:elasticloadbalancing:ca-central-1:123456789012:listener/app/lms-alb-platform/...),
// and its load balancer is the one that ARN names.
const (
	SharedLoadBalancerARN     = "arn:aws:elasticloadbalancing:ca-central-1:123456789012:loadbalancer/app/lms-alb-platform/0123456789abcdef"
	SharedLoadBalancerDNSName = "lms-alb-platform-123456789.ca-central-1.elb.amazonaws.com"
)

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
// when Terraform or the provider mirror is missing; it fails when the mirror does not
// hold PinnedProvider.
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
// the one returned):
//
//   - each case becomes a child module: its backend dropped, its provider pin checked
//     (PinnedProvider, which the mirror must hold), and what would call AWS faked as
//     verify fakes it (data sources and ephemeral resources become locals holding the
//     fakes of internal/awsfake in mock mode; their blocks stay, with no instance, so
//     that the engine checks their arguments);
//   - a plan with the real AWS provider (offline: fake credentials, the skip flags)
//     validates every case, each with its own provider configuration, and plans it;
//     the plan file must hold no value handed to an ephemeral resource, and every
//     attribute fed from an ephemeral value (a write-only one) must be null in it;
//   - terraform test then applies every case against one mocked AWS provider (the
//     defaults of internal/awsfake's table) and checks the cases' Asserts, which must
//     compare every output with the value it must have, and that the mock-applied state
//     holds no value handed to an ephemeral resource and null write-only attributes.
func Check(dir string, cases ...Case) error {
	if len(cases) == 0 {
		return errors.New("testutil.Terraform: no cases")
	}
	tl := findTools()
	if tl.missing != "" {
		return errors.New(tl.missing)
	}
	if err := tl.pinned(); err != nil {
		return err
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
				err = checkWith(ctx, e, sub, cases)
			}
			mu.Lock()
			defer mu.Unlock()
			if err != nil && first == nil { // not stopped by the other engine's failure
				first = fmt.Errorf("%s (%s): %w", e.name, e.eng.Binary, err)
				cancel()
			}
		}()
	}
	wg.Wait()
	return first
}

// prepared is a case made ready for the engine.
type prepared struct {
	Case
	plan, mock map[string]any // the child module of the real plan and of the mock apply
	provider   map[string]any // the case's provider configuration (offline)
	secrets    []string
	// writeOnly are the attributes fed from an ephemeral value, by resource address.
	writeOnly map[string][]string
}

func checkWith(ctx context.Context, e engineOf, dir string, cases []Case) error {
	var ps []*prepared
	for _, c := range cases {
		p, err := prepareCase(c)
		if err != nil {
			return err
		}
		ps = append(ps, p)
	}
	if err := realPlan(ctx, e, filepath.Join(dir, "plan"), ps); err != nil {
		return err
	}
	return mockApply(ctx, e, filepath.Join(dir, "test"), ps)
}

// prepareCase checks a case and builds its two child modules.
func prepareCase(c Case) (*prepared, error) {
	if !caseName.MatchString(c.Name) {
		return nil, fmt.Errorf("testutil.Terraform: case name %q must match %s and be unique", c.Name, caseName)
	}
	raw, err := json.Marshal(c.Stack.JSON)
	if err != nil {
		return nil, fmt.Errorf("case %s: %w", c.Name, err)
	}
	doc, err := tfjson.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("case %s: %w", c.Name, err)
	}
	var pinned bool
	for _, tf := range tfjson.Blocks(doc["terraform"]) {
		delete(tf, "backend")
		aws := tfjson.MapOf(tfjson.MapOf(tf["required_providers"])["aws"])
		if aws == nil {
			continue
		}
		if v := aws["version"]; v != PinnedProvider {
			return nil, fmt.Errorf("case %s: required_providers.aws.version = %v, want the pin %q", c.Name, v, PinnedProvider)
		}
		aws["source"] = engine.AWSSource
		pinned = true
	}
	if !pinned {
		return nil, fmt.Errorf("case %s: required_providers.aws.version = <nil>, want the pin %q", c.Name, PinnedProvider)
	}
	providers := tfjson.Blocks(tfjson.MapOf(doc["provider"])["aws"])
	if len(providers) != 1 {
		return nil, fmt.Errorf("case %s: want exactly one aws provider block, got %d", c.Name, len(providers))
	}
	provider := providers[0]
	if _, aliased := provider["alias"]; aliased {
		return nil, fmt.Errorf("case %s: the harness checks only an unaliased aws provider", c.Name)
	}
	delete(doc, "provider")
	// After a mock apply every output has some value, so only a comparison with the
	// value it must have checks it: every output needs an assertion of its own.
	for _, o := range tfjson.SortedKeys(tfjson.MapOf(doc["output"])) {
		ref := fmt.Sprintf("module.%s.%s", c.Name, o)
		if !slices.ContainsFunc(c.Asserts, func(a string) bool { return mentions(a, ref) && strings.Contains(a, "==") }) {
			return nil, fmt.Errorf("case %s: output %s has no assertion: compare it (==) with the value it must have after apply (Case.Asserts)", c.Name, o)
		}
	}
	region, _ := provider["region"].(string)
	place := awsid.In(region)
	if place.Partition == "" {
		place = awsid.In(Region)
	}
	faked, err := awsfake.Offline{Places: map[string]awsid.Place{"aws": place}, Mock: true}.Apply(doc)
	if err != nil {
		return nil, fmt.Errorf("case %s: %w", c.Name, err)
	}
	for _, k := range engine.DroppedAWSArgs() {
		delete(provider, k)
	}
	for k, v := range engine.OfflineAWS() {
		provider[k] = v
	}
	p := &prepared{Case: c, plan: doc, provider: provider, secrets: faked.Secrets, writeOnly: writeOnly(doc)}
	p.mock = mockModule(doc, p)
	return p, nil
}

// writeOnly finds the attributes of resources fed from an ephemeral value (through the
// locals that hold the fakes of ephemeral resources, and the locals that use them): the
// engine accepts an ephemeral value only in a write-only attribute, which must be null
// in every plan and state.
func writeOnly(doc map[string]any) map[string][]string {
	locals := tfjson.MapOf(doc["locals"])
	eph := map[string]bool{}
	for name := range locals {
		if strings.HasPrefix(name, "verify_ephemeral_") {
			eph[name] = true
		}
	}
	uses := func(v any) bool {
		found := false
		walk(v, func(s string) {
			refs, _, _ := tfjson.ScanTemplate(s)
			for _, r := range refs {
				if len(r.Parts) >= 2 && r.Parts[0].Name == "local" && eph[r.Parts[1].Name] {
					found = true
				}
			}
		})
		return found
	}
	for changed := true; changed; {
		changed = false
		for name, v := range locals {
			if !eph[name] && uses(v) {
				eph[name], changed = true, true
			}
		}
	}
	out := map[string][]string{}
	for typ, named := range tfjson.MapOf(doc["resource"]) {
		for name, b := range tfjson.MapOf(named) {
			for _, attr := range tfjson.SortedKeys(tfjson.MapOf(b)) {
				if attr != "//" && uses(tfjson.MapOf(b)[attr]) {
					out[typ+"."+name] = append(out[typ+"."+name], attr)
				}
			}
		}
	}
	return out
}

func walk(v any, fn func(string)) {
	switch v := v.(type) {
	case string:
		fn(v)
	case []any:
		for _, e := range v {
			walk(e, fn)
		}
	case map[string]any:
		for k, e := range v {
			if k != "//" {
				walk(e, fn)
			}
		}
	}
}

// mockModule is the child module of the mock apply: the planned one without ephemeral
// blocks (Terraform's mocked providers refuse every ephemeral resource type), with two
// outputs for the checks of the mock-applied state: every resource, and every
// write-only attribute.
func mockModule(plan map[string]any, p *prepared) map[string]any {
	doc := deepCopy(plan).(map[string]any)
	delete(doc, "ephemeral")
	for _, named := range tfjson.MapOf(doc["resource"]) {
		for _, b := range tfjson.MapOf(named) {
			body := tfjson.MapOf(b)
			deps, _ := body["depends_on"].([]any)
			kept := slices.DeleteFunc(deps, func(d any) bool { s, _ := d.(string); return strings.HasPrefix(s, "ephemeral.") })
			if len(deps) > 0 {
				body["depends_on"] = kept
			}
		}
	}
	var all, wo []string
	for typ, named := range tfjson.MapOf(doc["resource"]) {
		for _, name := range tfjson.SortedKeys(tfjson.MapOf(named)) {
			addr := typ + "." + name
			all = append(all, fmt.Sprintf("%q = %s", addr, addr))
			body := tfjson.MapOf(tfjson.MapOf(named)[name])
			for _, attr := range p.writeOnly[addr] {
				switch {
				case body["for_each"] != nil:
					wo = append(wo, fmt.Sprintf("values(%s)[*].%s", addr, attr))
				case body["count"] != nil:
					wo = append(wo, fmt.Sprintf("%s[*].%s", addr, attr))
				default:
					wo = append(wo, fmt.Sprintf("[%s.%s]", addr, attr))
				}
			}
		}
	}
	slices.Sort(all)
	slices.Sort(wo)
	outputs := tfjson.MapOf(doc["output"])
	if outputs == nil {
		outputs = map[string]any{}
		doc["output"] = outputs
	}
	outputs[stateOutput] = map[string]any{"value": "${jsonencode({" + strings.Join(all, ", ") + "})}", "sensitive": true}
	outputs[writeOnlyOutput] = map[string]any{"value": "${flatten([" + strings.Join(wo, ", ") + "])}"}
	return doc
}

// The outputs the harness adds to the mock-applied module of each case.
const (
	stateOutput     = "zz_harness_state"
	writeOnlyOutput = "zz_harness_write_only"
)

// realPlan plans every case with the real provider and checks the plan file.
func realPlan(ctx context.Context, e engineOf, dir string, ps []*prepared) error {
	modules := map[string]any{}
	var providers []any
	// Cases with the same provider configuration share it: each configuration is a
	// provider process of its own, which loads the provider's schema (seconds of CPU).
	aliases := map[string]string{}
	for _, p := range ps {
		if modules[p.Name] != nil {
			return fmt.Errorf("testutil.Terraform: case name %q must match %s and be unique", p.Name, caseName)
		}
		if err := writeModule(dir, p.Name, p.plan); err != nil {
			return err
		}
		key, err := json.Marshal(p.provider)
		if err != nil {
			return err
		}
		alias, ok := aliases[string(key)]
		if !ok {
			alias = p.Name
			aliases[string(key)] = alias
			provider := maps.Clone(p.provider)
			provider["alias"] = alias
			providers = append(providers, provider)
		}
		modules[p.Name] = map[string]any{"source": "./" + p.Name, "providers": map[string]any{"aws": "aws." + alias}}
	}
	root := map[string]any{"terraform": required(), "provider": map[string]any{"aws": providers}, "module": modules}
	if err := writeJSON(filepath.Join(dir, "main.tf.json"), root); err != nil {
		return err
	}
	if err := e.eng.Init(ctx, dir); err != nil {
		return fmt.Errorf("terraform init: %w", err)
	}
	out, err := e.eng.Run(ctx, dir, "plan", "-input=false", "-lock=false", "-json", "-out=real.tfplan")
	if err != nil {
		if msg := tfdiag.Errors(tfdiag.Stream(out)); msg != "" {
			return errors.New("the real-provider plan (validate and plan) found errors:\n" + msg)
		}
		return fmt.Errorf("the real-provider plan: %w\n%s", err, out)
	}
	return leaks(filepath.Join(dir, "real.tfplan"), ps)
}

// leaks checks a plan file: no value handed to an ephemeral resource in the planned
// changes or the states it holds (the configuration snapshot holds the fakes as
// literals, by construction), and every write-only attribute null.
func leaks(path string, ps []*prepared) error {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return err
	}
	defer func() { _ = zr.Close() }()
	var problems []string
	for _, f := range zr.File {
		if strings.HasPrefix(f.Name, "tfconfig/") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return err
		}
		raw, err := io.ReadAll(rc)
		_ = rc.Close()
		if err != nil {
			return err
		}
		for _, p := range ps {
			for _, s := range p.secrets {
				if bytes.Contains(raw, []byte(s)) {
					problems = append(problems, fmt.Sprintf("case %s: the plan file's %s holds %q, a value handed to an ephemeral resource", p.Name, f.Name, s))
				}
			}
		}
	}
	changes, err := engine.ReadPlanFile(path)
	if err != nil {
		return fmt.Errorf("reading the real-provider plan: %w", err)
	}
	for _, c := range changes {
		for _, p := range ps {
			if c.Module != "module."+p.Name || c.Mode != "managed" {
				continue
			}
			after, _ := c.After.(map[string]any)
			for _, attr := range p.writeOnly[c.Type+"."+c.Name] {
				if v := after[attr]; v != nil {
					problems = append(problems, fmt.Sprintf("case %s: %s.%s is fed from an ephemeral value but is not null in the plan",
						p.Name, strings.TrimPrefix(c.Addr, c.Module+"."), attr))
				}
			}
		}
	}
	if len(problems) > 0 {
		slices.Sort(problems)
		return errors.New("the real-provider plan leaks what must stay out of plans and states:\n  " + strings.Join(problems, "\n  "))
	}
	return nil
}

// mockApply applies every case against the mocked provider with terraform test.
func mockApply(ctx context.Context, e engineOf, dir string, ps []*prepared) error {
	modules := map[string]any{}
	for _, p := range ps {
		if err := writeModule(dir, p.Name, p.mock); err != nil {
			return err
		}
		modules[p.Name] = map[string]any{"source": "./" + p.Name}
	}
	root := map[string]any{"terraform": required(), "provider": map[string]any{"aws": []any{map[string]any{"region": Region}}}, "module": modules}
	if err := writeJSON(filepath.Join(dir, "main.tf.json"), root); err != nil {
		return err
	}
	test, err := testFile(ps)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "mock.tftest.hcl"), []byte(test), 0o644); err != nil {
		return err
	}
	if err := e.eng.Init(ctx, dir); err != nil {
		return fmt.Errorf("terraform init: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	if out, err := e.eng.Run(ctx, dir, "test", "-no-color"); err != nil {
		return fmt.Errorf("terraform test (mock apply): %v\n%s", err, out)
	}
	return nil
}

// testFile is the terraform test file: an apply against the mocked provider that asserts
// every output and the cases' Asserts, and that the state holds no value handed to an
// ephemeral resource and null write-only attributes.
func testFile(ps []*prepared) (string, error) {
	mocks, err := awsfake.MockDefaults(awsid.In(Region))
	if err != nil {
		return "", err
	}
	var test strings.Builder
	fmt.Fprintf(&test, "mock_provider \"aws\" {\n  alias = \"mock\"\n%s}\n\n", mocks)
	test.WriteString("run \"mock_apply\" {\n  command = apply\n  providers = {\n    aws = aws.mock\n  }\n")
	for _, p := range ps {
		asserts := slices.Clone(p.Asserts)
		for _, s := range p.secrets {
			asserts = append(asserts, fmt.Sprintf("!strcontains(module.%s.%s, %s)", p.Name, stateOutput, tfjson.HCLQuote(s)))
		}
		asserts = append(asserts, fmt.Sprintf("alltrue([for v in module.%s.%s : v == null])", p.Name, writeOnlyOutput))
		for _, a := range asserts {
			fmt.Fprintf(&test, "  assert {\n    condition     = %s\n    error_message = %q\n  }\n", a, "case "+p.Name+": "+a)
		}
	}
	test.WriteString("}\n")
	return test.String(), nil
}

// required is the terraform block of a root: the provider the stacks pin, exactly.
func required() map[string]any {
	return map[string]any{"required_providers": map[string]any{"aws": map[string]any{"source": engine.AWSSource, "version": PinnedProvider}}}
}

func writeModule(dir, name string, doc map[string]any) error {
	if err := os.MkdirAll(filepath.Join(dir, name), 0o755); err != nil {
		return err
	}
	return writeJSON(filepath.Join(dir, name, "cdk.tf.json"), doc)
}

// mentions reports whether the HCL expression a refers to ref (not only to a longer
// name that starts with it).
func mentions(a, ref string) bool {
	return regexp.MustCompile(regexp.QuoteMeta(ref) + `([^A-Za-z0-9_-]|$)`).MatchString(a)
}

func deepCopy(v any) any {
	raw, _ := json.Marshal(v)
	var out any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	_ = dec.Decode(&out)
	return out
}

func writeJSON(path string, v any) error {
	raw, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, raw, 0o644)
}
