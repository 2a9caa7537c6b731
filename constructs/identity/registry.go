package identity

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/constructs/naming"
)

// RegistryID is the construct ID, under the app's root, of the app's registry of
// physical names and listener rules.
const RegistryID = "TapstackInfraRegistry"

// registry is the app's registry: a construct at the root of the app, so that it lives
// and dies with the app (the jsii kernel hands back the same Go value for it).
type registry struct {
	constructs.Construct

	names naming.Registry
	rules []ruleClaim
	// stacks holds what Enter read of each stack, by construct path; checked, the stacks
	// that check the registry when they are synthesized.
	stacks  map[string]*stackInfo
	checked map[string]bool
	// stamps maps each resolved reference to a PR suffix kept in state to its label,
	// "{PR suffix of <project>/<env>}": the same in every stack of the environment, so
	// that names compare across stacks.
	stamps map[string]string
	// fixes holds, by construct path, the setting that renames the names claimed under
	// that construct (Scope.NameFix).
	fixes map[string]string
}

// Len is the number of names claimed in the app. It is also the registry's one method
// with a pointer receiver, which jsii requires of a Go type that extends a construct:
// keep one.
func (r *registry) Len() int { return r.names.Len() }

// registryOf returns the registry of the app whose root is root, defining it on first
// use.
func registryOf(root constructs.IConstruct) *registry {
	if c := root.Node().TryFindChild(jsii.String(RegistryID)); c != nil {
		if r, ok := c.(*registry); ok {
			return r
		}
		panic(fmt.Sprintf("identity: the app's construct %q is not the registry of this package", RegistryID))
	}
	r := &registry{stacks: map[string]*stackInfo{}, checked: map[string]bool{}, stamps: map[string]string{}, fixes: map[string]string{}}
	parent, ok := root.(constructs.Construct)
	if !ok {
		panic(fmt.Sprintf("identity: the app's root %T is not a construct", root))
	}
	constructs.NewConstruct_Override(r, parent, jsii.String(RegistryID))
	return r
}

// Name is one physical name that a construct defines, for Claim.
type Name struct {
	// Kind and Name of the physical name. Name may hold the reference to a PR suffix
	// kept in state (naming.Identity builds such names).
	Kind naming.Kind
	Name string
	// Resource is the construct ID of the resource under the construct ("Service"), or ""
	// when the construct is the resource itself.
	Resource string
	// Within is the VPC or ECS cluster of a kind unique per VPC or cluster (an ID, an
	// ARN or a token); nil for the other kinds.
	Within *string
	// Fix names the setting that renames the resource, for the message
	// ("lmsservice.Config.Component").
	Fix string
}

// Claim records the physical names that the construct defines in its app's registry.
// Names are compared as Terraform will see them: references resolved (two reads of one
// VPC ID are the same VPC), a PR suffix kept in state written as "{PR suffix of
// <project>/<env>}" in every stack. Regional names are compared across the stacks of
// one region, account-wide names (IAM roles) across all stacks of the app, names unique
// per VPC or cluster within it. Every stack of the app then checks the whole registry
// when it is synthesized, so that a conflict anywhere fails the synthesis before any
// stack is written.
func (s *Scope) Claim(names ...Name) {
	for _, n := range names {
		name := n.Name
		for ref, label := range s.reg.stamps {
			name = strings.ReplaceAll(name, ref, label)
		}
		if token := s.resolve(&name); token != name {
			name = token
			for ref, label := range s.reg.stamps {
				name = strings.ReplaceAll(name, ref, label)
			}
		}
		s.reg.names.Add(naming.Claim{Kind: n.Kind, Name: name, Stack: s.info.path, Region: s.info.region, Account: s.info.account,
			Within: s.resolve(n.Within), Path: s.child(n.Resource), Fix: s.fix(n.Fix)})
	}
	s.checkStacks()
}

// ListenerRule is one rule that a construct adds to a load balancer listener, for
// ClaimListenerRule. A listener takes each priority once (AWS refuses a second rule
// with PriorityInUse), and a request that two rules match reaches only the one with the
// lower priority.
type ListenerRule struct {
	// Listener is the listener's ARN (a token is fine).
	Listener *string
	// Priority of the rule (1 to 50000).
	Priority int
	// Hosts and Paths are the rule's host-header and path-pattern values.
	Hosts, Paths []string
	// Resource is the construct ID of the rule under the construct.
	Resource string
	// Fix is the setting that changes the priority ("lmsservice.Attachment.Priority").
	Fix string
}

type ruleClaim struct {
	ListenerRule
	listener, path string
}

// ClaimListenerRule records a listener rule of the construct in its app's registry,
// like Claim: two rules of the app on one listener (its ARN resolved) with one
// priority, or with the same conditions, fail the synthesis before any stack is written.
// Rules of different apps (two PR environments deployed by two pipelines) are not
// compared.
func (s *Scope) ClaimListenerRule(r ListenerRule) {
	s.reg.rules = append(s.reg.rules, ruleClaim{ListenerRule: r, listener: s.resolve(r.Listener), path: s.child(r.Resource)})
	s.checkStacks()
}

// checkStacks has every stack of the app check the registry when it is synthesized:
// every stack, not only those that claim names, since a stack without names may be
// written first.
func (s *Scope) checkStacks() {
	for _, child := range *s.stack.Node().Root().Node().Children() {
		stack, ok := child.(cdktf.TerraformStack)
		if !ok {
			continue
		}
		path := *stack.Node().Path()
		if !s.reg.checked[path] {
			s.reg.checked[path] = true
			stack.Node().AddValidation(&check{reg: s.reg})
		}
	}
}

// check is the validation every stack of the app runs.
type check struct{ reg *registry }

// Validate returns one message per name conflict in the app, then one per listener
// rule conflict.
func (v *check) Validate() *[]*string {
	var out []*string
	for _, c := range v.reg.names.Conflicts() {
		out = append(out, jsii.String(c.Error()))
	}
	for _, e := range ruleConflicts(v.reg.rules) {
		out = append(out, jsii.String(e.Error()))
	}
	return &out
}

// ruleConflicts returns one error per listener rule that repeats the priority or the
// conditions of an earlier rule on the same listener.
func ruleConflicts(rules []ruleClaim) []error {
	var out []error
	priorities, conditions := map[string]ruleClaim{}, map[string]ruleClaim{}
	for _, r := range rules {
		key := r.listener + "\x00" + strconv.Itoa(r.Priority)
		if first, ok := priorities[key]; ok {
			out = append(out, fmt.Errorf("listener rule priority %d is used twice on listener %s, by %s and by %s: set %s of one of them",
				r.Priority, r.listener, first.path, r.path, r.Fix))
		} else {
			priorities[key] = r
		}
		key = r.listener + "\x00" + conditionKey(r.Hosts, r.Paths)
		if first, ok := conditions[key]; ok {
			out = append(out, fmt.Errorf("the rules %s and %s on listener %s match the same requests (%s): only the one with the lower priority would ever see them",
				first.path, r.path, r.listener, describe(r.Hosts, r.Paths)))
		} else {
			conditions[key] = r
		}
	}
	return out
}

// conditionKey is the set of hosts (lower-cased) and paths of a rule.
func conditionKey(hosts, paths []string) string {
	h := make([]string, len(hosts))
	for i, x := range hosts {
		h[i] = strings.ToLower(x)
	}
	p := append([]string(nil), paths...)
	sort.Strings(h)
	sort.Strings(p)
	return strings.Join(h, ",") + "\x00" + strings.Join(p, ",")
}

func describe(hosts, paths []string) string {
	var parts []string
	if len(hosts) > 0 {
		parts = append(parts, "host "+strings.Join(hosts, ", "))
	}
	if len(paths) > 0 {
		parts = append(parts, "path "+strings.Join(paths, ", "))
	}
	return strings.Join(parts, " and ")
}

// child is the construct path of the resource id under the construct (the construct's
// own path when id is "").
func (s *Scope) child(id string) string {
	if id == "" {
		return s.path
	}
	return s.path + "/" + id
}

// NameFix names the setting that renames every name claimed under this construct,
// including the names of the constructs it composes ("lmsservice.Config.Component" for
// the load balancer and the cluster a service defines for itself), so that a conflict
// message names the setting its reader can change. The outermost construct with a
// NameFix wins: a team that wraps the library's constructs in one of its own can name
// its own setting. Call it before defining the construct's children.
func (s *Scope) NameFix(fix string) { s.reg.fixes[s.path] = fix }

// fix is the setting named for a claim of this construct whose own is def: the NameFix
// of its outermost ancestor (or itself) that has one, or def.
func (s *Scope) fix(def string) string {
	path := s.info.path
	for _, part := range strings.Split(strings.TrimPrefix(strings.TrimPrefix(s.path, s.info.path), "/"), "/") {
		path += "/" + part
		if f, ok := s.reg.fixes[path]; ok {
			return f
		}
	}
	return def
}
