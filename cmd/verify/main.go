// Command verify tells what a change of a Terraform JSON stack (cdktf's cdk.tf.json)
// does to live resources, as planned by the real hashicorp/aws provider, offline, and
// fails when it replaces or deletes a resource of a kind it must not touch. It is the
// verify package for any team's CI:
//
//	go run github.com/tapstack/infra/cmd/verify [flags] BEFORE AFTER
//
// BEFORE is the stack deployed now (the main branch's synth), AFTER the stack of the
// change; either may be "-" for standard input. It prints the report on standard output
// as text, Markdown (for a pull-request comment) or JSON, and exits 0 when the change
// does nothing forbidden, 1 when it does, and 2 when it cannot tell: a bad argument, a
// stack that cannot be read or that the engine rejects, no engine. See docs/verify.md.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"sort"
	"strings"

	"github.com/tapstack/infra/verify"
)

// Exit codes.
const (
	exitOK        = 0
	exitForbidden = 1
	exitBad       = 2
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// config is what the command line asks for.
type config struct {
	before, after string
	format        string
	failOn        []string // resource types; empty with failAll
	failAll       bool
	failNone      bool
	failWhen      string // "replace" or "destroy"
	opts          verify.Options
}

// usageError is a bad argument: exit 2, with the usage.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cfg, err := parse(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "verify: %v\n", err)
		var u usageError
		if errors.As(err, &u) {
			fmt.Fprintln(stderr, "usage: verify [flags] BEFORE AFTER (verify -h for the flags)")
		}
		return exitBad
	}
	before, err := readStack("BEFORE", cfg.before, stdin)
	if err != nil {
		fmt.Fprintf(stderr, "verify: %v\n", err)
		return exitBad
	}
	after, err := readStack("AFTER", cfg.after, stdin)
	if err != nil {
		fmt.Fprintf(stderr, "verify: %v\n", err)
		return exitBad
	}
	d, err := verify.Deploy(ctx, before, cfg.opts)
	if err != nil {
		fmt.Fprintf(stderr, "verify: BEFORE %q: %v\n", cfg.before, strings.TrimPrefix(err.Error(), "verify: "))
		return exitBad
	}
	defer func() { _ = d.Close() }()
	report, err := d.Plan(ctx, after)
	if err != nil {
		fmt.Fprintf(stderr, "verify: AFTER %q: %v\n", cfg.after, strings.TrimPrefix(err.Error(), "verify: "))
		return exitBad
	}
	forbidden := cfg.forbidden(report)
	var out string
	switch cfg.format {
	case "markdown":
		out = markdown(cfg, report, forbidden)
	case "json":
		out, err = jsonReport(cfg, report, forbidden)
		if err != nil {
			fmt.Fprintf(stderr, "verify: %v\n", err)
			return exitBad
		}
	default:
		out = text(cfg, report, forbidden)
	}
	if _, err := io.WriteString(stdout, out); err != nil {
		fmt.Fprintf(stderr, "verify: writing the report: %v\n", err)
		return exitBad
	}
	if len(forbidden) > 0 {
		return exitForbidden
	}
	return exitOK
}

// kv is a repeatable KEY=JSON flag.
type kv map[string]any

func (m kv) String() string { return "" }

func (m kv) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	if !ok || k == "" {
		return fmt.Errorf("%q: want KEY=JSON", s)
	}
	var val any
	if err := json.Unmarshal([]byte(v), &val); err != nil {
		return fmt.Errorf("%q: the value is not JSON: %v", s, err)
	}
	m[k] = val
	return nil
}

func parse(args []string, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: verify [flags] BEFORE AFTER\n\n"+
			"Plans AFTER against a fake apply of BEFORE (Terraform JSON files, or - for standard input) with the\n"+
			"real hashicorp/aws provider, offline, prints what the change does to live resources, and exits 1 when\n"+
			"it replaces or deletes a resource of a kind of --fail-on, 2 when it cannot tell.\n\n")
		fs.PrintDefaults()
	}
	format := fs.String("format", "text", "the report: text, markdown (for a pull-request comment) or json")
	failOn := fs.String("fail-on", "stateful", "comma-separated resource types whose replacement or deletion fails the check;\n"+
		"\"stateful\" stands for the kinds whose replacement loses data or identity (verify.Stateful),\n\"all\" for every type, \"none\" never fails")
	failWhen := fs.String("fail-when", "destroy", "what of a --fail-on kind fails the check: destroy (a replacement or a deletion) or replace")
	data := kv{}
	fs.Var(data, "data-source", "a fake for a data source that would call AWS: TYPE=JSON, data.TYPE.NAME=JSON, ephemeral.TYPE=JSON\n(repeatable; the JSON object holds the attributes the stack reads)")
	computed := kv{}
	fs.Var(computed, "computed", "a value AWS decides at apply, in place of verify's fake: TYPE.ATTRIBUTE=JSON (repeatable)")
	engine := fs.String("engine", "", "the terraform or tofu binary (default: $"+verify.BinaryEnv+", else terraform on PATH)")
	plugins := fs.String("plugin-dir", "", "the provider mirror (default: $"+verify.PluginDirEnv+", else discovered)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return config{}, err
		}
		return config{}, usageError{err.Error()}
	}
	cfg := config{format: *format, failWhen: *failWhen}
	switch cfg.format {
	case "text", "markdown", "json":
	default:
		return cfg, usageError{fmt.Sprintf("--format %q: want text, markdown or json", cfg.format)}
	}
	switch cfg.failWhen {
	case "destroy", "replace":
	default:
		return cfg, usageError{fmt.Sprintf("--fail-when %q: want destroy or replace", cfg.failWhen)}
	}
	for _, item := range strings.Split(*failOn, ",") {
		item = strings.TrimSpace(item)
		switch {
		case item == "stateful":
			cfg.failOn = append(cfg.failOn, verify.Stateful()...)
		case item == "all":
			cfg.failAll = true
		case item == "none":
			cfg.failNone = true
		case resourceType(item):
			cfg.failOn = append(cfg.failOn, item)
		default:
			return cfg, usageError{fmt.Sprintf("--fail-on %q: %q is not a resource type (like aws_db_instance), stateful, all or none", *failOn, item)}
		}
	}
	if cfg.failNone && (cfg.failAll || len(cfg.failOn) > 0) {
		return cfg, usageError{fmt.Sprintf("--fail-on %q: none cannot be combined with other kinds", *failOn)}
	}
	slices.Sort(cfg.failOn)
	cfg.failOn = slices.Compact(cfg.failOn)
	if fs.NArg() != 2 {
		return cfg, usageError{fmt.Sprintf("want two stacks, BEFORE and AFTER, got %d argument(s): %q", fs.NArg(), fs.Args())}
	}
	cfg.before, cfg.after = fs.Arg(0), fs.Arg(1)
	if cfg.before == "-" && cfg.after == "-" {
		return cfg, usageError{"BEFORE and AFTER are both \"-\": only one of them can be read from standard input"}
	}
	cfg.opts.Engine = verify.Engine{Binary: *engine, PluginDir: *plugins}
	if len(data) > 0 {
		cfg.opts.DataSources = map[string]map[string]any{}
		for k, v := range data {
			obj, ok := v.(map[string]any)
			if !ok {
				return cfg, usageError{fmt.Sprintf("--data-source %s=%v: want a JSON object of the attributes the stack reads", k, v)}
			}
			cfg.opts.DataSources[k] = obj
		}
	}
	if len(computed) > 0 {
		cfg.opts.Computed = computed
	}
	return cfg, nil
}

// resourceType tells whether s looks like a resource type: provider_name.
func resourceType(s string) bool {
	if s == "" || !strings.Contains(s, "_") {
		return false
	}
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '_' {
			return false
		}
	}
	return true
}

func readStack(arg, name string, stdin io.Reader) ([]byte, error) {
	var raw []byte
	var err error
	if name == "-" {
		raw, err = io.ReadAll(stdin)
	} else {
		raw, err = os.ReadFile(name)
	}
	if err != nil {
		return nil, fmt.Errorf("%s %q: %v", arg, name, err)
	}
	if len(strings.TrimSpace(string(raw))) == 0 {
		return nil, fmt.Errorf("%s %q: the stack is empty", arg, name)
	}
	return raw, nil
}

// forbidden returns the changes the command line forbids.
func (c config) forbidden(r *verify.Report) []verify.Change {
	if c.failNone {
		return nil
	}
	var types []string
	if !c.failAll {
		if len(c.failOn) == 0 {
			return nil
		}
		types = c.failOn
	}
	if c.failWhen == "replace" {
		return r.Replaced(types...)
	}
	return r.Destroyed(types...)
}

// kinds describes --fail-on for the reports.
func (c config) kinds() string {
	switch {
	case c.failNone:
		return "none"
	case c.failAll:
		return "any type"
	case slices.Equal(c.failOn, verify.Stateful()):
		return "the stateful kinds (verify.Stateful)"
	}
	return strings.Join(c.failOn, ", ")
}

func (c config) verb() string {
	if c.failWhen == "replace" {
		return "replaces"
	}
	return "replaces or deletes"
}

func reason(ch verify.Change) string {
	if r := verify.StatefulReason(ch.Type); r != "" {
		return r
	}
	return "a kind of --fail-on"
}

func text(c config, r *verify.Report, forbidden []verify.Change) string {
	var b strings.Builder
	b.WriteString(r.String())
	b.WriteString("\n")
	if len(forbidden) == 0 {
		fmt.Fprintf(&b, "OK: the change %s nothing of %s.\n", c.verb(), c.kinds())
		return b.String()
	}
	fmt.Fprintf(&b, "FAIL: the change %s %d resource(s) of %s:\n", c.verb(), len(forbidden), c.kinds())
	for _, ch := range forbidden {
		fmt.Fprintf(&b, "  - %s\n    (%s)\n", ch, reason(ch))
	}
	return b.String()
}

func markdown(c config, r *verify.Report, forbidden []verify.Change) string {
	var b strings.Builder
	b.WriteString("### What this change does to live resources\n\n")
	if len(forbidden) == 0 {
		fmt.Fprintf(&b, "**OK**: the change %s nothing of %s.\n\n", c.verb(), c.kinds())
	} else {
		fmt.Fprintf(&b, "**FAIL**: the change %s %d resource(s) of %s:\n\n", c.verb(), len(forbidden), c.kinds())
		for _, ch := range forbidden {
			fmt.Fprintf(&b, "- `%s`: %s", ch.Address, describe(ch))
			if len(ch.ReplacePaths) > 0 {
				fmt.Fprintf(&b, ", forced by %s", codes(ch.ReplacePaths))
			}
			fmt.Fprintf(&b, ". %s.\n", capitalize(reason(ch)))
		}
		b.WriteString("\n")
	}
	for _, m := range r.Moves {
		fmt.Fprintf(&b, "Provider `%s` moved from `%s` to `%s`: its regional resources are created anew there, the old ones stay behind.\n\n", m.Provider, m.From, m.To)
	}
	if len(r.Changes) == 0 {
		b.WriteString("No changes.\n")
		return b.String()
	}
	fmt.Fprintf(&b, "%d to create, %d to update, %d to replace, %d to delete", r.Count(verify.Create), r.Count(verify.Update), r.Count(verify.Replace), r.Count(verify.Delete))
	if n := r.Count(verify.Forget); n > 0 {
		fmt.Fprintf(&b, ", %d to forget", n)
	}
	b.WriteString(".\n\n| action | resource | type | forced by |\n|---|---|---|---|\n")
	for _, ch := range r.Changes {
		forced := "-"
		if len(ch.ReplacePaths) > 0 {
			forced = codes(ch.ReplacePaths)
		}
		fmt.Fprintf(&b, "| %s | `%s` | `%s` | %s |\n", describe(ch), escapePipes(ch.Path), ch.Type, forced)
	}
	return b.String()
}

// describe is the action of a change in words.
func describe(ch verify.Change) string {
	switch {
	case ch.Action != verify.Replace:
		return string(ch.Action)
	case ch.Reason == verify.ReasonProviderMoved:
		return "replace (created anew where the provider moved; the old one stays behind)"
	case ch.CreateBeforeDestroy:
		return "replace (create, then delete)"
	}
	return "replace (delete, then create)"
}

func codes(paths []string) string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = "`" + escapePipes(p) + "`"
	}
	return strings.Join(out, ", ")
}

func escapePipes(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// jsonChange is one change of the JSON report.
type jsonChange struct {
	Address             string   `json:"address"`
	Type                string   `json:"type"`
	Path                string   `json:"path"`
	Action              string   `json:"action"`
	CreateBeforeDestroy bool     `json:"create_before_destroy,omitempty"`
	ReplacePaths        []string `json:"replace_paths,omitempty"`
	Reason              string   `json:"reason,omitempty"`
	Forbidden           bool     `json:"forbidden"`
	Stateful            string   `json:"stateful,omitempty"`
}

func jsonReport(c config, r *verify.Report, forbidden []verify.Change) (string, error) {
	type move struct {
		Provider string `json:"provider"`
		From     string `json:"from"`
		To       string `json:"to"`
	}
	doc := struct {
		Passed    bool           `json:"passed"`
		FailOn    []string       `json:"fail_on"`
		FailWhen  string         `json:"fail_when"`
		Summary   map[string]int `json:"summary"`
		Moves     []move         `json:"moves"`
		Changes   []jsonChange   `json:"changes"`
		Forbidden []string       `json:"forbidden"`
	}{Passed: len(forbidden) == 0, FailWhen: c.failWhen, Moves: []move{}, Changes: []jsonChange{}, Forbidden: []string{}, FailOn: []string{}}
	switch {
	case c.failNone:
	case c.failAll:
		doc.FailOn = []string{"all"}
	default:
		doc.FailOn = append(doc.FailOn, c.failOn...)
	}
	doc.Summary = map[string]int{}
	for _, a := range []verify.Action{verify.Create, verify.Update, verify.Replace, verify.Delete, verify.Forget} {
		doc.Summary[string(a)] = r.Count(a)
	}
	for _, m := range r.Moves {
		doc.Moves = append(doc.Moves, move{m.Provider, m.From, m.To})
	}
	bad := map[string]bool{}
	for _, ch := range forbidden {
		bad[ch.Address] = true
		doc.Forbidden = append(doc.Forbidden, ch.Address)
	}
	sort.Strings(doc.Forbidden)
	for _, ch := range r.Changes {
		doc.Changes = append(doc.Changes, jsonChange{Address: ch.Address, Type: ch.Type, Path: ch.Path, Action: string(ch.Action),
			CreateBeforeDestroy: ch.CreateBeforeDestroy, ReplacePaths: ch.ReplacePaths, Reason: ch.Reason, Forbidden: bad[ch.Address],
			Stateful: verify.StatefulReason(ch.Type)})
	}
	raw, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return "", err
	}
	return string(raw) + "\n", nil
}
