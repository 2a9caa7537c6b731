package verify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"github.com/tapstack/infra/internal/engine"
)

// ctyType is a type of the engine's type system, as the provider schema gives it.
type ctyType struct {
	kind  string // string, number, bool, dynamic, list, set, map, object, tuple
	elem  *ctyType
	attrs map[string]*ctyType
	elems []*ctyType
	// computed and optional are set on the attributes of a resource or nested block.
	computed, optional bool
}

// UnmarshalJSON reads a type of the schema JSON: "string" or ["list", "string"].
func (t *ctyType) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		t.kind = s
		return nil
	}
	var pair []json.RawMessage
	if err := json.Unmarshal(b, &pair); err != nil || len(pair) != 2 {
		return fmt.Errorf("bad type %s", b)
	}
	if err := json.Unmarshal(pair[0], &t.kind); err != nil {
		return err
	}
	switch t.kind {
	case "list", "set", "map":
		t.elem = &ctyType{}
		return json.Unmarshal(pair[1], t.elem)
	case "object":
		return json.Unmarshal(pair[1], &t.attrs)
	case "tuple":
		return json.Unmarshal(pair[1], &t.elems)
	}
	return fmt.Errorf("bad type %s", b)
}

// rawBlock is a block of the provider schema JSON.
type rawBlock struct {
	Attributes map[string]struct {
		Type       *ctyType   `json:"type"`
		NestedType *rawNested `json:"nested_type"`
		Computed   bool       `json:"computed"`
		Optional   bool       `json:"optional"`
		Required   bool       `json:"required"`
	} `json:"attributes"`
	BlockTypes map[string]struct {
		NestingMode string   `json:"nesting_mode"`
		Block       rawBlock `json:"block"`
	} `json:"block_types"`
}

type rawNested struct {
	Attributes map[string]struct {
		Type       *ctyType   `json:"type"`
		NestedType *rawNested `json:"nested_type"`
		Computed   bool       `json:"computed"`
		Optional   bool       `json:"optional"`
	} `json:"attributes"`
	NestingMode string `json:"nesting_mode"`
}

func nest(mode string, obj *ctyType) *ctyType {
	switch mode {
	case "list":
		return &ctyType{kind: "list", elem: obj}
	case "set":
		return &ctyType{kind: "set", elem: obj}
	case "map":
		return &ctyType{kind: "map", elem: obj}
	}
	return obj // single, group
}

func (n *rawNested) toType() *ctyType {
	obj := &ctyType{kind: "object", attrs: map[string]*ctyType{}}
	for name, a := range n.Attributes {
		t := a.Type
		if a.NestedType != nil {
			t = a.NestedType.toType()
		}
		t.computed, t.optional = a.Computed, a.Optional
		obj.attrs[name] = t
	}
	return nest(n.NestingMode, obj)
}

func (b *rawBlock) toType() *ctyType {
	obj := &ctyType{kind: "object", attrs: map[string]*ctyType{}}
	for name, a := range b.Attributes {
		t := a.Type
		if a.NestedType != nil {
			t = a.NestedType.toType()
		}
		if t == nil {
			t = &ctyType{kind: "dynamic"}
		}
		t.computed, t.optional = a.Computed, a.Optional || a.Required
		obj.attrs[name] = t
	}
	for name, bt := range b.BlockTypes {
		t := nest(bt.NestingMode, bt.Block.toType())
		t.optional = true
		obj.attrs[name] = t
	}
	return obj
}

// resourceSchema is the schema of one resource type.
type resourceSchema struct {
	version int
	typ     *ctyType // object type of the resource
}

// schemas maps a provider source address ("registry.terraform.io/hashicorp/aws") to
// its resource types, loaded lazily from the raw JSON.
type schemas struct {
	mu        sync.Mutex
	raw       map[string]map[string]json.RawMessage // provider -> type -> {version, block}
	resources map[string]*resourceSchema            // "provider type"
	// reads are the raw schemas of the data sources ("data") and ephemeral resources
	// ("ephemeral") of each provider: what the fakes of internal/awsfake are checked
	// against.
	reads map[string]map[string]map[string]json.RawMessage // provider -> data/ephemeral -> type
}

func parseSchemas(raw []byte) (*schemas, error) {
	var doc struct {
		ProviderSchemas map[string]struct {
			ResourceSchemas  map[string]json.RawMessage `json:"resource_schemas"`
			DataSchemas      map[string]json.RawMessage `json:"data_source_schemas"`
			EphemeralSchemas map[string]json.RawMessage `json:"ephemeral_resource_schemas"`
		} `json:"provider_schemas"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("reading the provider schemas: %w", err)
	}
	s := &schemas{raw: map[string]map[string]json.RawMessage{}, resources: map[string]*resourceSchema{},
		reads: map[string]map[string]map[string]json.RawMessage{}}
	for p, ps := range doc.ProviderSchemas {
		s.raw[p] = ps.ResourceSchemas
		s.reads[p] = map[string]map[string]json.RawMessage{"data": ps.DataSchemas, "ephemeral": ps.EphemeralSchemas}
	}
	return s, nil
}

// resource returns the schema of a resource type of the provider named by a provider
// configuration address (`provider["registry.terraform.io/hashicorp/aws"].west`).
func (s *schemas) resource(provider, typ string) (*resourceSchema, error) {
	p := providerSource(provider)
	s.mu.Lock()
	defer s.mu.Unlock()
	key := p + " " + typ
	if r, ok := s.resources[key]; ok {
		return r, nil
	}
	raw, ok := s.raw[p][typ]
	if !ok && p == builtinProvider && typ == "terraform_data" {
		// `providers schema -json` lists the built-in provider only for a configuration
		// that uses it, and the schemas are cached per provider lock: another stack of the
		// same lock may have been first. Its one resource type has a fixed schema.
		raw, ok = json.RawMessage(terraformDataSchema), true
	}
	if !ok {
		return nil, fmt.Errorf("provider %s has no resource type %s", p, typ)
	}
	var doc struct {
		Version int      `json:"version"`
		Block   rawBlock `json:"block"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("schema of %s: %w", typ, err)
	}
	r := &resourceSchema{version: doc.Version, typ: doc.Block.toType()}
	s.resources[key] = r
	return r, nil
}

// builtinProvider is the source address of Terraform's built-in provider.
const builtinProvider = "terraform.io/builtin/terraform"

// terraformDataSchema is the schema of terraform_data, as Terraform 1.4 and later (and
// OpenTofu) report it.
const terraformDataSchema = `{"version":0,"block":{"attributes":{"id":{"type":"string","computed":true},` +
	`"input":{"type":"dynamic","optional":true},"output":{"type":"dynamic","computed":true},` +
	`"triggers_replace":{"type":"dynamic","optional":true}}}}`

// providerSource extracts the source address from a provider configuration address.
func providerSource(provider string) string {
	if rest, ok := strings.CutPrefix(provider, `provider["`); ok {
		if src, _, ok := strings.Cut(rest, `"]`); ok {
			return src
		}
	}
	return provider
}

// schemaCache holds the schemas per engine binary and provider mirror, loaded once per
// process: `providers schema -json` costs as much as a plan.
var schemaCache sync.Map // key -> *schemaEntry

type schemaEntry struct {
	once sync.Once
	s    *schemas
	err  error
}

// loadSchemas returns the schemas of the providers initialized in dir. key names the
// set of providers (the same key must mean the same providers).
func loadSchemas(ctx context.Context, e engine.Engine, dir, key string) (*schemas, error) {
	v, _ := schemaCache.LoadOrStore(e.Binary+"\x00"+e.PluginDir+"\x00"+key, &schemaEntry{})
	entry := v.(*schemaEntry)
	entry.once.Do(func() {
		out, err := e.Output(ctx, dir, "providers", "schema", "-json")
		if err != nil {
			entry.err = fmt.Errorf("%s providers schema -json: %v\n%s", e.Binary, err, bytes.TrimSpace(out))
			return
		}
		entry.s, entry.err = parseSchemas(out)
	})
	if entry.err != nil {
		// A failure (a canceled context, say) is not cached.
		schemaCache.CompareAndDelete(e.Binary+"\x00"+e.PluginDir+"\x00"+key, entry)
	}
	return entry.s, entry.err
}
