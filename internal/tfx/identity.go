package tfx

import (
	"sort"
	"sync"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/constructs/naming"
)

// StampResourceID is the construct ID, under the stack, of the terraform_data resource
// that keeps the PR suffix of an environment whose suffix is not pinned:
// "PRSuffix-<project>-<environment>" (one per environment and stack, shared by every
// construct of that environment in the stack).
func StampResourceID(env naming.Environment) string {
	return "PRSuffix-" + env.Project() + "-" + env.Name()
}

// state is what this package remembers per jsii object: the jsii kernel hands back the
// same Go value for the same object, so apps and stacks can be map keys.
var state = struct {
	sync.Mutex
	registries map[constructs.IConstruct]*naming.Registry // by app (root)
	validated  map[cdktf.TerraformStack]bool
	stamps     map[cdktf.TerraformStack]map[string]*string // stamp references by StampResourceID
}{
	registries: map[constructs.IConstruct]*naming.Registry{},
	validated:  map[cdktf.TerraformStack]bool{},
	stamps:     map[cdktf.TerraformStack]map[string]*string{},
}

// Identity returns the naming identity of a construct instance defined in scope: the
// identity of component in env, with the region of the stack's default AWS provider
// (account-wide names carry it; "" when the provider's region is not a literal, and
// then building such a name fails) and, when env keeps its PR suffix in state, a
// reference to the stack's terraform_data resource that holds it (defined on first
// use: input the environment's first-deploy suffix, changes to it ignored).
func Identity(scope constructs.Construct, env naming.Environment, component string) naming.Identity {
	id, err := env.Identity(component)
	if err != nil {
		panic(err) // the construct's Validate checked the component
	}
	stack := cdktf.TerraformStack_Of(scope)
	id = id.WithRegion(Region(stack))
	if env.StampKept() {
		id = id.WithStampRef(*stampRef(stack, env))
	}
	return id
}

// Region returns the literal region of the stack's AWS provider without an alias, or
// "" when there is none or its region is a token.
func Region(stack cdktf.TerraformStack) string {
	for _, c := range *stack.Node().Children() {
		p, ok := c.(provider.AwsProvider)
		if !ok || p.Alias() != nil {
			continue
		}
		if r := p.Region(); r != nil && !IsToken(*r) {
			return *r
		}
	}
	return ""
}

func stampRef(stack cdktf.TerraformStack, env naming.Environment) *string {
	id := StampResourceID(env)
	state.Lock()
	defer state.Unlock()
	if ref, ok := state.stamps[stack][id]; ok {
		return ref
	}
	data := cdktf.NewDataResource(stack, jsii.String(id), &cdktf.DataConfig{
		Input:     &map[string]any{"suffix": env.Timestamp()},
		Lifecycle: &cdktf.TerraformResourceLifecycle{IgnoreChanges: &[]*string{jsii.String("input")}},
	})
	ref := data.GetStringAttribute(jsii.String("output.suffix"))
	if state.stamps[stack] == nil {
		state.stamps[stack] = map[string]*string{}
	}
	state.stamps[stack][id] = ref
	return ref
}

// Claim records the physical names that the construct c defines (their Stack and, when
// empty, Path filled in from c: Path is then the child ID under c) in the registry of
// c's app, and has c's stack check the whole registry when it is synthesized: a
// conflict anywhere in the app fails the synthesis of the first stack, before any stack
// is written.
func Claim(c constructs.Construct, claims ...Named) {
	node := c.Node()
	path := *node.Path()
	stack := cdktf.TerraformStack_Of(c)
	stackPath := *stack.Node().Path()
	root := node.Root()
	state.Lock()
	reg := state.registries[root]
	if reg == nil {
		reg = &naming.Registry{}
		state.registries[root] = reg
	}
	for _, n := range claims {
		reg.Add(naming.Claim{Kind: n.Kind, Name: n.Name, Stack: stackPath, Within: n.Within, Path: path + "/" + n.Child, Fix: n.Fix})
	}
	first := !state.validated[stack]
	state.validated[stack] = true
	state.Unlock()
	if first {
		stack.Node().AddValidation(&nameCheck{reg: reg})
	}
}

// Named is one physical name of a construct, for Claim.
type Named struct {
	// Kind and Name of the physical name.
	Kind naming.Kind
	Name string
	// Child is the construct ID of the resource under the construct.
	Child string
	// Within is the VPC or cluster of a name unique per VPC or cluster.
	Within string
	// Fix is the setting that renames it ("lmsservice.Config.Component").
	Fix string
}

// CheckNames returns the name conflicts of the app that scope belongs to, one per
// line, or nil: what the stacks' validation reports at synth, as an error.
func CheckNames(scope constructs.Construct) error {
	state.Lock()
	reg := state.registries[scope.Node().Root()]
	state.Unlock()
	if reg == nil {
		return nil
	}
	return reg.Err()
}

// nameCheck is the validation Claim adds to a stack.
type nameCheck struct{ reg *naming.Registry }

// Validate returns one message per name conflict in the app.
func (v *nameCheck) Validate() *[]*string {
	var out []*string
	for _, c := range v.reg.Conflicts() {
		out = append(out, jsii.String(c.Error()))
	}
	return &out
}

// SortedKeys returns the keys of m in order.
func SortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Resolved returns s as it will appear in the synthesized JSON of scope's stack (a
// token becomes its Terraform expression, "${aws_security_group.A.id}"): each read of
// a resource attribute is a new token, so tokens compare equal only once resolved.
func Resolved(scope constructs.IConstruct, s *string) string {
	if s == nil || !IsToken(*s) {
		if s == nil {
			return ""
		}
		return *s
	}
	v := cdktf.Tokenization_Resolve(s, &cdktf.ResolveOptions{
		Resolver: cdktf.NewDefaultTokenResolver(cdktf.NewStringConcat()),
		Scope:    scope,
	})
	if str, ok := v.(string); ok {
		return str
	}
	return *s
}
