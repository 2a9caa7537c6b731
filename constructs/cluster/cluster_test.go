package cluster_test

import (
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/awsid"
	"github.com/tapstack/infra/constructs/cluster"
	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/internal/testutil"
)

func TestMain(m *testing.M) { testutil.Main(m) }

var (
	stage = naming.MustEnvironment("stage", naming.Options{})
	pr    = naming.MustEnvironment("pr4892", naming.Options{Timestamp: "123456"})
)

const arn = "arn:aws:ecs:ca-central-1:123456789012:cluster/shared"

var (
	variants = testutil.NewVariants()
	built    = map[string]*cluster.Cluster{}
)

func get(t *testing.T, name string) *cluster.Cluster {
	t.Helper()
	variants.Synth(t, name)
	return built[name]
}

func add(name string, build func(stack cdktf.TerraformStack) *cluster.Cluster, asserts ...string) {
	variants.Add(name, func() cdktf.TerraformStack {
		stack := testutil.NewStack("Test")
		c := build(stack)
		built[name] = c
		cdktf.NewTerraformOutput(stack, jsii.String("name"), &cdktf.TerraformOutputConfig{Value: c.Name()})
		cdktf.NewTerraformOutput(stack, jsii.String("arn"), &cdktf.TerraformOutputConfig{Value: c.ARN()})
		return stack
	}, asserts...)
}

func init() {
	add("stage", func(s cdktf.TerraformStack) *cluster.Cluster {
		return cluster.New(s, "Cluster", cluster.Config{Environment: stage})
	}, `module.stage.name == "lms-cluster-stage"`, `module.stage.arn == "arn:aws:ecs:ca-central-1:123456789012:cluster/mock"`)
	add("pr", func(s cdktf.TerraformStack) *cluster.Cluster {
		return cluster.New(s, "Cluster", cluster.Config{Environment: pr, Component: "jobs", ContainerInsights: new(false)})
	}, `module.pr.name == "lms-jobs-cluster-pr4892-123456"`, `module.pr.arn == "arn:aws:ecs:ca-central-1:123456789012:cluster/mock"`)
	add("existing", func(s cdktf.TerraformStack) *cluster.Cluster {
		return cluster.FromAttributes(s, "Cluster", cluster.Attributes{ARN: arn})
	}, `module.existing.name == "shared"`, `module.existing.arn == "`+arn+`"`)
}

func TestTerraform(t *testing.T) { variants.CheckTerraform(t) }

// TestNew: the cluster's logical ID is the construct's own ("Cluster", the ID "Default"
// hidden), Container Insights on, both Fargate providers, the profile's default.
func TestNew(t *testing.T) {
	s := variants.Synth(t, "stage")
	c := s.Resource(t, "aws_ecs_cluster", "Cluster")
	if diff := cmp.Diff([]any{map[string]any{"name": "containerInsights", "value": "enabled"}}, c["setting"]); diff != "" {
		t.Errorf("settings (-want +got):\n%s", diff)
	}
	providers := s.Only(t, "aws_ecs_cluster_capacity_providers")
	want := map[string]any{"cluster_name": "${aws_ecs_cluster.Cluster.name}", "capacity_providers": []any{"FARGATE", "FARGATE_SPOT"},
		"default_capacity_provider_strategy": []any{map[string]any{"capacity_provider": "FARGATE", "weight": 1.0}}}
	if diff := cmp.Diff(want, testutil.Pick(providers, "cluster_name", "capacity_providers", "default_capacity_provider_strategy")); diff != "" {
		t.Errorf("capacity providers (-want +got):\n%s", diff)
	}
	p := variants.Synth(t, "pr")
	if got := p.Only(t, "aws_ecs_cluster_capacity_providers")["default_capacity_provider_strategy"]; !cmp.Equal(got, []any{map[string]any{"capacity_provider": "FARGATE_SPOT", "weight": 1.0}}) {
		t.Errorf("a PR cluster's default strategy = %v, want Spot", got)
	}
	if got := p.Only(t, "aws_ecs_cluster")["setting"]; !cmp.Equal(got, []any{map[string]any{"name": "containerInsights", "value": "disabled"}}) {
		t.Errorf("insights off = %v", got)
	}
	c0 := get(t, "stage")
	if _, ok := c0.ECSCluster(); !ok || !c0.FargateSpot() || c0.Place().Region != testutil.Region {
		t.Error("accessors of a new cluster")
	}
	if _, ok := c0.CapacityProviders(); !ok {
		t.Error("CapacityProviders")
	}
}

func TestFromAttributes(t *testing.T) {
	s := variants.Synth(t, "existing")
	s.Absent(t, "aws_ecs_cluster", "aws_ecs_cluster_capacity_providers")
	c := get(t, "existing")
	if _, ok := c.ECSCluster(); ok || c.FargateSpot() || *c.Name() != "shared" {
		t.Errorf("existing cluster: name %q, spot %v", *c.Name(), c.FargateSpot())
	}
	// A token ARN: the name is read from it by Terraform.
	stack := testutil.NewStack("Token")
	source := cluster.New(stack, "Source", cluster.Config{Environment: stage})
	adopted := cluster.FromAttributes(stack, "Adopted", cluster.Attributes{ARN: *source.ARN(), FargateSpot: true})
	if got := testutil.ResolveString(adopted, adopted.Name()); got != `${element(split("/", aws_ecs_cluster.Source.arn), 1)}` {
		t.Errorf("name from a token = %q", got)
	}
}

func TestValidate(t *testing.T) {
	for desc, c := range map[string]struct {
		err  error
		want string
	}{
		"no environment":    {cluster.Config{}.Validate(), "Environment is required"},
		"bad component":     {cluster.Config{Environment: stage, Component: "Jobs"}.Validate(), `Component "Jobs" is not a component`},
		"no ARN":            {cluster.Attributes{}.Validate(), "ARN is required"},
		"not a cluster":     {cluster.Attributes{ARN: "arn:aws:ecs:ca-central-1:123456789012:service/x/y"}.Validate(), "is not an ECS cluster ARN"},
		"an expression":     {cluster.Attributes{ARN: "${aws_ecs_cluster.x.arn}"}.Validate(), `ARN "${aws_ecs_cluster.x.arn}" holds "${"`},
		"another region":    {cluster.Attributes{ARN: "arn:aws:ecs:eu-west-1:123456789012:cluster/x"}.ValidateIn(awsIn("ca-central-1")), "is in region eu-west-1, not the stack's region ca-central-1"},
		"another partition": {cluster.Attributes{ARN: "arn:aws-cn:ecs:cn-north-1:123456789012:cluster/x"}.ValidateIn(awsIn("ca-central-1")), "is in partition aws-cn"},
	} {
		t.Run(desc, func(t *testing.T) { testutil.ErrorContains(t, c.err, c.want) })
	}
	msg := testutil.MustPanic(t, func() {
		cluster.FromAttributes(testutil.NewStack("X"), "C", cluster.Attributes{ARN: "arn:aws:ecs:eu-west-1:123456789012:cluster/x"})
	})
	if !strings.Contains(msg, `cluster.FromAttributes("C"): invalid Config`) || !strings.Contains(msg, "not the stack's region") {
		t.Errorf("panic = %q", msg)
	}
}

func awsIn(region string) awsid.Place { return awsid.In(region) }
