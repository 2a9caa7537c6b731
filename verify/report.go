package verify

import (
	"github.com/tapstack/infra/internal/tfjson"

	"fmt"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
)

// Action is what a plan does to a resource instance.
type Action string

// The actions a Report lists. No-op is never listed.
const (
	// Create makes a new resource.
	Create Action = "create"
	// Update changes a resource in place.
	Update Action = "update"
	// Replace destroys a resource and makes a new one (see Change.CreateBeforeDestroy
	// for the order).
	Replace Action = "replace"
	// Delete destroys a resource.
	Delete Action = "delete"
	// Forget drops a resource from the state without destroying it (a removed block
	// with destroy = false).
	Forget Action = "forget"
)

// Change is the planned change of one resource instance.
type Change struct {
	// Address is the resource instance address: "aws_lb.Service_LoadBalancer_8673CF3F".
	Address string
	// Type is the resource type: "aws_lb".
	Type string
	// Path is the cdktf construct path ("TapStackstage/Service/LoadBalancer") when the
	// stack carries it (cdktf app output does; a stack without metadata does not),
	// otherwise the address.
	Path string
	// Action is create, update, replace, delete or forget.
	Action Action
	// CreateBeforeDestroy tells, for a replacement, that the new object is created
	// before the old one is destroyed (lifecycle create_before_destroy); otherwise the old
	// one goes first.
	CreateBeforeDestroy bool
	// ReplacePaths are the attributes whose change forces the replacement, as readable
	// paths: "name", "cache_usage_limits", "load_balancer[0].target_group_arn".
	ReplacePaths []string
	// Reason is the engine's reason for the action when it gives one:
	// "replace_because_cannot_update", "delete_because_no_resource_config", ...
	Reason string
}

// String renders the change on one line.
func (c Change) String() string {
	var b strings.Builder
	b.WriteString(c.describe())
	b.WriteString(" ")
	b.WriteString(c.Address)
	if c.Path != c.Address {
		fmt.Fprintf(&b, " (%s)", c.Path)
	}
	if len(c.ReplacePaths) > 0 {
		fmt.Fprintf(&b, ", forced by %s", strings.Join(c.ReplacePaths, ", "))
	}
	return b.String()
}

func (c Change) describe() string {
	if c.Action != Replace {
		return string(c.Action)
	}
	if c.Reason == ReasonProviderMoved {
		return "replace (created anew where the provider moved; the old one stays behind, unmanaged)"
	}
	if c.CreateBeforeDestroy {
		return "replace (create, then delete)"
	}
	return "replace (delete, then create)"
}

// ReasonProviderMoved is the Reason of a Change that verify adds: the resource's
// provider now deploys to another region, account or partition (ReplacePaths say which:
// provider.region, provider.account, provider.partition). The engine plans no change
// (the provider does not compare where its objects live), but a real apply, whose
// refresh finds nothing there, creates the resource anew where the provider now points
// and leaves the old one behind, no longer managed: for a stateful resource, an empty
// one in place of the one holding the data.
const ReasonProviderMoved = "replace_because_provider_moved"

// Report is the verdict of a plan: every resource change except no-ops, sorted by
// address.
type Report struct {
	// Changes lists the changes; empty when the plan changes nothing.
	Changes []Change
	// Moves lists the provider configurations that deploy somewhere else than in the
	// deployed stack; their resources are replaced (ReasonProviderMoved).
	Moves []Move
}

// Move is a provider configuration that deploys somewhere else: From and To are
// "<partition>/<region>/<account>", "?" where the stack names no account.
type Move struct {
	// Provider is the provider configuration: "aws", "aws.west".
	Provider string
	From, To string
}

// Replaced returns the replacements of resources of the given types, or of every type
// when none is given.
func (r *Report) Replaced(types ...string) []Change {
	var out []Change
	for _, c := range r.Changes {
		if c.Action == Replace && (len(types) == 0 || slices.Contains(types, c.Type)) {
			out = append(out, c)
		}
	}
	return out
}

// Destroyed returns the changes that destroy a live object of one of the given types
// (all types when none are given): replacements and deletes. A renamed construct ID, for
// example, shows as the delete of the old address and the create of a new one: the live
// object is destroyed all the same.
func (r *Report) Destroyed(types ...string) []Change {
	var out []Change
	for _, c := range r.Changes {
		if (c.Action == Replace || c.Action == Delete) && (len(types) == 0 || slices.Contains(types, c.Type)) {
			out = append(out, c)
		}
	}
	return out
}

// Count returns the number of changes with the action.
func (r *Report) Count(a Action) int {
	n := 0
	for _, c := range r.Changes {
		if c.Action == a {
			n++
		}
	}
	return n
}

// String renders the report as a table, one change per line, with a summary line.
func (r *Report) String() string {
	if len(r.Changes) == 0 {
		return "no changes\n"
	}
	var b strings.Builder
	for _, m := range r.Moves {
		fmt.Fprintf(&b, "provider %s moved from %s to %s: its regional resources are created anew there, the old ones stay behind\n", m.Provider, m.From, m.To)
	}
	fmt.Fprintf(&b, "%d to create, %d to update, %d to replace, %d to delete", r.Count(Create), r.Count(Update), r.Count(Replace), r.Count(Delete))
	if n := r.Count(Forget); n > 0 {
		fmt.Fprintf(&b, ", %d to forget", n)
	}
	b.WriteString("\n")
	w := tabwriter.NewWriter(&b, 2, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ACTION\tRESOURCE\tTYPE\tFORCED BY")
	for _, c := range r.Changes {
		forced := strings.Join(c.ReplacePaths, ", ")
		if forced == "" {
			forced = "-"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", c.describe(), c.Path, c.Type, forced)
	}
	_ = w.Flush()
	return b.String()
}

// TB is what the assertions need of a test: *testing.T and *testing.B have it, and so
// has any test framework's handle with these two methods. (The package does not import
// testing, so that programs can use it.)
type TB interface {
	Helper()
	Errorf(format string, args ...any)
}

// AssertNoReplacements fails the test when the report replaces a resource of one of the
// types (of any type when none is given), listing each unwanted replacement with the
// attributes that force it, as a diff against the wanted empty list, and the whole
// report below.
func AssertNoReplacements(t TB, r *Report, types ...string) {
	t.Helper()
	assertNone(t, r, "replaces", func(r *Report) func(...string) []Change { return r.Replaced }, types)
}

// AssertNoneDestroyed fails t when the change destroys an object of one of the given
// types (all types when none are given): a replacement or a delete (see Destroyed),
// with the same readable report as AssertNoReplacements.
func AssertNoneDestroyed(t TB, r *Report, types ...string) {
	t.Helper()
	assertNone(t, r, "destroys", func(r *Report) func(...string) []Change { return r.Destroyed }, types)
}

func assertNone(t TB, r *Report, verb string, find func(*Report) func(...string) []Change, types []string) {
	t.Helper()
	if r == nil {
		t.Errorf("verify: nil report")
		return
	}
	bad := find(r)(types...)
	if len(bad) == 0 {
		return
	}
	kinds := "any type"
	switch {
	case len(types) > 6:
		kinds = fmt.Sprintf("any of %d kinds", len(types))
	case len(types) > 0:
		sorted := append([]string(nil), types...)
		sort.Strings(sorted)
		kinds = strings.Join(sorted, ", ")
	}
	var b strings.Builder
	fmt.Fprintf(&b, "the change %s %d resource(s) of %s (-want +got):\n", verb, len(bad), kinds)
	for _, c := range bad {
		fmt.Fprintf(&b, "+ %s\n", c)
	}
	fmt.Fprintf(&b, "\nthe whole plan:\n%s", r)
	t.Errorf("%s", b.String())
}

// formatPath renders a path of a plan as "a.b[0].c" or `tags["Name"]`.
func formatPath(p []tfjson.Part) string {
	return tfjson.RenderParts(p)
}
