package verify

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/tapstack/infra/awsid"
	"github.com/tapstack/infra/internal/awsfake"
	"github.com/tapstack/infra/internal/engine"
	"github.com/tapstack/infra/internal/tfjson"
)

// overrideFile is the override file that carries everything verify adds to a stack.
const overrideFile = "zz_verify_override.tf.json"

// resource is one resource block of a stack.
type resource struct {
	typ, name string
	body      map[string]any // the working copy's body (reads faked)
	multi     bool           // has count or for_each: instances have keys
	path      string         // cdktf construct path, or ""
	provider  string         // the provider configuration it uses: "aws", "aws.west"
}

func (r *resource) addr() string { return r.typ + "." + r.name }

// stack is the working copy of a synthesized stack: backend dropped, AWS-calling data
// sources and ephemeral resources faked, plus the override that configures the provider
// offline.
type stack struct {
	doc      tfjson.Doc // the working copy
	orig     tfjson.Doc // as read: what references what, as the engine sees it
	override map[string]any
	// places are where each provider configuration deploys, by reference ("aws",
	// "aws.west").
	places    map[string]awsid.Place
	resources map[string]*resource // by address
	// providers lists the provider sources the stack requires, sorted, for init.
	providers []string
	// secrets are the values handed to ephemeral resources: never in a plan or state.
	secrets []string
}

// place is where the provider of a resource deploys.
func (st *stack) place(res *resource) awsid.Place {
	if p, ok := st.places[res.provider]; ok {
		return p
	}
	return st.places["aws"]
}

// defaultRegion is the region of the aws provider verify adds to a stack that has none.
const defaultRegion = "us-east-1"

// prepare builds the working copy of a synthesized stack.
func prepare(raw []byte, opts Options) (*stack, error) {
	doc, err := tfjson.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("verify: %w", err)
	}
	if _, ok := doc["module"]; ok {
		return nil, errors.New("verify: the stack calls modules; verify supports root module resources only")
	}
	st := &stack{doc: doc, orig: deepCopy(doc).(map[string]any), resources: map[string]*resource{}, places: map[string]awsid.Place{}}

	usesAWS := false
	for _, typ := range tfjson.SortedKeys(tfjson.MapOf(doc["resource"])) {
		named := tfjson.MapOf(tfjson.MapOf(doc["resource"])[typ])
		for _, name := range tfjson.SortedKeys(named) {
			body := tfjson.MapOf(named[name])
			if body == nil {
				return nil, fmt.Errorf("verify: resource %s.%s is not an object", typ, name)
			}
			r := &resource{typ: typ, name: name, body: body, provider: providerRef(body, typ)}
			_, count := body["count"]
			_, each := body["for_each"]
			r.multi = count || each
			if meta := tfjson.MapOf(tfjson.MapOf(body["//"])["metadata"]); meta != nil {
				r.path, _ = meta["path"].(string)
			}
			st.resources[r.addr()] = r
			if strings.HasPrefix(typ, "aws_") {
				usesAWS = true
			}
		}
	}
	for _, section := range []string{"data", "ephemeral"} {
		for typ := range tfjson.MapOf(doc[section]) {
			if strings.HasPrefix(typ, "aws_") {
				usesAWS = true
			}
		}
	}

	// The terraform blocks: no backend, the aws pin widened to what the mirror holds.
	required := map[string]any{}
	sources := map[string]bool{}
	for _, tf := range tfjson.Blocks(doc["terraform"]) {
		delete(tf, "backend")
		delete(tf, "cloud")
		for local, v := range tfjson.MapOf(tf["required_providers"]) {
			req := tfjson.MapOf(v)
			src, _ := req["source"].(string)
			if src == "" {
				src = local
			}
			if engine.IsAWSSource(src) || local == "aws" && req["source"] == nil {
				entry := map[string]any{"source": engine.AWSSource}
				if ver, ok := req["version"].(string); ok {
					entry["version"] = engine.Widen(ver)
				}
				required[local] = entry
				sources[engine.AWSSource] = true
				usesAWS = true
				continue
			}
			sources[src] = true
		}
	}
	awsProviders := tfjson.Blocks(tfjson.MapOf(doc["provider"])["aws"])
	if len(awsProviders) > 0 {
		usesAWS = true
	}
	override := map[string]any{}
	if usesAWS {
		if len(required) == 0 {
			required["aws"] = map[string]any{"source": engine.AWSSource}
			sources[engine.AWSSource] = true
		}
		override["terraform"] = map[string]any{"required_providers": required}
		if len(awsProviders) == 0 {
			awsProviders = []map[string]any{{"region": defaultRegion}}
			providers := tfjson.MapOf(doc["provider"])
			if providers == nil {
				providers = map[string]any{}
				doc["provider"] = providers
			}
			providers["aws"] = []any{awsProviders[0]}
		}
		var offline []any
		for _, p := range awsProviders {
			ref := "aws"
			o := engine.OfflineAWS()
			if alias, ok := p["alias"]; ok {
				o["alias"] = alias
				ref += "." + fmt.Sprint(alias)
			}
			place, err := providerPlace(doc, p, ref)
			if err != nil {
				return nil, err
			}
			st.places[ref] = place
			for _, k := range engine.DroppedAWSArgs() {
				delete(p, k)
			}
			offline = append(offline, o)
		}
		override["provider"] = map[string]any{"aws": offline}
	}
	if _, ok := st.places["aws"]; !ok {
		st.places["aws"] = awsid.In(defaultRegion)
	}
	st.override = override
	for s := range sources {
		st.providers = append(st.providers, s)
	}
	sort.Strings(st.providers)

	faked, err := awsfake.Offline{Places: st.places, Given: opts.DataSources}.Apply(doc)
	if err != nil {
		return nil, fmt.Errorf("verify: %w", err)
	}
	st.secrets = faked.Secrets
	return st, nil
}

// providerRef is the provider configuration a resource uses: its provider argument
// ("aws.west"), or the default configuration of its type's provider ("aws").
func providerRef(body map[string]any, typ string) string {
	if ref, ok := body["provider"].(string); ok && ref != "" {
		return strings.TrimSuffix(strings.TrimPrefix(ref, "${"), "}")
	}
	return strings.SplitN(typ, "_", 2)[0]
}

// providerPlace is where an aws provider block deploys: its region (a literal, or a
// variable's default), the region's partition, and the account it names
// (allowed_account_ids with one account, or the account of assume_role's role).
func providerPlace(doc tfjson.Doc, p map[string]any, ref string) (awsid.Place, error) {
	literal := func(v any) (string, bool) {
		s, ok := v.(string)
		if !ok {
			return "", false
		}
		refs, spans, err := tfjson.ScanTemplate(s)
		if err != nil {
			return "", false
		}
		if len(spans) == 0 {
			return tfjson.UnescapeTemplate(s), true
		}
		if len(refs) == 1 && refs[0].Whole && len(refs[0].Parts) == 2 && refs[0].Parts[0].Name == "var" {
			def, ok := tfjson.MapOf(tfjson.MapOf(doc["variable"])[refs[0].Parts[1].Name])["default"].(string)
			return def, ok
		}
		return "", false
	}
	raw, has := p["region"]
	if !has {
		return awsid.Place{}, fmt.Errorf("verify: provider %s has no region: set region in the provider block (verify runs the engine without the AWS_* variables of the environment)", ref)
	}
	region, ok := literal(raw)
	if !ok {
		return awsid.Place{}, fmt.Errorf("verify: provider %s: region = %v is neither a literal nor a variable with a default; verify needs the region to fake ARNs and to tell whether a change moves the provider", ref, raw)
	}
	partition := awsid.Partition(region)
	if partition == "" {
		return awsid.Place{}, fmt.Errorf("verify: provider %s: region %q: %v", ref, region, awsid.ValidateRegion(region))
	}
	place := awsid.Place{Partition: partition, Region: region}
	if ids, ok := p["allowed_account_ids"].([]any); ok && len(ids) == 1 {
		place.Account, _ = literal(ids[0])
	}
	for _, ar := range tfjson.Blocks(p["assume_role"]) {
		if arn, ok := literal(ar["role_arn"]); ok {
			if a, err := awsid.ParseARN(arn); err == nil && a.Account != "" {
				place.Account = a.Account
			}
		}
	}
	return place, nil
}

// deepCopy copies a JSON document.
func deepCopy(v any) any {
	switch v := v.(type) {
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = deepCopy(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = deepCopy(e)
		}
		return out
	}
	return v
}
