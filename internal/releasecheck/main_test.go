package main

import (
	"os"
	"path/filepath"
	"testing"
)

func TestRun(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "release", "v0.1.0"), 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(changelog string) {
		if err := os.WriteFile(filepath.Join(root, "CHANGELOG.md"), []byte(changelog), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("## [Unreleased]\n\n### Added\n\n- x\n")
	if code := run([]string{"-root", root}); code != 1 {
		t.Errorf("a break without a next version: exit %d", code)
	}
	write("## [Unreleased]\nNext version: 0.2.0\n\n### Breaking\n\n- `X` renamed `Y`: rename your calls.\n")
	if code := run([]string{"-root", root}); code != 0 {
		t.Errorf("an announced break: exit %d", code)
	}
	if code := run([]string{"-root", root, "-baseline"}); code != 0 {
		t.Errorf("-baseline: exit %d", code)
	}
	if code := run([]string{"-root", t.TempDir()}); code != 1 {
		t.Errorf("no baseline: exit %d", code)
	}
	if code := run([]string{"-bogus"}); code != 2 {
		t.Errorf("bad flag: exit %d", code)
	}
}
