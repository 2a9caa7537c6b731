// Command covergate reads the coverage profile that go test writes (-coverprofile, one
// file for all the packages it tested) and fails when a gated package covers less than
// the minimum share of its statements, or is not in the profile at all.
//
//	covergate -profile bin/cover.out -min 90 ./constructs/... ./examples/tapstack ./verify
//
// A pattern is a package directory relative to the module root (read from go.mod in the
// working directory, or given with -module); a trailing /... takes the packages below it
// too. Every pattern must match a package of the profile, so that a renamed or moved
// package cannot leave the gate by accident. A package without tests is in the profile
// too (go test -cover lists it with 0%), and fails the gate as any other below the
// minimum.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path"
	"sort"
	"strconv"
	"strings"
)

func main() {
	profile := flag.String("profile", "", "coverage profile written by go test -coverprofile")
	minimum := flag.Float64("min", 90, "minimum percent of statements covered in each gated package")
	module := flag.String("module", "", "module path (default: the module line of ./go.mod)")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: covergate -profile FILE [-min PERCENT] [-module PATH] PATTERN...")
		flag.PrintDefaults()
	}
	flag.Parse()
	os.Exit(run(*profile, *module, *minimum, flag.Args(), os.Stdout))
}

func run(profilePath, module string, minimum float64, patterns []string, out io.Writer) int {
	if profilePath == "" || len(patterns) == 0 {
		fmt.Fprintln(out, "covergate: give -profile and at least one package pattern")
		return 2
	}
	if module == "" {
		var err error
		if module, err = modulePath("go.mod"); err != nil {
			fmt.Fprintln(out, "covergate:", err)
			return 2
		}
	}
	f, err := os.Open(profilePath)
	if err != nil {
		fmt.Fprintln(out, "covergate:", err)
		return 2
	}
	defer func() { _ = f.Close() }()
	pkgs, err := parseProfile(f)
	if err != nil {
		fmt.Fprintf(out, "covergate: %s: %v\n", profilePath, err)
		return 2
	}
	gated := map[string]bool{}
	code := 0
	for _, p := range patterns {
		matched := 0
		for pkg := range pkgs {
			if matches(module, p, pkg) {
				gated[pkg] = true
				matched++
			}
		}
		if matched == 0 {
			fmt.Fprintf(out, "covergate: no package of %s matches %s: gate it by its new path, or remove the pattern\n", profilePath, p)
			code = 1
		}
	}
	names := make([]string, 0, len(gated))
	for pkg := range gated {
		names = append(names, pkg)
	}
	sort.Strings(names)
	lowest, lowestPct := "", 101.0
	for _, pkg := range names {
		c := pkgs[pkg]
		pct := c.percent()
		switch {
		case c.covered == 0:
			fmt.Fprintf(out, "covergate: %s covers none of its %d statements (no tests, or none that run): below %s%%\n", pkg, c.statements, strconv.FormatFloat(minimum, 'f', -1, 64))
			code = 1
		case pct < minimum:
			fmt.Fprintf(out, "covergate: %s covers %s%% of its statements, below %s%%\n", pkg, formatBelow(pct, minimum), strconv.FormatFloat(minimum, 'f', -1, 64))
			code = 1
		}
		if pct < lowestPct {
			lowest, lowestPct = pkg, pct
		}
	}
	if code == 0 {
		fmt.Fprintf(out, "covergate: all %d gated packages are at or above %s%% (lowest: %s, %s%%)\n", len(names), strconv.FormatFloat(minimum, 'f', -1, 64), lowest, format(lowestPct))
	}
	return code
}

// coverage counts the statements of one package.
type coverage struct{ statements, covered int }

// percent is the share of statements covered, as go test -cover prints it (0 for a
// package without statements).
func (c coverage) percent() float64 {
	if c.statements == 0 {
		return 0
	}
	return 100 * float64(c.covered) / float64(c.statements)
}

// format prints a percentage as go test -cover does, with one decimal.
func format(pct float64) string { return strconv.FormatFloat(pct, 'f', 1, 64) }

// formatBelow prints pct, which is below minimum, with as many decimals as it takes to
// show that (89.96 as 89.96, not as go test's 90.0).
func formatBelow(pct, minimum float64) string {
	s := format(pct)
	for d := 2; d <= 6; d++ {
		if v, _ := strconv.ParseFloat(s, 64); v < minimum {
			break
		}
		s = strconv.FormatFloat(pct, 'f', d, 64)
	}
	return s
}

// parseProfile reads a coverage profile ("mode: set", then one line per block:
// file:start,end statements count) and returns the coverage of each package (the
// directory of its files). A block listed twice (by two test binaries) is covered when
// either covered it.
func parseProfile(r io.Reader) (map[string]coverage, error) {
	type block struct {
		pkg        string
		statements int
		covered    bool
	}
	blocks := map[string]*block{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if line == 1 {
			if !strings.HasPrefix(text, "mode: ") {
				return nil, fmt.Errorf("line 1: %q is not a coverage profile's mode line", text)
			}
			continue
		}
		if text == "" {
			continue
		}
		fields := strings.Fields(text)
		colon := strings.LastIndex(text, ":")
		if len(fields) != 3 || colon < 0 {
			return nil, fmt.Errorf("line %d: %q is not a coverage block (file:start,end statements count)", line, text)
		}
		statements, err1 := strconv.Atoi(fields[1])
		count, err2 := strconv.Atoi(fields[2])
		if err := errors.Join(err1, err2); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		b := blocks[fields[0]]
		if b == nil {
			b = &block{pkg: path.Dir(text[:colon]), statements: statements}
			blocks[fields[0]] = b
		}
		b.covered = b.covered || count > 0
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if line == 0 {
		return nil, errors.New("empty: no mode line")
	}
	pkgs := map[string]coverage{}
	for _, b := range blocks {
		c := pkgs[b.pkg]
		c.statements += b.statements
		if b.covered {
			c.covered += b.statements
		}
		pkgs[b.pkg] = c
	}
	return pkgs, nil
}

// matches reports whether the import path pkg is the pattern's package (./dir) or, for
// ./dir/..., the package dir or one below it.
func matches(module, pattern, pkg string) bool {
	rel := strings.TrimPrefix(strings.TrimPrefix(pattern, "./"), "/")
	if rel == "..." {
		return pkg == module || strings.HasPrefix(pkg, module+"/")
	}
	if dir, ok := strings.CutSuffix(rel, "/..."); ok {
		base := strings.TrimSuffix(module+"/"+dir, "/")
		return pkg == base || strings.HasPrefix(pkg, base+"/")
	}
	return pkg == strings.TrimSuffix(module+"/"+rel, "/")
}

// modulePath returns the module path declared in the go.mod file at file.
func modulePath(file string) (string, error) {
	raw, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("the module path (give -module): %w", err)
	}
	for _, l := range strings.Split(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(l), "module "); ok {
			if f := strings.Fields(rest); len(f) > 0 {
				return strings.Trim(f[0], `"`), nil
			}
		}
	}
	return "", fmt.Errorf("%s has no module line (give -module)", file)
}
