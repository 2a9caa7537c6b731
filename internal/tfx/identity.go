package tfx

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
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
	apps   map[constructs.IConstruct]*appInfo // by root
	stacks map[cdktf.TerraformStack]*stackInfo
}{
	apps:   map[constructs.IConstruct]*appInfo{},
	stacks: map[cdktf.TerraformStack]*stackInfo{},
}

// appInfo is an app's registry of physical names and listener rules, and the stacks
// that check it.
type appInfo struct {
	reg     *naming.Registry
	rules   []ruleClaim
	checked map[cdktf.TerraformStack]bool
}

// stackInfo is what the constructs of one stack need of it, read from jsii once.
type stackInfo struct {
	path, region string
	root         constructs.IConstruct
	stamps       map[string]stamp // by StampResourceID
}

// stamp is the reference to a PR suffix kept in state, and the label that stands for it
// in the registry and its messages: the same for every stack of the environment, so
// that two stacks of one PR environment compare their account-wide names.
type stamp struct{ ref, label string }

// Scope is a construct about to be defined and its stack: the jsii reads that naming and
// the registry need, done once per construct (and once per stack).
type Scope struct {
	path  string
	stack cdktf.TerraformStack
	info  *stackInfo
}

// Enter returns the Scope of the construct id about to be defined in scope. It defines
// nothing: call it before constructs.NewConstruct_Override, so that a stack without a
// region can be refused before anything is defined (RequireRegion).
func Enter(scope constructs.Construct, id string) *Scope {
	return enter(cdktf.TerraformStack_Of(scope), *scope.Node().Path()+"/"+id)
}

// EnterStack returns the Scope of the resources a stack defines directly, not through
// a construct of its own (the platform app's stack): their paths are the stack's.
func EnterStack(stack cdktf.TerraformStack) *Scope { return enter(stack, *stack.Node().Path()) }

func enter(stack cdktf.TerraformStack, path string) *Scope {
	sc := &Scope{path: path, stack: stack}
	state.Lock()
	info := state.stacks[stack]
	state.Unlock()
	if info == nil {
		info = &stackInfo{path: *stack.Node().Path(), root: stack.Node().Root(), stamps: map[string]stamp{}}
		PinProvider(stack)
		state.Lock()
		state.stacks[stack] = info
		state.Unlock()
	}
	if info.region == "" {
		info.region = Region(stack) // read again until the stack has a literal region
	}
	sc.info = info
	return sc
}

// RequireRegion panics, naming the construct, when the stack's default AWS provider has
// no literal region: account-wide names (IAM roles) carry it.
func (sc *Scope) RequireRegion(pkg, id string) {
	if sc.info.region == "" {
		panic(fmt.Sprintf("%s.New(%q): the stack's default AWS provider has no literal region: IAM role names carry it, "+
			"since AWS keeps them unique across every region of the account. Set provider.AwsProviderConfig.Region "+
			"(not an environment variable, a variable or a token) before defining this construct", pkg, id))
	}
}

// Identity returns the naming identity of the construct instance: the identity of
// component in env, with the region of the stack's default AWS provider (account-wide
// names carry it) and, when env keeps its PR suffix in state, a reference to the
// stack's terraform_data resource that holds it (defined on first use: input the
// environment's first-deploy suffix, changes to it ignored).
func (sc *Scope) Identity(env naming.Environment, component string) naming.Identity {
	id, err := env.Identity(component)
	if err != nil {
		panic(err) // the construct's Validate checked the component
	}
	id = id.WithRegion(sc.info.region)
	if env.StampKept() {
		id = id.WithStampRef(sc.stampRef(env))
	}
	return id
}

// ProviderVersion is the hashicorp/aws provider version every stack of the library
// requires: the version the tests run (validate, the real-provider plan and the mock
// apply of every variant, and verify).
const ProviderVersion = "5.100.0"

// PinProvider makes the stack require ProviderVersion of hashicorp/aws exactly (the AWS
// bindings would pin the version they were generated for, 5.84.0, which no test runs).
func PinProvider(stack cdktf.TerraformStack) {
	stack.AddOverride(jsii.String("terraform.required_providers.aws.version"), jsii.String(ProviderVersion))
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

func (sc *Scope) stampRef(env naming.Environment) string {
	id := StampResourceID(env)
	state.Lock()
	st, ok := sc.info.stamps[id]
	state.Unlock()
	if ok {
		return st.ref
	}
	data := cdktf.NewDataResource(sc.stack, jsii.String(id), &cdktf.DataConfig{
		Input:     &map[string]any{"suffix": env.Timestamp()},
		Lifecycle: &cdktf.TerraformResourceLifecycle{IgnoreChanges: &[]*string{jsii.String("input")}},
	})
	st = stamp{ref: *data.GetStringAttribute(jsii.String("output.suffix")), label: "{PR suffix of " + env.Project() + "/" + env.Name() + "}"}
	state.Lock()
	sc.info.stamps[id] = st
	state.Unlock()
	return st.ref
}

// Claim records the physical names that the construct defines (Child is the ID of the
// resource under it) in the registry of its app. Names are recorded with a PR suffix
// kept in state written as "{PR suffix of <project>/<env>}", the same in every stack. It
// also has every stack of the app check the whole registry when it is synthesized:
// cdktf validates each stack just before writing it, so a conflict anywhere fails the
// first stack written, before anything is written; that stack reports every conflict of
// the app.
func (sc *Scope) Claim(claims ...Named) {
	sc.register(func(app *appInfo) {
		for _, n := range claims {
			name := n.Name
			for _, st := range sc.info.stamps {
				name = strings.ReplaceAll(name, st.ref, st.label)
			}
			app.reg.Add(naming.Claim{Kind: n.Kind, Name: name, Stack: sc.info.path, Within: n.Within, Path: sc.path + "/" + n.Child, Fix: n.Fix})
		}
	})
}

// register records, under the lock, what the construct claims in its app's registry,
// and has every stack of the app check the registry when it is synthesized.
func (sc *Scope) register(record func(app *appInfo)) {
	state.Lock()
	app := state.apps[sc.info.root]
	if app == nil {
		app = &appInfo{reg: &naming.Registry{}, checked: map[cdktf.TerraformStack]bool{}}
		state.apps[sc.info.root] = app
	}
	record(app)
	state.Unlock()
	// Every stack of the app, not only those that claim names: a stack without names
	// may be written first.
	for _, child := range *sc.info.root.Node().Children() {
		stack, ok := child.(cdktf.TerraformStack)
		if !ok {
			continue
		}
		state.Lock()
		first := !app.checked[stack]
		app.checked[stack] = true
		state.Unlock()
		if first {
			stack.Node().AddValidation(&nameCheck{app: app})
		}
	}
}

// ListenerRule is one rule that a construct adds to a load balancer listener, for
// ClaimListenerRule. A listener takes each priority once (AWS refuses a second rule
// with PriorityInUse), and a host matched by two rules reaches only the one with the
// lower priority.
type ListenerRule struct {
	// Listener is the listener's ARN, or a token for it.
	Listener string
	// Priority of the rule (1 to 50000).
	Priority int
	// Host is the host-header value the rule matches ("" for none).
	Host string
	// Child is the construct ID of the rule under the construct.
	Child string
	// Fix is the setting that changes the priority ("lmsservice.Attachment.Priority").
	Fix string
}

type ruleClaim struct {
	ListenerRule
	listener, path string
}

// ClaimListenerRule records a listener rule of the construct in the registry of its
// app, like Claim: when a stack of the app is synthesized, two rules of the app on one
// listener with one priority, or matching one host, fail the synthesis before any
// stack is written. Rules of different apps (two PR environments deployed by two
// pipelines) are not compared: see the priority rule of lmsservice.RulePriority.
func (sc *Scope) ClaimListenerRule(r ListenerRule) {
	claim := ruleClaim{ListenerRule: r, listener: Resolved(sc.stack, jsii.String(r.Listener)), path: sc.path + "/" + r.Child}
	sc.register(func(app *appInfo) { app.rules = append(app.rules, claim) })
}

// ruleConflicts returns one error per listener rule that repeats the priority or the
// host of an earlier rule on the same listener.
func ruleConflicts(rules []ruleClaim) []error {
	var out []error
	priorities, hosts := map[string]ruleClaim{}, map[string]ruleClaim{}
	for _, r := range rules {
		key := r.listener + "\x00" + strconv.Itoa(r.Priority)
		if first, ok := priorities[key]; ok {
			out = append(out, fmt.Errorf("listener rule priority %d is used twice on listener %s, by %s and by %s: set %s of one of them",
				r.Priority, r.Listener, first.path, r.path, r.Fix))
		} else {
			priorities[key] = r
		}
		if r.Host == "" {
			continue
		}
		key = r.listener + "\x00" + strings.ToLower(r.Host)
		if first, ok := hosts[key]; ok {
			out = append(out, fmt.Errorf("host %q is matched twice on listener %s, by %s and by %s: only the rule with the lower priority would ever see its requests",
				r.Host, r.Listener, first.path, r.path))
		} else {
			hosts[key] = r
		}
	}
	return out
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

// nameCheck is the validation Claim and ClaimListenerRule add to every stack.
type nameCheck struct{ app *appInfo }

// Validate returns one message per name conflict in the app, then one per listener
// rule conflict.
func (v *nameCheck) Validate() *[]*string {
	var out []*string
	for _, c := range v.app.reg.Conflicts() {
		out = append(out, jsii.String(c.Error()))
	}
	state.Lock()
	rules := append([]ruleClaim(nil), v.app.rules...)
	state.Unlock()
	for _, e := range ruleConflicts(rules) {
		out = append(out, jsii.String(e.Error()))
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
