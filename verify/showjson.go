package verify

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// readPlanJSON decodes the resource changes of `terraform show -json <plan>`: the
// fallback for a plan file whose format readPlanFile does not know. It gives the same
// changes except the provider's private data, which the JSON plan leaves out.
func readPlanJSON(raw []byte) ([]plannedChange, error) {
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
	var out []plannedChange
	for _, rc := range doc.ResourceChanges {
		c := plannedChange{addr: rc.Address, deposed: rc.Deposed, reason: rc.ActionReason,
			provider: `provider["` + rc.ProviderName + `"]`, before: rc.Change.Before}
		if err := c.parseAddr(); err != nil {
			return nil, err
		}
		switch a := rc.Change.Actions; {
		case len(a) == 2 && a[0] == "delete":
			c.action = "delete-then-create"
		case len(a) == 2 && a[0] == "create" && a[1] == "delete":
			c.action = "create-then-delete"
		case len(a) == 2:
			c.action = "create-then-forget"
		case len(a) == 1:
			c.action = a[0]
		default:
			return nil, fmt.Errorf("%s: actions %v", rc.Address, a)
		}
		if c.action != "delete" && c.action != "forget" {
			c.after = mergeUnknown(rc.Change.After, rc.Change.AfterUnknown)
		}
		c.afterSensitive = truePaths(rc.Change.AfterSensitive, nil)
		for _, p := range rc.Change.ReplacePaths {
			var path []part
			for _, step := range p {
				var n int
				var s string
				if json.Unmarshal(step, &n) == nil {
					path = append(path, part{key: n})
				} else if json.Unmarshal(step, &s) == nil {
					path = append(path, part{name: s})
				}
			}
			c.replacePaths = append(c.replacePaths, path)
		}
		out = append(out, c)
	}
	return out, nil
}

// mergeUnknown puts the unknown marker wherever the after_unknown mirror says true.
func mergeUnknown(v, unk any) any {
	switch u := unk.(type) {
	case bool:
		if u {
			return unknown
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
func truePaths(v any, prefix []part) [][]part {
	var out [][]part
	at := func(p part) []part { return append(append([]part(nil), prefix...), p) }
	switch v := v.(type) {
	case bool:
		if v && len(prefix) > 0 {
			out = append(out, prefix)
		}
	case map[string]any:
		for _, k := range sortedKeys(v) {
			out = append(out, truePaths(v[k], at(part{name: k}))...)
		}
	case []any:
		for i, e := range v {
			out = append(out, truePaths(e, at(part{key: i}))...)
		}
	}
	return out
}
