package verify

import (
	"github.com/tapstack/infra/awsid"
	"github.com/tapstack/infra/internal/awsfake"
	"github.com/tapstack/infra/internal/engine"
	"github.com/tapstack/infra/internal/tfjson"

	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
)

// Options configures Deploy and Compare. The zero value works on a machine with the
// Terraform CLI on PATH and a provider mirror FindPluginDir finds.
type Options struct {
	// Engine is the CLI and provider mirror. Zero fields are discovered (FindEngine).
	Engine Engine
	// DataSources are fakes for data sources that would call AWS, replacing verify's
	// built-in ones: the object of attributes the stack reads, keyed by data source type
	// ("aws_ami") or by the address of one data source ("data.aws_ami.ubuntu"), the
	// address winning. A data source that would call AWS and has no fake is an error.
	DataSources map[string]map[string]any
	// Computed are values for attributes that AWS decides at apply time, replacing
	// verify's built-in fakes, keyed by "<resource type>.<attribute>" ("aws_lb.dns_name")
	// or, below the top level, the dotted path without indexes
	// ("aws_lb_listener.default_action.order").
	Computed map[string]any
	// Dir is where Deploy creates its working directory (a new directory per
	// deployment). Default: the system's temporary directory.
	Dir string
	// Keep keeps the working directory on Close, to reproduce a verdict by hand with
	// the engine (terraform plan -refresh=false in that directory).
	Keep bool
}

// Deployment is a stack fake-applied into a local state: the prior state that later
// stacks are planned against. Its methods are safe for concurrent use; plans against one
// deployment run one at a time.
type Deployment struct {
	mu        sync.Mutex
	eng       engine.Engine
	opts      Options
	dir       string
	deployed  *stack
	providers []string
	// schemaWait waits for the provider schemas of the last init.
	schemaWait func() (*schemas, error)
	version    string
	state      map[string]*instance // by instance address
	done       map[string]bool      // resources (addresses) in the state
	waves      int
}

// instance is a resource instance in the fake state.
type instance struct {
	addr, typ, name string
	key             any
	multi           bool
	each            string // "list" or "map" for count or for_each
	provider        string
	schemaVersion   int
	attrs           map[string]any
	sensitive       []any
	private         []byte
	deps            []string
	cbd             bool
}

// Deploy fake-applies a synthesized stack (Terraform JSON, as cdktf writes cdk.tf.json):
// it plans the stack with the real provider offline and puts every resource into a
// local state with the provider's planned values, and deterministic fakes where AWS
// decides (ids, ARNs, endpoints, ...). Close the deployment to remove its working
// directory.
func Deploy(ctx context.Context, stack []byte, opts Options) (*Deployment, error) {
	st, err := prepare(stack, opts)
	if err != nil {
		return nil, err
	}
	eng, err := opts.Engine.resolve()
	if err != nil {
		return nil, fmt.Errorf("verify: %w", err)
	}
	dir, err := os.MkdirTemp(opts.Dir, "verify-")
	if err != nil {
		return nil, fmt.Errorf("verify: %w", err)
	}
	d := &Deployment{eng: eng, opts: opts, dir: dir, deployed: st, state: map[string]*instance{}}
	if err := d.fakeApply(ctx, st); err != nil {
		if opts.Keep {
			err = fmt.Errorf("%w\n(working directory kept: %s)", err, dir)
		}
		_ = d.Close()
		return nil, err
	}
	return d, nil
}

// Dir returns the working directory: the configuration last planned, the fake state
// (terraform.tfstate) and the plan file.
func (d *Deployment) Dir() string { return d.dir }

// Close removes the working directory, unless Options.Keep. Closing twice is harmless.
func (d *Deployment) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.dir == "" || d.opts.Keep {
		d.dir = ""
		return nil
	}
	err := os.RemoveAll(d.dir)
	d.dir = ""
	return err
}

// Plan plans a stack against the deployment and returns every resource change. It may be
// called several times: the deployment does not change.
func (d *Deployment) Plan(ctx context.Context, stack []byte) (*Report, error) {
	doc, err := tfjson.Parse(stack)
	if err != nil {
		return nil, fmt.Errorf("verify: %w", err)
	}
	d.keepProviders(doc)
	raw, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("verify: %w", err)
	}
	st, err := prepare(raw, d.opts)
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.dir == "" {
		return nil, errors.New("verify: Plan on a closed deployment")
	}
	if err := d.writeConfig(ctx, st.doc, st); err != nil {
		return nil, err
	}
	if _, err := d.schemaWait(); err != nil {
		return nil, err
	}
	changes, err := d.plan(ctx, "the stack against the deployment")
	if err != nil {
		return nil, err
	}
	return d.report(changes, st), nil
}

// keepProviders gives a stack that has no aws provider block the deployed stack's: the
// resources in the state need their provider configured (offline) to be planned for
// deletion, also when the new stack no longer mentions AWS at all.
func (d *Deployment) keepProviders(doc tfjson.Doc) {
	deployed := tfjson.Blocks(tfjson.MapOf(d.deployed.orig["provider"])["aws"])
	if len(deployed) == 0 {
		return
	}
	providers := tfjson.MapOf(doc["provider"])
	if providers == nil {
		providers = map[string]any{}
		doc["provider"] = providers
	}
	if len(tfjson.Blocks(providers["aws"])) > 0 {
		return
	}
	var keep []any
	for _, p := range deployed {
		keep = append(keep, deepCopy(p))
	}
	providers["aws"] = keep
}

// Compare fake-applies before, plans after against it and returns the verdict.
func Compare(ctx context.Context, before, after []byte, opts Options) (*Report, error) {
	d, err := Deploy(ctx, before, opts)
	if err != nil {
		return nil, err
	}
	defer func() { _ = d.Close() }()
	return d.Plan(ctx, after)
}

const planFile = "verify.tfplan"

func writeJSONFile(path string, v any) error {
	raw, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, raw, 0o644)
}

// writeConfig writes the configuration to plan (doc) with the override of st, and runs
// init when the providers changed since the last init.
func (d *Deployment) writeConfig(ctx context.Context, doc map[string]any, st *stack) error {
	if err := os.WriteFile(filepath.Join(d.dir, ".terraformrc"), nil, 0o644); err != nil {
		return fmt.Errorf("verify: %w", err)
	}
	if err := writeJSONFile(filepath.Join(d.dir, "main.tf.json"), doc); err != nil {
		return fmt.Errorf("verify: %w", err)
	}
	override := filepath.Join(d.dir, overrideFile)
	if len(st.override) == 0 {
		_ = os.Remove(override)
	} else if err := writeJSONFile(override, st.override); err != nil {
		return fmt.Errorf("verify: %w", err)
	}
	if d.schemaWait != nil && slices.Equal(d.providers, st.providers) {
		return nil
	}
	if d.schemaWait != nil {
		if _, err := d.schemaWait(); err != nil {
			return err
		}
	}
	if out, err := d.eng.Run(ctx, d.dir, "init", "-input=false", "-no-color", "-plugin-dir="+d.eng.PluginDir); err != nil {
		return fmt.Errorf("verify: %s init failed: %v\n%s", d.eng.Name(), err, strings.TrimSpace(string(out)))
	}
	d.providers = st.providers
	// The schemas load while the first plan runs: each costs a provider start.
	lock, _ := os.ReadFile(filepath.Join(d.dir, ".terraform.lock.hcl"))
	done := make(chan struct{})
	var s *schemas
	var serr error
	go func() {
		defer close(done)
		s, serr = loadSchemas(ctx, d.eng, d.dir, string(lock))
		if serr != nil {
			serr = fmt.Errorf("verify: %w", serr)
		}
	}()
	d.schemaWait = func() (*schemas, error) {
		<-done
		return s, serr
	}
	return nil
}

// plan runs the engine's plan (refresh off: the fake state is the truth) and reads it.
func (d *Deployment) plan(ctx context.Context, what string) ([]engine.Change, error) {
	out, err := d.eng.Run(ctx, d.dir, "plan", "-refresh=false", "-input=false", "-lock=false", "-json", "-out="+planFile)
	if err != nil {
		return nil, fmt.Errorf("verify: %s plan of %s failed (%v):\n%s", d.eng.Name(), what, err, diagnostics(out))
	}
	changes, err := engine.ReadPlanFile(filepath.Join(d.dir, planFile))
	if errors.Is(err, engine.ErrPlanFormat) {
		out, serr := d.eng.Run(ctx, d.dir, "show", "-json", planFile)
		if serr != nil {
			return nil, fmt.Errorf("verify: %s show -json: %v\n%s", d.eng.Name(), serr, out)
		}
		changes, err = engine.ReadPlanJSON(out)
	}
	if err != nil {
		return nil, fmt.Errorf("verify: reading the plan of %s: %w", what, err)
	}
	for _, c := range changes {
		if c.Module != "" {
			return nil, fmt.Errorf("verify: the plan of %s has %s, in a module: verify supports root module resources only", what, c.Addr)
		}
	}
	return changes, nil
}

// report turns the changes of a plan into a Report.
func (d *Deployment) report(changes []engine.Change, st *stack) *Report {
	r := &Report{Changes: []Change{}}
	for _, ref := range tfjson.SortedKeys(st.places) {
		if old, ok := d.deployed.places[ref]; ok && len(movedParts(old, st.places[ref], false)) > 0 {
			r.Moves = append(r.Moves, Move{Provider: ref, From: old.String(), To: st.places[ref].String()})
		}
	}
	for _, c := range changes {
		if c.Mode != "managed" || c.Deposed != "" {
			continue
		}
		ch := Change{Address: c.Addr, Type: c.Type, Reason: c.Reason}
		moved := d.moved(c, st)
		switch c.Action {
		case "create":
			ch.Action = Create
		case "update":
			ch.Action = Update
		case "delete-then-create":
			ch.Action = Replace
		case "create-then-delete":
			ch.Action, ch.CreateBeforeDestroy = Replace, true
		case "delete":
			ch.Action = Delete
		case "forget", "create-then-forget":
			ch.Action = Forget
		}
		for _, p := range c.ReplacePaths {
			ch.ReplacePaths = append(ch.ReplacePaths, formatPath(p))
		}
		if len(moved) > 0 && ch.Action != Delete && ch.Action != Forget {
			ch.Action, ch.CreateBeforeDestroy, ch.Reason, ch.ReplacePaths = Replace, false, ReasonProviderMoved, moved
		}
		if ch.Action == "" {
			continue
		}
		sort.Strings(ch.ReplacePaths)
		ch.Path = c.Addr
		res := st.resources[c.Type+"."+c.Name]
		if res == nil {
			res = d.deployed.resources[c.Type+"."+c.Name]
		}
		if res != nil && res.path != "" {
			ch.Path = res.path
			if c.Index != nil {
				ch.Path += strings.TrimPrefix(c.Addr, res.addr())
			}
		}
		r.Changes = append(r.Changes, ch)
	}
	sort.Slice(r.Changes, func(i, j int) bool { return r.Changes[i].Address < r.Changes[j].Address })
	return r
}

// moved returns what moved of the place of an instance the deployment has and the plan
// keeps (provider.region, provider.account, provider.partition), or nothing.
func (d *Deployment) moved(c engine.Change, st *stack) []string {
	in := d.state[c.Addr]
	if in == nil || !strings.HasPrefix(c.Type, "aws_") {
		return nil
	}
	switch c.Action {
	case "no-op", "update", "delete-then-create", "create-then-delete":
	default:
		return nil
	}
	old, ok := d.deployed.places[providerRefOf(in.provider)]
	now, ok2 := st.places[providerRefOf(c.Provider)]
	if !ok || !ok2 {
		return nil
	}
	return movedParts(old, now, awsfake.Global(c.Type))
}

// movedParts lists what differs between two places: provider.partition,
// provider.account (also when only one of them names an account) and, unless the
// resource is global, provider.region.
func movedParts(old, now awsid.Place, global bool) []string {
	var out []string
	if old.Account != now.Account {
		out = append(out, "provider.account")
	}
	if old.Partition != now.Partition {
		out = append(out, "provider.partition")
	}
	if !global && old.Region != now.Region {
		out = append(out, "provider.region")
	}
	return out
}

// providerRefOf turns a provider configuration address of a plan or a state
// (provider["registry.terraform.io/hashicorp/aws"].west) into the reference resources use
// ("aws.west").
func providerRefOf(addr string) string {
	src := addr
	alias := ""
	if rest, ok := strings.CutPrefix(addr, `provider["`); ok {
		if s, a, ok := strings.Cut(rest, `"]`); ok {
			src, alias = s, strings.TrimPrefix(a, ".")
		}
	}
	name := src[strings.LastIndex(src, "/")+1:]
	if engine.IsAWSSource(src) {
		name = "aws"
	}
	if alias != "" {
		name += "." + alias
	}
	return name
}

// writeState writes the fake state as the default local state of the working directory.
func (d *Deployment) writeState(serial int) error {
	type stateInstance struct {
		IndexKey            any            `json:"index_key,omitempty"`
		SchemaVersion       int            `json:"schema_version"`
		Attributes          map[string]any `json:"attributes"`
		SensitiveAttributes []any          `json:"sensitive_attributes"`
		Private             []byte         `json:"private,omitempty"`
		Dependencies        []string       `json:"dependencies,omitempty"`
		CreateBeforeDestroy bool           `json:"create_before_destroy,omitempty"`
	}
	type stateResource struct {
		Mode      string          `json:"mode"`
		Type      string          `json:"type"`
		Name      string          `json:"name"`
		Each      string          `json:"each,omitempty"`
		Provider  string          `json:"provider"`
		Instances []stateInstance `json:"instances"`
	}
	byRes := map[string]*stateResource{}
	var order []string
	addrs := tfjson.SortedKeys(d.state)
	for _, a := range addrs {
		in := d.state[a]
		key := in.typ + "." + in.name
		sr := byRes[key]
		if sr == nil {
			sr = &stateResource{Mode: "managed", Type: in.typ, Name: in.name, Each: in.each, Provider: in.provider}
			byRes[key] = sr
			order = append(order, key)
		}
		sensitive := in.sensitive
		if sensitive == nil {
			sensitive = []any{}
		}
		si := stateInstance{SchemaVersion: in.schemaVersion, Attributes: in.attrs, SensitiveAttributes: sensitive,
			Private: in.private, Dependencies: in.deps, CreateBeforeDestroy: in.cbd}
		if in.key != nil {
			si.IndexKey = in.key
		}
		sr.Instances = append(sr.Instances, si)
	}
	sort.Strings(order)
	resources := []*stateResource{}
	for _, k := range order {
		resources = append(resources, byRes[k])
	}
	doc := map[string]any{
		"version": 4, "terraform_version": d.version, "serial": serial, "lineage": awsfake.UUID("lineage/" + d.dir),
		"outputs": map[string]any{}, "resources": resources, "check_results": nil,
	}
	if err := writeJSONFile(filepath.Join(d.dir, "terraform.tfstate"), doc); err != nil {
		return fmt.Errorf("verify: writing the fake state: %w", err)
	}
	return nil
}
