package verify

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// awsSource is the provider that verify configures for offline planning. It is written
// in full so that OpenTofu, whose default registry differs, finds it in the mirror.
const awsSource = "registry.terraform.io/hashicorp/aws"

// account is the AWS account of every fake ARN and owner.
const account = "123456789012"

// overrideFile is the override file that carries everything verify adds to a stack.
const overrideFile = "zz_verify_override.tf.json"

// resource is one resource block of a stack.
type resource struct {
	typ, name string
	body      map[string]any // the working copy's body (data references rewritten)
	multi     bool           // has count or for_each: instances have keys
	path      string         // cdktf construct path, or ""
}

func (r *resource) addr() string { return r.typ + "." + r.name }

// stack is the working copy of a synthesized stack: backend dropped, AWS-calling data
// sources replaced by locals, plus the override that configures the provider offline.
type stack struct {
	doc       map[string]any
	override  map[string]any
	region    string
	partition string
	resources map[string]*resource // by address
	// providers lists the provider sources the stack requires, sorted, for init.
	providers []string
}

// errUnresolvable means that verify cannot compute a value without the engine.
var errUnresolvable = errors.New("not resolvable without the engine")

var exactVersion = regexp.MustCompile(`^\s*=?\s*v?(\d+)\.(\d+)\.(\d+)\s*$`)

// widen turns an exact pin "5.84.0" into ">= 5.84.0, < 6.0.0"; other constraints stay.
func widen(v string) string {
	m := exactVersion.FindStringSubmatch(v)
	if m == nil {
		return v
	}
	major, _ := strconv.Atoi(m[1])
	return fmt.Sprintf(">= %s.%s.%s, < %d.0.0", m[1], m[2], m[3], major+1)
}

// isAWSSource tells whether a required_providers source names hashicorp/aws.
func isAWSSource(src string) bool {
	switch strings.ToLower(src) {
	case "aws", "hashicorp/aws", "registry.terraform.io/hashicorp/aws", "registry.opentofu.org/hashicorp/aws":
		return true
	}
	return false
}

// providerArgsDropped are provider arguments that could make the provider reach AWS or
// read local credentials; the override supplies fake static credentials instead.
var providerArgsDropped = []string{"access_key", "secret_key", "token", "profile", "shared_config_files",
	"shared_credentials_files", "assume_role", "assume_role_with_web_identity", "custom_ca_bundle",
	"ec2_metadata_service_endpoint", "ec2_metadata_service_endpoint_mode", "sts_region", "retry_mode"}

// offlineProvider is what the override sets on every aws provider block.
func offlineProvider() map[string]any {
	return map[string]any{
		"access_key":                  "AKIAVERIFYFAKEACCESS",
		"secret_key":                  "verify-fake-secret-key",
		"skip_credentials_validation": true,
		"skip_requesting_account_id":  true,
		"skip_metadata_api_check":     true,
		"skip_region_validation":      true,
		// A call that slipped through fails at once instead of retrying for minutes.
		"max_retries": 1,
	}
}

func mapOf(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// blocks returns the blocks of a provider or similar entry: cdktf writes a list of
// objects, hand-written JSON may write one object.
func blocks(v any) []map[string]any {
	switch v := v.(type) {
	case map[string]any:
		return []map[string]any{v}
	case []any:
		var out []map[string]any
		for _, e := range v {
			if m := mapOf(e); m != nil {
				out = append(out, m)
			}
		}
		return out
	}
	return nil
}

func decodeJSON(raw []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("verify: the stack is not Terraform JSON: %w", err)
	}
	if doc == nil {
		return nil, errors.New("verify: the stack is not a JSON object")
	}
	return doc, nil
}

// prepare builds the working copy of a synthesized stack.
func prepare(raw []byte, opts Options) (*stack, error) {
	doc, err := decodeJSON(raw)
	if err != nil {
		return nil, err
	}
	if _, ok := doc["module"]; ok {
		return nil, errors.New("verify: the stack calls modules; verify supports root module resources only")
	}
	st := &stack{doc: doc, region: "us-east-1", resources: map[string]*resource{}}

	// Resources.
	usesAWS := false
	for typ, named := range mapOf(doc["resource"]) {
		for name, b := range mapOf(named) {
			body := mapOf(b)
			if body == nil {
				return nil, fmt.Errorf("verify: resource %s.%s is not an object", typ, name)
			}
			r := &resource{typ: typ, name: name, body: body}
			_, count := body["count"]
			_, each := body["for_each"]
			r.multi = count || each
			if meta := mapOf(mapOf(body["//"])["metadata"]); meta != nil {
				r.path, _ = meta["path"].(string)
			}
			st.resources[r.addr()] = r
			if strings.HasPrefix(typ, "aws_") {
				usesAWS = true
			}
		}
	}

	// The terraform block: no backend, the aws pin widened to what the mirror holds.
	tf := mapOf(doc["terraform"])
	if tf == nil {
		tf = map[string]any{}
		doc["terraform"] = tf
	}
	delete(tf, "backend")
	delete(tf, "cloud")
	required := map[string]any{}
	sources := map[string]bool{}
	for local, v := range mapOf(tf["required_providers"]) {
		req := mapOf(v)
		src, _ := req["source"].(string)
		if src == "" {
			src = local
		}
		if isAWSSource(src) || local == "aws" && req["source"] == nil {
			entry := map[string]any{"source": awsSource}
			if ver, ok := req["version"].(string); ok {
				entry["version"] = widen(ver)
			}
			required[local] = entry
			sources[awsSource] = true
			usesAWS = true
			continue
		}
		sources[src] = true
	}
	awsProviders := blocks(mapOf(doc["provider"])["aws"])
	if len(awsProviders) > 0 {
		usesAWS = true
	}
	override := map[string]any{}
	if usesAWS {
		if len(required) == 0 {
			required["aws"] = map[string]any{"source": awsSource}
			sources[awsSource] = true
		}
		override["terraform"] = map[string]any{"required_providers": required}
		if len(awsProviders) == 0 {
			awsProviders = []map[string]any{{"region": st.region}}
			providers := mapOf(doc["provider"])
			if providers == nil {
				providers = map[string]any{}
				doc["provider"] = providers
			}
			providers["aws"] = []any{awsProviders[0]}
		}
		var offline []any
		for _, p := range awsProviders {
			for _, k := range providerArgsDropped {
				delete(p, k)
			}
			o := offlineProvider()
			if alias, ok := p["alias"]; ok {
				o["alias"] = alias
			} else if region, ok := p["region"].(string); ok && !strings.Contains(region, "${") {
				st.region = region
			}
			offline = append(offline, o)
		}
		override["provider"] = map[string]any{"aws": offline}
	}
	st.override = override
	st.partition = partitionOf(st.region)
	for s := range sources {
		st.providers = append(st.providers, s)
	}
	sort.Strings(st.providers)

	if err := st.fakeDataSources(opts); err != nil {
		return nil, err
	}
	return st, nil
}

// partitionOf returns the AWS partition of a region.
func partitionOf(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	case strings.HasPrefix(region, "us-iso-"):
		return "aws-iso"
	case strings.HasPrefix(region, "us-isob-"):
		return "aws-iso-b"
	}
	return "aws"
}

// fakeDataSources replaces every data source that would call AWS by a local holding a
// fake object, and rewrites the references to it.
func (st *stack) fakeDataSources(opts Options) error {
	data := mapOf(st.doc["data"])
	locals := mapOf(st.doc["locals"])
	replaced := map[string]string{} // "type.name" -> local name
	var missing []string
	for _, typ := range sortedKeys(data) {
		named := mapOf(data[typ])
		for _, name := range sortedKeys(named) {
			addr := "data." + typ + "." + name
			args := mapOf(named[name])
			fake, ok := opts.DataSources[addr]
			if !ok {
				fake, ok = opts.DataSources[typ]
			}
			if !ok {
				if pureDataSources[typ] {
					continue
				}
				if builtin, has := builtinDataFakes[typ]; has {
					fake, ok = builtin(st.region, st.partition, addr, args), true
				}
			}
			if !ok {
				missing = append(missing, fmt.Sprintf("%s (type %s)", addr, typ))
				continue
			}
			local := "verify_" + typ + "_" + name
			if locals == nil {
				locals = map[string]any{}
				st.doc["locals"] = locals
			}
			if _, taken := locals[local]; taken {
				return fmt.Errorf("verify: the stack already has a local named %s", local)
			}
			locals[local] = jsonLiteral(fake)
			replaced[typ+"."+name] = local
			delete(named, name)
		}
		if len(named) == 0 {
			delete(data, typ)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("verify: no fake for data sources that would call AWS: %s; "+
			"pass the attributes the stack reads as Options.DataSources[\"<type>\"] (or [\"data.<type>.<name>\"] for one of them)",
			strings.Join(missing, ", "))
	}
	if len(data) == 0 {
		delete(st.doc, "data")
	}
	if len(replaced) == 0 {
		return nil
	}
	rewrite := func(s string) (string, error) {
		refs, _, err := scanTemplate(s)
		if err != nil {
			return s, err
		}
		var edits []edit
		for _, r := range refs {
			if len(r.parts) < 3 || r.parts[0].name != "data" {
				continue
			}
			if local, ok := replaced[r.parts[1].name+"."+r.parts[2].name]; ok {
				end := r.start + len("data."+r.parts[1].name+"."+r.parts[2].name)
				edits = append(edits, edit{r.start, end, "local." + local})
			}
		}
		return splice(s, edits), nil
	}
	var errs []error
	for _, section := range []string{"resource", "data"} {
		for _, named := range mapOf(st.doc[section]) {
			for _, b := range mapOf(named) {
				body := mapOf(b)
				dropDependsOn(body, replaced)
				for k, v := range body {
					if k == "//" || k == "depends_on" {
						continue
					}
					nv, err := rewriteStrings(v, rewrite)
					errs = append(errs, err)
					body[k] = nv
				}
			}
		}
	}
	for _, section := range []string{"locals", "output"} {
		for k, v := range mapOf(st.doc[section]) {
			if section == "output" {
				dropDependsOn(mapOf(v), replaced)
			}
			nv, err := rewriteStrings(v, rewrite)
			errs = append(errs, err)
			mapOf(st.doc[section])[k] = nv
		}
	}
	for _, p := range mapOf(st.doc["provider"]) {
		for _, b := range blocks(p) {
			for k, v := range b {
				nv, err := rewriteStrings(v, rewrite)
				errs = append(errs, err)
				b[k] = nv
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("verify: %w", err)
	}
	return nil
}

func dropDependsOn(body map[string]any, replaced map[string]string) {
	deps, ok := body["depends_on"].([]any)
	if !ok {
		return
	}
	var kept []any
	for _, d := range deps {
		s, _ := d.(string)
		ref := strings.TrimSuffix(strings.TrimPrefix(s, "${"), "}")
		if _, gone := replaced[strings.TrimPrefix(ref, "data.")]; gone && strings.HasPrefix(ref, "data.") {
			continue
		}
		kept = append(kept, d)
	}
	body["depends_on"] = kept
	if len(kept) == 0 {
		delete(body, "depends_on")
	}
}

// rewriteStrings applies fn to every string in v (not to object keys).
func rewriteStrings(v any, fn func(string) (string, error)) (any, error) {
	switch v := v.(type) {
	case string:
		return fn(v)
	case []any:
		var errs []error
		for i, e := range v {
			nv, err := rewriteStrings(e, fn)
			errs = append(errs, err)
			v[i] = nv
		}
		return v, errors.Join(errs...)
	case map[string]any:
		var errs []error
		for k, e := range v {
			nv, err := rewriteStrings(e, fn)
			errs = append(errs, err)
			v[k] = nv
		}
		return v, errors.Join(errs...)
	}
	return v, nil
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
