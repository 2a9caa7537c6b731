package naming

import (
	"fmt"
	"regexp"
	"unicode/utf8"

	"github.com/tapstack/infra/internal/text"
)

// MaxComponentLength bounds a component (instance) name.
const MaxComponentLength = 20

// StampLength is the length of a PR timestamp suffix.
const StampLength = 6

var componentPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// ValidateComponent checks a component (instance) name: empty for the default instance,
// or lowercase letters, digits and single hyphens, not starting or ending with a hyphen,
// at most MaxComponentLength characters ("web", "worker", "jobs-2").
func ValidateComponent(component string) error {
	switch {
	case component == "":
		return nil
	case utf8.RuneCountInString(component) > MaxComponentLength:
		return fmt.Errorf("%s is %d characters, over the component limit of %d", text.Quote(component), utf8.RuneCountInString(component), MaxComponentLength)
	case !componentPattern.MatchString(component):
		return fmt.Errorf("%s is not a component: lowercase letters, digits and single hyphens, not starting or ending with '-'", text.Quote(component))
	}
	return nil
}

// Identity is who one construct instance is: its environment, its component (the
// instance name that tells two services or caches of one stack apart), the region for
// account-wide names, and, for a PR environment whose suffix lives in Terraform state,
// the reference that stands for the suffix. Every physical name of the instance is built
// from it. The zero value is not valid: build one with Environment.Identity.
//
// Name shapes (component "web" in environment "stage"; without a component the
// "web-" and "/web" parts are absent):
//
//	Resource(LoadBalancer, "alb")          lms-web-alb-stage
//	Resource(IAMRole, "ecs-task-role")     lms-web-ecs-task-role-stage-ca-central-1 (account-wide: + region)
//	Path(Secret, "db-credentials")         lms/stage/web/db-credentials
//	Around(LogGroup, "/ecs/", "")          /ecs/lms-stage/web
type Identity struct {
	env       Environment
	component string
	region    string
	stampRef  string
}

// Identity returns the identity of the instance component of e ("" for the default
// instance, whose names are those of the Environment's own builders).
func (e Environment) Identity(component string) (Identity, error) {
	if err := ValidateComponent(component); err != nil {
		return Identity{}, err
	}
	return Identity{env: e, component: component}, nil
}

// WithRegion returns i with the region that account-wide names carry (IAM roles, whose
// names AWS keeps unique across every region of an account): two stacks of one
// environment in two regions then never share such a name.
func (i Identity) WithRegion(region string) Identity {
	i.region = region
	return i
}

// WithStampRef returns i with ref standing for the PR suffix in every name: a Terraform
// reference (a cdktf token) to the suffix kept in state, so that the suffix lives as
// long as the environment. Lengths are still checked here, since the suffix is always
// StampLength characters. It has no effect unless the environment is a PR environment
// without a pinned suffix (Environment.StampKept).
func (i Identity) WithStampRef(ref string) Identity {
	if i.env.StampKept() {
		i.stampRef = ref
	}
	return i
}

// Environment returns the identity's environment.
func (i Identity) Environment() Environment { return i.env }

// Component returns the component ("" for the default instance).
func (i Identity) Component() string { return i.component }

// Region returns the region given by WithRegion, or "".
func (i Identity) Region() string { return i.region }

// ID returns the environment part of names: Environment.ID, with the stamp reference in
// place of the suffix when one is set.
func (i Identity) ID() string {
	id, at := i.env.idAndStamp()
	if at < 0 || i.stampRef == "" {
		return id
	}
	return id[:at] + i.stampRef
}

// stem is "<project>-" or "<project>-<component>-".
func (i Identity) stem() string { return i.Stem() + "-" }

// Stem returns "<project>" or "<project>-<component>": the owner part of names, without
// the environment ("lms-web"), for prefixes such as a log stream prefix.
func (i Identity) Stem() string {
	if i.component == "" {
		return i.env.project
	}
	return i.env.project + "-" + i.component
}

// Prefix returns "<project>-<ID>[/<component>]" ("lms-stage/web"), unchecked: the
// component after a "/", which no environment name holds, so that environment "stage"
// with component "web" and environment "web-stage" never share a prefix.
func (i Identity) Prefix() string { return i.env.project + "-" + i.ID() + i.componentPath() }

// componentPath is "/<component>", or "" for the default instance.
func (i Identity) componentPath() string {
	if i.component == "" {
		return ""
	}
	return "/" + i.component
}

// Label returns "<project>-[<component>-]<purpose>-<ID>" unchecked, for Name tags and
// descriptions (tag values allow 256 characters of any kind).
func (i Identity) Label(purpose string) string { return i.stem() + purpose + "-" + i.ID() }

// Resource returns the name "<project>-[<component>-]<purpose>-<ID>" fitted to kind
// ("lms-web-alb-stage"); names of an account-wide kind end in "-<region>" and need
// WithRegion.
func (i Identity) Resource(k Kind, purpose string) (string, error) {
	return i.build(k, i.stem()+purpose+"-", "")
}

// Path returns the path-style name "<project>/<ID>/[<component>/]<purpose>" fitted to
// kind ("lms/stage/web/db-credentials"). Secrets use it: a name that ends in the purpose
// word cannot look like the "-" plus 6 characters that Secrets Manager appends to ARNs,
// even in a PR environment.
func (i Identity) Path(k Kind, purpose string) (string, error) {
	tail := "/" + purpose
	if i.component != "" {
		tail = "/" + i.component + tail
	}
	return i.build(k, i.env.project+"/", tail)
}

// Around returns before + Prefix() + after fitted to kind ("/ecs/" and "" give
// "/ecs/lms-stage/web", "/ecs/lms-stage" for the default instance). With a component it
// suits the kinds whose names may hold "/" (log groups, secrets).
func (i Identity) Around(k Kind, before, after string) (string, error) {
	return i.build(k, before+i.env.project+"-", i.componentPath()+after)
}

// build fits before + ID + after (+ "-<region>" for an account-wide kind) to kind k. A
// PR suffix that lives in state is kept whole through shortening (fitKeeping) and
// replaced by the stamp reference last.
func (i Identity) build(k Kind, before, after string) (string, error) {
	if u := k.Rule().Unique; u == ScopeAccount || u == ScopeGlobal {
		if i.region == "" {
			return "", fmt.Errorf("%s names are unique across the account's regions: give the identity its region (Identity.WithRegion)", k)
		}
		after += "-" + i.region
	}
	id, at := i.env.idAndStamp()
	name := before + id + after
	if at < 0 {
		return Fit(k, name)
	}
	short, stamp, err := fitKeeping(k, name, len(before)+at)
	if err != nil || i.stampRef == "" {
		return short, err
	}
	return short[:stamp] + i.stampRef + short[stamp+StampLength:], nil
}
