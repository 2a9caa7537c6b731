package tapstack_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tapstack/infra/internal/testutil"
)

// consumer is the stack examples/consumer synthesizes, built once per test binary.
var consumer struct {
	once  sync.Once
	stack *testutil.Synthesized
	skip  string
	err   error
}

// consumerStack runs examples/consumer (go run) on first use and returns its stack. It
// skips the test when the module is not here or with -short.
func consumerStack(t *testing.T) *testutil.Synthesized {
	t.Helper()
	consumer.once.Do(func() {
		if testing.Short() {
			consumer.skip = "-short: builds the consumer module"
			return
		}
		dir := filepath.Join("..", "consumer")
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
			// examples/consumer is a module of its own, so it is not in this module's
			// zip: `go test github.com/tapstack/infra/...` from the module cache has no
			// copy.
			consumer.skip = fmt.Sprintf("examples/consumer is not here (%v): it is a nested module, absent from the module cache", err)
			return
		}
		out, err := os.MkdirTemp("", "consumer-")
		if err != nil {
			consumer.err = err
			return
		}
		defer func() { _ = os.RemoveAll(out) }()
		cmd := exec.Command("go", "run", ".")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "CDKTF_OUTDIR="+out)
		if msg, err := cmd.CombinedOutput(); err != nil {
			consumer.err = fmt.Errorf("go run in examples/consumer: %v\n%s", err, msg)
			return
		}
		raw, err := os.ReadFile(filepath.Join(out, "stacks", "ShopLMS", "cdk.tf.json"))
		if err != nil {
			consumer.err = err
			return
		}
		s := &testutil.Synthesized{Raw: raw}
		if err := json.Unmarshal(raw, &s.JSON); err != nil {
			consumer.err = err
			return
		}
		consumer.stack = s
	})
	if consumer.skip != "" {
		t.Skip(consumer.skip)
	}
	if consumer.err != nil {
		t.Fatal(consumer.err)
	}
	return consumer.stack
}

// consumerCase is the consumer's stack as a case of the Terraform harness, with what its
// outputs must be after the mock apply. TestTerraform checks it with the variants.
func consumerCase(s *testutil.Synthesized) testutil.Case {
	return testutil.Case{Name: "consumer", Stack: s, Asserts: []string{
		`module.consumer.ecs_cluster_name == "shop-cluster-stage"`,
		`module.consumer.web_url == "http://mock-123456789.ca-central-1.elb.amazonaws.com"`,
		`module.consumer.jobs_queue_url == "https://sqs.ca-central-1.amazonaws.com/123456789012/mock"`,
	}}
}

// TestConsumerModule proves importability: examples/consumer is a module of its own
// (go.mod, replace to this repository as a go get would resolve it) that builds another
// team's application from the public API only: web and api on one load balancer routed
// by path, a worker without one, one cluster, one cache, an existing VPC from a data
// source's list, grants, and a queue of its own named through the identity API.
// TestTerraform checks its output with Terraform (consumerCase); its own tests
// (examples/consumer/lms) check what a deploy of a change does.
func TestConsumerModule(t *testing.T) {
	s := consumerStack(t)
	services := map[string]any{}
	for addr, svc := range s.Resources("aws_ecs_service") {
		services[strings.SplitN(addr, "_", 2)[0]] = map[string]any{
			"name": svc["name"], "cluster": svc["cluster"], "balanced": svc["load_balancer"] != nil,
		}
	}
	cluster := "${aws_ecs_cluster.Cluster.arn}"
	got := map[string]any{
		"region":   s.JSON["provider"].(map[string]any)["aws"].([]any)[0].(map[string]any)["region"],
		"services": services,
		"albs":     s.Count("aws_lb"), "clusters": s.Count("aws_ecs_cluster"), "caches": s.Count("aws_elasticache_serverless_cache"),
		"vpcs": s.Count("aws_vpc"), "nat": s.Count("aws_nat_gateway"),
		"rule":  s.Only(t, "aws_lb_listener_rule")["condition"],
		"queue": s.Only(t, "aws_sqs_queue")["name"],
	}
	want := map[string]any{
		"region": "eu-west-1",
		"services": map[string]any{
			"Web":    map[string]any{"name": "shop-web-service-stage", "cluster": cluster, "balanced": true},
			"API":    map[string]any{"name": "shop-api-service-stage", "cluster": cluster, "balanced": true},
			"Worker": map[string]any{"name": "shop-worker-service-stage", "cluster": cluster, "balanced": false},
		},
		"albs": 1, "clusters": 1, "caches": 1, "vpcs": 0, "nat": 0,
		"rule":  []any{map[string]any{"path_pattern": map[string]any{"values": []any{"/api/*"}}}},
		"queue": "shop-jobs-queue-stage",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("consumer stack (-want +got):\n%s", diff)
	}
}

// TestExamplesCompileInAModuleOfTheirOwn copies each construct's Example functions into
// a module of its own (as a consumer would paste them) and compiles them there: an
// example that used an internal package would fail with "use of internal package".
func TestExamplesCompileInAModuleOfTheirOwn(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a module")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	consumer := filepath.Join(root, "examples", "consumer")
	if _, err := os.Stat(filepath.Join(consumer, "go.mod")); err != nil {
		t.Skipf("examples/consumer is not here (%v): its go.mod is the template", err)
	}
	dir := t.TempDir()
	mod, err := os.ReadFile(filepath.Join(consumer, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(mod), "module example.com/lms-infra", "module example.com/copied-examples", 1)
	text = strings.Replace(text, "=> ../..", "=> "+root, 1)
	sum, err := os.ReadFile(filepath.Join(consumer, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, data []byte) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", []byte(text))
	write("go.sum", sum)
	examples, err := filepath.Glob(filepath.Join(root, "*", "example_test.go"))
	if err != nil {
		t.Fatal(err)
	}
	more, _ := filepath.Glob(filepath.Join(root, "constructs", "*", "example_test.go"))
	if examples = append(examples, more...); len(examples) < 8 {
		t.Fatalf("only %d example files: %v", len(examples), examples)
	}
	for _, src := range examples {
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(root, src)
		write(rel, data)
	}
	cmd := exec.Command("go", "vet", "./...")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the examples do not compile in a module of their own: %v\n%s", err, out)
	}
}
