package testutil

import (
	"sort"
	"testing"

	"github.com/hashicorp/terraform-cdk-go/cdktf"
)

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

// Cases returns every variant as a Case of the Terraform harness, by name.
func (v *Variants) Cases(t testing.TB) []Case {
	t.Helper()
	var cases []Case
	for _, name := range v.Names() {
		cases = append(cases, Case{Name: name, Stack: v.Synth(t, name), Asserts: v.asserts[name]})
	}
	return cases
}

// CheckTerraform runs Terraform over every variant, and the extra cases, in one run of
// each engine (see Terraform).
func (v *Variants) CheckTerraform(t testing.TB, extra ...Case) {
	t.Helper()
	requireTools(t)
	Terraform(t, append(v.Cases(t), extra...)...)
}
