package verify

import (
	"encoding/json"
	"fmt"
	"strconv"
)

// MarshalJSON writes a dynamic value the way the state stores it: {"value", "type"}.
func (d dynamicValue) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]any{"value": d.Value, "type": d.Type})
}

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
	if v == nil || v == unknown || t == nil {
		return v
	}
	switch t.kind {
	case "dynamic":
		if d, ok := v.(dynamicValue); ok {
			return d
		}
		if pair, ok := v.([]any); ok && len(pair) == 2 {
			if raw, ok := pair[0].([]byte); ok {
				var vt ctyType
				if json.Unmarshal(raw, &vt) == nil {
					return dynamicValue{Type: json.RawMessage(raw), Value: normalize(pair[1], &vt)}
				}
			}
		}
		return dynamicValue{Type: inferType(v), Value: v}
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

// known tells whether v holds no unknown marker.
func known(v any) bool {
	switch v := v.(type) {
	case unknownVal:
		return false
	case []any:
		for _, e := range v {
			if !known(e) {
				return false
			}
		}
	case map[string]any:
		for _, e := range v {
			if !known(e) {
				return false
			}
		}
	case dynamicValue:
		return known(v.Value)
	}
	return true
}

// navigate follows attribute names and indexes into a value. A nested block written
// as one object (as cdktf writes single blocks) answers index 0 with itself.
func navigate(v any, path []part) (any, error) {
	for _, p := range path {
		if d, ok := v.(dynamicValue); ok {
			v = d.Value
		}
		switch {
		case p.splat:
			return nil, errUnresolvable
		case v == unknown:
			return nil, errUnresolvable
		case p.name != "":
			m, ok := v.(map[string]any)
			if !ok {
				return nil, errUnresolvable
			}
			if v, ok = m[p.name]; !ok {
				return nil, errUnresolvable
			}
		default:
			switch c := v.(type) {
			case []any:
				i, ok := p.key.(int)
				if !ok || i < 0 || i >= len(c) {
					return nil, errUnresolvable
				}
				v = c[i]
			case map[string]any:
				if k, ok := p.key.(string); ok {
					if v, ok = c[k]; !ok {
						return nil, errUnresolvable
					}
				} else if p.key != 0 {
					return nil, errUnresolvable
				}
			default:
				return nil, errUnresolvable
			}
		}
	}
	if d, ok := v.(dynamicValue); ok {
		v = d.Value
	}
	if !known(v) {
		return nil, errUnresolvable
	}
	return v, nil
}

// sameValue compares a predicted value with a planned one, loosely where the engine
// converts: a number and its decimal string are the same, and a single block written as
// an object is the same as a one-element list holding it.
func sameValue(a, b any) bool {
	if d, ok := a.(dynamicValue); ok {
		a = d.Value
	}
	if d, ok := b.(dynamicValue); ok {
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
	switch v := v.(type) {
	case string:
		return v
	case json.Number:
		if f, err := strconv.ParseFloat(v.String(), 64); err == nil {
			return strconv.FormatFloat(f, 'f', -1, 64)
		}
		return v.String()
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case int:
		return strconv.Itoa(v)
	case bool:
		return strconv.FormatBool(v)
	}
	return "\x00"
}

// statePath renders a path of a plan as the state's sensitive_attributes path, with the
// schema telling map keys from attribute names.
func statePath(p []part, t *ctyType) []any {
	var out []any
	for _, s := range p {
		switch {
		case s.name != "" && (t == nil || t.kind != "map"):
			out = append(out, map[string]any{"type": "get_attr", "value": s.name})
			if t != nil {
				t = t.attrs[s.name]
			}
		case s.name != "":
			out = append(out, map[string]any{"type": "index", "value": map[string]any{"value": s.name, "type": "string"}})
			t = t.elem
		default:
			kt := "number"
			if _, ok := s.key.(string); ok {
				kt = "string"
			}
			out = append(out, map[string]any{"type": "index", "value": map[string]any{"value": s.key, "type": kt}})
			if t != nil {
				switch t.kind {
				case "list", "set", "map":
					t = t.elem
				case "tuple":
					if i, ok := s.key.(int); ok && i < len(t.elems) {
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
