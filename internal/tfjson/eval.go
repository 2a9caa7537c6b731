package tfjson

import (
	"encoding/json"
	"errors"
	"strconv"
)

// ErrUnresolvable means that a value cannot be computed without the engine.
var ErrUnresolvable = errors.New("not resolvable without the engine")

// Eval evaluates a configuration value whose interpolations are only references (no
// function call, operator or directive), with ref giving each reference's value: a
// string that is one reference has that value with its own type; a template of
// references and text is their text joined. Lists and objects are evaluated element by
// element. Anything else is ErrUnresolvable, or ref's error.
func Eval(v any, ref func([]Part) (any, error)) (any, error) {
	switch v := v.(type) {
	case string:
		refs, spans, err := ScanTemplate(v)
		if err != nil {
			return nil, err
		}
		if len(spans) == 0 {
			return UnescapeTemplate(v), nil
		}
		if len(refs) == 1 && refs[0].Whole {
			return ref(refs[0].Parts)
		}
		if !PureTemplate(v, refs, spans) {
			return nil, ErrUnresolvable
		}
		var edits []Edit
		for i, r := range refs {
			val, err := ref(r.Parts)
			if err != nil {
				return nil, err
			}
			text, ok := PrimitiveText(val)
			if !ok {
				return nil, ErrUnresolvable
			}
			edits = append(edits, Edit{Start: spans[i][0], End: spans[i][1], Text: EscapeTemplate(text)})
		}
		return UnescapeTemplate(Splice(v, edits)), nil
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			ev, err := Eval(e, ref)
			if err != nil {
				return nil, err
			}
			out[i] = ev
		}
		return out, nil
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			ev, err := Eval(e, ref)
			if err != nil {
				return nil, err
			}
			out[k] = ev
		}
		return out, nil
	}
	return v, nil
}

// PrimitiveText is the string the engine converts a primitive to; ok is false for
// anything else.
func PrimitiveText(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case json.Number:
		if f, err := strconv.ParseFloat(v.String(), 64); err == nil {
			return strconv.FormatFloat(f, 'f', -1, 64), true
		}
		return v.String(), true
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), true
	case int:
		return strconv.Itoa(v), true
	case bool:
		return strconv.FormatBool(v), true
	}
	return "", false
}

// Known tells whether v holds no Unknown marker.
func Known(v any) bool {
	switch v := v.(type) {
	case UnknownValue:
		return false
	case []any:
		for _, e := range v {
			if !Known(e) {
				return false
			}
		}
	case map[string]any:
		for _, e := range v {
			if !Known(e) {
				return false
			}
		}
	case DynamicValue:
		return Known(v.Value)
	}
	return true
}

// Navigate follows attribute names and indexes into a value. A nested block written as
// one object (as cdktf writes single blocks) answers index 0 with itself. A splat, an
// unknown value or a missing step is ErrUnresolvable.
func Navigate(v any, path []Part) (any, error) {
	for _, p := range path {
		if d, ok := v.(DynamicValue); ok {
			v = d.Value
		}
		switch {
		case p.Splat, v == Unknown:
			return nil, ErrUnresolvable
		case p.Name != "":
			m, ok := v.(map[string]any)
			if !ok {
				return nil, ErrUnresolvable
			}
			if v, ok = m[p.Name]; !ok {
				return nil, ErrUnresolvable
			}
		default:
			switch c := v.(type) {
			case []any:
				i, ok := p.Key.(int)
				if !ok || i < 0 || i >= len(c) {
					return nil, ErrUnresolvable
				}
				v = c[i]
			case map[string]any:
				if k, ok := p.Key.(string); ok {
					if v, ok = c[k]; !ok {
						return nil, ErrUnresolvable
					}
				} else if p.Key != 0 {
					return nil, ErrUnresolvable
				}
			default:
				return nil, ErrUnresolvable
			}
		}
	}
	if d, ok := v.(DynamicValue); ok {
		v = d.Value
	}
	if !Known(v) {
		return nil, ErrUnresolvable
	}
	return v, nil
}
