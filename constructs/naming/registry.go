package naming

import (
	"errors"
	"fmt"
	"strings"
)

// Claim is one physical name that a construct defines, as the Registry sees it.
type Claim struct {
	// Kind of the name.
	Kind Kind
	// Name is the physical name. It may hold tokens (a PR suffix kept in state): names
	// are compared as written, which is exact within a stack.
	Name string
	// Stack is the construct path of the stack that defines the resource.
	Stack string
	// Within qualifies names unique per VPC or per ECS cluster (ScopeVPC,
	// ScopeCluster): the VPC or cluster, as an ID, an ARN or a token.
	Within string
	// Path is the construct path of the resource.
	Path string
	// Fix names the setting that renames the resource, for the message
	// ("lmsservice.Config.Component").
	Fix string
}

// Registry collects the physical names of an app and finds those that AWS would
// refuse as duplicates: names of one kind and one scope (Kind.Rule().Unique) within a
// stack, and account-wide names (IAM roles) across all stacks. The zero value is empty
// and ready to use. It is not safe for concurrent use.
type Registry struct {
	claims []Claim
}

// Add records claims.
func (r *Registry) Add(claims ...Claim) { r.claims = append(r.claims, claims...) }

// Len returns the number of claims recorded.
func (r *Registry) Len() int { return len(r.claims) }

// Conflict is two claims of one name where AWS allows only one.
type Conflict struct {
	First, Second Claim
}

// Error is one line: the kind and name, where it must be unique, both construct paths,
// and the setting that resolves it.
func (c Conflict) Error() string {
	a, b := c.First, c.Second
	rule := a.Kind.Rule()
	where := "stack " + a.Stack
	switch rule.Unique {
	case ScopeAccount:
		where = "the account (every region)"
		if a.Stack != b.Stack {
			where += ", stacks " + a.Stack + " and " + b.Stack
		}
	case ScopeVPC:
		where = "one VPC of stack " + a.Stack
	case ScopeCluster:
		where = "one ECS cluster of stack " + a.Stack
	}
	fix := "give one of them its own " + a.Fix
	if a.Fix != b.Fix {
		fix = fmt.Sprintf("change %s of %s or %s of %s", a.Fix, owner(a.Path), b.Fix, owner(b.Path))
	}
	return fmt.Sprintf("%s name %q is defined twice in %s, by %s and by %s: %s",
		a.Kind, a.Name, where, a.Path, b.Path, fix)
}

// owner is the construct path of the construct that defines the resource at path.
func owner(path string) string {
	if i := strings.LastIndex(path, "/"); i > 0 {
		return path[:i]
	}
	return path
}

// key says which claims must differ: kind, the scope of the kind's uniqueness and the
// name (lower-cased where AWS ignores case).
func (c Claim) key() string {
	rule := c.Kind.Rule()
	name := c.Name
	if rule.CaseInsensitive {
		name = strings.ToLower(name)
	}
	scope := c.Stack
	switch rule.Unique {
	case ScopeAccount:
		scope = ""
	case ScopeVPC, ScopeCluster:
		scope = c.Stack + "\x00" + c.Within
	}
	return fmt.Sprintf("%d\x00%s\x00%s", c.Kind, scope, name)
}

// Conflicts returns every claim that repeats an earlier one, paired with the first
// claim of its name, in the order the claims were added.
func (r *Registry) Conflicts() []Conflict {
	first := map[string]Claim{}
	var out []Conflict
	for _, c := range r.claims {
		k := c.key()
		if f, ok := first[k]; ok {
			out = append(out, Conflict{First: f, Second: c})
			continue
		}
		first[k] = c
	}
	return out
}

// Err returns the conflicts joined, one per line, or nil.
func (r *Registry) Err() error {
	var errs []error
	for _, c := range r.Conflicts() {
		errs = append(errs, c)
	}
	return errors.Join(errs...)
}
