package envapp

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
)

// Main runs an app's command: run, then stop the jsii kernel, then exit with run's
// code (os.Exit would skip a deferred jsii.Close, and the Node child would outlive the
// program).
func Main(run func() int) {
	code := func() int {
		defer jsii.Close()
		return run()
	}()
	os.Exit(code)
}

// DefaultOutdir is where the apps write unless CDKTF_OUTDIR says otherwise.
const DefaultOutdir = "cdktf.out"

// Run is the common part of an example app named prog. It checks CDKTF_OUTDIR (see
// CheckOutdir) and, when that or problems (the app's parse and validation problems,
// see Problems) hold anything, prints one line per problem to stderr, each prefixed
// "<prog>: ", and returns 2 without starting jsii or writing anything. Otherwise it
// creates the output directory, has define define the app's stack and return its
// name, synthesizes, prints "<prog>: synthesized <stack> into <outdir>" on stdout and
// returns 0; a clean run prints nothing on stderr. A construct that still refuses its
// Config (it should not, after validation) is reported on stderr with exit code 1.
func Run(prog string, lookup func(string) (string, bool), problems []error, stdout, stderr io.Writer, define func(app cdktf.App) string) (code int) {
	say := func(w io.Writer, line string) { _, _ = fmt.Fprintf(w, "%s: %s\n", prog, line) }
	outdir, err := CheckOutdir(lookup)
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
	stack := define(app)
	app.Synth()
	say(stdout, fmt.Sprintf("synthesized %s into %s", stack, strconv.Quote(outdir)))
	return 0
}

// synthOutput lists what a synthesis writes at the top of its output directory: a
// directory holding only these (or nothing) may be written into.
var synthOutput = map[string]bool{"manifest.json": true, "stacks": true}

// CheckOutdir returns CDKTF_OUTDIR (default cdktf.out) after checking, without writing
// anything, that the app may write there: an existing directory must be writable and
// hold nothing but a previous synth output; a new one must be creatable (its nearest
// existing ancestor a writable directory).
func CheckOutdir(lookup func(string) (string, bool)) (string, error) {
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
