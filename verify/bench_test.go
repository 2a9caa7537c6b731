package verify

import (
	"context"
	"os"
	"testing"
)

// The benchmarks of docs/verify.md. Each runs the engine several times, so they run only
// with VERIFY_BENCH=1:
//
//	VERIFY_BENCH=1 go test -run '^$' -bench . -benchtime 3x ./verify/

func benchEngine(b *testing.B) {
	if os.Getenv("VERIFY_BENCH") != "1" {
		b.Skip("set VERIFY_BENCH=1 to run the engine benchmarks")
	}
	requireEngine(b)
}

// BenchmarkScenario is one scenario: Deploy the default TapStack, Plan cache-limits.
func BenchmarkScenario(b *testing.B) {
	benchEngine(b)
	before, after := golden(b, "default"), golden(b, "cache-limits")
	for b.Loop() {
		if _, err := Compare(context.Background(), before, after, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDeploy is the fake apply of the default TapStack alone.
func BenchmarkDeploy(b *testing.B) {
	benchEngine(b)
	stack := golden(b, "default")
	for b.Loop() {
		d, err := Deploy(context.Background(), stack, Options{})
		if err != nil {
			b.Fatal(err)
		}
		_ = d.Close()
	}
}

// BenchmarkPlan is one more Plan against a deployment (the reuse case).
func BenchmarkPlan(b *testing.B) {
	benchEngine(b)
	d, err := Deploy(context.Background(), golden(b, "default"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = d.Close() }()
	after := golden(b, "cache-limits")
	for b.Loop() {
		if _, err := d.Plan(context.Background(), after); err != nil {
			b.Fatal(err)
		}
	}
}
