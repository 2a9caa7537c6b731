// Package tfjson reads Terraform's JSON configuration syntax (a cdktf cdk.tf.json, or a
// hand-written .tf.json) exactly as the engine does, and the parts of HCL that the
// syntax embeds in strings (templates and the references in them).
//
// Parse is the one reader of the verify package and the test harness. It merges what
// the engine merges (array-form blocks, a block type written twice, locals spread over
// several objects) into one canonical document that means the same to the engine, and
// refuses, naming the place and the value, every form it cannot carry over with the
// engine's meaning. Nothing is dropped silently.
package tfjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Doc is a canonical Terraform JSON document:
//
//   - "resource", "data", "ephemeral": type -> name -> body (a map);
//   - "provider": local name -> list of bodies (one per configuration);
//   - "variable", "output", "module", "check": name -> body;
//   - "locals": name -> expression;
//   - "terraform", "moved", "import", "removed": list of bodies;
//   - "//": the comment, as written.
//
// In a resource, data or ephemeral body, "lifecycle" is one object. Every other value is
// the JSON value as written (numbers as json.Number).
type Doc = map[string]any

// blockKind is how the engine reads the value of a top-level key.
type blockKind struct {
	labels int
	list   bool // unlabeled and repeatable: kept as a list of bodies
	attrs  bool // locals: a body of attributes, merged across blocks
}

var blockKinds = map[string]blockKind{
	"terraform": {list: true}, "moved": {list: true}, "import": {list: true}, "removed": {list: true},
	"locals":   {attrs: true},
	"provider": {labels: 1, list: true},
	"variable": {labels: 1}, "output": {labels: 1}, "module": {labels: 1}, "check": {labels: 1},
	"resource": {labels: 2}, "data": {labels: 2}, "ephemeral": {labels: 2},
}

// member is one property of a JSON object as written, duplicates kept.
type member struct {
	key string
	val any
}

// object is a JSON object with its properties in order, duplicates kept.
type object []member

// Parse reads a Terraform JSON document into its canonical form (Doc). It refuses
// what the engine refuses and what it cannot carry over with the engine's meaning: a
// document that is not one JSON object or an array of objects (whose members it merges,
// as the engine does), trailing data, invalid UTF-8, a key
// that is not a Terraform block type, two blocks of one address (two resources
// aws_s3_bucket.b), a local defined twice, two lifecycle blocks of one resource, and a
// key written twice in any other object (an argument, or a nested block written twice:
// write its blocks as one array instead).
func Parse(raw []byte) (Doc, error) {
	if !utf8.Valid(raw) {
		i := 0
		for i < len(raw) {
			r, n := utf8.DecodeRune(raw[i:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			i += n
		}
		return nil, fmt.Errorf("the stack is not valid UTF-8 (byte 0x%02x at offset %d)", raw[i], i)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	v, err := readValue(dec)
	if err != nil {
		return nil, fmt.Errorf("the stack is not Terraform JSON: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("the stack is not Terraform JSON: data after the top-level object at offset %d", dec.InputOffset())
	}
	switch v := v.(type) {
	case object:
		return canonical(v)
	case []any:
		// An array of objects is one body, as the engine reads it.
		var root object
		for i, e := range v {
			o, ok := e.(object)
			if !ok {
				return nil, fmt.Errorf("the stack is not Terraform JSON: element %d of the top-level array is %s, not an object", i, kindOf(e))
			}
			root = append(root, o...)
		}
		return canonical(root)
	}
	return nil, fmt.Errorf("the stack is not Terraform JSON: the top level is %s, not an object (or an array of objects)", kindOf(v))
}

// readValue reads one JSON value, objects as object.
func readValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		if err == io.EOF {
			return nil, errors.New("unexpected end of input")
		}
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			obj := object{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k, _ := kt.(string)
				v, err := readValue(dec)
				if err != nil {
					return nil, err
				}
				obj = append(obj, member{k, v})
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return obj, nil
		case '[':
			arr := []any{}
			for dec.More() {
				v, err := readValue(dec)
				if err != nil {
					return nil, err
				}
				arr = append(arr, v)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return arr, nil
		}
		return nil, fmt.Errorf("unexpected %v", t)
	}
	return tok, nil
}

func kindOf(v any) string {
	switch v.(type) {
	case object:
		return "an object"
	case []any:
		return "an array"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	}
	return "null"
}

// canonical merges the top-level blocks.
func canonical(root object) (Doc, error) {
	doc := Doc{}
	for _, m := range root {
		if m.key == "//" {
			if _, seen := doc["//"]; !seen {
				doc["//"] = plain(m.val)
			}
			continue
		}
		kind, ok := blockKinds[m.key]
		if !ok {
			return nil, fmt.Errorf("the stack has the top-level key %q, which is not a Terraform block type (terraform, provider, variable, locals, output, module, resource, data, ephemeral, moved, import, removed, check)", m.key)
		}
		bodies, err := blockBodies(m.val, kind.labels, nil, m.key)
		if err != nil {
			return nil, err
		}
		for _, b := range bodies {
			if err := add(doc, m.key, kind, b); err != nil {
				return nil, err
			}
		}
	}
	return doc, nil
}

// labeled is one block body with its labels.
type labeled struct {
	labels []string
	body   object
}

// blockBodies unpacks a block value with n labels: at every label level, and at the
// body, the value may be one object or an array of objects.
func blockBodies(v any, n int, labels []string, where string) ([]labeled, error) {
	if arr, ok := v.([]any); ok {
		var out []labeled
		for i, e := range arr {
			got, err := blockBodies(e, n, labels, fmt.Sprintf("%s[%d]", where, i))
			if err != nil {
				return nil, err
			}
			out = append(out, got...)
		}
		return out, nil
	}
	obj, ok := v.(object)
	if !ok {
		return nil, fmt.Errorf("%s is %s, want an object (or an array of objects)", where, kindOf(v))
	}
	if n == 0 {
		return []labeled{{append([]string(nil), labels...), obj}}, nil
	}
	var out []labeled
	for _, m := range obj {
		// "//" is a comment in a body, not at a label level: the engine reads it as a label.
		got, err := blockBodies(m.val, n-1, append(labels, m.key), where+"."+m.key)
		if err != nil {
			return nil, err
		}
		out = append(out, got...)
	}
	return out, nil
}

// add puts one block into the document.
func add(doc Doc, typ string, kind blockKind, b labeled) error {
	addr := strings.Join(append([]string{typ}, b.labels...), ".")
	switch {
	case kind.attrs:
		locals, _ := doc[typ].(map[string]any)
		if locals == nil {
			locals = map[string]any{}
			doc[typ] = locals
		}
		for _, m := range b.body {
			if m.key == "//" {
				continue
			}
			if _, dup := locals[m.key]; dup {
				return fmt.Errorf("the local %q is defined twice (the engine refuses a duplicate local value)", m.key)
			}
			v, err := value(m.val, "local."+m.key)
			if err != nil {
				return err
			}
			locals[m.key] = v
		}
		return nil
	case kind.list && kind.labels == 0:
		body, err := blockBody(typ, b.body, addr)
		if err != nil {
			return err
		}
		l, _ := doc[typ].([]any)
		doc[typ] = append(l, body)
		return nil
	}
	parent, _ := doc[typ].(map[string]any)
	if parent == nil {
		parent = map[string]any{}
		doc[typ] = parent
	}
	for _, l := range b.labels[:len(b.labels)-1] {
		next, _ := parent[l].(map[string]any)
		if next == nil {
			next = map[string]any{}
			parent[l] = next
		}
		parent = next
	}
	name := b.labels[len(b.labels)-1]
	body, err := blockBody(typ, b.body, addr)
	if err != nil {
		return err
	}
	if kind.list { // provider: several configurations of one provider
		l, _ := parent[name].([]any)
		parent[name] = append(l, body)
		return nil
	}
	if _, dup := parent[name]; dup {
		return fmt.Errorf("%s is defined twice (the engine refuses a duplicate %s block of one address)", addr, typ)
	}
	parent[name] = body
	return nil
}

// blockBody turns the body of a top-level block into a map. Every key must be unique
// but "//" (a comment, the first one kept); in resources, data sources and ephemeral
// resources, "lifecycle" becomes one object.
func blockBody(typ string, obj object, addr string) (map[string]any, error) {
	out := map[string]any{}
	for _, m := range obj {
		if _, dup := out[m.key]; dup {
			if m.key == "//" {
				continue
			}
			return nil, fmt.Errorf("%s has the key %q twice; verify reads each key of a block once (the engine refuses an argument written twice; write repeated nested blocks as one array: %q: [{...}, {...}])", addr, m.key, m.key)
		}
		v, err := value(m.val, addr+"."+m.key)
		if err != nil {
			return nil, err
		}
		if m.key == "lifecycle" && (typ == "resource" || typ == "data" || typ == "ephemeral") {
			if arr, ok := v.([]any); ok {
				if len(arr) != 1 {
					return nil, fmt.Errorf("%s has %d lifecycle blocks (the engine refuses more than one)", addr, len(arr))
				}
				v = arr[0]
			}
			if _, ok := v.(map[string]any); !ok {
				return nil, fmt.Errorf("%s.lifecycle is %s, want an object", addr, kindOf(m.val))
			}
		}
		if typ == "terraform" && m.key == "required_providers" {
			if arr, ok := v.([]any); ok {
				if len(arr) != 1 {
					return nil, fmt.Errorf("%s has %d required_providers blocks (the engine refuses more than one)", addr, len(arr))
				}
				v = arr[0]
			}
		}
		out[m.key] = v
	}
	return out, nil
}

// value turns a JSON value of a body into plain Go values, refusing an object that
// has a key twice.
func value(v any, where string) (any, error) {
	switch v := v.(type) {
	case object:
		out := make(map[string]any, len(v))
		for _, m := range v {
			if _, dup := out[m.key]; dup {
				if m.key == "//" {
					continue
				}
				return nil, fmt.Errorf("%s has the key %q twice; verify reads each key of an object once (the engine refuses an argument or object attribute written twice; write repeated nested blocks as one array: %q: [{...}, {...}])", where, m.key, m.key)
			}
			e, err := value(m.val, where+"."+m.key)
			if err != nil {
				return nil, err
			}
			out[m.key] = e
		}
		return out, nil
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			x, err := value(e, fmt.Sprintf("%s[%d]", where, i))
			if err != nil {
				return nil, err
			}
			out[i] = x
		}
		return out, nil
	}
	return v, nil
}

// plain converts a value that may hold duplicate keys, keeping the first of each.
func plain(v any) any {
	switch v := v.(type) {
	case object:
		out := map[string]any{}
		for _, m := range v {
			if _, seen := out[m.key]; !seen {
				out[m.key] = plain(m.val)
			}
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = plain(e)
		}
		return out
	}
	return v
}
