package verify

import (
	"github.com/tapstack/infra/internal/tfjson"

	"encoding/json"
	"fmt"
	"strconv"
)

// inferType returns the type JSON of a plain JSON value (as the engine infers it from
// a JSON configuration: arrays are tuples, objects are objects).
func inferType(v any) json.RawMessage {
	var t any
	var walk func(v any) any
	walk = func(v any) any {
		switch v := v.(type) {
		case string:
			return "string"
		case json.Number, float64, int:
			return "number"
		case bool:
			return "bool"
		case []any:
			elems := make([]any, len(v))
			for i, e := range v {
				elems[i] = walk(e)
			}
			return []any{"tuple", elems}
		case map[string]any:
			attrs := map[string]any{}
			for k, e := range v {
				attrs[k] = walk(e)
			}
			return []any{"object", attrs}
		}
		return "dynamic"
	}
	t = walk(v)
	raw, _ := json.Marshal(t)
	return raw
}

// normalize gives a decoded plan value the shapes of its schema type: numbers as
// json.Number, every object attribute present, dynamic values with their type. Unknown
// markers stay.
func normalize(v any, t *ctyType) any {
	if v == nil || v == tfjson.Unknown || t == nil {
		return v
	}
	switch t.kind {
	case "dynamic":
		if d, ok := v.(tfjson.DynamicValue); ok {
			return d
		}
		if pair, ok := v.([]any); ok && len(pair) == 2 {
			if raw, ok := pair[0].([]byte); ok {
				var vt ctyType
				if json.Unmarshal(raw, &vt) == nil {
					return tfjson.DynamicValue{Type: json.RawMessage(raw), Value: normalize(pair[1], &vt)}
				}
			}
		}
		return tfjson.DynamicValue{Type: inferType(v), Value: v}
	case "number":
		switch n := v.(type) {
		case string:
			return json.Number(n)
		case float64:
			return json.Number(strconv.FormatFloat(n, 'g', -1, 64))
		}
	case "string":
		switch s := v.(type) {
		case json.Number:
			return s.String()
		case bool:
			return strconv.FormatBool(s)
		}
	case "list", "set":
		if l, ok := v.([]any); ok {
			out := make([]any, len(l))
			for i, e := range l {
				out[i] = normalize(e, t.elem)
			}
			return out
		}
	case "tuple":
		if l, ok := v.([]any); ok {
			out := make([]any, len(l))
			for i, e := range l {
				if i < len(t.elems) {
					out[i] = normalize(e, t.elems[i])
				} else {
					out[i] = e
				}
			}
			return out
		}
	case "map":
		if m, ok := v.(map[string]any); ok {
			out := make(map[string]any, len(m))
			for k, e := range m {
				out[k] = normalize(e, t.elem)
			}
			return out
		}
	case "object":
		if m, ok := v.(map[string]any); ok {
			out := make(map[string]any, len(t.attrs))
			for k, at := range t.attrs {
				out[k] = normalize(m[k], at)
			}
			return out
		}
	}
	return v
}

// sameValue compares a predicted value with a planned one, loosely where the engine
// converts: a number and its decimal string are the same, and a single block written as
// an object is the same as a one-element list holding it.
func sameValue(a, b any) bool {
	if d, ok := a.(tfjson.DynamicValue); ok {
		a = d.Value
	}
	if d, ok := b.(tfjson.DynamicValue); ok {
		b = d.Value
	}
	switch x := a.(type) {
	case nil:
		return b == nil
	case bool:
		y, ok := b.(bool)
		return ok && x == y || primitiveText(b) == strconv.FormatBool(x)
	case string, json.Number, float64, int:
		return primitiveText(a) == primitiveText(b) && primitiveText(b) != "\x00"
	case []any:
		y, ok := b.([]any)
		if !ok {
			if m, isMap := b.(map[string]any); isMap && len(x) == 1 {
				return sameValue(x[0], m)
			}
			return false
		}
		if len(x) != len(y) {
			return false
		}
		for i := range x {
			if !sameValue(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok {
			if l, isList := b.([]any); isList && len(l) == 1 {
				return sameValue(x, l[0])
			}
			return false
		}
		// Attributes the configuration leaves out are null (or defaults) in the plan.
		for k, e := range x {
			if !sameValue(e, y[k]) {
				return false
			}
		}
		return true
	}
	return false
}

// primitiveText is the string form the engine converts a primitive to; "\x00" for
// anything else.
func primitiveText(v any) string {
	if s, ok := tfjson.PrimitiveText(v); ok {
		return s
	}
	return "\x00"
}

// statePath renders a path of a plan as the state's sensitive_attributes path, with the
// schema telling map keys from attribute names.
func statePath(p []tfjson.Part, t *ctyType) []any {
	var out []any
	for _, s := range p {
		switch {
		case s.Name != "" && (t == nil || t.kind != "map"):
			out = append(out, map[string]any{"type": "get_attr", "value": s.Name})
			if t != nil {
				t = t.attrs[s.Name]
			}
		case s.Name != "":
			out = append(out, map[string]any{"type": "index", "value": map[string]any{"value": s.Name, "type": "string"}})
			t = t.elem
		default:
			kt := "number"
			if _, ok := s.Key.(string); ok {
				kt = "string"
			}
			out = append(out, map[string]any{"type": "index", "value": map[string]any{"value": s.Key, "type": kt}})
			if t != nil {
				switch t.kind {
				case "list", "set", "map":
					t = t.elem
				case "tuple":
					if i, ok := s.Key.(int); ok && i < len(t.elems) {
						t = t.elems[i]
					} else {
						t = nil
					}
				default:
					t = nil
				}
			}
		}
	}
	return out
}

// instanceAddr is the address of an instance of a resource.
func instanceAddr(res string, key any) string {
	switch k := key.(type) {
	case nil:
		return res
	case string:
		return fmt.Sprintf("%s[%q]", res, k)
	}
	return fmt.Sprintf("%s[%v]", res, key)
}
