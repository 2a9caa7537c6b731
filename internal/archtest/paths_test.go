package archtest

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestNoMachinePaths: no file the repository tracks names a directory of the machine
// it was written on: the checkout, the Go module cache, the Go installation or the home
// directory (tools such as apidiff record absolute paths; scripts/apicheck-clean
// blanks them in the API exports).
func TestNoMachinePaths(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	dirs := []string{root}
	for _, v := range []string{"GOMODCACHE", "GOROOT"} {
		out, err := exec.Command("go", "env", v).Output()
		if err != nil {
			t.Fatalf("go env %s: %v", v, err)
		}
		dirs = append(dirs, strings.TrimSpace(string(out)))
	}
	if home, err := os.UserHomeDir(); err == nil {
		dirs = append(dirs, home)
	}
	cmd := exec.Command("git", "ls-files", "-z")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		t.Skipf("not a git checkout (%v): nothing tracked to read", err)
	}
	files := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
	if len(files) < 100 {
		t.Fatalf("git ls-files lists %d files", len(files))
	}
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			continue // deleted in the working tree
		}
		for _, d := range dirs {
			if len(d) > 1 && bytes.Contains(data, []byte(d+"/")) {
				t.Errorf("%s names %s, a directory of this machine", f, d)
			}
		}
	}
}
