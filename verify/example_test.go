package verify_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"strings"
	"testing"

	"github.com/tapstack/infra/verify"
)

// A test of a stack change: the stack of a PR environment synthesized again with
// another suffix must replace none of the stateful resources. Here it does (every name
// carries the suffix), and the report says which and why.
func Example() {
	before, err := os.ReadFile("../examples/tapstack/testdata/pr4892.golden.json")
	if err != nil {
		log.Fatal(err)
	}
	after := []byte(strings.ReplaceAll(string(before), "123456", "654321"))

	report, err := verify.Compare(context.Background(), before, after, verify.Options{})
	if err != nil {
		log.Fatal(err) // the engine is missing, or rejected a stack: err holds its diagnostics
	}
	for _, c := range report.Replaced("aws_elasticache_serverless_cache") {
		fmt.Println(c) // replace (delete, then create) aws_elasticache_serverless_cache.Cache_ServerlessCache_CFF03C51, forced by name
	}
	fmt.Print(report) // a table of every change

	// In a test, t is the test's *testing.T; on failure it reports every unwanted
	// replacement with the attributes that force it, then the whole plan.
	var t testing.TB = printer{}
	verify.AssertNoReplacements(t, report, verify.Stateful()...)
}

// printer stands for a test's *testing.T in this example: it prints the failure.
type printer struct{ testing.TB }

func (printer) Helper() {}

func (printer) Error(args ...any) { fmt.Println(args...) }

// One deployment, several candidate stacks: the fake apply is paid once.
func ExampleDeploy() {
	stage, err := os.ReadFile("../examples/tapstack/testdata/default.golden.json")
	if err != nil {
		log.Fatal(err)
	}
	d, err := verify.Deploy(context.Background(), stage, verify.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer func() { _ = d.Close() }()
	for _, name := range []string{"default", "cache-limits"} {
		next, err := os.ReadFile("../examples/tapstack/testdata/" + name + ".golden.json")
		if err != nil {
			log.Fatal(err)
		}
		report, err := d.Plan(context.Background(), next)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s: %d change(s), %d replacement(s)\n", name, len(report.Changes), len(report.Replaced()))
	}
}
