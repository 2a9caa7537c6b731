package tapstack_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/examples/tapstack"
	"github.com/tapstack/infra/internal/testutil"
)

// BenchmarkSynthFloor synthesizes, in a running process, a stack with only the AWS
// provider: the in-process floor.
func BenchmarkSynthFloor(b *testing.B) {
	testutil.WarmUp(b)
	for i := 0; i < b.N; i++ {
		stack := cdktf.NewTerraformStack(testutil.NewApp(), jsii.String("Floor"))
		provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{Region: jsii.String("ca-central-1")})
		cdktf.Testing_Synth(stack, jsii.Bool(true))
	}
}

// BenchmarkSynthTapStack synthesizes the default TapStack in a running process; with
// BenchmarkSynthFloor it gives the cost per resource (resources reported as a metric).
func BenchmarkSynthTapStack(b *testing.B) {
	cfg := fromEnv(b, map[string]string{})
	var resources int
	testutil.WarmUp(b)
	for i := 0; i < b.N; i++ {
		s := testutil.Synth(b, tapstack.New(testutil.NewApp(), cfg.StackName(), cfg))
		resources = 0
		for _, typ := range s.ResourceTypes() {
			resources += s.Count(typ)
		}
	}
	b.ReportMetric(float64(resources), "resources")
}

// BenchmarkProcess runs whole processes, as CI does: the floor app (one AWS provider),
// the TapStack app, and, when perf/typescript/node_modules is installed (make
// perf-typescript), the same floor stack in TypeScript cdktf. Each op is one process.
func BenchmarkProcess(b *testing.B) {
	floor, app := buildPrograms(b)
	run := func(b *testing.B, name string, args ...string) {
		for i := 0; i < b.N; i++ {
			cmd := exec.Command(name, args...)
			cmd.Env = append(os.Environ(), "CDKTF_OUTDIR="+b.TempDir())
			if msg, err := cmd.CombinedOutput(); err != nil {
				b.Fatalf("%s: %v\n%s", name, err, msg)
			}
		}
	}
	b.Run("floor", func(b *testing.B) { run(b, floor) })
	b.Run("tapstack", func(b *testing.B) { run(b, app) })
	b.Run("typescript-floor", func(b *testing.B) {
		dir, _ := filepath.Abs(filepath.Join("..", "..", "perf", "typescript"))
		if _, err := os.Stat(filepath.Join(dir, "node_modules", "cdktf")); err != nil {
			b.Skip("perf/typescript/node_modules missing: run make perf-typescript")
		}
		run(b, "node", filepath.Join(dir, "floor.js"))
	})
}

// maxFloorRatio is the budget of docs/performance.md: the TapStack app may take at most
// 15% longer than the floor app, which pays only for Node.js, jsii and the AWS bindings.
const maxFloorRatio = 1.15

// BenchmarkTapStackOverFloor alternates the floor and TapStack processes and reports the
// ratio of their medians ("x-floor"), the figure docs/performance.md targets (<= 1.15).
func BenchmarkTapStackOverFloor(b *testing.B) {
	floor, app := buildPrograms(b)
	timeRun := func(name string) time.Duration {
		cmd := exec.Command(name)
		cmd.Env = append(os.Environ(), "CDKTF_OUTDIR="+b.TempDir())
		start := time.Now()
		if msg, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("%s: %v\n%s", name, err, msg)
		}
		return time.Since(start)
	}
	var f, t []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f = append(f, timeRun(floor))
		t = append(t, timeRun(app))
	}
	ratio := float64(median(t)) / float64(median(f))
	if ratio > maxFloorRatio {
		b.Errorf("the TapStack app took %v (median), %.2fx the floor app's %v: over the %.2fx budget", median(t), ratio, median(f), maxFloorRatio)
	}
	b.ReportMetric(ratio, "x-floor")
	b.ReportMetric(float64(median(f).Milliseconds()), "floor-ms")
	b.ReportMetric(float64(median(t).Milliseconds()), "tapstack-ms")
}

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

// buildPrograms builds the floor app and the TapStack app, returning their paths.
func buildPrograms(b *testing.B) (floor, app string) {
	b.Helper()
	bin := b.TempDir()
	build := func(name, pkg string) string {
		out := filepath.Join(bin, name)
		if msg, err := exec.Command("go", "build", "-o", out, pkg).CombinedOutput(); err != nil {
			b.Fatalf("go build %s: %v\n%s", pkg, err, msg)
		}
		return out
	}
	return build("floor", "../../internal/perf/floor"), build("tapstack", "./cmd/tapstack")
}
