package testutil

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// ephemeralStack is the shape of the DB password of the library's stacks: the
// ephemeral aws_secretsmanager_random_password feeding the write-only secret_string_wo.
func ephemeralStack(t *testing.T) *Synthesized {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "verify", "testdata", "ephemeral-password.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	return &Synthesized{Raw: raw, JSON: doc}
}

func requireEngines(t *testing.T) tool {
	t.Helper()
	if _, err := FindPluginDir(); err != nil && os.Getenv(RequireEnv) != "1" {
		t.Skip(err)
	}
	return requireTools(t)
}

// TestHarnessEphemeral: a stack with an ephemeral resource that would call AWS and a
// write-only attribute passes the real-provider plan and the mock apply with every
// engine (Terraform's mocked providers refuse ephemeral resources: the harness fakes
// it), and the checks know the fake password and the write-only attribute.
func TestHarnessEphemeral(t *testing.T) {
	requireEngines(t)
	c := Case{Name: "eph", Stack: ephemeralStack(t),
		Asserts: []string{`module.eph.db_secret_arn == "arn:aws:secretsmanager:ca-central-1:123456789012:secret:mock-AbCdEf"`}}
	p, err := prepareCase(c)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.secrets) != 1 || len(p.secrets[0]) != 32 {
		t.Errorf("secrets %q, want the 32-character fake password", p.secrets)
	}
	if diff := cmp.Diff(map[string][]string{"aws_secretsmanager_secret_version.Service_DBSecretVersion_EEDF8B45": {"secret_string_wo"}}, p.writeOnly); diff != "" {
		t.Errorf("write-only attributes (-want +got):\n%s", diff)
	}
	if _, ok := p.mock["ephemeral"]; ok {
		t.Error("the mock module keeps the ephemeral block")
	}
	if err := Check(t.TempDir(), c); err != nil {
		t.Fatal(err)
	}
}

// TestHarnessLeaks: what must stay out of plans and states is looked for where it
// would be: a value in the real-provider plan file, a write-only attribute that is not
// null in it, a value in the mock-applied state.
func TestHarnessLeaks(t *testing.T) {
	tl := requireEngines(t)
	e := tl.engines[0]
	ctx := context.Background()
	p, err := prepareCase(Case{Name: "eph", Stack: ephemeralStack(t),
		Asserts: []string{`module.eph.db_secret_arn == "arn:aws:secretsmanager:ca-central-1:123456789012:secret:mock-AbCdEf"`}})
	if err != nil {
		t.Fatal(err)
	}
	// The secret's name is in the plan; pretend it was handed to an ephemeral resource,
	// and that its name were write-only.
	p.secrets = append(p.secrets, "lms/stage/db")
	p.writeOnly["aws_secretsmanager_secret.Service_DBSecret_425CC3D4"] = []string{"name"}
	err = realPlan(ctx, e, t.TempDir(), []*prepared{p})
	ErrorContains(t, err, "the real-provider plan leaks what must stay out of plans and states",
		`case eph: the plan file's tfplan holds "lms/stage/db", a value handed to an ephemeral resource`,
		"case eph: aws_secretsmanager_secret.Service_DBSecret_425CC3D4.name is fed from an ephemeral value but is not null in the plan")
	// The mocked secret's ARN exists only in the mock-applied state.
	p, err = prepareCase(p.Case)
	if err != nil {
		t.Fatal(err)
	}
	p.secrets = append(p.secrets, "secret:mock-AbCdEf")
	p.writeOnly["aws_secretsmanager_secret.Service_DBSecret_425CC3D4"] = []string{"arn"}
	p.mock = mockModule(p.plan, p)
	err = mockApply(ctx, e, t.TempDir(), []*prepared{p})
	ErrorContains(t, err, `case eph: !strcontains(module.eph.zz_harness_state, "secret:mock-AbCdEf")`,
		"case eph: alltrue([for v in module.eph.zz_harness_write_only : v == null])")
}

// TestHarnessPinnedProvider: a mirror without the provider the stacks pin fails the
// checks, saying how to upgrade.
func TestHarnessPinnedProvider(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "registry.terraform.io", "hashicorp", "aws", "5.99.0", runtime.GOOS+"_"+runtime.GOARCH), 0o755); err != nil {
		t.Fatal(err)
	}
	err := tool{plugins: dir}.pinned()
	ErrorContains(t, err, "the stacks require hashicorp/aws "+PinnedProvider+" exactly (identity.ProviderVersion)", "holds [5.99.0]",
		"set identity.ProviderVersion to the mirror's version, run make golden and make test")
	if !strings.HasPrefix(err.Error(), "the stacks require") {
		t.Errorf("error %q", err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "registry.terraform.io", "hashicorp", "aws", PinnedProvider, runtime.GOOS+"_"+runtime.GOARCH), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := (tool{plugins: dir}).pinned(); err != nil {
		t.Errorf("the mirror holds the pin: %v", err)
	}
}
