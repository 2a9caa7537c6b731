package tapstack_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tapstack/infra/internal/testutil"
)

// TestConsumerModule proves importability: examples/consumer is a module of its own
// (go.mod, replace to this repository as a go get would resolve it) that builds its own
// stack from tapstack.New with a customized Config and a resource of its own. Its
// synthesized output must carry the customization and pass Terraform.
func TestConsumerModule(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the consumer module")
	}
	out := t.TempDir()
	cmd := exec.Command("go", "run", ".")
	cmd.Dir = filepath.Join("..", "consumer")
	cmd.Env = append(os.Environ(), "CDKTF_OUTDIR="+out)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go run in examples/consumer: %v\n%s", err, msg)
	}
	raw, err := os.ReadFile(filepath.Join(out, "stacks", "ShopProd", "cdk.tf.json"))
	if err != nil {
		t.Fatal(err)
	}
	s := &testutil.Synthesized{Raw: raw}
	if err := json.Unmarshal(raw, &s.JSON); err != nil {
		t.Fatal(err)
	}
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
	testutil.Terraform(t, testutil.Case{Name: "consumer", Stack: s})
}

func imageOf(t *testing.T, s *testutil.Synthesized) string {
	t.Helper()
	var containers []struct{ Image string }
	if err := json.Unmarshal([]byte(s.Only(t, "aws_ecs_task_definition")["container_definitions"].(string)), &containers); err != nil || len(containers) != 1 {
		t.Fatalf("container definitions: %v", err)
	}
	return containers[0].Image
}
