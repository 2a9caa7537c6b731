package testutil

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/constructs/identity"
)

// Region is the provider region of stacks built by NewStack.
const Region = "ca-central-1"

// Main runs the tests of a package that synthesizes, then the cleanups, then stops the
// jsii kernel. Use it
// from TestMain: func TestMain(m *testing.M) { testutil.Main(m) }.
func Main(m *testing.M, cleanups ...func()) {
	code := m.Run()
	for _, c := range cleanups {
		c()
	}
	jsii.Close()
	os.Exit(code)
}

// NewApp returns an app for tests: no stack traces in metadata, nothing written to disk.
func NewApp() cdktf.App {
	return cdktf.NewApp(&cdktf.AppConfig{StackTraces: jsii.Bool(false), Outdir: jsii.String(os.TempDir())})
}

// NewStack returns a stack in a new app with the AWS provider configured for Region.
func NewStack(id string) cdktf.TerraformStack { return NewStackIn(NewApp(), id, Region) }

// NewStackIn returns a stack id in app with the AWS provider configured for region.
func NewStackIn(app cdktf.App, id, region string) cdktf.TerraformStack {
	stack := cdktf.NewTerraformStack(app, jsii.String(id))
	provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{Region: jsii.String(region)})
	identity.EnterStack(stack) // pins the provider, as every stack of the library's constructs
	return stack
}

// Synthesized is the parsed Terraform JSON of one stack.
type Synthesized struct {
	// Raw is the JSON text as cdktf produced it.
	Raw []byte
	// JSON is Raw parsed.
	JSON map[string]any
}

// Synth synthesizes stack, running the construct tree's validations, and parses the
// result.
func Synth(t testing.TB, stack cdktf.TerraformStack) *Synthesized {
	t.Helper()
	raw := []byte(*cdktf.Testing_Synth(stack, jsii.Bool(true)))
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("synthesized JSON does not parse: %v", err)
	}
	return &Synthesized{Raw: raw, JSON: doc}
}

func section(doc map[string]any, key, typ string) map[string]map[string]any {
	out := map[string]map[string]any{}
	byType, _ := doc[key].(map[string]any)
	items, _ := byType[typ].(map[string]any)
	for name, v := range items {
		if m, ok := v.(map[string]any); ok {
			out[name] = m
		}
	}
	return out
}

// Resources returns the resources of type typ by logical name; empty when there are none.
func (s *Synthesized) Resources(typ string) map[string]map[string]any {
	return section(s.JSON, "resource", typ)
}

// DataSources returns the data sources of type typ by logical name.
func (s *Synthesized) DataSources(typ string) map[string]map[string]any {
	return section(s.JSON, "data", typ)
}

// Count returns the number of resources of type typ.
func (s *Synthesized) Count(typ string) int { return len(s.Resources(typ)) }

// Only returns the single resource of type typ, failing the test when there is not
// exactly one.
func (s *Synthesized) Only(t testing.TB, typ string) map[string]any {
	t.Helper()
	rs := s.Resources(typ)
	if len(rs) != 1 {
		t.Fatalf("want exactly one %s, got %d: %v", typ, len(rs), keys(rs))
	}
	for _, r := range rs {
		return r
	}
	return nil
}

// Resource returns the resource typ.name, failing the test when it is absent.
func (s *Synthesized) Resource(t testing.TB, typ, name string) map[string]any {
	t.Helper()
	r, ok := s.Resources(typ)[name]
	if !ok {
		t.Fatalf("no resource %s.%s; have %v", typ, name, keys(s.Resources(typ)))
	}
	return r
}

// ResourceTypes returns the sorted resource types present.
func (s *Synthesized) ResourceTypes() []string {
	m, _ := s.JSON["resource"].(map[string]any)
	return sortedKeys(m)
}

// Outputs returns the outputs by name.
func (s *Synthesized) Outputs() map[string]map[string]any {
	out := map[string]map[string]any{}
	m, _ := s.JSON["output"].(map[string]any)
	for k, v := range m {
		if o, ok := v.(map[string]any); ok {
			out[k] = o
		}
	}
	return out
}

// Absent fails the test for each listed resource type that is present.
func (s *Synthesized) Absent(t testing.TB, types ...string) {
	t.Helper()
	for _, typ := range types {
		if n := s.Count(typ); n != 0 {
			t.Errorf("want no %s, got %d: %v", typ, n, keys(s.Resources(typ)))
		}
	}
}

// Counts returns how many resources of each listed type are present, for cmp.Diff
// against a map of expected counts.
func (s *Synthesized) Counts(types ...string) map[string]int {
	out := map[string]int{}
	for _, typ := range types {
		out[typ] = s.Count(typ)
	}
	return out
}

func keys(m map[string]map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func sortedKeys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Ref returns the Terraform reference "${typ.name.attr}" as cdktf writes it.
func Ref(typ, name, attr string) string { return fmt.Sprintf("${%s.%s.%s}", typ, name, attr) }

// MustPanic runs f and returns the panic message, failing the test if f does not panic.
func MustPanic(t testing.TB, f func()) (msg string) {
	t.Helper()
	defer func() {
		r := recover()
		if r == nil {
			t.Fatal("did not panic")
		}
		msg = fmt.Sprint(r)
	}()
	f()
	return ""
}

// Find returns the logical name and body of the resource of type typ defined at the
// construct path (for example "Network/VPC": cdktf names it Network_VPC_<hash>), failing
// the test when there is none.
func (s *Synthesized) Find(t testing.TB, typ, path string) (string, map[string]any) {
	t.Helper()
	return find(t, s.Resources(typ), typ, path)
}

// FindData is Find for data sources.
func (s *Synthesized) FindData(t testing.TB, typ, path string) (string, map[string]any) {
	t.Helper()
	return find(t, s.DataSources(typ), typ, path)
}

func find(t testing.TB, items map[string]map[string]any, typ, path string) (string, map[string]any) {
	t.Helper()
	// cdktf's logical IDs: path components joined by "_", "Default" dropped and a
	// component dropped when the one before ends with it ("SharedListener/Listener"),
	// then "_" and an 8-digit hash, except for a single component.
	var parts []string
	for _, p := range strings.Split(path, "/") {
		if p != "Default" && (len(parts) == 0 || !strings.HasSuffix(parts[len(parts)-1], p)) {
			parts = append(parts, p)
		}
	}
	prefix := strings.Join(parts, "_") + "_"
	for name, body := range items {
		single := len(parts) == 1 && name == parts[0]
		hashed := strings.HasPrefix(name, prefix) && len(name) == len(prefix)+8 && !strings.Contains(name[len(prefix):], "_")
		if single || hashed {
			return name, body
		}
	}
	t.Fatalf("no %s at construct path %s; have %v", typ, path, keys(items))
	return "", nil
}

// RefTo returns the reference "${typ.<logical name>.attr}" to the resource of type typ
// at the construct path.
func (s *Synthesized) RefTo(t testing.TB, typ, path, attr string) string {
	t.Helper()
	name, _ := s.Find(t, typ, path)
	return Ref(typ, name, attr)
}

// Resolve resolves tokens in v (a token string, a list, a map) as they would appear in
// the synthesized JSON of scope's stack, such as "${aws_vpc.Network_VPC_1234ABCD.id}".
func Resolve(scope constructs.IConstruct, v any) any {
	return cdktf.Tokenization_Resolve(v, &cdktf.ResolveOptions{
		Resolver: cdktf.NewDefaultTokenResolver(cdktf.NewStringConcat()),
		Scope:    scope,
	})
}

// ResolveString resolves a token string.
func ResolveString(scope constructs.IConstruct, s *string) string {
	return fmt.Sprint(Resolve(scope, s))
}

// ResolveStrings resolves a token list.
func ResolveStrings(scope constructs.IConstruct, xs *[]*string) []string {
	var out []string
	for _, x := range *xs {
		out = append(out, ResolveString(scope, x))
	}
	return out
}

// ErrorContains fails the test unless err is not nil and its message contains every
// one of wants.
func ErrorContains(t testing.TB, err error, wants ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("error = nil, want one containing %q", wants)
	}
	for _, w := range wants {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q\nwant it to contain %q", err, w)
		}
	}
}

// WarmUp starts the jsii kernel and loads the AWS bindings (seconds, once per process)
// and then resets the benchmark timer, so that benchmarks measure synthesis alone.
func WarmUp(b *testing.B) {
	b.Helper()
	Synth(b, NewStack("WarmUp"))
	b.ResetTimer()
}

// NewAppIn returns an app for tests that writes into outdir, as a real app would.
func NewAppIn(outdir string) cdktf.App {
	return cdktf.NewApp(&cdktf.AppConfig{StackTraces: jsii.Bool(false), Outdir: jsii.String(outdir)})
}

// SynthFails runs app.Synth, which must fail, and returns its error message. It fails
// the test when the synthesis succeeds or writes any file into outdir.
func SynthFails(t testing.TB, app cdktf.App, outdir string) (msg string) {
	t.Helper()
	defer func() {
		r := recover()
		if r == nil {
			t.Fatal("app.Synth() succeeded")
		}
		msg = fmt.Sprint(r)
		var written []string
		_ = filepath.WalkDir(outdir, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				written = append(written, p)
			}
			return nil
		})
		if len(written) > 0 {
			t.Errorf("the failed synthesis wrote %v", written)
		}
	}()
	app.Synth()
	return ""
}

// Pick returns the listed keys of m (absent ones as nil), for comparing the part of a
// resource that matters with cmp.Diff.
func Pick(m map[string]any, keys ...string) map[string]any {
	out := map[string]any{}
	for _, k := range keys {
		out[k] = m[k]
	}
	return out
}
