package tfjson

import "encoding/json"

// UnknownValue is the type of Unknown.
type UnknownValue struct{}

// Unknown marks a value that is known only after apply.
var Unknown any = UnknownValue{}

// DynamicValue is a value of an attribute whose schema type is "dynamic" (such as
// terraform_data's input): the state stores it with its type.
type DynamicValue struct {
	Type  json.RawMessage
	Value any
}

// MarshalJSON writes a dynamic value the way the state stores it: {"value", "type"}.
func (d DynamicValue) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]any{"value": d.Value, "type": d.Type})
}

// MapOf returns v as an object, or nil.
func MapOf(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// Blocks returns the bodies of a block value: a list of objects (the canonical form of
// provider, terraform, moved, import and removed blocks) or one object.
func Blocks(v any) []map[string]any {
	switch v := v.(type) {
	case map[string]any:
		return []map[string]any{v}
	case []any:
		var out []map[string]any
		for _, e := range v {
			if m := MapOf(e); m != nil {
				out = append(out, m)
			}
		}
		return out
	}
	return nil
}
