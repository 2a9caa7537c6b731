package lmsservice

import (
	"crypto/sha256"
	"encoding/binary"
	"strconv"
	"strings"

	"github.com/tapstack/infra/awsid"
	"github.com/tapstack/infra/constructs/loadbalancer"
	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/field"
	"github.com/tapstack/infra/internal/check"
	"github.com/tapstack/infra/internal/token"
)

// Limits of a listener rule, as Elastic Load Balancing accepts them.
const (
	// MaxRulePriority is the highest listener rule priority (priorities are 1 to 50000,
	// unique per listener).
	MaxRulePriority = 50000
	// MaxHostLength is the longest value of a host-header condition.
	MaxHostLength = 128
	// MaxPathLength is the longest value of a path-pattern condition.
	MaxPathLength = 128
	// MaxConditionValues is the most host and path values one rule takes in all.
	MaxConditionValues = 5
)

// Attachment puts a service behind a listener it does not own: the service creates its
// target group and one listener rule ("ListenerRule") that forwards the requests
// matching Hosts and Paths to it, and no load balancer, listener or ingress from the
// internet. Its tasks admit the listener's load balancer on the container port; for a
// load balancer of this app (loadbalancer.New, another service's own), the load
// balancer's egress to the tasks is written too. A load balancer adopted with
// loadbalancer.ListenerFromAttributes is its owner's to open (the shared platform opens
// the VPC on its target ports).
type Attachment struct {
	// Listener is the listener that gets the rule: another service's (Service.Listener),
	// a loadbalancer.New's (LoadBalancer.Listener), or one defined elsewhere
	// (loadbalancer.ListenerFromAttributes). Required, in the service's region.
	Listener *loadbalancer.Listener
	// Hosts are the host names the rule matches ("pr4892.preview.example.com"): DNS
	// names of at most MaxHostLength characters, or cdktf tokens. The listener's
	// certificate must cover them. Default: none.
	Hosts []string
	// Paths are the path patterns the rule matches ("/api/*"): "/" then printable
	// characters, '*' and '?' as wildcards, at most MaxPathLength characters. Default:
	// none. Hosts and Paths: at least one value, at most MaxConditionValues in all; a
	// request must match a host and a path when both are given.
	Paths []string
	// Priority of the rule, 1 to MaxRulePriority, unique per listener; a lower priority
	// is evaluated first, so give a narrower path the lower one. Default (0): derived
	// from the environment and the component (RulePriority for a service without a
	// component: the PR number of a PR environment). Changing it is an in-place update
	// of the rule.
	Priority int
}

// RulePriority is the listener rule priority of an environment, deterministic and in
// 1..MaxRulePriority, the default of Attachment.Priority for a service without a
// component:
//
//   - a PR environment "pr<N>" gets N when 1 <= N <= 50000, and otherwise N modulo
//     50000 with 0 read as 50000 ("pr50000" and "pr0" get 50000, "pr50001" gets 1,
//     "pr123456" gets 23456), computed on the digits, so any length works;
//   - any other environment gets 1 plus the first 8 bytes of the SHA-256 of its name
//     (big-endian) modulo 50000.
//
// A service with a component gets the second form over "<env>/<component>". The PR
// suffix (kept in state or pinned) plays no part, so a PR keeps its priority for its
// whole life and across re-deploys. Two PR numbers 50000 apart, or a non-PR environment
// whose hash meets a PR number, get the same priority: the second rule created on a
// listener then fails with PriorityInUse, and that environment sets
// Attachment.Priority (see docs/pr-environments.md); within one app the synthesis
// refuses it first. It returns 0 for the zero Environment.
func RulePriority(env naming.Environment) int {
	name := env.Name()
	switch {
	case name == "":
		return 0
	case naming.IsPullRequest(name):
		n := 0
		for _, d := range strings.TrimPrefix(name, "pr") {
			n = (n*10 + int(d-'0')) % MaxRulePriority
		}
		if n == 0 {
			return MaxRulePriority
		}
		return n
	}
	return hashPriority(name)
}

func hashPriority(s string) int {
	sum := sha256.Sum256([]byte(s))
	return int(binary.BigEndian.Uint64(sum[:8])%MaxRulePriority) + 1
}

// withDefaults fills the derived priority.
func (a Attachment) withDefaults(env naming.Environment, component string) Attachment {
	if a.Priority == 0 && !env.IsZero() {
		a.Priority = RulePriority(env)
		if component != "" {
			a.Priority = hashPriority(env.Name() + "/" + component)
		}
	}
	return a
}

// validate checks the attachment (with defaults applied); path is its field ("Attach").
// The listener's presence is Config.Validate's check (ValidateFor runs before it exists).
func (a Attachment) validate(l *field.List, path string) {
	if len(a.Hosts)+len(a.Paths) == 0 {
		l.Add(path, "", "needs a condition: set Hosts, Paths or both")
	}
	if n := len(a.Hosts) + len(a.Paths); n > MaxConditionValues {
		l.Addf(path, "", "has %d host and path values; a listener rule takes at most %d", n, MaxConditionValues)
	}
	for i, h := range a.Hosts {
		f := field.Index(path+".Hosts", i)
		if !check.Literal(l, f, h) || token.Is(h) {
			continue
		}
		if len(h) > MaxHostLength {
			l.Addf(f, h, "is %d characters, over the %d a listener rule's host condition takes", len(h), MaxHostLength)
		} else {
			l.Check(f, h, awsid.CheckHostName(h))
		}
	}
	for i, p := range a.Paths {
		f := field.Index(path+".Paths", i)
		if !check.Literal(l, f, p) || token.Is(p) {
			continue
		}
		if !healthPath.MatchString(p) || len(p) > MaxPathLength {
			l.Addf(f, p, "must start with '/', hold printable characters without spaces, and be at most %d characters", MaxPathLength)
		}
	}
	if a.Priority < 0 || a.Priority > MaxRulePriority {
		l.Addf(path+".Priority", strconv.Itoa(a.Priority), "is out of range 1-%d (0 derives it from the environment: lmsservice.RulePriority)", MaxRulePriority)
	}
}
