// Package field reports the problems of a Config as typed errors, one per field: the
// field's path from the Config ("CIDR", "Attach.Hosts[0]", `Secrets["DB_URL"].ARN`), the
// value as given, and why it is refused. Every construct's Validate returns them joined
// (errors.Join); a composition re-roots the problems of the constructs it builds onto its
// own fields (Rename), and an app maps fields to its environment variables in one table.
//
// It is pure Go (no jsii).
package field

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/tapstack/infra/internal/text"
)

// Error is a problem of one field.
type Error struct {
	// Field is the path of the field from the Config that holds it: a field name, with
	// "." into a struct field and "[i]" or `["key"]` into a list or map ("Attach.Hosts[0]").
	Field string
	// Value is the value as given, as text; "" when the problem is a missing value.
	Value string
	// Reason says why the value is refused: "is not a VPC ID (vpc- and 8 or 17 hex digits)".
	Reason string
}

// Error is "<Field> <value> <reason>", the value quoted (and cut short when long)
// unless it is an integer, or "<Field> <reason>" without a value.
func (e *Error) Error() string {
	switch {
	case e.Value == "":
		return e.Field + " " + e.Reason
	case isInteger(e.Value):
		return e.Field + " " + e.Value + " " + e.Reason
	}
	return e.Field + " " + text.Quote(e.Value) + " " + e.Reason
}

func isInteger(s string) bool {
	_, err := strconv.Atoi(s)
	return err == nil
}

// List collects the problems of a Config. The zero value is empty and ready to use.
type List struct{ errs []error }

// Add records a problem of field with value.
func (l *List) Add(field, value, reason string) {
	l.errs = append(l.errs, &Error{Field: field, Value: value, Reason: reason})
}

// Addf records a problem of field with value, its reason formatted.
func (l *List) Addf(field, value, format string, args ...any) {
	l.Add(field, value, fmt.Sprintf(format, args...))
}

// Check records err, when it is not nil, as a problem of field with value: the reason is
// err's text after the quoted value it starts with (the form of the awsid and naming
// checks), or all of it.
func (l *List) Check(field, value string, err error) {
	if err == nil {
		return
	}
	reason := err.Error()
	if value != "" {
		reason = strings.TrimPrefix(reason, text.Quote(value)+" ")
	}
	l.Add(field, value, reason)
}

// Include records the problems in err (joined), each *Error with prefix in front of its
// field ("Network" and "VPCID" give "Network.VPCID"), other errors as they are.
func (l *List) Include(prefix string, err error) {
	for _, e := range Split(err) {
		var fe *Error
		if prefix != "" && errors.As(e, &fe) {
			e = &Error{Field: prefix + "." + fe.Field, Value: fe.Value, Reason: fe.Reason}
		}
		l.errs = append(l.errs, e)
	}
}

// Len returns the number of problems recorded.
func (l *List) Len() int { return len(l.errs) }

// Err returns the problems joined (errors.Join: one per line), or nil.
func (l *List) Err() error { return errors.Join(l.errs...) }

// Split returns the errors joined in err (errors.Join, at any depth), or err alone, or
// nil.
func Split(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, Split(e)...)
		}
		return out
	}
	return []error{err}
}

// Errors returns the *Error problems in err, in order.
func Errors(err error) []*Error {
	var out []*Error
	for _, e := range Split(err) {
		var fe *Error
		if errors.As(e, &fe) {
			out = append(out, fe)
		}
	}
	return out
}

// Rename re-roots the problems in err onto the fields of a composition: a problem whose
// field is a key of names, or lies under one ("VPCID" or "Subnets[1]" under "Subnets"),
// takes the mapped name in its place; the others get prefix in front (none when prefix
// is ""). Field names the reason mentions are renamed too (RenameInText), so that a
// message names the fields its reader sets. Errors that are not *Error stay as they are.
func Rename(err error, prefix string, names map[string]string) error {
	keys := longestFirst(names)
	var out []error
	for _, e := range Split(err) {
		var fe *Error
		if !errors.As(e, &fe) {
			out = append(out, e)
			continue
		}
		path := fe.Field
		renamed := false
		for _, k := range keys {
			if rest, ok := strings.CutPrefix(path, k); ok && (rest == "" || rest[0] == '.' || rest[0] == '[') {
				path, renamed = names[k]+rest, true
				break
			}
		}
		if !renamed && prefix != "" {
			path = prefix + "." + path
		}
		out = append(out, &Error{Field: path, Value: fe.Value, Reason: RenameInText(fe.Reason, names)})
	}
	return errors.Join(out...)
}

// longestFirst returns the keys of names, longer first, so that "StateBucketRegion" is
// not read as "StateBucket".
func longestFirst(names map[string]string) []string {
	keys := make([]string, 0, len(names))
	for k := range names {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if len(keys[i]) != len(keys[j]) {
			return len(keys[i]) > len(keys[j])
		}
		return keys[i] < keys[j]
	})
	return keys
}

// RenameInText renames, in a message, the field names that names maps: whole words only,
// and only names that cannot be an ordinary word (a path with "." or "[", or a compound
// like "PublicSubnetIDs": at least two capitals and a lowercase letter), so that "ARN",
// "NAT" or "Egress" in prose stay as they are.
func RenameInText(text string, names map[string]string) string {
	for _, k := range longestFirst(names) {
		if !isCompound(k) {
			continue
		}
		var b strings.Builder
		rest := text
		for {
			i := strings.Index(rest, k)
			if i < 0 {
				b.WriteString(rest)
				break
			}
			end := i + len(k)
			if (i > 0 && isWordByte(rest[i-1])) || (end < len(rest) && isWordByte(rest[end])) {
				b.WriteString(rest[:end])
			} else {
				b.WriteString(rest[:i] + names[k])
			}
			rest = rest[end:]
		}
		text = b.String()
	}
	return text
}

func isCompound(k string) bool {
	if strings.ContainsAny(k, ".[") {
		return true
	}
	upper, lower := 0, false
	for _, r := range k {
		switch {
		case r >= 'A' && r <= 'Z':
			upper++
		case r >= 'a' && r <= 'z':
			lower = true
		}
	}
	return upper >= 2 && lower
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.'
}

// Index returns the path of element i of the list field ("Subnets[1]").
func Index(field string, i int) string { return fmt.Sprintf("%s[%d]", field, i) }

// Key returns the path of the value of key in the map field (`Secrets["DB_URL"]`).
func Key(field, key string) string { return fmt.Sprintf("%s[%q]", field, key) }
