package testutil

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
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
	Code           int
	Stdout, Stderr string
	// Dir is the working directory the command ran in (new and empty before).
	Dir string
}

// RunCommand runs bin in a new empty working directory, with env added to the
// process's environment, and returns its exit code, its output and the directory.
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
	return Ran{Code: code, Stdout: stdout.String(), Stderr: stderr.String(), Dir: cmd.Dir}
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
