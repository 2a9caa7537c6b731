package testutil_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsecrrepository"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/lbtargetgroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/subnet"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpc"
	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/internal/testutil"
)

func TestMain(m *testing.M) { testutil.Main(m) }

// vpcStack defines a VPC with the given CIDR, one subnet and an output.
func vpcStack(cidr string) cdktf.TerraformStack {
	stack := testutil.NewStack("Harness")
	v := vpc.NewVpc(stack, jsii.String("Vpc"), &vpc.VpcConfig{CidrBlock: jsii.String(cidr)})
	subnet.NewSubnet(stack, jsii.String("Subnet"), &subnet.SubnetConfig{VpcId: v.Id(), CidrBlock: jsii.String("10.0.1.0/24")})
	cdktf.NewTerraformOutput(stack, jsii.String("vpc_id"), &cdktf.TerraformOutputConfig{Value: v.Id()})
	return stack
}

var variants = testutil.NewVariants()

func init() {
	variants.Add("good", func() cdktf.TerraformStack { return vpcStack("10.0.0.0/16") },
		`module.good.vpc_id == "vpc-0123456789abcdef0"`)
}

func TestSelectors(t *testing.T) {
	s := variants.Synth(t, "good")
	if diff := cmp.Diff(map[string]int{"aws_vpc": 1, "aws_subnet": 1, "aws_nat_gateway": 0}, s.Counts("aws_vpc", "aws_subnet", "aws_nat_gateway")); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
	if got := s.Only(t, "aws_vpc")["cidr_block"]; got != "10.0.0.0/16" {
		t.Errorf("cidr_block = %v", got)
	}
	if got := s.Resource(t, "aws_subnet", "Subnet")["vpc_id"]; got != testutil.Ref("aws_vpc", "Vpc", "id") {
		t.Errorf("subnet vpc_id = %v", got)
	}
	if diff := cmp.Diff([]string{"aws_subnet", "aws_vpc"}, s.ResourceTypes()); diff != "" {
		t.Errorf("types (-want +got):\n%s", diff)
	}
	if _, ok := s.Outputs()["vpc_id"]; !ok {
		t.Error("no vpc_id output")
	}
	s.Absent(t, "aws_eip", "aws_nat_gateway")
	if len(s.DataSources("aws_availability_zones")) != 0 {
		t.Error("unexpected data source")
	}
	if msg := testutil.MustPanic(t, func() { panic("boom") }); msg != "boom" {
		t.Errorf("MustPanic = %q", msg)
	}
	if again := variants.Synth(t, "good"); again != s {
		t.Error("Synth did not reuse the synthesized variant")
	}
}

func TestGolden(t *testing.T) {
	testutil.Golden(t, "harness", variants.Synth(t, "good"))
}

// TestHarnessCatchesBadConfig proves the harness is not a rubber stamp: terraform
// validate rejects a bad CIDR that synthesizes without complaint, and names the case.
func TestHarnessCatchesBadConfig(t *testing.T) {
	requireTerraform(t)
	bad := testutil.Synth(t, vpcStack("10.0.0.0/33"))
	err := testutil.Check(t.TempDir(), testutil.Case{Name: "bad_cidr", Stack: bad, Asserts: []string{`module.bad_cidr.vpc_id == "vpc-0123456789abcdef0"`}})
	if err == nil {
		t.Fatal("terraform validate accepted cidr_block 10.0.0.0/33")
	}
	for _, want := range []string{"bad_cidr/cdk.tf.json", "10.0.0.0/33"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %q:\n%v", want, err)
		}
	}
}

// TestHarnessMockApplyAsserts proves the mock apply runs and its assertions can fail.
func TestHarnessMockApplyAsserts(t *testing.T) {
	requireTerraform(t)
	err := testutil.Check(t.TempDir(), testutil.Case{Name: "wrong", Stack: variants.Synth(t, "good"), Asserts: []string{`module.wrong.vpc_id == "vpc-other"`}})
	if err == nil || !strings.Contains(err.Error(), `case wrong: module.wrong.vpc_id == "vpc-other"`) {
		t.Fatalf("want a failed assertion, got %v", err)
	}
	// With two engines, the first to fail stops the other: one failure is reported.
	if n := strings.Count(err.Error(), "terraform test (mock apply)"); n != 1 {
		t.Errorf("%d engines' failures reported, want the first one only:\n%v", n, err)
	}
}

// TestTerraform checks the variants with every engine: with TOFU_BINARY_NAME set (make
// test sets it), Terraform and OpenTofu each check them in a directory of their own.
func TestTerraform(t *testing.T) {
	requireTerraform(t)
	dir := t.TempDir()
	if err := testutil.Check(dir, testutil.Case{Name: "good", Stack: variants.Synth(t, "good"), Asserts: []string{`module.good.vpc_id == "vpc-0123456789abcdef0"`}}); err != nil {
		t.Fatal(err)
	}
	engines := []string{"terraform"}
	if os.Getenv(testutil.TofuEnv) != "" {
		engines = append(engines, "tofu")
	}
	for _, engine := range engines {
		for _, step := range []string{"plan", "test"} {
			if _, err := os.Stat(filepath.Join(dir, engine, step, ".terraform.lock.hcl")); err != nil {
				t.Errorf("%s did not run the %s: %v", engine, step, err)
			}
		}
		if _, err := os.Stat(filepath.Join(dir, engine, "plan", "real.tfplan")); err != nil {
			t.Errorf("%s wrote no real-provider plan: %v", engine, err)
		}
	}
}

func TestCaseNames(t *testing.T) {
	requireTerraform(t)
	s := variants.Synth(t, "good")
	for _, name := range []string{"Bad", "x y", ""} {
		err := testutil.Check(t.TempDir(), testutil.Case{Name: name, Stack: s})
		testutil.ErrorContains(t, err, fmt.Sprintf("testutil.Terraform: case name %q must match", name))
	}
	testutil.ErrorContains(t, testutil.Check(t.TempDir()), "testutil.Terraform: no cases")
}

// TestHarnessRealPlanCatchesPlanTimeErrors: the real provider's plan rejects what
// validate and a mocked apply accept, here a target group rule that the provider checks
// only when it plans (a matcher on a TCP health check).
func TestHarnessRealPlanCatchesPlanTimeErrors(t *testing.T) {
	requireTerraform(t)
	stack := testutil.NewStack("Plan")
	lbtargetgroup.NewLbTargetGroup(stack, jsii.String("TG"), &lbtargetgroup.LbTargetGroupConfig{
		Name: jsii.String("tg"), Port: jsii.Number(80), Protocol: jsii.String("TCP"), TargetType: jsii.String("ip"), VpcId: jsii.String("vpc-0a1b2c3d"),
		HealthCheck: &lbtargetgroup.LbTargetGroupHealthCheck{Protocol: jsii.String("TCP"), Matcher: jsii.String("200")},
	})
	err := testutil.Check(t.TempDir(), testutil.Case{Name: "tcp", Stack: testutil.Synth(t, stack)})
	testutil.ErrorContains(t, err, "the real-provider plan (validate and plan) found errors", `Attribute "health_check[0].matcher" cannot be specified when "health_check[0].protocol" is "TCP"`)
}

// TestHarnessFakesDataSources: the real plan needs a fake for every data source that
// would call AWS (the table of internal/awsfake), and says which one is missing.
func TestHarnessFakesDataSources(t *testing.T) {
	requireTerraform(t)
	stack := testutil.NewStack("Data")
	dataawsecrrepository.NewDataAwsEcrRepository(stack, jsii.String("Repo"), &dataawsecrrepository.DataAwsEcrRepositoryConfig{Name: jsii.String("app")})
	err := testutil.Check(t.TempDir(), testutil.Case{Name: "ecr", Stack: testutil.Synth(t, stack)})
	testutil.ErrorContains(t, err, "case ecr: no fake for what would call AWS: data.aws_ecr_repository.Repo (type aws_ecr_repository)")
}

func TestFindPluginDirOverride(t *testing.T) {
	t.Setenv("TF_PLUGIN_DIR", t.TempDir())
	if _, err := testutil.FindPluginDir(); err == nil || !strings.Contains(err.Error(), "TF_PLUGIN_DIR=") {
		t.Errorf("want an error naming TF_PLUGIN_DIR, got %v", err)
	}
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "registry.terraform.io/hashicorp/aws/5.1.0", runtimePlatform()), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TF_PLUGIN_DIR", dir)
	if got, err := testutil.FindPluginDir(); err != nil || got != dir {
		t.Errorf("FindPluginDir = %q, %v", got, err)
	}
}

func requireTerraform(t *testing.T) {
	t.Helper()
	if _, err := testutil.FindPluginDir(); err != nil && os.Getenv(testutil.RequireEnv) != "1" {
		t.Skip(err)
	}
}

// TestEveryOutputAsserted: a case whose output no assertion compares is refused before
// Terraform runs, since a mock apply gives every output some value.
func TestEveryOutputAsserted(t *testing.T) {
	requireTerraform(t)
	s := variants.Synth(t, "good")
	err := testutil.Check(t.TempDir(), testutil.Case{Name: "lazy", Stack: s, Asserts: []string{`module.lazy.vpc_idx == "x"`}})
	testutil.ErrorContains(t, err, "case lazy: output vpc_id has no assertion")
	// "Not empty" holds for any value a mock gives: a comparison is needed.
	err = testutil.Check(t.TempDir(), testutil.Case{Name: "lazy", Stack: s, Asserts: []string{`module.lazy.vpc_id != ""`}})
	testutil.ErrorContains(t, err, "case lazy: output vpc_id has no assertion: compare it (==)")
}
