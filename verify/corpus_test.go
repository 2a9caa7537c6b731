package verify

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tapstack/infra/internal/engine"
	"github.com/tapstack/infra/internal/tfjson"
)

// The differential corpus: for every form of Terraform JSON the engine accepts, and a
// change written in that form, verify's verdict beside the engine's own plan of the same
// pair. A form verify read differently from the engine (a block dropped, a duplicate key
// lost) shows as a difference.

// member is one "key": value of a JSON object written by hand (duplicates allowed).
type member struct{ k, v string }

func obj(ms ...member) string {
	parts := make([]string, len(ms))
	for i, m := range ms {
		parts[i] = fmt.Sprintf("%q: %s", m.k, m.v)
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

func arr(vs ...string) string { return "[" + strings.Join(vs, ", ") + "]" }

func m(k, v string) member { return member{k, v} }

// dataForms writes one terraform_data stack (resources by name) in each form the engine
// accepts.
var dataForms = map[string]func(res map[string]string) string{
	"objects": func(res map[string]string) string {
		return obj(m("resource", obj(m("terraform_data", obj(members(res)...)))))
	},
	"array of resource blocks": func(res map[string]string) string {
		var blocks []string
		for _, mb := range members(res) {
			blocks = append(blocks, obj(m("terraform_data", obj(mb))))
		}
		return obj(m("resource", arr(blocks...)))
	},
	"the resource key once per resource": func(res map[string]string) string {
		var top []member
		for _, mb := range members(res) {
			top = append(top, m("resource", obj(m("terraform_data", obj(mb)))))
		}
		return obj(top...)
	},
	"an array at the type": func(res map[string]string) string {
		var blocks []string
		for _, mb := range members(res) {
			blocks = append(blocks, obj(mb))
		}
		return obj(m("resource", obj(m("terraform_data", arr(blocks...)))))
	},
	"the type key once per resource": func(res map[string]string) string {
		var types []member
		for _, mb := range members(res) {
			types = append(types, m("terraform_data", obj(mb)))
		}
		return obj(m("resource", obj(types...)))
	},
	"an array at the body": func(res map[string]string) string {
		var named []member
		for _, mb := range members(res) {
			named = append(named, m(mb.k, arr(mb.v)))
		}
		return obj(m("resource", obj(m("terraform_data", obj(named...)))))
	},
	"an array of objects at the top": func(res map[string]string) string {
		var tops []string
		for _, mb := range members(res) {
			tops = append(tops, obj(m("resource", obj(m("terraform_data", obj(mb))))))
		}
		return arr(tops...)
	},
	"comments in every body, twice": func(res map[string]string) string {
		c := m("//", `"comment"`)
		var named []member
		for _, mb := range members(res) {
			named = append(named, m(mb.k, strings.Replace(mb.v, "{", `{"//": "c", "//": {"metadata": {}}, `, 1)))
		}
		return obj(c, c, m("resource", obj(m("terraform_data", obj(named...)))))
	},
}

func members(res map[string]string) []member {
	var out []member
	for _, k := range tfjson.SortedKeys(res) {
		out = append(out, m(k, res[k]))
	}
	return out
}

// dataChange is the change every form writes: a replaced, an updated, a deleted, a
// created and a create-before-destroy replaced resource, with a lifecycle block written
// as an array and a value read through locals written as an array of objects.
var dataChange = [2]map[string]string{
	{
		"a": `{"input": "a", "triggers_replace": "1"}`,
		"b": `{"input": "b"}`,
		"c": `{"input": "c"}`,
		"e": `{"input": "e", "triggers_replace": "1", "lifecycle": [{"create_before_destroy": true}]}`,
		"f": `{"input": "${terraform_data.a.output}-f"}`,
		"g": `{"input": "${local.y}"}`,
	},
	{
		"a": `{"input": "a", "triggers_replace": "2"}`,
		"b": `{"input": "b2"}`,
		"d": `{"input": "d"}`,
		"e": `{"input": "e", "triggers_replace": "2", "lifecycle": [{"create_before_destroy": true}]}`,
		"f": `{"input": "${terraform_data.a.output}-f"}`,
		"g": `{"input": "${local.y}"}`,
	},
}

// verdictOf is a report as address -> action, "+cbd" when the new object comes first.
func verdictOf(r *Report) map[string]string {
	out := map[string]string{}
	for _, c := range r.Changes {
		v := string(c.Action)
		if c.CreateBeforeDestroy {
			v += "+cbd"
		}
		out[c.Address] = v
	}
	return out
}

// engineVerdict is an engine plan as address -> action, read without verify's report.
func engineVerdict(changes []engine.Change) map[string]string {
	out := map[string]string{}
	for _, c := range changes {
		if c.Mode != "managed" || c.Deposed != "" {
			continue
		}
		switch c.Action {
		case "create":
			out[c.Addr] = "create"
		case "update":
			out[c.Addr] = "update"
		case "delete":
			out[c.Addr] = "delete"
		case "delete-then-create":
			out[c.Addr] = "replace"
		case "create-then-delete":
			out[c.Addr] = "replace+cbd"
		}
	}
	return out
}

// realApply applies a stack with the engine for real (terraform_data needs no cloud)
// and plans another against the real state.
func realApply(t *testing.T, eng engine.Engine, before, after string) map[string]string {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	write := func(s string) {
		if err := os.WriteFile(filepath.Join(dir, "main.tf.json"), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(before)
	if err := eng.Init(ctx, dir); err != nil {
		t.Fatal(err)
	}
	if out, err := eng.Run(ctx, dir, "apply", "-auto-approve", "-input=false", "-no-color"); err != nil {
		t.Fatalf("apply: %v\n%s", err, out)
	}
	write(after)
	if out, err := eng.Run(ctx, dir, "plan", "-input=false", "-no-color", "-out=p.tfplan"); err != nil {
		t.Fatalf("plan: %v\n%s", err, out)
	}
	changes, err := engine.ReadPlanFile(filepath.Join(dir, "p.tfplan"))
	if err != nil {
		t.Fatal(err)
	}
	return engineVerdict(changes)
}

// TestCorpusApplied: for every form of the corpus, verify's verdict of a change equals
// the plan of the engine after a real apply of the stack before (terraform_data needs
// no cloud, so the engine's own state is the reference).
func TestCorpusApplied(t *testing.T) {
	requireEngine(t)
	eng, err := engine.Find()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"terraform_data.a": "replace", "terraform_data.b": "update", "terraform_data.c": "delete",
		"terraform_data.d": "create", "terraform_data.e": "replace+cbd", "terraform_data.f": "update", "terraform_data.g": "update"}
	for name, form := range dataForms {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			before, after := form(dataChange[0]), form(dataChange[1])
			// Locals written as an array of objects, read by a resource.
			before = strings.Replace(before, "{", `{"locals": [{"x": "lx"}, {"y": "${local.x}-y"}], "output": {"o": {"value": "${local.y}"}}, `, 1)
			after = strings.Replace(after, "{", `{"locals": [{"x": "lx"}, {"y": "${local.x}-y2"}], "output": {"o": {"value": "${local.y}"}}, `, 1)
			byEngine := realApply(t, eng, before, after)
			r, err := Compare(context.Background(), []byte(before), []byte(after), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(byEngine, verdictOf(r)); diff != "" {
				t.Errorf("verify disagrees with the engine (-engine +verify):\n%s\nbefore: %s\nafter:  %s", diff, before, after)
			}
			if diff := cmp.Diff(want, byEngine); diff != "" {
				t.Errorf("the corpus does not exercise what it should (-want +engine):\n%s", diff)
			}
		})
	}
}

// storeForms is storeStack with its blocks written in as many forms as the engine
// accepts at once (resources in array form, at the body, under a duplicate key, a
// lifecycle block as an array, the provider as an object, the terraform block and its
// required providers as arrays), with these names.
func storeForms(table, logs, bucket string) string {
	policy := `"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"}}]}"`
	return `{
  "terraform": [{"required_providers": [{"aws": {"source": "hashicorp/aws", "version": "5.100.0"}}]}],
  "provider": {"aws": {"region": "us-east-1", "allowed_account_ids": ["111111111111"]}},
  "resource": [{"aws_dynamodb_table": {"orders": [{"name": "` + table + `", "billing_mode": "PAY_PER_REQUEST", "hash_key": "id", "attribute": [{"name": "id", "type": "S"}]}]}}],
  "resource": {"aws_cloudwatch_log_group": [{"logs": {"name": "` + logs + `", "lifecycle": [{"create_before_destroy": true}]}}]},
  "resource": {"aws_s3_bucket": {"uploads": {"bucket": "` + bucket + `"}}, "aws_iam_role": [{"writer": {"name": "orders-writer", "assume_role_policy": ` + policy + `}}]}
}`
}

// rawPlan is the engine's own plan of a stack, as written, against the state of a
// deployment: the stack file unchanged, plus the override that keeps the provider
// offline (what verify adds, and nothing else).
func rawPlan(t *testing.T, d *Deployment, raw string) map[string]string {
	t.Helper()
	ctx := context.Background()
	st, err := prepare([]byte(raw), Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	d.mu.Lock()
	state, err := os.ReadFile(filepath.Join(d.dir, "terraform.tfstate"))
	d.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	// What verify drops from the stack's provider blocks, the override unsets.
	for _, p := range st.override["provider"].(map[string]any)["aws"].([]any) {
		p.(map[string]any)["allowed_account_ids"] = nil
	}
	override, _ := json.Marshal(st.override)
	for name, data := range map[string][]byte{"terraform.tfstate": state, "main.tf.json": []byte(raw), overrideFile: override} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.eng.Init(ctx, dir); err != nil {
		t.Fatal(err)
	}
	if out, err := d.eng.Run(ctx, dir, "plan", "-refresh=false", "-input=false", "-lock=false", "-no-color", "-out=p.tfplan"); err != nil {
		t.Fatalf("the engine's plan of the stack as written: %v\n%s", err, out)
	}
	changes, err := engine.ReadPlanFile(filepath.Join(dir, "p.tfplan"))
	if err != nil {
		t.Fatal(err)
	}
	return engineVerdict(changes)
}

// TestCorpusAWS: an AWS stack in every form at once, against the fake apply of the same
// stack in plain objects: the engine, reading the files as written, and verify plan no
// change for the stack before and the same changes for the stack after.
func TestCorpusAWS(t *testing.T) {
	t.Parallel()
	d := storeDeployment(t)
	before := storeForms("orders", "/verify/orders", "tapstack-verify-uploads")
	after := storeForms("orders-v2", "/verify/orders-v2", "tapstack-verify-renamed")
	if got := rawPlan(t, d, before); len(got) != 0 {
		t.Errorf("the engine reads the forms differently from the plain stack: %v", got)
	}
	if r := plan(t, d, []byte(before)); len(r.Changes) != 0 {
		t.Errorf("verify reads the forms differently from the plain stack:\n%s", r)
	}
	byEngine := rawPlan(t, d, after)
	r := plan(t, d, []byte(after))
	if diff := cmp.Diff(byEngine, verdictOf(r)); diff != "" {
		t.Errorf("verify disagrees with the engine (-engine +verify):\n%s", diff)
	}
	want := map[string]string{"aws_s3_bucket.uploads": "replace", "aws_dynamodb_table.orders": "replace", "aws_cloudwatch_log_group.logs": "replace+cbd"}
	if diff := cmp.Diff(want, byEngine); diff != "" {
		t.Errorf("the corpus does not exercise what it should (-want +engine):\n%s", diff)
	}
}

// TestRefusedLikeTheEngine: what verify refuses, Deploy and Plan refuse alike, with the
// place and the value; the engine refuses it too, except two forms verify cannot carry
// over with the engine's meaning (both named here with the reason).
func TestRefusedLikeTheEngine(t *testing.T) {
	requireEngine(t)
	eng, err := engine.Find()
	if err != nil {
		t.Fatal(err)
	}
	d, err := Deploy(context.Background(), []byte(`{"resource": {"terraform_data": {"x": {}}}}`), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = d.Close() }()
	ok := `{"resource": {"terraform_data": {"a": {"input": "x"}}}}`
	for _, tc := range []struct {
		stack, want   string
		engineAccepts bool // and why verify refuses all the same
	}{
		{ok + ` garbage`, "data after the top-level object", false},
		{ok + `{}`, "data after the top-level object", false},
		{`[` + ok + `, 1]`, "element 1 of the top-level array is a number", false},
		{`{"resource": {"terraform_data": {"a": {}}}, "resource": {"terraform_data": {"a": {}}}}`, "resource.terraform_data.a is defined twice", false},
		{`{"resource": {"terraform_data": {"a": {"input": "x", "input": "y"}}}}`, `has the key "input" twice`, false},
		{`{"resource": {"terraform_data": {"a": {"input": {"k": 1, "k": 2}}}}}`, `has the key "k" twice`, false},
		{`{"resource": {"terraform_data": {"a": {"lifecycle": [{}, {}]}}}}`, "2 lifecycle blocks", false},
		{`{"locals": [{"a": 1}, {"a": 2}]}`, `the local "a" is defined twice`, false},
		{`{"bogus": {}}`, `the top-level key "bogus"`, false},
		{`{"resource": {"//": "comment", "terraform_data": {"a": {}}}}`, "resource.// is a string, want an object", false},
		// Go reads invalid UTF-8 as U+FFFD, the engine as it is: verify cannot carry the
		// bytes over.
		{"{\"resource\": {\"terraform_data\": {\"a\": {\"input\": \"\xff\"}}}}", "not valid UTF-8", true},
		// Two nested blocks of one type written as two keys: the engine reads both;
		// verify reads each key of a body once and says how to write them.
		{`{"resource": {"terraform_data": {"a": {"provisioner": {"local-exec": {"command": "true"}}, "provisioner": {"local-exec": {"command": "true"}}}}}}`, `write repeated nested blocks as one array`, true},
	} {
		_, derr := Deploy(context.Background(), []byte(tc.stack), Options{})
		_, perr := d.Plan(context.Background(), []byte(tc.stack))
		if derr == nil || perr == nil || !strings.Contains(derr.Error(), tc.want) || derr.Error() != perr.Error() {
			t.Errorf("%q:\nDeploy: %v\nPlan:   %v\nwant both to say %q", tc.stack, derr, perr, tc.want)
		}
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "main.tf.json"), []byte(tc.stack), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := engine.WriteCLIConfig(dir); err != nil {
			t.Fatal(err)
		}
		out, verr := eng.Run(context.Background(), dir, "validate", "-no-color")
		if accepted := verr == nil; accepted != tc.engineAccepts {
			t.Errorf("%q: the engine accepts it: %v, want %v\n%s", tc.stack, accepted, tc.engineAccepts, out)
		}
	}
}
