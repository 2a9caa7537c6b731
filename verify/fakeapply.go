package verify

import (
	"github.com/tapstack/infra/internal/awsfake"
	"github.com/tapstack/infra/internal/engine"
	"github.com/tapstack/infra/internal/tfjson"

	"context"
	"fmt"
	"sort"
	"strings"
)

// The fake apply. Applying for real creates resources in dependency order because a
// resource's arguments may name values of another one (an id, an ARN) known only once
// that one exists. Planning a stack against an empty state leaves those arguments tfjson.Unknown,
// so a naive fake apply needs a plan per level of the dependency graph (7 for the
// TapStack). verify predicts the values instead: an argument set by the configuration
// is evaluated (literals, and templates of references to other resources), an attribute
// AWS decides is faked (the same fake it will put into the state). Every reference to a
// resource not yet in the state is replaced by its prediction in the configuration
// planned, so that one plan gives fully known planned values for every resource.
// Predictions are then checked against the provider's planned values; a resource whose
// prediction the provider contradicts, or whose references verify cannot evaluate (a
// function of another resource's attribute, say), waits for the next wave, when what it
// references is in the state and the engine resolves it itself.

// prediction is one inlined reference: the value verify predicted for a path of an
// instance.
type prediction struct {
	target string // instance address
	path   []tfjson.Part
	value  any
}

// predictor evaluates references to resources that are not yet in the state.
type predictor struct {
	d    *Deployment
	st   *stack
	last map[string]map[string]any // instance -> normalized planned values of the previous wave
	memo map[string]any
	busy map[string]bool
}

// managedRef splits a traversal into the resource it names, the instance address and the
// rest of the path; res is nil when the traversal does not name a resource of the stack.
func (p *predictor) managedRef(parts []tfjson.Part) (res *resource, inst string, rest []tfjson.Part) {
	if len(parts) < 2 || parts[0].Name == "" || parts[1].Name == "" {
		return nil, "", nil
	}
	res = p.st.resources[parts[0].Name+"."+parts[1].Name]
	if res == nil {
		return nil, "", nil
	}
	rest = parts[2:]
	inst = res.addr()
	if res.multi {
		if len(rest) == 0 || rest[0].Name != "" || rest[0].Splat {
			return res, "", nil
		}
		inst = instanceAddr(res.addr(), rest[0].Key)
		rest = rest[1:]
	}
	return res, inst, rest
}

// ref evaluates a reference to a resource attribute.
func (p *predictor) ref(parts []tfjson.Part) (any, error) {
	res, inst, rest := p.managedRef(parts)
	if res == nil || inst == "" || len(rest) == 0 || rest[0].Name == "" {
		return nil, tfjson.ErrUnresolvable
	}
	if in, ok := p.d.state[inst]; ok {
		return tfjson.Navigate(in.attrs, rest)
	}
	v, err := p.attr(res, inst, rest[0].Name)
	if err != nil {
		return nil, err
	}
	return tfjson.Navigate(v, rest[1:])
}

// attr predicts a top-level attribute of an instance not yet in the state.
func (p *predictor) attr(res *resource, inst, name string) (any, error) {
	key := inst + "." + name
	if v, ok := p.memo[key]; ok {
		if v == tfjson.ErrUnresolvable {
			return nil, tfjson.ErrUnresolvable
		}
		return v, nil
	}
	if p.busy[key] {
		return nil, tfjson.ErrUnresolvable
	}
	p.busy[key] = true
	defer delete(p.busy, key)
	v, err := p.attrUncached(res, inst, name)
	if err != nil {
		p.memo[key] = tfjson.ErrUnresolvable
		return nil, err
	}
	p.memo[key] = v
	return v, nil
}

func (p *predictor) attrUncached(res *resource, inst, name string) (any, error) {
	if planned, ok := p.last[inst][name]; ok && tfjson.Known(planned) {
		return planned, nil
	}
	if v, ok := res.body[name]; ok && v != nil {
		switch name {
		case "count", "for_each", "depends_on", "lifecycle", "provider", "provisioner", "connection", "//":
			return nil, tfjson.ErrUnresolvable
		}
		return p.eval(v)
	}
	fc := p.st.fakeCtx(res, inst, func(a string) (any, bool) {
		v, err := p.attr(res, inst, a)
		return v, err == nil
	})
	v, ok, err := p.d.fakeValue(fc, []string{name}, nil)
	if err != nil {
		return nil, err
	}
	if ok {
		return v, nil
	}
	return nil, tfjson.ErrUnresolvable
}

// eval evaluates a configuration value whose interpolations are only references to
// resources (of the state, or predicted).
func (p *predictor) eval(v any) (any, error) { return tfjson.Eval(v, p.ref) }

// inline replaces, in a copy of the configuration, every reference to a resource not in
// the state by its prediction where verify can predict it. It returns the copy and the
// predictions used by each resource (by resource address).
func (p *predictor) inline() (map[string]any, map[string][]prediction, error) {
	doc := deepCopy(p.st.doc).(map[string]any)
	preds := map[string][]prediction{}
	rewriteBody := func(owner string, body map[string]any) error {
		for k, v := range body {
			switch k {
			case "//", "depends_on", "lifecycle", "provider":
				continue
			}
			nv, err := p.inlineValue(owner, v, preds)
			if err != nil {
				return err
			}
			body[k] = nv
		}
		return nil
	}
	for _, addr := range tfjson.SortedKeys(p.st.resources) {
		res := p.st.resources[addr]
		if p.d.applied(res) {
			continue
		}
		body := tfjson.MapOf(tfjson.MapOf(tfjson.MapOf(doc["resource"])[res.typ])[res.name])
		if err := rewriteBody(addr, body); err != nil {
			return nil, nil, err
		}
	}
	for typ, named := range tfjson.MapOf(doc["data"]) {
		for name, b := range tfjson.MapOf(named) {
			if err := rewriteBody("data."+typ+"."+name, tfjson.MapOf(b)); err != nil {
				return nil, nil, err
			}
		}
	}
	locals := tfjson.MapOf(doc["locals"])
	for k, v := range locals {
		nv, err := p.inlineValue("local."+k, v, preds)
		if err != nil {
			return nil, nil, err
		}
		locals[k] = nv
	}
	return doc, preds, nil
}

func (p *predictor) inlineValue(owner string, v any, preds map[string][]prediction) (any, error) {
	switch v := v.(type) {
	case string:
		refs, _, err := tfjson.ScanTemplate(v)
		if err != nil {
			return nil, fmt.Errorf("verify: %s: %w", owner, err)
		}
		var edits []tfjson.Edit
		for _, r := range refs {
			res, inst, rest := p.managedRef(r.Parts)
			if res == nil || inst == "" || p.d.applied(res) {
				continue
			}
			val, err := p.ref(r.Parts)
			if err != nil {
				continue
			}
			if r.Whole {
				preds[owner] = append(preds[owner], prediction{inst, rest, val})
				return tfjson.JSONLiteral(val), nil
			}
			lit, err := tfjson.HCLLiteral(val)
			if err != nil {
				continue
			}
			preds[owner] = append(preds[owner], prediction{inst, rest, val})
			edits = append(edits, tfjson.Edit{Start: r.Start, End: r.End, Text: lit})
		}
		return tfjson.Splice(v, edits), nil
	case []any:
		for i, e := range v {
			nv, err := p.inlineValue(owner, e, preds)
			if err != nil {
				return nil, err
			}
			v[i] = nv
		}
	case map[string]any:
		for k, e := range v {
			nv, err := p.inlineValue(owner, e, preds)
			if err != nil {
				return nil, err
			}
			v[k] = nv
		}
	}
	return v, nil
}

// refsOf collects the resources a configuration value references, directly or through
// locals and data sources of doc, keyed by resource address; with dependsOn, the
// depends_on entries too.
func refsOf(st *stack, doc map[string]any, v any, dependsOn bool, seen, out map[string]bool) {
	add := func(parts []tfjson.Part) {
		if len(parts) < 2 {
			return
		}
		root, second := parts[0].Name, parts[1].Name
		switch {
		case root == "local" && second != "":
			if !seen["local."+second] {
				seen["local."+second] = true
				refsOf(st, doc, tfjson.MapOf(doc["locals"])[second], dependsOn, seen, out)
			}
		case root == "data" && len(parts) >= 3 && second != "":
			key := "data." + second + "." + parts[2].Name
			if !seen[key] {
				seen[key] = true
				refsOf(st, doc, tfjson.MapOf(tfjson.MapOf(doc["data"])[second])[parts[2].Name], dependsOn, seen, out)
			}
		case st.resources[root+"."+second] != nil:
			out[root+"."+second] = true
		}
	}
	switch v := v.(type) {
	case string:
		refs, _, err := tfjson.ScanTemplate(v)
		if err != nil {
			return
		}
		for _, r := range refs {
			add(r.Parts)
		}
	case []any:
		for _, e := range v {
			refsOf(st, doc, e, dependsOn, seen, out)
		}
	case map[string]any:
		for k, e := range v {
			switch k {
			case "//":
				continue
			case "depends_on":
				if dependsOn {
					for _, entry := range blocksOrStrings(e) {
						entry = strings.TrimSuffix(strings.TrimPrefix(entry, "${"), "}")
						var parts []tfjson.Part
						for _, name := range strings.Split(entry, ".") {
							parts = append(parts, tfjson.Part{Name: name})
						}
						add(parts)
					}
				}
				continue
			}
			refsOf(st, doc, e, dependsOn, seen, out)
		}
	}
}

func blocksOrStrings(v any) []string {
	var out []string
	l, _ := v.([]any)
	for _, e := range l {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// resourceRefs returns the resources a resource of doc references (not itself); with
// dependsOn, also those it names in depends_on.
func resourceRefs(st *stack, doc map[string]any, res *resource, dependsOn bool) map[string]bool {
	out := map[string]bool{}
	body := tfjson.MapOf(tfjson.MapOf(tfjson.MapOf(doc["resource"])[res.typ])[res.name])
	refsOf(st, doc, body, dependsOn, map[string]bool{}, out)
	delete(out, res.addr())
	return out
}

func (d *Deployment) applied(res *resource) bool {
	return d.done[res.addr()]
}

// dependencies returns, for every resource of st, the resources it depends on as the
// engine records them in the state: every managed resource it references or names in
// depends_on, directly or through locals, data sources, ephemeral resources and other
// resources (the transitive closure), read from the stack as written. cbd holds the
// resources the engine applies create-before-destroy: those whose lifecycle says so,
// and everything they depend on (a dependency of a create-before-destroy resource must
// be one too, or the engine's graph has a cycle), as the engine records them in the
// state.
func dependencies(st *stack) (deps map[string]map[string]bool, cbd map[string]bool) {
	direct := map[string]map[string]bool{}
	for addr, res := range st.resources {
		direct[addr] = resourceRefs(st, st.orig, res, true)
	}
	deps = map[string]map[string]bool{}
	var closure func(addr string, seen map[string]bool)
	closure = func(addr string, seen map[string]bool) {
		for dep := range direct[addr] {
			if !seen[dep] {
				seen[dep] = true
				closure(dep, seen)
			}
		}
	}
	for addr := range st.resources {
		seen := map[string]bool{}
		closure(addr, seen)
		delete(seen, addr)
		deps[addr] = seen
	}
	cbd = map[string]bool{}
	for addr, res := range st.resources {
		body := tfjson.MapOf(tfjson.MapOf(tfjson.MapOf(st.orig["resource"])[res.typ])[res.name])
		if tfjson.MapOf(body["lifecycle"])["create_before_destroy"] != true {
			continue
		}
		cbd[addr] = true
		for dep := range deps[addr] {
			cbd[dep] = true
		}
	}
	return deps, cbd
}

// fakeApply builds the fake state of st, wave by wave (usually one).
func (d *Deployment) fakeApply(ctx context.Context, st *stack) (err error) {
	d.done = map[string]bool{}
	if err := d.writeConfig(ctx, st.doc, st); err != nil {
		return err
	}
	defer func() {
		if _, serr := d.schemaWait(); err == nil && serr != nil {
			err = serr
		}
	}()
	if d.version, err = d.eng.Version(ctx, d.dir); err != nil {
		return fmt.Errorf("verify: %w", err)
	}
	deps, cbd := dependencies(st)
	var last map[string]map[string]any
	for wave := 1; ; wave++ {
		var pending []string
		for _, addr := range tfjson.SortedKeys(st.resources) {
			if !d.done[addr] {
				pending = append(pending, addr)
			}
		}
		if len(pending) == 0 {
			return d.writeState(wave)
		}
		if wave > len(st.resources)+1 {
			return fmt.Errorf("verify: the fake apply made no progress after %d waves", wave-1)
		}
		d.waves = wave
		p := &predictor{d: d, st: st, last: last, memo: map[string]any{}, busy: map[string]bool{}}
		doc, preds, err := p.inline()
		if err != nil {
			return err
		}
		if err := d.writeConfig(ctx, doc, st); err != nil {
			return err
		}
		if err := d.writeState(wave); err != nil {
			return err
		}
		changes, err := d.plan(ctx, fmt.Sprintf("the stack to deploy (fake apply, wave %d)", wave))
		if err != nil {
			return err
		}
		schemas, err := d.schemaWait()
		if err != nil {
			return err
		}
		stuck, err := d.commitWave(st, doc, deps, cbd, preds, changes, schemas)
		if err != nil {
			return err
		}
		if len(stuck) == len(pending) {
			var b strings.Builder
			for _, addr := range pending {
				fmt.Fprintf(&b, "\n  - %s: %s", addr, stuck[addr])
			}
			return fmt.Errorf("verify: the fake apply cannot place these resources into the state:%s", b.String())
		}
		last = map[string]map[string]any{}
		for _, c := range changes {
			if c.Mode != "managed" {
				continue
			}
			if rs, err := schemas.resource(c.Provider, c.Type); err == nil {
				if m, ok := normalize(c.After, rs.typ).(map[string]any); ok {
					last[c.Addr] = m
				}
			}
		}
	}
}

// commitWave puts into the state every pending resource of the wave that is ready: its
// configuration no longer references a resource out of the state, each prediction it
// used matches the planned values, and everything it references is in the state or
// ready too. It returns why each other pending resource waits.
func (d *Deployment) commitWave(st *stack, doc map[string]any, deps map[string]map[string]bool, cbd map[string]bool,
	preds map[string][]prediction, changes []engine.Change, schemas *schemas) (map[string]string, error) {
	byRes := map[string][]engine.Change{}
	for _, c := range changes {
		if c.Mode == "managed" && c.Deposed == "" {
			byRes[c.Type+"."+c.Name] = append(byRes[c.Type+"."+c.Name], c)
		}
	}
	stuck := map[string]string{}
	ready := map[string]bool{}
	final := map[string]*instance{}
	for _, addr := range tfjson.SortedKeys(st.resources) {
		if d.done[addr] {
			continue
		}
		res := st.resources[addr]
		var waiting []string
		for dep := range resourceRefs(st, doc, res, false) {
			if !d.done[dep] {
				waiting = append(waiting, dep)
			}
		}
		if len(waiting) > 0 {
			sort.Strings(waiting)
			stuck[addr] = "references " + strings.Join(waiting, ", ") + " in a way verify cannot predict"
			continue
		}
		ok := true
		for _, c := range byRes[addr] {
			if c.Action != "create" {
				stuck[addr] = fmt.Sprintf("%s is planned to %s, not to create", c.Addr, c.Action)
				ok = false
				break
			}
			in, err := d.fill(st, res, c, schemas)
			if err != nil {
				return nil, err
			}
			in.deps = tfjson.SortedKeys(deps[addr])
			in.cbd = cbd[addr]
			final[c.Addr] = in
		}
		if ok && !res.multi && len(byRes[addr]) == 0 {
			stuck[addr] = "the plan has no change for it"
			ok = false
		}
		ready[addr] = ok
	}
	for changed := true; changed; {
		changed = false
		for addr, ok := range ready {
			if !ok {
				continue
			}
			why := ""
			for _, pr := range preds[addr] {
				in := final[pr.target]
				if in == nil || !ready[strings.SplitN(pr.target, "[", 2)[0]] {
					why = "its prediction of " + pr.target + " waits for that resource"
					break
				}
				got, err := tfjson.Navigate(in.attrs, pr.path)
				if err != nil || !sameValue(pr.value, got) {
					why = fmt.Sprintf("the plan says %s.%s = %s, verify predicted %s", pr.target, tfjson.RenderParts(pr.path), short(got), short(pr.value))
					break
				}
			}
			for dep := range deps[addr] {
				if why == "" && !d.done[dep] && !ready[dep] {
					why = "it depends on " + dep + ", which waits"
				}
			}
			if why != "" {
				ready[addr], stuck[addr], changed = false, why, true
			}
		}
	}
	for addr, ok := range ready {
		if !ok {
			continue
		}
		d.done[addr] = true
		for inst, in := range final {
			if strings.SplitN(inst, "[", 2)[0] == addr {
				d.state[inst] = in
			}
		}
	}
	return stuck, nil
}

func short(v any) string {
	s := fmt.Sprintf("%v", v)
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	return fmt.Sprintf("%q", s)
}

// fill turns the planned change of an instance into its fake state: the planned values
// with every unknown replaced by its fake.
func (d *Deployment) fill(st *stack, res *resource, c engine.Change, schemas *schemas) (*instance, error) {
	rs, err := schemas.resource(c.Provider, c.Type)
	if err != nil {
		return nil, fmt.Errorf("verify: %s: %w", c.Addr, err)
	}
	after, _ := normalize(c.After, rs.typ).(map[string]any)
	if after == nil {
		return nil, fmt.Errorf("verify: %s: the plan has no planned value", c.Addr)
	}
	filled := map[string]any{}
	busy := map[string]bool{}
	var get func(attr string) (any, bool)
	f := &filler{d: d, fc: st.fakeCtx(res, c.Addr, func(a string) (any, bool) { return get(a) })}
	get = func(attr string) (any, bool) {
		if v, ok := filled[attr]; ok {
			return v, true
		}
		t := rs.typ.attrs[attr]
		if t == nil || busy[attr] {
			return nil, false
		}
		busy[attr] = true
		defer delete(busy, attr)
		v := f.value(after[attr], t, []string{attr})
		filled[attr] = v
		return v, true
	}
	for attr := range rs.typ.attrs {
		get(attr)
	}
	if f.err != nil {
		return nil, f.err
	}
	in := &instance{addr: c.Addr, typ: c.Type, name: c.Name, key: c.Index, multi: res.multi, provider: c.Provider,
		schemaVersion: rs.version, attrs: filled, private: c.Private}
	if res.multi {
		in.each = "list"
		if _, ok := res.body["for_each"]; ok {
			in.each = "map"
		}
	}
	for _, p := range c.AfterSensitive {
		in.sensitive = append(in.sensitive, statePath(p, rs.typ))
	}
	return in, nil
}

// filler replaces the unknowns of planned values by fakes, and keeps the first error.
type filler struct {
	d   *Deployment
	fc  awsfake.Ctx
	err error
}

func (f *filler) fake(path []string, t *ctyType) any {
	v, _, err := f.d.fakeValue(f.fc, path, t)
	if err != nil && f.err == nil {
		f.err = err
	}
	return v
}

// value replaces the unknowns in v by fakes.
func (f *filler) value(v any, t *ctyType, path []string) any {
	if v == tfjson.Unknown {
		return conform(f.fake(path, t), t)
	}
	if d, ok := v.(tfjson.DynamicValue); ok && !tfjson.Known(d.Value) {
		// An unknown of a known type: the fake keeps the type the plan gives.
		fake := f.fake(path, t)
		if fd, ok := fake.(tfjson.DynamicValue); ok {
			return fd
		}
		if fake == nil {
			return nil
		}
		return tfjson.DynamicValue{Type: d.Type, Value: fake}
	}
	switch t.kind {
	case "object":
		m, ok := v.(map[string]any)
		if !ok {
			return v
		}
		out := make(map[string]any, len(t.attrs))
		for k, at := range t.attrs {
			out[k] = f.value(m[k], at, append(append([]string(nil), path...), k))
		}
		return out
	case "list", "set":
		l, ok := v.([]any)
		if !ok {
			return v
		}
		out := make([]any, len(l))
		for i, e := range l {
			out[i] = f.value(e, t.elem, path)
		}
		return out
	case "map":
		m, ok := v.(map[string]any)
		if !ok {
			return v
		}
		out := make(map[string]any, len(m))
		for k, e := range m {
			out[k] = f.value(e, t.elem, path)
		}
		return out
	}
	return v
}

// conform gives a fake value the exact shape of its type.
func conform(v any, t *ctyType) any {
	if v == nil || t == nil {
		return v
	}
	if t.kind == "dynamic" {
		if d, ok := v.(tfjson.DynamicValue); ok {
			return d
		}
		return tfjson.DynamicValue{Type: inferType(v), Value: v}
	}
	return normalize(v, t)
}
