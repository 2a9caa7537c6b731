package testutil_test

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpc"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/internal/testutil"
)

// recorder is a testing.TB that records failures instead of failing, so that the
// helpers' own failure paths can be tested.
type recorder struct {
	testing.TB
	msgs []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.msgs = append(r.msgs, fmt.Sprintf(format, args...))
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	runtime.Goexit()
}
func (r *recorder) Fatal(args ...any) { r.Fatalf("%s", fmt.Sprint(args...)) }

// failures runs f with a recorder and returns what it reported.
func failures(t *testing.T, f func(tb testing.TB)) string {
	rec := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(rec)
	}()
	<-done
	return strings.Join(rec.msgs, "\n")
}

func TestHelpersReportFailures(t *testing.T) {
	s := variants.Synth(t, "good")
	tests := []struct {
		desc string
		f    func(tb testing.TB)
		want string
	}{
		{"Only with none", func(tb testing.TB) { s.Only(tb, "aws_eip") }, "want exactly one aws_eip, got 0"},
		{"Resource missing", func(tb testing.TB) { s.Resource(tb, "aws_vpc", "Nope") }, "no resource aws_vpc.Nope; have [Vpc]"},
		{"Absent present", func(tb testing.TB) { s.Absent(tb, "aws_vpc") }, "want no aws_vpc, got 1: [Vpc]"},
		{"MustPanic without panic", func(tb testing.TB) { testutil.MustPanic(tb, func() {}) }, "did not panic"},
		{"unknown variant", func(tb testing.TB) { variants.Synth(tb, "nope") }, `no variant "nope"`},
		{"golden mismatch", func(tb testing.TB) { testutil.Golden(tb, "harness", vpcSynth(tb, "10.1.0.0/16")) }, "harness.golden.json mismatch (-want +got)"},
		{"golden missing", func(tb testing.TB) { testutil.Golden(tb, "does-not-exist", s) }, "golden file missing"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			if got := failures(t, tt.f); !strings.Contains(got, tt.want) {
				t.Errorf("reported %q, want it to contain %q", got, tt.want)
			}
		})
	}
}

func vpcSynth(tb testing.TB, cidr string) *testutil.Synthesized {
	return testutil.Synth(tb, vpcStack(cidr))
}

func TestGoldenUpdate(t *testing.T) {
	dir := t.TempDir()
	wd, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = os.Chdir(wd) }()
	t.Setenv("UPDATE_GOLDEN", "1")
	s := variants.Synth(t, "good")
	testutil.Golden(t, "fresh", s)
	if _, err := os.Stat(filepath.Join(dir, "testdata", "fresh.golden.json")); err != nil {
		t.Fatal(err)
	}
	t.Setenv("UPDATE_GOLDEN", "")
	testutil.Golden(t, "fresh", s) // reads back what it wrote
}

func TestChildModuleRejects(t *testing.T) {
	requireTerraform(t)
	unpinned := testutil.Synth(t, vpcStack("10.0.0.0/16"))
	unpinned.JSON["terraform"].(map[string]any)["required_providers"].(map[string]any)["aws"].(map[string]any)["version"] = ">= 5.0"
	aliased := testutil.NewStack("Aliased")
	provider.NewAwsProvider(aliased, jsii.String("west"), &provider.AwsProviderConfig{Region: jsii.String("us-west-2"), Alias: jsii.String("west")})
	vpc.NewVpc(aliased, jsii.String("Vpc"), &vpc.VpcConfig{CidrBlock: jsii.String("10.0.0.0/16")})
	tests := []struct {
		desc  string
		stack *testutil.Synthesized
		want  string
	}{
		{"floating provider version", unpinned, `want the pin "5.100.0"`},
		{"second provider block", testutil.Synth(t, aliased), "want exactly one aws provider block, got 2"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			err := testutil.Check(t.TempDir(), testutil.Case{Name: "x", Stack: tt.stack})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Check = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestVariantsRejectDuplicates(t *testing.T) {
	v := testutil.NewVariants()
	v.Add("a", func() cdktf.TerraformStack { return nil })
	testutil.MustPanic(t, func() { v.Add("a", func() cdktf.TerraformStack { return nil }) })
}
