package engine

import (
	"github.com/tapstack/infra/internal/tfjson"

	"bytes"
	"encoding/json"
	"fmt"
)

// ReadPlanJSON decodes the resource changes of `terraform show -json <plan>`: the
// fallback for a plan file whose format ReadPlanFile does not know. It gives the same
// changes except the provider's private data, which the JSON plan leaves out.
func ReadPlanJSON(raw []byte) ([]Change, error) {
	var doc struct {
		Errored         bool `json:"errored"`
		ResourceChanges []struct {
			Address      string `json:"address"`
			ProviderName string `json:"provider_name"`
			Deposed      string `json:"deposed"`
			Change       struct {
				Actions        []string            `json:"actions"`
				Before         any                 `json:"before"`
				After          any                 `json:"after"`
				AfterUnknown   any                 `json:"after_unknown"`
				AfterSensitive any                 `json:"after_sensitive"`
				ReplacePaths   [][]json.RawMessage `json:"replace_paths"`
			} `json:"change"`
			ActionReason string `json:"action_reason"`
		} `json:"resource_changes"`
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("reading the JSON plan: %w", err)
	}
	var out []Change
	for _, rc := range doc.ResourceChanges {
		c := Change{Addr: rc.Address, Deposed: rc.Deposed, Reason: rc.ActionReason,
			Provider: `provider["` + rc.ProviderName + `"]`, Before: rc.Change.Before}
		if err := c.parseAddr(); err != nil {
			return nil, err
		}
		switch a := rc.Change.Actions; {
		case len(a) == 2 && a[0] == "delete":
			c.Action = "delete-then-create"
		case len(a) == 2 && a[0] == "create" && a[1] == "delete":
			c.Action = "create-then-delete"
		case len(a) == 2:
			c.Action = "create-then-forget"
		case len(a) == 1:
			c.Action = a[0]
		default:
			return nil, fmt.Errorf("%s: actions %v", rc.Address, a)
		}
		if c.Action != "delete" && c.Action != "forget" {
			c.After = mergeUnknown(rc.Change.After, rc.Change.AfterUnknown)
		}
		c.AfterSensitive = truePaths(rc.Change.AfterSensitive, nil)
		for _, p := range rc.Change.ReplacePaths {
			var path []tfjson.Part
			for _, step := range p {
				var n int
				var s string
				if json.Unmarshal(step, &n) == nil {
					path = append(path, tfjson.Part{Key: n})
				} else if json.Unmarshal(step, &s) == nil {
					path = append(path, tfjson.Part{Name: s})
				}
			}
			c.ReplacePaths = append(c.ReplacePaths, path)
		}
		out = append(out, c)
	}
	return out, nil
}

// mergeUnknown puts the tfjson.Unknown marker wherever the after_unknown mirror says true.
func mergeUnknown(v, unk any) any {
	switch u := unk.(type) {
	case bool:
		if u {
			return tfjson.Unknown
		}
	case map[string]any:
		m, _ := v.(map[string]any)
		out := make(map[string]any, len(m))
		for k, e := range m {
			out[k] = e
		}
		for k, e := range u {
			out[k] = mergeUnknown(out[k], e)
		}
		return out
	case []any:
		l, _ := v.([]any)
		out := make([]any, max(len(l), len(u)))
		copy(out, l)
		for i, e := range u {
			out[i] = mergeUnknown(out[i], e)
		}
		return out
	}
	return v
}

// truePaths lists the paths where a sensitivity mirror (after_sensitive) says true.
func truePaths(v any, prefix []tfjson.Part) [][]tfjson.Part {
	var out [][]tfjson.Part
	at := func(p tfjson.Part) []tfjson.Part { return append(append([]tfjson.Part(nil), prefix...), p) }
	switch v := v.(type) {
	case bool:
		if v && len(prefix) > 0 {
			out = append(out, prefix)
		}
	case map[string]any:
		for _, k := range tfjson.SortedKeys(v) {
			out = append(out, truePaths(v[k], at(tfjson.Part{Name: k}))...)
		}
	case []any:
		for i, e := range v {
			out = append(out, truePaths(e, at(tfjson.Part{Key: i}))...)
		}
	}
	return out
}
