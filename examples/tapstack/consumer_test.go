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
		raw, err := os.ReadFile(filepath.Join(out, "stacks", "ShopProd", "cdk.tf.json"))
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
	secret := "arn:aws:secretsmanager:ca-central-1:123456789012:secret:mock-AbCdEf"
	return testutil.Case{Name: "consumer", Stack: s, Asserts: []string{
		`module.consumer.vpc_id == "vpc-0123456789abcdef0"`,
		`module.consumer.alb_dns_name == "mock-123456789.ca-central-1.elb.amazonaws.com"`,
		`module.consumer.ecs_cluster_name == "shop-cluster-prod"`,
		`module.consumer.ecs_service_name == "shop-service-prod"`,
		`module.consumer.redis_cache_name == "shop-redis-prod"`,
		`module.consumer.db_secret_arn == "` + secret + `"`,
		`module.consumer.redis_secret_arn == "` + secret + `"`,
	}}
}

// TestConsumerModule proves importability: examples/consumer is a module of its own
// (go.mod, replace to this repository as a go get would resolve it) that builds its own
// stack from tapstack.New with a customized Config and a resource of its own. Its
// synthesized output must carry the customization; TestTerraform checks it with
// Terraform (consumerCase).
func TestConsumerModule(t *testing.T) {
	s := consumerStack(t)
	alarm := s.Only(t, "aws_cloudwatch_metric_alarm")["dimensions"]
	got := map[string]any{
		"region":      s.JSON["provider"].(map[string]any)["aws"].([]any)[0].(map[string]any)["region"],
		"alb":         s.Only(t, "aws_lb")["name"],
		"cache":       s.Only(t, "aws_elasticache_serverless_cache")["name"],
		"image":       imageOf(t, s),
		"nat":         s.Count("aws_nat_gateway"),
		"limits":      s.Only(t, "aws_elasticache_serverless_cache")["cache_usage_limits"] != nil,
		"alarm":       alarm,
		"outputs":     len(s.Outputs()),
		"projectTags": s.JSON["provider"].(map[string]any)["aws"].([]any)[0].(map[string]any)["default_tags"].([]any)[0].(map[string]any)["tags"].(map[string]any)["Project"],
	}
	want := map[string]any{
		"region": "eu-west-1", "alb": "shop-alb-prod", "cache": "shop-redis-prod",
		"image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop:1.2.3", "nat": 2, "limits": true,
		"alarm": map[string]any{
			"ClusterName": s.RefTo(t, "aws_ecs_cluster", "Service/Cluster", "name"),
			"ServiceName": s.RefTo(t, "aws_ecs_service", "Service/Service", "name"),
		},
		"outputs": 7, "projectTags": "shop",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("consumer stack (-want +got):\n%s", diff)
	}
}

func imageOf(t *testing.T, s *testutil.Synthesized) string {
	t.Helper()
	var containers []struct{ Image string }
	if err := json.Unmarshal([]byte(s.Only(t, "aws_ecs_task_definition")["container_definitions"].(string)), &containers); err != nil || len(containers) != 1 {
		t.Fatalf("container definitions: %v", err)
	}
	return containers[0].Image
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
	text := strings.Replace(string(mod), "module example.com/platform-infra", "module example.com/copied-examples", 1)
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
	for _, pkg := range []string{"naming", "network", "cache", "lmsservice"} {
		src, err := os.ReadFile(filepath.Join(root, "constructs", pkg, "example_test.go"))
		if err != nil {
			t.Fatal(err)
		}
		write(filepath.Join(pkg, "example_test.go"), src)
	}
	cmd := exec.Command("go", "vet", "./...")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the examples do not compile in a module of their own: %v\n%s", err, out)
	}
}
