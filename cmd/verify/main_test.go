package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tapstack/infra/verify"
)

// The command is tested as a process: built once per test binary, run with files and
// standard input, judged by its exit code and its output.

var build struct {
	once sync.Once
	dir  string
	bin  string
	err  error
}

func binary(t *testing.T) string {
	t.Helper()
	build.once.Do(func() {
		build.dir, build.err = os.MkdirTemp("", "verify-cmd-")
		if build.err != nil {
			return
		}
		build.bin = filepath.Join(build.dir, "verify")
		if out, err := exec.Command("go", "build", "-o", build.bin, ".").CombinedOutput(); err != nil {
			build.err = errors.New(string(out))
		}
	})
	if build.err != nil {
		t.Fatalf("go build: %v", build.err)
	}
	return build.bin
}

func TestMain(m *testing.M) {
	code := m.Run()
	if build.dir != "" {
		_ = os.RemoveAll(build.dir)
	}
	os.Exit(code)
}

type ran struct {
	code           int
	stdout, stderr string
}

// inProcess runs the command's run function in the test's process (what the coverage
// of the package measures); runCmd runs the built binary.
func inProcess(t *testing.T, stdin string, args ...string) ran {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &stdout, &stderr)
	return ran{code, stdout.String(), stderr.String()}
}

func runCmd(t *testing.T, stdin string, args ...string) ran {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if exit := (*exec.ExitError)(nil); errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return ran{code, stdout.String(), stderr.String()}
}

func write(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func requireEngine(t *testing.T) {
	t.Helper()
	if _, err := verify.FindEngine(); err != nil {
		if os.Getenv("TAPSTACK_REQUIRE_TERRAFORM") == "1" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
}

// TestArguments: a bad argument exits 2, naming the argument and its value, and prints
// nothing on standard output.
func TestArguments(t *testing.T) {
	stack := write(t, "stack.json", `{"resource": {"terraform_data": {"a": {}}}}`)
	notJSON := write(t, "bad.json", `{"resource": {"terraform_data": {"a": {}}}} garbage`)
	empty := write(t, "empty.json", "  \n")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{stack}, `want two stacks, BEFORE and AFTER, got 1 argument(s)`},
		{[]string{"-", "-"}, `BEFORE and AFTER are both "-"`},
		{[]string{"--format", "yaml", stack, stack}, `--format "yaml": want text, markdown or json`},
		{[]string{"--fail-on", "aws_db_instance,Bad-Type", stack, stack}, `--fail-on "aws_db_instance,Bad-Type": "Bad-Type" is not a resource type`},
		{[]string{"--fail-on", "none,aws_db_instance", stack, stack}, `--fail-on "none,aws_db_instance": none cannot be combined`},
		{[]string{"--fail-when", "always", stack, stack}, `--fail-when "always": want destroy or replace`},
		{[]string{"--data-source", "aws_ami", stack, stack}, `"aws_ami": want KEY=JSON`},
		{[]string{"--data-source", "aws_ami={", stack, stack}, `"aws_ami={": the value is not JSON`},
		{[]string{"--data-source", "aws_ami=[1]", stack, stack}, `--data-source aws_ami=[1]: want a JSON object`},
		{[]string{"--bogus", stack, stack}, `flag provided but not defined: -bogus`},
		{[]string{"missing.json", stack}, `BEFORE "missing.json": open missing.json: no such file or directory`},
		{[]string{stack, empty}, `AFTER "` + empty + `": the stack is empty`},
		{[]string{notJSON, stack}, `BEFORE "` + notJSON + `": the stack is not Terraform JSON: data after the top-level object`},
	} {
		for _, r := range []ran{runCmd(t, "", tc.args...), inProcess(t, "", tc.args...)} {
			if r.code != exitBad || !strings.Contains(r.stderr, tc.want) || r.stdout != "" {
				t.Errorf("verify %q: exit %d, stderr %q, stdout %q; want exit 2 and %q", tc.args, r.code, r.stderr, r.stdout, tc.want)
			}
		}
	}
	if r := runCmd(t, "", "-h"); r.code != exitOK || !strings.Contains(r.stderr, "usage: verify [flags] BEFORE AFTER") || !strings.Contains(r.stderr, "-fail-on") {
		t.Errorf("-h: exit %d\n%s", r.code, r.stderr)
	}
}

// TestVerdicts: what the change does decides the exit code, in every format.
func TestVerdicts(t *testing.T) {
	requireEngine(t)
	before := write(t, "before.json", `{"resource": {"terraform_data": {"a": {"input": "1", "triggers_replace": "1"}, "gone": {"input": "x"}}}}`)
	after := `{"resource": {"terraform_data": {"a": {"input": "2", "triggers_replace": "2"}}}}`
	afterFile := write(t, "after.json", after)
	afterKeep := write(t, "keep.json", `{"resource": {"terraform_data": {"a": {"input": "1", "triggers_replace": "1"}}}}`)

	// The default kinds (the stateful ones) hold no terraform_data.
	r := inProcess(t, "", before, afterFile)
	if r.code != exitOK || !strings.Contains(r.stdout, "OK: the change replaces or deletes nothing of the stateful kinds (verify.Stateful).") ||
		!strings.Contains(r.stdout, "0 to create, 0 to update, 1 to replace, 1 to delete") || r.stderr != "" {
		t.Errorf("default: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// Forbidden kinds: exit 1, each forbidden change listed; AFTER from standard input.
	for _, r := range []ran{runCmd(t, after, "--fail-on", "terraform_data", before, "-"), inProcess(t, after, "--fail-on", "terraform_data", before, "-")} {
		if r.code != exitForbidden || !strings.Contains(r.stdout, "FAIL: the change replaces or deletes 2 resource(s) of terraform_data:\n"+
			"  - replace (delete, then create) terraform_data.a, forced by triggers_replace\n    (a kind of --fail-on)\n  - delete terraform_data.gone\n") {
			t.Errorf("--fail-on terraform_data: exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
	}
	// Replacements only: a delete passes.
	if r := inProcess(t, "", "--fail-on", "terraform_data", "--fail-when", "replace", before, afterKeep); r.code != exitOK ||
		!strings.Contains(r.stdout, "1 to delete") || !strings.Contains(r.stdout, "OK: the change replaces nothing of terraform_data.") {
		t.Errorf("--fail-when replace with a delete: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := inProcess(t, "", "--fail-on", "all", before, afterKeep); r.code != exitForbidden || !strings.Contains(r.stdout, "of any type:") {
		t.Errorf("--fail-on all with a delete: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := inProcess(t, "", "--fail-on", "none", before, afterFile); r.code != exitOK || !strings.Contains(r.stdout, "nothing of none") {
		t.Errorf("--fail-on none: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	// JSON.
	r = inProcess(t, "", "--format", "json", "--fail-on", "terraform_data", before, afterFile)
	var doc struct {
		Passed    bool           `json:"passed"`
		FailOn    []string       `json:"fail_on"`
		FailWhen  string         `json:"fail_when"`
		Summary   map[string]int `json:"summary"`
		Changes   []jsonChange   `json:"changes"`
		Forbidden []string       `json:"forbidden"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || r.code != exitForbidden {
		t.Fatalf("json: exit %d, %v\n%s%s", r.code, err, r.stdout, r.stderr)
	}
	wantChanges := []jsonChange{
		{Address: "terraform_data.a", Type: "terraform_data", Path: "terraform_data.a", Action: "replace", ReplacePaths: []string{"triggers_replace"},
			Reason: "replace_because_cannot_update", Forbidden: true},
		{Address: "terraform_data.gone", Type: "terraform_data", Path: "terraform_data.gone", Action: "delete", Reason: "delete_because_no_resource_config", Forbidden: true},
	}
	if diff := cmp.Diff(wantChanges, doc.Changes); diff != "" || doc.Passed || doc.FailWhen != "destroy" || !cmp.Equal(doc.FailOn, []string{"terraform_data"}) ||
		!cmp.Equal(doc.Forbidden, []string{"terraform_data.a", "terraform_data.gone"}) || doc.Summary["replace"] != 1 || doc.Summary["delete"] != 1 {
		t.Errorf("json report (-want +got changes):\n%s\n%s", diff, r.stdout)
	}

	// Markdown.
	r = inProcess(t, "", "--format", "markdown", "--fail-on", "terraform_data", before, afterFile)
	for _, want := range []string{"### What this change does to live resources\n",
		"**FAIL**: the change replaces or deletes 2 resource(s) of terraform_data:\n",
		"- `terraform_data.a`: replace (delete, then create), forced by `triggers_replace`. A kind of --fail-on.\n",
		"| action | resource | type | forced by |\n|---|---|---|---|\n",
		"| replace (delete, then create) | `terraform_data.a` | `terraform_data` | `triggers_replace` |\n",
		"| delete | `terraform_data.gone` | `terraform_data` | - |\n"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("markdown lacks %q:\n%s", want, r.stdout)
		}
	}
	// A stack the engine rejects: exit 2, naming the stack.
	bad := write(t, "bad.json", `{"resource": {"terraform_data": {"a": {"inputs": "x"}}}}`)
	if r := inProcess(t, "", before, bad); r.code != exitBad || !strings.Contains(r.stderr, `AFTER "`+bad+`": `) ||
		!strings.Contains(r.stderr, `No argument or block type is named "inputs"`) || r.stdout != "" {
		t.Errorf("a rejected stack: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestStatefulByDefault: with no flag, replacing a kind whose replacement loses data
// fails, saying what is lost.
func TestStatefulByDefault(t *testing.T) {
	requireEngine(t)
	stack := `{
  "terraform": {"required_providers": {"aws": {"source": "hashicorp/aws", "version": "5.100.0"}}},
  "provider": {"aws": [{"region": "ca-central-1"}]},
  "resource": {"aws_dynamodb_table": {"orders": {"name": "orders", "billing_mode": "PAY_PER_REQUEST", "hash_key": "id", "attribute": [{"name": "id", "type": "S"}]}}}
}`
	before := write(t, "before.json", stack)
	after := write(t, "after.json", strings.Replace(stack, `"name": "orders"`, `"name": "orders-v2"`, 1))
	r := runCmd(t, "", before, after)
	want := "FAIL: the change replaces or deletes 1 resource(s) of the stateful kinds (verify.Stateful):\n" +
		"  - replace (delete, then create) aws_dynamodb_table.orders, forced by name\n" +
		"    (a DynamoDB table: its items (and streams), unless restored from a backup)\n"
	if r.code != exitForbidden || !strings.HasSuffix(r.stdout, want) {
		t.Errorf("exit %d, want 1 and the end %q:\n%s%s", r.code, want, r.stdout, r.stderr)
	}
}

// TestRender: the three formats of one report (no engine): moves, the orders of a
// replacement, reasons, Markdown's escaping.
func TestRender(t *testing.T) {
	r := &verify.Report{
		Moves: []verify.Move{{Provider: "aws", From: "aws/us-east-1/?", To: "aws/eu-west-1/?"}},
		Changes: []verify.Change{
			{Address: "aws_dynamodb_table.t", Type: "aws_dynamodb_table", Path: "App/T", Action: verify.Replace,
				ReplacePaths: []string{"provider.region"}, Reason: verify.ReasonProviderMoved},
			{Address: "aws_security_group.s", Type: "aws_security_group", Path: "App/S|G", Action: verify.Replace,
				CreateBeforeDestroy: true, ReplacePaths: []string{"name"}},
			{Address: "aws_sqs_queue.q", Type: "aws_sqs_queue", Path: "aws_sqs_queue.q", Action: verify.Forget},
		},
	}
	cfg := config{failOn: []string{"aws_dynamodb_table", "aws_security_group"}, failWhen: "replace"}
	forbidden := cfg.forbidden(r)
	if len(forbidden) != 2 {
		t.Fatalf("forbidden %v", forbidden)
	}
	md := markdown(cfg, r, forbidden)
	for _, want := range []string{
		"- `aws_dynamodb_table.t`: replace (created anew where the provider moved; the old one stays behind), forced by `provider.region`. A DynamoDB table: its items (and streams), unless restored from a backup.\n",
		"- `aws_security_group.s`: replace (create, then delete), forced by `name`. A kind of --fail-on.\n",
		"Provider `aws` moved from `aws/us-east-1/?` to `aws/eu-west-1/?`: its regional resources are created anew there, the old ones stay behind.\n",
		"0 to create, 0 to update, 2 to replace, 0 to delete, 1 to forget.\n",
		"| replace (create, then delete) | `App/S\\|G` | `aws_security_group` | `name` |\n",
		"| forget | `aws_sqs_queue.q` | `aws_sqs_queue` | - |\n",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	if got := markdown(config{failNone: true}, &verify.Report{}, nil); !strings.Contains(got, "**OK**: the change replaces or deletes nothing of none.\n\nNo changes.\n") {
		t.Errorf("an empty report:\n%s", got)
	}
	out, err := jsonReport(config{failAll: true, failWhen: "destroy"}, r, forbidden)
	if err != nil || !strings.Contains(out, `"fail_on": [
    "all"
  ]`) || !strings.Contains(out, `"provider": "aws"`) || !strings.Contains(out, `"stateful": "a DynamoDB table`) {
		t.Errorf("json:\n%s", out)
	}
	if txt := text(cfg, r, forbidden); !strings.Contains(txt, "provider aws moved from aws/us-east-1/? to aws/eu-west-1/?") ||
		!strings.Contains(txt, "FAIL: the change replaces 2 resource(s) of aws_dynamodb_table, aws_security_group:") {
		t.Errorf("text:\n%s", txt)
	}
	if capitalize("") != "" || resourceType("aws_x-y") || resourceType("nounderscore") || !resourceType("aws_db_instance") {
		t.Error("helpers")
	}
}
