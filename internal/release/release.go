// Package release holds the rules of docs/releasing.md that make test enforces: which
// committed baseline (release/vX.Y.Z/) is the latest, what CHANGELOG.md says the next
// version is, and whether that version may break what the baseline promised.
package release

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Version is a semantic version without pre-release or build parts.
type Version struct{ Major, Minor, Patch int }

var versionPattern = regexp.MustCompile(`^v?(\d+)\.(\d+)\.(\d+)$`)

// ParseVersion reads "1.2.3" or "v1.2.3".
func ParseVersion(s string) (Version, error) {
	m := versionPattern.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return Version{}, fmt.Errorf("%q is not a version X.Y.Z", s)
	}
	n := func(i int) int { v, _ := strconv.Atoi(m[i]); return v }
	return Version{n(1), n(2), n(3)}, nil
}

// String is "X.Y.Z".
func (v Version) String() string { return fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch) }

// Less orders versions.
func (v Version) Less(w Version) bool {
	if v.Major != w.Major {
		return v.Major < w.Major
	}
	if v.Minor != w.Minor {
		return v.Minor < w.Minor
	}
	return v.Patch < w.Patch
}

// MayBreak reports whether next may break what base promised: a major bump from 1.0
// on, and, while the module is v0.x, a minor (or major) bump.
func MayBreak(base, next Version) bool {
	if base.Major == 0 {
		return next.Major > 0 || next.Minor > base.Minor
	}
	return next.Major > base.Major
}

// Latest returns the newest baseline under dir (release/vX.Y.Z directories) and its
// path.
func Latest(dir string) (Version, string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return Version{}, "", fmt.Errorf("release baselines: %w", err)
	}
	var found []Version
	for _, e := range entries {
		if v, err := ParseVersion(e.Name()); e.IsDir() && err == nil && strings.HasPrefix(e.Name(), "v") {
			found = append(found, v)
		}
	}
	if len(found) == 0 {
		return Version{}, "", fmt.Errorf("no release baseline (v<X.Y.Z>/) in %s", dir)
	}
	sort.Slice(found, func(i, j int) bool { return found[i].Less(found[j]) })
	v := found[len(found)-1]
	return v, filepath.Join(dir, "v"+v.String()), nil
}

// Unreleased is what CHANGELOG.md says about the changes not yet released.
type Unreleased struct {
	// Next is the version the "Next version: X.Y.Z" line under "## [Unreleased]"
	// names, or the zero Version when there is none.
	Next    Version
	HasNext bool
	// Breaking are the entries of its "### Breaking" section: each says what breaks
	// and how to upgrade.
	Breaking []string
}

// ParseChangelog reads the "## [Unreleased]" section of a Keep a Changelog file.
func ParseChangelog(text string) (Unreleased, error) {
	var u Unreleased
	lines := strings.Split(text, "\n")
	start := -1
	for i, l := range lines {
		if strings.TrimSpace(l) == "## [Unreleased]" {
			start = i + 1
			break
		}
	}
	if start < 0 {
		return u, errors.New(`CHANGELOG.md has no "## [Unreleased]" section`)
	}
	inBreaking := false
	for _, l := range lines[start:] {
		t := strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(t, "## "):
			return u, nil
		case strings.HasPrefix(t, "Next version:"):
			v, err := ParseVersion(strings.TrimPrefix(t, "Next version:"))
			if err != nil {
				return u, fmt.Errorf("CHANGELOG.md, Next version: %w", err)
			}
			u.Next, u.HasNext = v, true
		case strings.HasPrefix(t, "### "):
			inBreaking = t == "### Breaking"
		case inBreaking && strings.HasPrefix(t, "- "):
			u.Breaking = append(u.Breaking, strings.TrimPrefix(t, "- "))
		case inBreaking && t != "" && len(u.Breaking) > 0:
			u.Breaking[len(u.Breaking)-1] += " " + t
		}
	}
	return u, nil
}

// BreakAllowed says whether the unreleased changes may break what the baseline base
// promised (an incompatible API change, a replaced stateful resource), and why not:
// CHANGELOG.md must name a next version that docs/releasing.md allows to break and
// carry a "### Breaking" section with an upgrade note.
func BreakAllowed(base Version, u Unreleased) error {
	switch {
	case !u.HasNext:
		return fmt.Errorf(`breaking change since v%s: add "Next version: X.Y.Z" under "## [Unreleased]" in CHANGELOG.md (a minor bump while v0.x, a major bump from 1.0), or restore compatibility`, base)
	case !MayBreak(base, u.Next):
		return fmt.Errorf("breaking change since v%s: CHANGELOG.md's next version %s may not break (docs/releasing.md: a minor bump while v0.x, a major bump from 1.0)", base, u.Next)
	case len(u.Breaking) == 0:
		return fmt.Errorf(`breaking change since v%s: CHANGELOG.md needs a "### Breaking" section under "## [Unreleased]" saying what breaks and how to upgrade`, base)
	}
	return nil
}
