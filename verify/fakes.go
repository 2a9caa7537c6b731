package verify

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/tapstack/infra/internal/awsfake"
	"github.com/tapstack/infra/internal/tfjson"
)

// The values AWS decides at apply time (ids, ARNs, endpoints, DNS names, timestamps,
// owners) come from the table of internal/awsfake, deterministic per resource address
// and attribute, in the shapes the provider's validators accept; what the table does not
// know is AWS's "empty" value of the schema type.

// fakeCtx returns the context of the fakes of an instance of res.
func (st *stack) fakeCtx(res *resource, inst string, get func(string) (any, bool)) awsfake.Ctx {
	return awsfake.Ctx{Type: res.typ, Addr: inst, Place: st.place(res), Get: get}
}

// fakeValue returns the fake for an unknown value at path (attribute names, indexes
// left out) of an instance, of type t (nil when the schema is not at hand: then only the
// table can answer, and ok is false without an entry): Options.Computed first, then the
// table, then the empty value of the type.
func (d *Deployment) fakeValue(c awsfake.Ctx, path []string, t *ctyType) (any, bool, error) {
	key := strings.Join(path, ".")
	if v, ok := d.opts.Computed[c.Type+"."+key]; ok && fits(v, t) {
		return v, true, nil
	}
	v, ok, err := c.Fake(path)
	if err != nil {
		return nil, false, fmt.Errorf("verify: the fake of %s.%s: %w", c.Addr, key, err)
	}
	if ok && fits(v, t) {
		return v, true, nil
	}
	if t == nil {
		return nil, false, nil
	}
	return zeroValue(t), true, nil
}

// zeroValue is what AWS usually reports for an attribute nobody set: empty.
func zeroValue(t *ctyType) any {
	switch t.kind {
	case "string":
		return ""
	case "number":
		return json.Number("0")
	case "bool":
		return false
	case "list", "set", "tuple":
		return []any{}
	case "map":
		return map[string]any{}
	case "object":
		out := map[string]any{}
		for k, a := range t.attrs {
			out[k] = zeroValue(a)
		}
		return out
	}
	return nil
}

// fits tells whether v can be a value of type t (nil: any).
func fits(v any, t *ctyType) bool {
	if t == nil || v == nil || t.kind == "dynamic" {
		return true
	}
	switch v := v.(type) {
	case string:
		return t.kind == "string"
	case json.Number:
		return t.kind == "number" || t.kind == "string"
	case bool:
		return t.kind == "bool" || t.kind == "string"
	case []any:
		if t.kind != "list" && t.kind != "set" && t.kind != "tuple" {
			return false
		}
		for i, e := range v {
			et := t.elem
			if t.kind == "tuple" {
				if i >= len(t.elems) {
					return false
				}
				et = t.elems[i]
			}
			if !fits(e, et) {
				return false
			}
		}
		return true
	case map[string]any:
		switch t.kind {
		case "map":
			for _, e := range v {
				if !fits(e, t.elem) {
					return false
				}
			}
			return true
		case "object":
			for k, e := range v {
				at, ok := t.attrs[k]
				if !ok || !fits(e, at) {
					return false
				}
			}
			return true
		}
		return false
	}
	return isDynamic(v) && t.kind == "dynamic"
}

func isDynamic(v any) bool {
	_, ok := v.(tfjson.DynamicValue)
	return ok
}
