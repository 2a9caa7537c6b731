package verify

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/tapstack/infra/internal/awsfake"
	"github.com/tapstack/infra/internal/engine"
)

// TestFakesMatchSchema holds the table of internal/awsfake against the real provider's
// schema: every resource type, data source and ephemeral resource of the table exists,
// and every attribute it fakes exists (computed, for a resource: a fake only ever
// replaces a value the provider leaves unknown), an attribute AWS decides is computed
// only and an AWS default is optional and computed (OpenTofu's mocked provider refuses a
// default for a configured value). A misspelled attribute would never be used, and the
// mocked provider of the test harness refuses an unknown one (OpenTofu).
func TestFakesMatchSchema(t *testing.T) {
	t.Parallel()
	d := deployment(t, "default")
	s, err := d.schemaWait()
	if err != nil {
		t.Fatal(err)
	}
	type attr struct {
		Computed bool `json:"computed"`
		Optional bool `json:"optional"`
	}
	type block struct {
		Attributes map[string]attr `json:"attributes"`
		BlockTypes map[string]struct {
			Block block `json:"block"`
		} `json:"block_types"`
	}
	lookup := func(raw json.RawMessage, path string) (attr, bool) {
		var doc struct {
			Block block `json:"block"`
		}
		if err := json.Unmarshal(raw, &doc); err != nil {
			t.Fatal(err)
		}
		b := doc.Block
		parts := strings.Split(path, ".")
		for _, p := range parts[:len(parts)-1] {
			nested, ok := b.BlockTypes[p]
			if !ok {
				if a, ok := b.Attributes[p]; ok {
					return a, true // a nested attribute of an object type: its top level
				}
				return attr{}, false
			}
			b = nested.Block
		}
		a, ok := b.Attributes[parts[len(parts)-1]]
		return a, ok
	}
	for _, typ := range awsfake.Types() {
		if !strings.HasPrefix(typ, "aws_") {
			continue
		}
		raw, ok := s.raw[engine.AWSSource][typ]
		if !ok {
			t.Errorf("%s: no such resource type in the provider", typ)
			continue
		}
		for _, path := range awsfake.FakedAttrs(typ) {
			a, ok := lookup(raw, path)
			// id and arn: the older resources mark them optional; no configuration sets them.
			if !ok || !a.Computed || a.Optional && !strings.Contains(path, ".") && path != "id" && path != "arn" {
				t.Errorf("%s.%s: in the schema %v, computed %v, optional %v; want what AWS decides (computed only; an optional one goes to Defaults)", typ, path, ok, a.Computed, a.Optional)
			}
		}
		for _, path := range awsfake.DefaultAttrs(typ) {
			if a, ok := lookup(raw, path); !ok || !a.Computed || !a.Optional {
				t.Errorf("%s.%s: in the schema %v, computed %v, optional %v; want a default (optional and computed)", typ, path, ok, a.Computed, a.Optional)
			}
		}
	}
	for section, types := range map[string][]string{"data": awsfake.DataSourceTypes(), "ephemeral": awsfake.EphemeralTypes()} {
		for _, typ := range types {
			if !strings.HasPrefix(typ, "aws_") {
				continue
			}
			raw, ok := s.reads[engine.AWSSource][section][typ]
			if !ok {
				t.Errorf("%s.%s: no such type in the provider", section, typ)
				continue
			}
			r, _ := awsfake.DataSource(typ)
			if section == "ephemeral" {
				r, _ = awsfake.Ephemeral(typ)
			}
			for path := range r.Attrs {
				if _, ok := lookup(raw, path); !ok {
					t.Errorf("%s.%s.%s: not in the schema", section, typ, path)
				}
			}
		}
	}
}
