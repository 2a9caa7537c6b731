// Command releasecheck tells make test whether the unreleased changes may break what the
// latest baseline (release/vX.Y.Z/) promised: it exits 0 when CHANGELOG.md names a next
// version that may break and carries a "### Breaking" section (docs/releasing.md), and
// 1 with the reason otherwise. With -baseline it prints the latest baseline's directory.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/tapstack/infra/internal/release"
)

func main() { os.Exit(run(os.Args[1:])) }

func run(args []string) int {
	fs := flag.NewFlagSet("releasecheck", flag.ContinueOnError)
	root := fs.String("root", ".", "repository root")
	baseline := fs.Bool("baseline", false, "print the latest baseline's directory and exit")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	v, dir, err := release.Latest(*root + "/release")
	if err != nil {
		fmt.Fprintln(os.Stderr, "releasecheck:", err)
		return 1
	}
	if *baseline {
		fmt.Println(dir)
		return 0
	}
	raw, err := os.ReadFile(*root + "/CHANGELOG.md")
	if err != nil {
		fmt.Fprintln(os.Stderr, "releasecheck:", err)
		return 1
	}
	u, err := release.ParseChangelog(string(raw))
	if err == nil {
		err = release.BreakAllowed(v, u)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "releasecheck:", err)
		return 1
	}
	fmt.Printf("releasecheck: CHANGELOG.md announces %s, which may break v%s, with %d breaking note(s)\n", u.Next, v, len(u.Breaking))
	return 0
}
