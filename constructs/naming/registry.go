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
	// Region is the stack's region, "" when unknown. Names unique per account and region
	// (ScopeRegion) are compared across the stacks of one region; a claim without a
	// region is compared within its stack.
	Region string
	// Account is the stack's account ID, "" when unknown (the usual case at synth). Two
	// claims of known, different accounts never conflict; an unknown account may be any.
	Account string
	// Within qualifies names unique per VPC or per ECS cluster (ScopeVPC,
	// ScopeCluster): the VPC or cluster, as an ID or an ARN, or a Terraform reference
	// ("${aws_vpc.X.id}", which names a resource of its own stack).
	Within string
	// Path is the construct path of the resource.
	Path string
	// Fix names the setting that renames the resource, for the message
	// ("lmsservice.Config.Component").
	Fix string
}

// Registry collects the physical names of an app and finds those that AWS would
// refuse as duplicates: names of one kind and one scope (Kind.Rule().Unique): regional
// names across the stacks of one region, account-wide names (IAM roles) across all
// stacks, names unique per VPC or cluster within that VPC or cluster. The zero value is empty
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
	where := ""
	switch rule.Unique {
	case ScopeAccount:
		where = "the account (every region)"
	case ScopeGlobal:
		where = "the partition (every account and region)"
	case ScopeVPC:
		where = "one VPC"
	case ScopeCluster:
		where = "one ECS cluster"
	default:
		where = "one account and region"
		if a.Region != "" {
			where = "region " + a.Region
		}
	}
	if a.Stack == b.Stack {
		where += " (stack " + a.Stack + ")"
	} else {
		where += " (stacks " + a.Stack + " and " + b.Stack + ")"
	}
	fix := "give one of them its own " + a.Fix
	if a.Fix != b.Fix {
		fix = fmt.Sprintf("change %s of %s or %s of %s", a.Fix, owner(a.Path), b.Fix, owner(b.Path))
	}
	if shortened(a.Kind, a.Name) {
		// Both may already have their own component: the cut and the hash of two
		// different long names met. The way out is a name short enough to need no hash.
		setting := a.Fix
		if a.Fix != b.Fix {
			setting = a.Fix + " or " + b.Fix
		}
		fix = fmt.Sprintf("the name is a longer name cut to %d characters and ended by a hash (naming.Fit), and two different longer names met in it: shorten %s (or the project) of one of them, so that its name fits in %d characters without a hash",
			rule.MaxLength-HashLength-1, setting, rule.MaxLength)
	}
	return fmt.Sprintf("%s name %q is defined twice in %s, by %s and by %s: %s",
		a.Kind, a.Name, where, a.Path, b.Path, fix)
}

// shortened reports whether name has the shape of a name that Fit shortened: near the
// kind's length limit and ending in "-" and HashLength hex digits.
func shortened(k Kind, name string) bool {
	n := len(name)
	if n < k.Rule().MaxLength-3 || n < HashLength+2 || name[n-HashLength-1] != '-' {
		return false
	}
	for _, c := range name[n-HashLength:] {
		if !strings.ContainsRune("0123456789abcdef", c) {
			return false
		}
	}
	return true
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
	scope := "stack " + c.Stack
	switch rule.Unique {
	case ScopeAccount, ScopeGlobal:
		scope = ""
	case ScopeVPC, ScopeCluster:
		if strings.Contains(c.Within, "${") { // a reference names a resource of its stack
			scope = "stack " + c.Stack + "\x00" + c.Within
		} else {
			scope = "id " + c.Within
		}
	default:
		if c.Region != "" {
			scope = "region " + c.Region
		}
	}
	return fmt.Sprintf("%d\x00%s\x00%s", c.Kind, scope, name)
}

// Conflicts returns every claim that repeats an earlier one, paired with the first
// earlier claim of its name it conflicts with, in the order the claims were added. Claims
// of two known, different accounts do not conflict, except for names unique in the
// whole partition (S3 buckets).
func (r *Registry) Conflicts() []Conflict {
	earlier := map[string][]Claim{}
	var out []Conflict
	for _, c := range r.claims {
		k := c.key()
		for _, f := range earlier[k] {
			if f.Account == "" || c.Account == "" || f.Account == c.Account || c.Kind.Rule().Unique == ScopeGlobal {
				out = append(out, Conflict{First: f, Second: c})
				break
			}
		}
		earlier[k] = append(earlier[k], c)
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
