package verify

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

// The fake apply. Applying for real creates resources in dependency order because a
// resource's arguments may name values of another one (an id, an ARN) known only once
// that one exists. Planning a stack against an empty state leaves those arguments unknown,
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
	path   []part
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
func (p *predictor) managedRef(parts []part) (res *resource, inst string, rest []part) {
	if len(parts) < 2 || parts[0].name == "" || parts[1].name == "" {
		return nil, "", nil
	}
	res = p.st.resources[parts[0].name+"."+parts[1].name]
	if res == nil {
		return nil, "", nil
	}
	rest = parts[2:]
	inst = res.addr()
	if res.multi {
		if len(rest) == 0 || rest[0].name != "" || rest[0].splat {
			return res, "", nil
		}
		inst = instanceAddr(res.addr(), rest[0].key)
		rest = rest[1:]
	}
	return res, inst, rest
}

// ref evaluates a reference to a resource attribute.
func (p *predictor) ref(parts []part) (any, error) {
	res, inst, rest := p.managedRef(parts)
	if res == nil || inst == "" || len(rest) == 0 || rest[0].name == "" {
		return nil, errUnresolvable
	}
	if in, ok := p.d.state[inst]; ok {
		return navigate(in.attrs, rest)
	}
	v, err := p.attr(res, inst, rest[0].name)
	if err != nil {
		return nil, err
	}
	return navigate(v, rest[1:])
}

// attr predicts a top-level attribute of an instance not yet in the state.
func (p *predictor) attr(res *resource, inst, name string) (any, error) {
	key := inst + "." + name
	if v, ok := p.memo[key]; ok {
		if v == errUnresolvable {
			return nil, errUnresolvable
		}
		return v, nil
	}
	if p.busy[key] {
		return nil, errUnresolvable
	}
	p.busy[key] = true
	defer delete(p.busy, key)
	v, err := p.attrUncached(res, inst, name)
	if err != nil {
		p.memo[key] = errUnresolvable
		return nil, err
	}
	p.memo[key] = v
	return v, nil
}

func (p *predictor) attrUncached(res *resource, inst, name string) (any, error) {
	if planned, ok := p.last[inst][name]; ok && known(planned) {
		return planned, nil
	}
	if v, ok := res.body[name]; ok && v != nil {
		switch name {
		case "count", "for_each", "depends_on", "lifecycle", "provider", "provisioner", "connection", "//":
			return nil, errUnresolvable
		}
		return p.eval(v)
	}
	fc := p.d.fakeCtx(res.typ, inst, p.st, func(a string) (any, bool) {
		v, err := p.attr(res, inst, a)
		return v, err == nil
	})
	if v, ok := fakeValue(fc, []string{name}, nil); ok {
		return v, nil
	}
	return nil, errUnresolvable
}

// eval evaluates a configuration value whose interpolations are only references to
// resources (of the state, or predicted).
func (p *predictor) eval(v any) (any, error) {
	switch v := v.(type) {
	case string:
		refs, spans, err := scanTemplate(v)
		if err != nil {
			return nil, err
		}
		if len(spans) == 0 {
			return unescapeTemplate(v), nil
		}
		if len(refs) == 1 && refs[0].whole {
			return p.ref(refs[0].parts)
		}
		if !pureTemplate(v, refs, spans) {
			return nil, errUnresolvable
		}
		var edits []edit
		for i, r := range refs {
			val, err := p.ref(r.parts)
			if err != nil {
				return nil, err
			}
			text := primitiveText(val)
			if text == "\x00" {
				return nil, errUnresolvable
			}
			edits = append(edits, edit{spans[i][0], spans[i][1], escapeTemplate(text)})
		}
		return unescapeTemplate(splice(v, edits)), nil
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			ev, err := p.eval(e)
			if err != nil {
				return nil, err
			}
			out[i] = ev
		}
		return out, nil
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			ev, err := p.eval(e)
			if err != nil {
				return nil, err
			}
			out[k] = ev
		}
		return out, nil
	}
	return v, nil
}

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
	for _, addr := range sortedKeys(p.st.resources) {
		res := p.st.resources[addr]
		if p.d.applied(res) {
			continue
		}
		body := mapOf(mapOf(mapOf(doc["resource"])[res.typ])[res.name])
		if err := rewriteBody(addr, body); err != nil {
			return nil, nil, err
		}
	}
	for typ, named := range mapOf(doc["data"]) {
		for name, b := range mapOf(named) {
			if err := rewriteBody("data."+typ+"."+name, mapOf(b)); err != nil {
				return nil, nil, err
			}
		}
	}
	locals := mapOf(doc["locals"])
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
		refs, _, err := scanTemplate(v)
		if err != nil {
			return nil, fmt.Errorf("verify: %s: %w", owner, err)
		}
		var edits []edit
		for _, r := range refs {
			res, inst, rest := p.managedRef(r.parts)
			if res == nil || inst == "" || p.d.applied(res) {
				continue
			}
			val, err := p.ref(r.parts)
			if err != nil {
				continue
			}
			if r.whole {
				preds[owner] = append(preds[owner], prediction{inst, rest, val})
				return jsonLiteral(val), nil
			}
			lit, err := hclLiteral(val)
			if err != nil {
				continue
			}
			preds[owner] = append(preds[owner], prediction{inst, rest, val})
			edits = append(edits, edit{r.start, r.end, lit})
		}
		return splice(v, edits), nil
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
	add := func(parts []part) {
		if len(parts) < 2 {
			return
		}
		root, second := parts[0].name, parts[1].name
		switch {
		case root == "local" && second != "":
			if !seen["local."+second] {
				seen["local."+second] = true
				refsOf(st, doc, mapOf(doc["locals"])[second], dependsOn, seen, out)
			}
		case root == "data" && len(parts) >= 3 && second != "":
			key := "data." + second + "." + parts[2].name
			if !seen[key] {
				seen[key] = true
				refsOf(st, doc, mapOf(mapOf(doc["data"])[second])[parts[2].name], dependsOn, seen, out)
			}
		case st.resources[root+"."+second] != nil:
			out[root+"."+second] = true
		}
	}
	switch v := v.(type) {
	case string:
		refs, _, err := scanTemplate(v)
		if err != nil {
			return
		}
		for _, r := range refs {
			add(r.parts)
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
						var parts []part
						for _, name := range strings.Split(entry, ".") {
							parts = append(parts, part{name: name})
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
	body := mapOf(mapOf(mapOf(doc["resource"])[res.typ])[res.name])
	refsOf(st, doc, body, dependsOn, map[string]bool{}, out)
	delete(out, res.addr())
	return out
}

func (d *Deployment) applied(res *resource) bool {
	return d.done[res.addr()]
}

// fakeCtx returns the context of the fakes of an instance.
func (d *Deployment) fakeCtx(typ, inst string, st *stack, get func(string) (any, bool)) fakeCtx {
	return fakeCtx{typ: typ, addr: inst, region: st.region, partition: st.partition, get: get, overrides: d.opts.Computed}
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
	if d.version, err = d.eng.version(ctx, d.dir); err != nil {
		return fmt.Errorf("verify: %w", err)
	}
	deps := map[string]map[string]bool{}
	for addr, res := range st.resources {
		deps[addr] = resourceRefs(st, st.doc, res, true)
	}
	var last map[string]map[string]any
	for wave := 1; ; wave++ {
		var pending []string
		for _, addr := range sortedKeys(st.resources) {
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
		stuck, err := d.commitWave(st, doc, deps, preds, changes, schemas)
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
			if c.mode != "managed" {
				continue
			}
			if rs, err := schemas.resource(c.provider, c.typ); err == nil {
				if m, ok := normalize(c.after, rs.typ).(map[string]any); ok {
					last[c.addr] = m
				}
			}
		}
	}
}

// commitWave puts into the state every pending resource of the wave that is ready: its
// configuration no longer references a resource out of the state, each prediction it
// used matches the planned values, and everything it references is in the state or
// ready too. It returns why each other pending resource waits.
func (d *Deployment) commitWave(st *stack, doc map[string]any, deps map[string]map[string]bool,
	preds map[string][]prediction, changes []plannedChange, schemas *schemas) (map[string]string, error) {
	byRes := map[string][]plannedChange{}
	for _, c := range changes {
		if c.mode == "managed" && c.deposed == "" {
			byRes[c.typ+"."+c.name] = append(byRes[c.typ+"."+c.name], c)
		}
	}
	stuck := map[string]string{}
	ready := map[string]bool{}
	final := map[string]*instance{}
	for _, addr := range sortedKeys(st.resources) {
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
			if c.action != "create" {
				stuck[addr] = fmt.Sprintf("%s is planned to %s, not to create", c.addr, c.action)
				ok = false
				break
			}
			in, err := d.fill(st, res, c, schemas)
			if err != nil {
				return nil, err
			}
			in.deps = sortedKeys(deps[addr])
			final[c.addr] = in
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
				got, err := navigate(in.attrs, pr.path)
				if err != nil || !sameValue(pr.value, got) {
					why = fmt.Sprintf("the plan says %s.%s = %s, verify predicted %s", pr.target, renderParts(pr.path), short(got), short(pr.value))
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
func (d *Deployment) fill(st *stack, res *resource, c plannedChange, schemas *schemas) (*instance, error) {
	rs, err := schemas.resource(c.provider, c.typ)
	if err != nil {
		return nil, fmt.Errorf("verify: %s: %w", c.addr, err)
	}
	after, _ := normalize(c.after, rs.typ).(map[string]any)
	if after == nil {
		return nil, fmt.Errorf("verify: %s: the plan has no planned value", c.addr)
	}
	filled := map[string]any{}
	busy := map[string]bool{}
	var get func(attr string) (any, bool)
	fc := d.fakeCtx(c.typ, c.addr, st, func(a string) (any, bool) { return get(a) })
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
		v := fillValue(fc, after[attr], t, []string{attr})
		filled[attr] = v
		return v, true
	}
	for attr := range rs.typ.attrs {
		get(attr)
	}
	in := &instance{addr: c.addr, typ: c.typ, name: c.name, key: c.index, multi: res.multi, provider: c.provider,
		schemaVersion: rs.version, attrs: filled, private: c.private}
	if res.multi {
		in.each = "list"
		if _, ok := res.body["for_each"]; ok {
			in.each = "map"
		}
	}
	if lc := mapOf(res.body["lifecycle"]); lc != nil && lc["create_before_destroy"] == true {
		in.cbd = true
	}
	for _, p := range c.afterSensitive {
		in.sensitive = append(in.sensitive, statePath(p, rs.typ))
	}
	return in, nil
}

// fillValue replaces the unknowns in v by fakes.
func fillValue(fc fakeCtx, v any, t *ctyType, path []string) any {
	if v == unknown {
		fake, _ := fakeValue(fc, path, t)
		return conform(fake, t)
	}
	if d, ok := v.(dynamicValue); ok && !known(d.Value) {
		// An unknown of a known type: the fake keeps the type the plan gives.
		fake, _ := fakeValue(fc, path, t)
		if fd, ok := fake.(dynamicValue); ok {
			return fd
		}
		if fake == nil {
			return nil
		}
		return dynamicValue{Type: d.Type, Value: fake}
	}
	switch t.kind {
	case "object":
		m, ok := v.(map[string]any)
		if !ok {
			return v
		}
		out := make(map[string]any, len(t.attrs))
		for k, at := range t.attrs {
			out[k] = fillValue(fc, m[k], at, append(append([]string(nil), path...), k))
		}
		return out
	case "list", "set":
		l, ok := v.([]any)
		if !ok {
			return v
		}
		out := make([]any, len(l))
		for i, e := range l {
			out[i] = fillValue(fc, e, t.elem, path)
		}
		return out
	case "map":
		m, ok := v.(map[string]any)
		if !ok {
			return v
		}
		out := make(map[string]any, len(m))
		for k, e := range m {
			out[k] = fillValue(fc, e, t.elem, path)
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
		if d, ok := v.(dynamicValue); ok {
			return d
		}
		return dynamicValue{Type: inferType(v), Value: v}
	}
	return normalize(v, t)
}
