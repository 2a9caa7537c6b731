package tfjson

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// This file reads the few parts of HCL that the JSON syntax embeds in strings: every string
// of a resource body is a template ("${...}" interpolations, "%{...}" directives, "$${"
// and "%%{" escapes), and every interpolation is an expression that may name objects
// ("aws_vpc.main.id", "data.aws_region.r.name", "local.x"). verify needs to find those
// references, to rewrite some (data sources become locals) and to replace others by
// literal values (references to resources not yet in the fake state).

// Part is one step of a Traversal: an attribute name, or an index ([0], ["k"]), or a splat.
type Part struct {
	Name  string // attribute (or root) name; empty for an index or a splat
	Key   any    // index: int or string
	Splat bool
}

// Traversal is a reference found in a template string.
type Traversal struct {
	Start, End int    // byte offsets of the Traversal in the string
	Parts      []Part // root first
	// Whole is true when the string is exactly one interpolation of this Traversal, so
	// that the string evaluates to the referenced value with its own type.
	Whole bool
}

// RenderParts renders the parts of a traversal as HCL ("aws_vpc.main.id", "x[0].y").
func RenderParts(parts []Part) string {
	var b strings.Builder
	for i, p := range parts {
		switch {
		case p.Splat:
			b.WriteString("[*]")
		case p.Name != "":
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString(p.Name)
		default:
			if s, ok := p.Key.(string); ok {
				fmt.Fprintf(&b, "[%q]", s)
			} else {
				fmt.Fprintf(&b, "[%v]", p.Key)
			}
		}
	}
	return b.String()
}

// scanner walks a template string and collects traversals.
type scanner struct {
	s    string
	i    int
	refs []Traversal
	// spans are the top-level interpolations and directives: from "${" (or "%{") to
	// after the closing brace.
	spans [][2]int
	err   error
}

// ScanTemplate returns every Traversal in the template string s (also those nested in
// function calls, object constructors and quoted templates inside interpolations), and
// the spans of its top-level interpolations and directives (none: s is a literal).
func ScanTemplate(s string) (refs []Traversal, spans [][2]int, err error) {
	sc := &scanner{s: s}
	sc.template(false)
	if sc.err != nil {
		return nil, nil, sc.err
	}
	if len(sc.refs) == 1 && len(sc.spans) == 1 && sc.spans[0] == [2]int{0, len(s)} && s[:2] == "${" {
		r := &sc.refs[0]
		if strings.TrimSpace(s[2:len(s)-1]) == s[r.Start:r.End] {
			r.Whole = true
		}
	}
	return sc.refs, sc.spans, nil
}

// PureTemplate tells whether every interpolation of s is exactly one Traversal (no
// function call, operator or directive), so that s can be evaluated by substitution.
func PureTemplate(s string, refs []Traversal, spans [][2]int) bool {
	if len(refs) != len(spans) {
		return false
	}
	for i, sp := range spans {
		if s[sp[0]] != '$' || strings.TrimSpace(s[sp[0]+2:sp[1]-1]) != s[refs[i].Start:refs[i].End] {
			return false
		}
	}
	return true
}

// UnescapeTemplate returns the value of a template without interpolations.
func UnescapeTemplate(s string) string {
	return strings.NewReplacer("$${", "${", "%%{", "%{").Replace(s)
}

// template scans template text until the end of the string, or until the closing quote
// when quoted (a quoted template inside an expression, where backslash escapes apply).
func (sc *scanner) template(quoted bool) {
	for sc.i < len(sc.s) && sc.err == nil {
		c := sc.s[sc.i]
		switch {
		case quoted && c == '\\':
			sc.i += 2
		case quoted && c == '"':
			sc.i++
			return
		case strings.HasPrefix(sc.s[sc.i:], "$${"), strings.HasPrefix(sc.s[sc.i:], "%%{"):
			sc.i += 3
		case strings.HasPrefix(sc.s[sc.i:], "${"), strings.HasPrefix(sc.s[sc.i:], "%{"):
			start := sc.i
			sc.i += 2
			sc.expression()
			if !quoted {
				sc.spans = append(sc.spans, [2]int{start, sc.i})
			}
		default:
			sc.i++
		}
	}
	if quoted && sc.err == nil {
		sc.err = fmt.Errorf("unterminated quoted string in %q", sc.s)
	}
}

func isIdentStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isIdentChar(c byte) bool {
	return isIdentStart(c) || c >= '0' && c <= '9' || c == '-'
}

// expression scans an expression up to and including its unmatched closing brace.
func (sc *scanner) expression() {
	depth := 0
	prev := byte(0) // last significant character
	for sc.i < len(sc.s) && sc.err == nil {
		c := sc.s[sc.i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			sc.i++
			continue
		case c == '"':
			sc.i++
			sc.template(true)
		case c == '{':
			depth++
			sc.i++
		case c == '}':
			sc.i++
			if depth == 0 {
				return
			}
			depth--
		case c == '#' || strings.HasPrefix(sc.s[sc.i:], "//"):
			for sc.i < len(sc.s) && sc.s[sc.i] != '\n' {
				sc.i++
			}
		case strings.HasPrefix(sc.s[sc.i:], "/*"):
			end := strings.Index(sc.s[sc.i+2:], "*/")
			if end < 0 {
				sc.i = len(sc.s)
			} else {
				sc.i += end + 4
			}
		case c >= '0' && c <= '9':
			for sc.i < len(sc.s) && (isIdentChar(sc.s[sc.i]) || sc.s[sc.i] == '.' || sc.s[sc.i] == '+') {
				sc.i++
			}
		case isIdentStart(c):
			start := sc.i
			for sc.i < len(sc.s) && isIdentChar(sc.s[sc.i]) {
				sc.i++
			}
			if prev == '.' {
				break // an attribute of something else, e.g. f(x).name
			}
			sc.Traversal(start)
		default:
			sc.i++
		}
		prev = c
	}
	if sc.err == nil {
		sc.err = fmt.Errorf("unterminated interpolation in %q", sc.s)
	}
}

// Traversal reads the steps that follow a root identifier at start (already consumed)
// and records the Traversal. Indexes other than literals end the Traversal; their
// content is scanned as an expression by the caller's loop.
func (sc *scanner) Traversal(start int) {
	parts := []Part{{Name: sc.s[start:sc.i]}}
	for sc.i < len(sc.s) {
		rest := sc.s[sc.i:]
		switch {
		case strings.HasPrefix(rest, ".*"):
			parts = append(parts, Part{Splat: true})
			sc.i += 2
			continue
		case len(rest) > 1 && rest[0] == '.' && isIdentStart(rest[1]):
			j := 1
			for j < len(rest) && isIdentChar(rest[j]) {
				j++
			}
			parts = append(parts, Part{Name: rest[1:j]})
			sc.i += j
			continue
		case len(rest) > 1 && rest[0] == '.' && rest[1] >= '0' && rest[1] <= '9':
			j := 1
			for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
				j++
			}
			n, _ := strconv.Atoi(rest[1:j])
			parts = append(parts, Part{Key: n})
			sc.i += j
			continue
		case strings.HasPrefix(rest, "[*]"):
			parts = append(parts, Part{Splat: true})
			sc.i += 3
			continue
		case strings.HasPrefix(rest, "["):
			end := strings.IndexByte(rest, ']')
			if end > 0 {
				inner := strings.TrimSpace(rest[1:end])
				var n int
				if _, err := fmt.Sscan(inner, &n); err == nil && fmt.Sprint(n) == inner {
					parts = append(parts, Part{Key: n})
					sc.i += end + 1
					continue
				}
				if len(inner) >= 2 && inner[0] == '"' && inner[len(inner)-1] == '"' && !strings.ContainsAny(inner[1:len(inner)-1], `"\$%`) {
					parts = append(parts, Part{Key: inner[1 : len(inner)-1]})
					sc.i += end + 1
					continue
				}
			}
		}
		break
	}
	sc.refs = append(sc.refs, Traversal{Start: start, End: sc.i, Parts: parts})
}

// HCLLiteral renders a JSON-like value as an HCL literal expression.
func HCLLiteral(v any) (string, error) {
	switch v := v.(type) {
	case nil:
		return "null", nil
	case bool:
		return fmt.Sprint(v), nil
	case json.Number:
		return v.String(), nil
	case float64, int:
		return fmt.Sprint(v), nil
	case string:
		return HCLQuote(v), nil
	case []any:
		items := make([]string, len(v))
		for i, e := range v {
			s, err := HCLLiteral(e)
			if err != nil {
				return "", err
			}
			items[i] = s
		}
		return "[" + strings.Join(items, ", ") + "]", nil
	case map[string]any:
		keys := SortedKeys(v)
		items := make([]string, len(keys))
		for i, k := range keys {
			s, err := HCLLiteral(v[k])
			if err != nil {
				return "", err
			}
			items[i] = HCLQuote(k) + " = " + s
		}
		return "{" + strings.Join(items, ", ") + "}", nil
	case DynamicValue:
		return HCLLiteral(v.Value)
	}
	return "", fmt.Errorf("no literal for %T", v)
}

// HCLQuote quotes s as an HCL string literal that evaluates to s itself.
func HCLQuote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", `\r`, "\t", `\t`, "${", "$${", "%{", "%%{")
	return `"` + r.Replace(s) + `"`
}

// EscapeTemplate makes s a template that evaluates to s itself.
func EscapeTemplate(s string) string {
	return strings.NewReplacer("${", "$${", "%{", "%%{").Replace(s)
}

// JSONLiteral returns v with every string (and object key) escaped as a template, so that
// the JSON syntax reads it back as the same literal value.
func JSONLiteral(v any) any {
	switch v := v.(type) {
	case string:
		return EscapeTemplate(v)
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = JSONLiteral(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[EscapeTemplate(k)] = JSONLiteral(e)
		}
		return out
	case DynamicValue:
		return JSONLiteral(v.Value)
	}
	return v
}

// Edit replaces the bytes [Start, End) of a string by Text.
type Edit struct {
	Start, End int
	Text       string
}

// Splice applies the edits to s; their spans must not overlap.
func Splice(s string, edits []Edit) string {
	sort.Slice(edits, func(i, j int) bool { return edits[i].Start < edits[j].Start })
	var b strings.Builder
	last := 0
	for _, e := range edits {
		b.WriteString(s[last:e.Start])
		b.WriteString(e.Text)
		last = e.End
	}
	b.WriteString(s[last:])
	return b.String()
}

// SortedKeys returns the keys of m, sorted.
func SortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
