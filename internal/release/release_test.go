package release_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tapstack/infra/internal/release"
)

func v(s string) release.Version {
	out, err := release.ParseVersion(s)
	if err != nil {
		panic(err)
	}
	return out
}

func TestMayBreak(t *testing.T) {
	for _, c := range []struct {
		base, next string
		want       bool
	}{
		{"0.1.0", "0.2.0", true}, {"0.1.0", "0.1.1", false}, {"0.1.3", "1.0.0", true},
		{"1.2.0", "1.3.0", false}, {"1.2.0", "2.0.0", true}, {"1.2.0", "1.2.1", false},
	} {
		if got := release.MayBreak(v(c.base), v(c.next)); got != c.want {
			t.Errorf("MayBreak(%s, %s) = %v", c.base, c.next, got)
		}
	}
	if _, err := release.ParseVersion("1.2"); err == nil {
		t.Error("1.2 parsed")
	}
	if !v("0.9.0").Less(v("0.10.0")) || v("1.0.0").Less(v("0.9.9")) || v("1.0.1").String() != "1.0.1" {
		t.Error("Less or String")
	}
}

func TestLatest(t *testing.T) {
	dir := t.TempDir()
	for _, d := range []string{"v0.1.0", "v0.10.0", "v0.9.2", "notes"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	got, path, err := release.Latest(dir)
	if err != nil || got != v("0.10.0") || path != filepath.Join(dir, "v0.10.0") {
		t.Errorf("Latest = %v %s %v", got, path, err)
	}
	if _, _, err := release.Latest(t.TempDir()); err == nil || !strings.Contains(err.Error(), "no release baseline") {
		t.Errorf("empty dir: %v", err)
	}
}

func TestChangelogAndBreaks(t *testing.T) {
	changelog := func(unreleased string) string {
		return "# Changelog\n\n## [Unreleased]\n" + unreleased + "\n## [0.1.0] - 2026-11-28\n\n### Breaking\n\n- old\n"
	}
	tests := []struct {
		desc, unreleased string
		want             release.Unreleased
		err              string
	}{
		{"nothing said", "\n### Added\n\n- x\n", release.Unreleased{}, `add "Next version: X.Y.Z"`},
		{"a patch may not break", "Next version: 0.1.1\n\n### Breaking\n\n- y\n", release.Unreleased{Next: v("0.1.1"), HasNext: true, Breaking: []string{"y"}}, "next version 0.1.1 may not break"},
		{"no upgrade note", "Next version: 0.2.0\n", release.Unreleased{Next: v("0.2.0"), HasNext: true}, `needs a "### Breaking" section`},
		{"allowed", "Next version: 0.2.0\n\n### Breaking\n\n- `Foo` is gone:\n  use `Bar`.\n\n### Added\n\n- z\n",
			release.Unreleased{Next: v("0.2.0"), HasNext: true, Breaking: []string{"`Foo` is gone: use `Bar`."}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			u, err := release.ParseChangelog(changelog(tt.unreleased))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, u); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			err = release.BreakAllowed(v("0.1.0"), u)
			if (tt.err == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.err)) {
				t.Errorf("BreakAllowed = %v, want %q", err, tt.err)
			}
		})
	}
	if _, err := release.ParseChangelog("# Changelog\n"); err == nil {
		t.Error("a changelog without [Unreleased] parsed")
	}
	if _, err := release.ParseChangelog("## [Unreleased]\nNext version: soon\n"); err == nil {
		t.Error("a bad next version parsed")
	}
	// The repository's own CHANGELOG parses.
	raw, err := os.ReadFile(filepath.Join("..", "..", "CHANGELOG.md"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := release.ParseChangelog(string(raw)); err != nil {
		t.Error(err)
	}
}
