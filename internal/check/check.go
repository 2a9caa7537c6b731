// Package check holds the validation steps that every construct's Config shares, on
// plain values (no jsii): the environment and component, literal text, ARNs and IDs. Each
// records its problems as field errors.
package check

import (
	"github.com/tapstack/infra/awsid"
	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/field"
	"github.com/tapstack/infra/internal/token"
)

// Identity checks Environment and Component and, when both are valid, returns the
// identity that Validate derives names from: the identity of component in env, with
// the longest known region standing in for the stack's region (unknown before New), so
// that account-wide names are checked at their longest.
func Identity(l *field.List, env naming.Environment, component string) (naming.Identity, bool) {
	ok := true
	if env.IsZero() {
		l.Add("Environment", "", "is required (build one with naming.NewEnvironment)")
		ok = false
	}
	if err := naming.ValidateComponent(component); err != nil {
		l.Check("Component", component, err)
		return naming.Identity{}, false
	}
	if !ok {
		return naming.Identity{}, false
	}
	id, _ := env.Identity(component)
	return id.WithRegion(awsid.LongestRegion()), true
}

// Literal refuses text that Terraform would read as an expression ("${" or "%{" outside
// a cdktf token) in a field that takes a literal, and reports whether value is fine.
func Literal(l *field.List, name, value string) bool {
	if reason := token.Literal(value); reason != "" {
		l.Add(name, value, reason)
		return false
	}
	return true
}

// ARN checks an ARN field: "" is fine (optional fields; required ones check presence
// themselves), a cdktf token is passed through, a literal must be an ARN of kind in
// place p (what of p is unknown is not compared).
func ARN(l *field.List, name, value string, kind awsid.ARNKind, p awsid.Place) {
	if value == "" || !Literal(l, name, value) || token.Is(value) {
		return
	}
	l.Check(name, value, kind.CheckIn(value, p))
}

// ID checks a resource ID field like ARN does.
func ID(l *field.List, name, value string, kind awsid.IDKind) {
	if value == "" || !Literal(l, name, value) || token.Is(value) {
		return
	}
	l.Check(name, value, kind.Check(value))
}

// LogRetention checks a retention in days.
func LogRetention(l *field.List, name string, days *int) {
	if days == nil {
		return
	}
	if err := awsid.CheckLogRetention(*days); err != nil {
		l.Check(name, "", err)
	}
}
