// Package naming holds the deployment identity that every construct in this module
// shares: the environment ("stage", "prod", "pr4892"), the PR timestamp suffix, the
// environment profile (what PR environments do differently), the standard tags, and one
// table of AWS name rules for every kind of physical name the library creates.
//
// It is pure Go (no jsii, no Node.js), so everything here is checked in milliseconds
// and before any construct is defined.
//
// # Environments
//
// An environment name matches ^[a-z][a-z0-9-]*$, has no "--" and no trailing "-", and is
// at most MaxEnvironmentLength characters. A name matching ^pr\d+$ is a pull-request
// (PR) environment; "prod", "pr", "pr12a" and "preview" are not. PR environments carry a
// 6-digit timestamp suffix in their resource names ("pr4892" becomes "pr4892-123456") so
// that re-used PR numbers never collide with left-over resources. Pin the suffix once per
// pipeline (Options.Timestamp) so that re-synthesizing the same deployment gives the same
// names; the stack name and the state key never carry it.
//
// # Names
//
// Every physical name goes through Fit, which checks it against its Kind's Rule and, when
// it is too long, shortens it to a stable form: a readable prefix, "-", and the first
// five hex digits of the SHA-256 of the full name. The same input always gives the same
// name, and Fit never returns a name that breaks its rule.
package naming
