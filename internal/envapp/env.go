// Package envapp holds what the commands that synthesize a stack from environment
// variables (cmd/tapstack, cmd/platform) share: the discipline of their variables (every
// value checked in one pass, one line per problem naming the variable, exit 2, nothing
// written) and the synthesis run.
package envapp

import (
	"errors"
	"fmt"
	"strings"

	"github.com/tapstack/infra/constructs/awsstack"
	"github.com/tapstack/infra/field"
	"github.com/tapstack/infra/internal/text"
)

// The variables every example app reads.
const (
	EnvRegion            = "AWS_REGION"
	EnvStateBucket       = "TERRAFORM_STATE_BUCKET"
	EnvStateBucketRegion = "TERRAFORM_STATE_BUCKET_REGION"
	EnvAllowLocalState   = "ALLOW_LOCAL_STATE"
	EnvOutdir            = "CDKTF_OUTDIR"
)

// commonFieldVars names the variable that sets each Config field every app has.
var commonFieldVars = map[string]string{
	"Region":            EnvRegion,
	"StateBucket":       EnvStateBucket,
	"StateBucketRegion": EnvStateBucketRegion,
	"AllowLocalState":   EnvAllowLocalState,
}

// FieldVars names the variable that sets each Config field of an app: the fields every
// app has, and the app's own (own), for Problems.
func FieldVars(own map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range []map[string]string{commonFieldVars, own} {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// VarError is a problem of one environment variable: its name, its value as given and
// why it is refused. Error is one line, `NAME="value": reason`, with a long value cut
// short.
type VarError struct {
	Name, Value, Reason string
}

// Error is `NAME="value": reason`.
func (e *VarError) Error() string { return e.Name + "=" + text.Quote(e.Value) + ": " + e.Reason }

// Reader reads environment variables through lookup with the rules every app applies,
// collecting every problem as a *VarError: an empty variable counts as unset; a value
// that is only whitespace, or has whitespace around it, is refused.
type Reader struct {
	lookup func(string) (string, bool)
	errs   []error
}

// NewReader returns a Reader over lookup (os.LookupEnv in the apps).
func NewReader(lookup func(string) (string, bool)) *Reader { return &Reader{lookup: lookup} }

// Bad records a problem of the variable name with value.
func (r *Reader) Bad(name, value, reason string) {
	r.errs = append(r.errs, &VarError{Name: name, Value: value, Reason: reason})
}

// Raw returns the variable as it is, without any check.
func (r *Reader) Raw(name string) string {
	v, _ := r.lookup(name)
	return v
}

// Get returns the variable, or "" when it is unset, empty or refused. A variable is
// always a literal: one that holds "${" or "%{" (which Terraform would read as an
// expression) is refused, as is one that holds a cdktf token marker.
func (r *Reader) Get(name string) string {
	v := r.Raw(name)
	switch {
	case v == "":
	case strings.TrimSpace(v) == "":
		r.Bad(name, v, "is only whitespace: leave it empty or unset for the default, or give a value")
		return ""
	case strings.TrimSpace(v) != v:
		r.Bad(name, v, "has whitespace around the value: remove it")
		return ""
	case strings.Contains(v, "${") || strings.Contains(v, "%{") || strings.Contains(v, "TfToken["):
		open := "${"
		if !strings.Contains(v, open) {
			open = "%{"
			if !strings.Contains(v, open) {
				open = "TfToken["
			}
		}
		r.Bad(name, v, `holds "`+open+`": a variable is a literal value, and Terraform would read this as an expression`)
		return ""
	}
	return v
}

// Bool reads true, false, 1 or 0 (any case; unset is false), reporting anything else.
func (r *Reader) Bool(name string) bool {
	v, _ := r.BoolSet(name)
	return v
}

// BoolSet is Bool, and whether the variable was set to a valid value.
func (r *Reader) BoolSet(name string) (value, set bool) {
	v := r.Get(name)
	switch strings.ToLower(v) {
	case "":
		return false, false
	case "false", "0":
		return false, true
	case "true", "1":
		return true, true
	}
	r.Bad(name, v, "want true, false, 1 or 0")
	return false, false
}

// List reads a comma-separated list ("a,b" or "a, b"); an empty item is refused.
func (r *Reader) List(name string) []string {
	v := r.Get(name)
	if v == "" {
		return nil
	}
	items := strings.Split(v, ",")
	for i, item := range items {
		items[i] = strings.TrimSpace(item)
		if items[i] == "" {
			r.Bad(name, v, "has an empty item: separate the values with single commas")
			return nil
		}
	}
	return items
}

// IncompleteError says that some variables of a group that is set all together or not
// at all are unset. Error is one line naming the unset ones and the whole group.
type IncompleteError struct {
	// Unset and Group are variable names, in the group's order.
	Unset, Group []string
	// Purpose says what needs the group ("a stack on the shared platform").
	Purpose string
}

// Error is "A and B are unset: <purpose> needs all of A, B, C and D, or none of them".
func (e *IncompleteError) Error() string {
	verb := "is"
	if len(e.Unset) > 1 {
		verb = "are"
	}
	return fmt.Sprintf("%s %s unset: %s needs all of %s, or none of them", and(e.Unset), verb, e.Purpose, and(e.Group))
}

// and joins names as "A", "A and B", "A, B and C".
func and(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// Group reads variables that are set all together or not at all (each as Get does),
// and reports whether all of them are set. Some but not all set is one
// *IncompleteError naming the unset ones; a variable that is set but refused (only
// whitespace) counts as set, so it is reported once, as refused.
func (r *Reader) Group(purpose string, names ...string) (values map[string]string, all bool) {
	values = map[string]string{}
	var unset []string
	for _, n := range names {
		values[n] = r.Get(n)
		if r.Raw(n) == "" {
			unset = append(unset, n)
		}
	}
	if len(unset) > 0 && len(unset) < len(names) {
		r.errs = append(r.errs, &IncompleteError{Unset: unset, Group: names, Purpose: purpose})
	}
	return values, len(unset) == 0
}

// State reads the region and state variables every app has, as the fields of an
// awsstack.Config (Environment left zero).
func (r *Reader) State() awsstack.Config {
	return awsstack.Config{Region: r.Get(EnvRegion), StateBucket: r.Get(EnvStateBucket),
		StateBucketRegion: r.Get(EnvStateBucketRegion), AllowLocalState: r.Bool(EnvAllowLocalState)}
}

// Err returns every problem recorded, joined, or nil.
func (r *Reader) Err() error { return errors.Join(r.errs...) }

// Problems merges parse errors and validation problems into one list: a Config
// field's problem (a *field.Error whose field, or the field it lies under, fieldVars
// names) is reported against its variable, with the value the variable holds in lookup
// (what the user wrote, not the field's parsed value) and the fields its reason names
// written as their variables, unless parsing that variable already failed (its field
// then holds nothing worth reporting). A field no variable sets is reported as it is:
// the app has no setting for it, so it is a defect of the app.
func Problems(parseErr, validateErr error, fieldVars map[string]string, lookup func(string) (string, bool)) []error {
	out := field.Split(parseErr)
	failed := map[string]bool{}
	for _, e := range out {
		var v *VarError
		if errors.As(e, &v) {
			failed[v.Name] = true
		}
	}
	for _, e := range field.Split(validateErr) {
		var f *field.Error
		if errors.As(e, &f) {
			if name, ok := varOf(fieldVars, f.Field); ok {
				if !failed[name] {
					value := f.Value
					if raw, set := lookup(name); set {
						value = raw
					}
					out = append(out, &VarError{Name: name, Value: value, Reason: field.RenameInText(f.Reason, fieldVars)})
				}
				continue
			}
		}
		out = append(out, e)
	}
	return out
}

// varOf returns the variable that sets path: the field itself, or the field it lies
// under ("Platform.PublicSubnetIDs[1]" is set by the variable of
// "Platform.PublicSubnetIDs").
func varOf(fieldVars map[string]string, path string) (string, bool) {
	for {
		if name, ok := fieldVars[path]; ok {
			return name, true
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			return "", false
		}
		path = path[:i]
	}
}
