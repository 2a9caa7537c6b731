package tapstack

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
)

// DefaultOutdir is where Run writes unless CDKTF_OUTDIR says otherwise.
const DefaultOutdir = "cdktf.out"

// Run is the example app. It reads the environment contract through lookup and checks
// all of it in one pass: ConfigFromLookup's parse errors, Config.Validate's problems
// (each reported against the variable that sets the field) and CDKTF_OUTDIR. On any
// problem it prints one line per problem to stderr and returns 2, without starting jsii
// or writing anything. Otherwise it synthesizes TapStack<env> into $CDKTF_OUTDIR
// (default cdktf.out), prints one line to stdout, and returns 0; a clean run prints
// nothing on stderr. A construct that still refuses its Config (it should not, after
// Validate) is reported on stderr with exit code 1.
func Run(lookup func(string) (string, bool), clock func() time.Time, stdout, stderr io.Writer) (code int) {
	say := func(w io.Writer, line string) { _, _ = fmt.Fprintf(w, "tapstack: %s\n", line) }
	cfg, parseErr := ConfigFromLookup(lookup, clock)
	problems := appProblems(parseErr, cfg.Validate())
	outdir, err := checkOutdir(lookup)
	if err != nil {
		problems = append(problems, err)
	}
	if len(problems) > 0 {
		for _, p := range problems {
			for _, line := range strings.Split(p.Error(), "\n") {
				say(stderr, line)
			}
		}
		return 2
	}
	// cdktf creates the outdir but not its parents.
	_, statErr := os.Stat(outdir)
	created := errors.Is(statErr, os.ErrNotExist)
	if err := os.MkdirAll(outdir, 0o755); err != nil {
		say(stderr, (&VarError{Name: EnvOutdir, Value: outdir, Reason: reason(err)}).Error())
		return 2
	}
	defer func() {
		if r := recover(); r != nil {
			say(stderr, fmt.Sprint(r))
			if created { // leave nothing behind
				_ = os.RemoveAll(outdir)
			}
			code = 1
		}
	}()
	app := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(outdir), StackTraces: jsii.Bool(false)})
	New(app, cfg.StackName(), cfg)
	app.Synth()
	say(stdout, fmt.Sprintf("synthesized %s into %s", cfg.StackName(), strconv.Quote(outdir)))
	return 0
}

// appProblems merges parse errors and validation problems into one list: a Config
// field's problem is reported against its variable, unless parsing that variable
// already failed (its field then holds nothing worth reporting).
func appProblems(parseErr, validateErr error) []error {
	out := split(parseErr)
	failed := map[string]bool{}
	for _, e := range out {
		var v *VarError
		if errors.As(e, &v) {
			failed[v.Name] = true
		}
	}
	for _, e := range split(validateErr) {
		var f *FieldError
		if errors.As(e, &f) {
			if name, ok := fieldVars[f.Field]; ok {
				if !failed[name] {
					out = append(out, &VarError{Name: name, Value: f.Value, Reason: fieldsAsVars.Replace(f.Reason)})
				}
				continue
			}
		}
		out = append(out, e)
	}
	return out
}

// fieldsAsVars rewrites a reason that names Config fields to name their variables, for
// the app's messages.
var fieldsAsVars = func() *strings.Replacer {
	fields := make([]string, 0, len(fieldVars))
	for field := range fieldVars {
		fields = append(fields, field)
	}
	// Longer names first: StateBucketRegion before StateBucket.
	sort.Slice(fields, func(i, j int) bool { return len(fields[i]) > len(fields[j]) })
	var pairs []string
	for _, field := range fields {
		pairs = append(pairs, field, fieldVars[field])
	}
	return strings.NewReplacer(pairs...)
}()

// split returns the errors joined in err (errors.Join), or err alone.
func split(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, split(e)...)
		}
		return out
	}
	return []error{err}
}

// synthOutput lists what a synthesis writes at the top of its output directory: a
// directory holding only these (or nothing) may be written into.
var synthOutput = map[string]bool{"manifest.json": true, "stacks": true}

// checkOutdir returns CDKTF_OUTDIR (default cdktf.out) after checking, without writing
// anything, that the app may write there: an existing directory must be writable and
// hold nothing but a previous synth output; a new one must be creatable (its nearest
// existing ancestor a writable directory).
func checkOutdir(lookup func(string) (string, bool)) (string, error) {
	dir, _ := lookup(EnvOutdir)
	bad := func(reason string) (string, error) {
		return "", &VarError{Name: EnvOutdir, Value: dir, Reason: reason}
	}
	switch {
	case dir == "":
		dir = DefaultOutdir
	case strings.TrimSpace(dir) != dir:
		return bad("has whitespace around the value: remove it")
	}
	info, err := os.Stat(dir)
	switch {
	case err == nil && !info.IsDir():
		return bad("is a file, not a directory")
	case err == nil:
		entries, err := os.ReadDir(dir)
		if err != nil {
			return bad(reason(err))
		}
		var unrelated []string
		for _, e := range entries {
			if !synthOutput[e.Name()] {
				unrelated = append(unrelated, e.Name())
			}
		}
		if len(unrelated) > 0 {
			if len(unrelated) > 3 {
				unrelated = append(unrelated[:3], "...")
			}
			return bad(fmt.Sprintf("holds files that are not a synth output (%s): write into a new or empty directory, or one that holds a previous synth output", strings.Join(unrelated, ", ")))
		}
		if err := writable(dir); err != nil {
			return bad(fmt.Sprintf("cannot be written: %v", err))
		}
		if err := rewritable(dir); err != nil {
			return bad("holds a previous synth output that cannot be rewritten: " + err.Error())
		}
		return dir, nil
	case !errors.Is(err, os.ErrNotExist):
		return bad(reason(err))
	}
	// A new directory: its nearest existing ancestor must be a writable directory.
	parent := filepath.Dir(filepath.Clean(dir))
	for {
		info, err := os.Stat(parent)
		if err == nil {
			if !info.IsDir() {
				return bad(fmt.Sprintf("cannot be created: %s is a file", parent))
			}
			if err := writable(parent); err != nil {
				return bad(fmt.Sprintf("cannot be created in %s: %v", parent, err))
			}
			return dir, nil
		}
		if !errors.Is(err, os.ErrNotExist) || filepath.Dir(parent) == parent {
			return bad("cannot be created: " + reason(err))
		}
		parent = filepath.Dir(parent)
	}
}

// rewritable checks, without writing, that a previous synth output in dir can be
// written over: manifest.json a writable file, stacks/ and each stack directory in it
// writable directories, each cdk.tf.json a writable file.
func rewritable(dir string) error {
	check := func(rel string, wantDir bool) error {
		p := filepath.Join(dir, rel)
		info, err := os.Stat(p)
		switch {
		case errors.Is(err, os.ErrNotExist):
			return nil
		case err != nil:
			return fmt.Errorf("%s: %s", rel, reason(err))
		case info.IsDir() != wantDir && wantDir:
			return fmt.Errorf("%s is a file, not a directory", rel)
		case info.IsDir() != wantDir:
			return fmt.Errorf("%s is a directory, not a file", rel)
		}
		if err := writable(p); err != nil {
			return fmt.Errorf("%s: %v", rel, err)
		}
		return nil
	}
	if err := check("manifest.json", false); err != nil {
		return err
	}
	if err := check("stacks", true); err != nil {
		return err
	}
	stacks, _ := os.ReadDir(filepath.Join(dir, "stacks"))
	for _, st := range stacks {
		rel := filepath.Join("stacks", st.Name())
		if err := check(rel, true); err != nil {
			return err
		}
		if err := check(filepath.Join(rel, "cdk.tf.json"), false); err != nil {
			return err
		}
	}
	return nil
}

// reason is the error without the path it names: the variable's value is echoed
// already, cut short when long.
func reason(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Op + ": " + pe.Err.Error()
	}
	return err.Error()
}
