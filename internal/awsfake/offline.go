package awsfake

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/tapstack/infra/awsid"
	"github.com/tapstack/infra/internal/tfjson"
)

// Offline is how a stack is made to plan without calling AWS.
type Offline struct {
	// Places are where each provider configuration deploys, by its reference in a
	// resource's provider argument: "aws", "aws.west".
	Places map[string]awsid.Place
	// Mock renders the fakes in mock mode (Ctx.Mock).
	Mock bool
	// Given are fakes that replace the table's: by type ("aws_ami"), by address
	// ("data.aws_ami.ubuntu"), and for ephemeral resources by "ephemeral.<type>" or
	// "ephemeral.<type>.<name>". The address wins.
	Given map[string]map[string]any
}

// Faked is what Apply did.
type Faked struct {
	// Locals maps each faked read ("data.aws_vpc.v", "ephemeral.aws_x.y") to the local
	// that holds its fake.
	Locals map[string]string
	// Secrets are the strings of the ephemeral resources' fakes (8 characters or more):
	// values that must never appear in a plan or a state.
	Secrets []string
}

// read is one data source or ephemeral resource of the stack.
type read struct {
	section, typ, name string
	body               map[string]any
	entry              Read
	given              map[string]any
	faked              bool
	local              string
	// fake is the fake of the read: one object, or a list (count) or an object by key
	// (for_each) of them; nil until built.
	fake  any
	built bool
	busy  bool
}

func (r *read) addr() string {
	if r.section == "data" {
		return "data." + r.typ + "." + r.name
	}
	return r.section + "." + r.typ + "." + r.name
}

// Apply replaces in doc every data source and ephemeral resource that would call AWS
// (or that Given fakes) by a local holding its fake, and points every reference at the
// local. The block stays, with no instance (count = 0, or for_each = {}), so that the
// engine still checks its arguments. An ephemeral resource's local is ephemeral too
// (terraform.applying, an ephemeral value, picks between two equal fakes), so that the
// engine holds the stack to the rules of ephemeral values as it would the real one. A
// read without a fake, or whose instances verify cannot count, is an error that names it.
func (o Offline) Apply(doc tfjson.Doc) (Faked, error) {
	done := Faked{Locals: map[string]string{}}
	var reads []*read
	byAddr := map[string]*read{}
	var missing []string
	for _, section := range []string{"data", "ephemeral"} {
		for _, typ := range tfjson.SortedKeys(tfjson.MapOf(doc[section])) {
			named := tfjson.MapOf(tfjson.MapOf(doc[section])[typ])
			for _, name := range tfjson.SortedKeys(named) {
				r := &read{section: section, typ: typ, name: name, body: tfjson.MapOf(named[name])}
				var known bool
				if section == "data" {
					r.entry, known = dataSources[typ]
					r.given = o.given(r.addr(), typ)
				} else {
					r.entry, known = ephemerals[typ]
					r.given = o.given(r.addr(), "ephemeral."+typ)
				}
				switch {
				case r.given != nil:
					r.faked = true
				case known && r.entry.Pure:
				case known:
					r.faked = true
				default:
					missing = append(missing, fmt.Sprintf("%s (type %s)", r.addr(), typ))
				}
				if r.faked {
					r.local = "verify_" + typ + "_" + name
					if section == "ephemeral" {
						r.local = "verify_ephemeral_" + typ + "_" + name
					}
				}
				reads = append(reads, r)
				byAddr[r.addr()] = r
			}
		}
	}
	if len(missing) > 0 {
		return done, fmt.Errorf("no fake for what would call AWS: %s; pass the attributes the stack reads as "+
			"Options.DataSources[\"<type>\"] (or [\"data.<type>.<name>\"] for one of them; [\"ephemeral.<type>\"] "+
			"and [\"ephemeral.<type>.<name>\"] for ephemeral resources)", strings.Join(missing, ", "))
	}
	ev := &evaluator{doc: doc, reads: byAddr, o: o}
	locals := tfjson.MapOf(doc["locals"])
	for _, r := range reads {
		if !r.faked {
			continue
		}
		if err := ev.build(r); err != nil {
			return done, err
		}
	}
	for _, r := range reads {
		if !r.faked {
			continue
		}
		if locals == nil {
			locals = map[string]any{}
			doc["locals"] = locals
		}
		if _, taken := locals[r.local]; taken {
			return done, fmt.Errorf("the stack already has a local named %s", r.local)
		}
		if r.section == "ephemeral" {
			lit, err := tfjson.HCLLiteral(r.fake)
			if err != nil {
				return done, fmt.Errorf("%s: %w", r.addr(), err)
			}
			locals[r.local] = "${terraform.applying ? " + lit + " : " + lit + "}"
			done.Secrets = append(done.Secrets, secrets(r.fake)...)
		} else {
			locals[r.local] = tfjson.JSONLiteral(r.fake)
		}
		done.Locals[r.addr()] = r.local
		if _, ok := r.body["for_each"]; ok {
			r.body["for_each"] = map[string]any{}
		} else {
			r.body["count"] = json.Number("0")
		}
	}
	if err := rewriteRefs(doc, done.Locals); err != nil {
		return done, err
	}
	sort.Strings(done.Secrets)
	return done, nil
}

func (o Offline) given(addr, typ string) map[string]any {
	if v, ok := o.Given[addr]; ok {
		return v
	}
	if v, ok := o.Given[typ]; ok {
		return v
	}
	return nil
}

// secrets collects the strings of a fake of 8 characters or more.
func secrets(v any) []string {
	var out []string
	switch v := v.(type) {
	case string:
		if len(v) >= 8 {
			out = append(out, v)
		}
	case []any:
		for _, e := range v {
			out = append(out, secrets(e)...)
		}
	case map[string]any:
		for _, k := range tfjson.SortedKeys(v) {
			out = append(out, secrets(v[k])...)
		}
	}
	return out
}

// evaluator evaluates the arguments of reads: literals, variables' defaults, locals and
// references to other faked reads.
type evaluator struct {
	doc   tfjson.Doc
	reads map[string]*read
	o     Offline
}

// place is where a read's provider deploys.
func (ev *evaluator) place(r *read) awsid.Place {
	ref, _ := r.body["provider"].(string)
	ref = strings.TrimSuffix(strings.TrimPrefix(ref, "${"), "}")
	if ref == "" {
		ref = strings.SplitN(r.typ, "_", 2)[0]
	}
	if p, ok := ev.o.Places[ref]; ok {
		return p
	}
	return ev.o.Places["aws"]
}

// build makes the fake of a read, once.
func (ev *evaluator) build(r *read) error {
	if r.built {
		return nil
	}
	if r.busy {
		return fmt.Errorf("%s: its arguments refer to it in a loop", r.addr())
	}
	r.busy = true
	defer func() { r.busy = false }()
	keys, list, err := ev.instances(r)
	if err != nil {
		return err
	}
	forEach, _ := ev.eval(r.body["for_each"])
	one := func(addr string, key any) (map[string]any, error) {
		if r.given != nil {
			return r.given, nil
		}
		if r.entry.Outputs {
			return map[string]any{"outputs": ev.outputs(r)}, nil
		}
		c := Ctx{Type: r.typ, Addr: addr, Place: ev.place(r), Mock: ev.o.Mock}
		inst := &instanceKey{key: key}
		if m, ok := forEach.(map[string]any); ok && key != nil {
			inst.value = m[key.(string)]
		} else if key != nil {
			inst.value = key
		}
		obj, err := r.entry.Object(c, func(attr string) (any, bool) {
			v, ok := r.body[attr]
			if !ok || attr == "count" || attr == "for_each" {
				return nil, false
			}
			out, err := tfjson.Eval(v, func(parts []tfjson.Part) (any, error) { return ev.refIn(parts, inst) })
			return out, err == nil
		})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", r.addr(), err)
		}
		return obj, nil
	}
	switch {
	case keys == nil:
		r.fake, err = one(r.addr(), nil)
	case list:
		l := make([]any, len(keys))
		for i, k := range keys {
			if l[i], err = one(fmt.Sprintf("%s[%s]", r.addr(), k), json.Number(k)); err != nil {
				return err
			}
		}
		r.fake = l
	default:
		m := map[string]any{}
		for _, k := range keys {
			if m[k], err = one(fmt.Sprintf("%s[%q]", r.addr(), k), k); err != nil {
				return err
			}
		}
		r.fake = m
	}
	r.built = true
	return err
}

// instances returns the instance keys of a read: nil for a single one, the indexes of a
// literal count, the keys of a literal for_each.
func (ev *evaluator) instances(r *read) (keys []string, list bool, err error) {
	if c, ok := r.body["count"]; ok {
		v, known := ev.eval(c)
		n, isNum := v.(json.Number)
		i, perr := strconv.Atoi(string(n))
		if !known || !isNum || perr != nil || i < 0 {
			return nil, false, fmt.Errorf("%s: count = %v, which verify cannot evaluate to fake each instance (a literal number, a variable's default or a local is needed)", r.addr(), c)
		}
		keys = []string{}
		for k := range i {
			keys = append(keys, strconv.Itoa(k))
		}
		return keys, true, nil
	}
	if fe, ok := r.body["for_each"]; ok {
		v, known := ev.eval(fe)
		switch v := v.(type) {
		case map[string]any:
			if known {
				return tfjson.SortedKeys(v), false, nil
			}
		case []any:
			keys = []string{}
			for _, e := range v {
				s, ok := e.(string)
				if !ok {
					known = false
					break
				}
				keys = append(keys, s)
			}
			if known {
				sort.Strings(keys)
				return keys, false, nil
			}
		}
		return nil, false, fmt.Errorf("%s: for_each = %v, which verify cannot evaluate to fake each instance (a literal map or list of strings, a variable's default or a local is needed)", r.addr(), fe)
	}
	return nil, false, nil
}

// outputs is the fake "outputs" of a remote state: a string for every output the stack
// reads, "<name>-verify-fake".
func (ev *evaluator) outputs(r *read) map[string]any {
	out := map[string]any{}
	prefix := []string{"data", r.typ, r.name}
	walkStrings(ev.doc, func(s string) {
		refs, _, err := tfjson.ScanTemplate(s)
		if err != nil {
			return
		}
		for _, t := range refs {
			p := t.Parts
			if len(p) >= 5 && p[0].Name == prefix[0] && p[1].Name == prefix[1] && p[2].Name == prefix[2] && p[3].Name == "outputs" && p[4].Name != "" {
				out[p[4].Name] = p[4].Name + "-verify-fake"
			}
		}
	})
	return out
}

// eval evaluates an argument: a literal, a variable's default, a local, or a reference to
// an attribute of another faked read. ok is false for anything else.
func (ev *evaluator) eval(v any) (any, bool) {
	out, err := tfjson.Eval(v, ev.ref)
	return out, err == nil
}

// instanceKey is the instance of a read being faked: count.index, or each.key and
// each.value.
type instanceKey struct {
	key, value any
}

// refIn evaluates a reference inside the arguments of one instance of a read.
func (ev *evaluator) refIn(parts []tfjson.Part, in *instanceKey) (any, error) {
	if in != nil && in.key != nil && len(parts) >= 2 {
		switch {
		case parts[0].Name == "count" && parts[1].Name == "index":
			return in.key, nil
		case parts[0].Name == "each" && parts[1].Name == "key":
			return in.key, nil
		case parts[0].Name == "each" && parts[1].Name == "value":
			return tfjson.Navigate(in.value, parts[2:])
		}
	}
	return ev.ref(parts)
}

// ref evaluates a reference to a variable's default, a local or a faked read.
func (ev *evaluator) ref(parts []tfjson.Part) (any, error) {
	if len(parts) < 2 || parts[1].Name == "" {
		return nil, tfjson.ErrUnresolvable
	}
	switch parts[0].Name {
	case "var":
		def, ok := tfjson.MapOf(tfjson.MapOf(ev.doc["variable"])[parts[1].Name])["default"]
		if !ok {
			return nil, tfjson.ErrUnresolvable
		}
		return tfjson.Navigate(def, parts[2:])
	case "local":
		l, ok := tfjson.MapOf(ev.doc["locals"])[parts[1].Name]
		if !ok {
			return nil, tfjson.ErrUnresolvable
		}
		v, err := tfjson.Eval(l, ev.ref)
		if err != nil {
			return nil, err
		}
		return tfjson.Navigate(v, parts[2:])
	case "data", "ephemeral":
		if len(parts) < 3 {
			return nil, tfjson.ErrUnresolvable
		}
		r := ev.reads[parts[0].Name+"."+parts[1].Name+"."+parts[2].Name]
		if r == nil || !r.faked {
			return nil, tfjson.ErrUnresolvable
		}
		if err := ev.build(r); err != nil {
			return nil, err
		}
		return tfjson.Navigate(r.fake, parts[3:])
	}
	return nil, tfjson.ErrUnresolvable
}

// walkStrings calls fn on every string of the configuration's expressions (not the
// terraform blocks, not "//" comments).
func walkStrings(doc tfjson.Doc, fn func(string)) {
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			fn(v)
		case []any:
			for _, e := range v {
				walk(e)
			}
		case map[string]any:
			for k, e := range v {
				if k != "//" {
					walk(e)
				}
			}
		}
	}
	for k, v := range doc {
		if k != "terraform" && k != "//" {
			walk(v)
		}
	}
}

// rewriteRefs points every reference to a faked read (data.T.N..., ephemeral.T.N...) at
// its local, in every expression of the configuration.
func rewriteRefs(doc tfjson.Doc, locals map[string]string) error {
	if len(locals) == 0 {
		return nil
	}
	var firstErr error
	rewrite := func(s string) string {
		refs, _, err := tfjson.ScanTemplate(s)
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			return s
		}
		var edits []tfjson.Edit
		for _, r := range refs {
			if len(r.Parts) < 3 || (r.Parts[0].Name != "data" && r.Parts[0].Name != "ephemeral") {
				continue
			}
			addr := r.Parts[0].Name + "." + r.Parts[1].Name + "." + r.Parts[2].Name
			if local, ok := locals[addr]; ok {
				edits = append(edits, tfjson.Edit{Start: r.Start, End: r.Start + len(addr), Text: "local." + local})
			}
		}
		return tfjson.Splice(s, edits)
	}
	var walk func(v any) any
	walk = func(v any) any {
		switch v := v.(type) {
		case string:
			return rewrite(v)
		case []any:
			for i, e := range v {
				v[i] = walk(e)
			}
		case map[string]any:
			for k, e := range v {
				if k != "//" && k != "depends_on" {
					v[k] = walk(e)
				}
			}
		}
		return v
	}
	for k, v := range doc {
		if k != "terraform" && k != "//" {
			doc[k] = walk(v)
		}
	}
	return firstErr
}
