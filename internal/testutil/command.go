package testutil

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// BuildCommand builds the main package pkg (relative to the test's package, like
// "./cmd/platform") into a temporary directory and returns the binary's path. It skips
// the test in -short mode.
func BuildCommand(t *testing.T, pkg string) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the app")
	}
	bin := filepath.Join(t.TempDir(), filepath.Base(pkg))
	if out, err := exec.Command("go", "build", "-o", bin, pkg).CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", pkg, err, out)
	}
	return bin
}

// Ran is the result of RunCommand.
type Ran struct {
	Code   int
	Stdout string
	// Stderr is what the command wrote on stderr, without the notice of the jsii runtime
	// about the Node.js version (NodeNotice).
	Stderr string
	// NodeNotice is the framed notice that the jsii runtime prints on stderr when the
	// Node.js it runs on is end-of-life, nearing it, untested or known broken (empty
	// when there was none): a fact of the machine, not output of the command.
	NodeNotice string
	// Dir is the working directory the command ran in (new and empty before).
	Dir string
}

// RunCommand runs bin in a new empty working directory, with env added to the
// process's environment, and returns its exit code, its output and the directory. The
// jsii runtime's notice about the Node.js version is cut from Stderr into NodeNotice and
// logged, so that a test of a command's stderr passes on Node.js 20 (end-of-life, and
// the runtime says so on every start) without a variable to silence it; any other line
// stays in Stderr.
func RunCommand(t *testing.T, bin string, env ...string) Ran {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(bin)
	cmd.Dir = t.TempDir()
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if exit := (*exec.ExitError)(nil); errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatalf("%s: %v", bin, err)
	}
	rest, notice := SplitNodeNotice(stderr.String())
	if notice != "" {
		t.Logf("%s: the jsii runtime's notice about the Node.js version (not the command's output):\n%s", filepath.Base(bin), notice)
	}
	return Ran{Code: code, Stdout: stdout.String(), Stderr: rest, NodeNotice: notice, Dir: cmd.Dir}
}

// ansi matches the color codes the runtime may wrap its notice's lines in.
var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

// nodeNotices are the first lines of the jsii runtime's notices about the Node.js
// version (jsii's checkNode): end-of-life, deprecated (past its end of life, still
// supported for a while), known broken and untested.
var nodeNotices = regexp.MustCompile(`^(Node \d+ is end-of-life and not supported anymore by this software since \d{4}-\d{2}-\d{2}\.` +
	`|Node \d+ has reached end-of-life on \d{4}-\d{2}-\d{2} and will no longer be supported in new releases after \d{4}-\d{2}-\d{2}\.` +
	`|Node v\d+\.\d+\.\d+ is unsupported and has known compatibility issues with this software\.` +
	`|This software has not been tested with node v\d+\.\d+\.\d+\.)$`)

// SplitNodeNotice cuts from stderr each whole notice that the jsii runtime prints about
// the Node.js version, and returns the rest and the notices. A notice is a frame of
// lines of one width: a line of "!", a blank framed line "!!  ...  !!", the message
// lines (the first one of the runtime's notices about Node.js), a blank framed line and
// a line of "!". Anything else, a frame around another message or a frame that is not
// whole, stays in the rest.
func SplitNodeNotice(stderr string) (rest, notice string) {
	lines := strings.SplitAfter(stderr, "\n")
	var kept, cut strings.Builder
	for i := 0; i < len(lines); i++ {
		if n := noticeAt(lines[i:]); n > 0 {
			for _, l := range lines[i : i+n] {
				cut.WriteString(l)
			}
			i += n - 1
			continue
		}
		kept.WriteString(lines[i])
	}
	return kept.String(), cut.String()
}

// noticeAt returns the number of lines of the notice that starts at lines[0], or 0.
func noticeAt(lines []string) int {
	plain := func(i int) string { return ansi.ReplaceAllString(strings.TrimSuffix(lines[i], "\n"), "") }
	border := plain(0)
	width := utf8.RuneCountInString(border)
	if width < 12 || strings.Trim(border, "!") != "" || !strings.HasSuffix(lines[0], "\n") {
		return 0
	}
	blank := "!!" + strings.Repeat(" ", width-4) + "!!"
	// border, blank, at least one message line, blank, border
	for end := 4; end < len(lines); end++ {
		if plain(end) != border {
			continue
		}
		if plain(1) != blank || plain(end-1) != blank {
			return 0
		}
		for i := 2; i < end-1; i++ {
			l := plain(i)
			if utf8.RuneCountInString(l) != width || !strings.HasPrefix(l, "!!  ") || !strings.HasSuffix(l, "  !!") {
				return 0
			}
		}
		if !nodeNotices.MatchString(strings.TrimSpace(plain(2)[2 : len(plain(2))-2])) {
			return 0
		}
		return end + 1
	}
	return 0
}

// Files lists the files and directories under dir, relative to it (nothing for an
// empty directory), to prove that a refused run wrote nothing.
func Files(dir string) []string {
	var out []string
	_ = filepath.WalkDir(dir, func(p string, _ os.DirEntry, err error) error {
		if err == nil && p != dir {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, rel)
		}
		return nil
	})
	return out
}
