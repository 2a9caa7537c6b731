package verify

import (
	"archive/zip"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestEphemeral: the DB password of the library's stacks is an ephemeral
// aws_secretsmanager_random_password feeding the write-only secret_string_wo. Opening it
// would call AWS; verify fakes it as it fakes a data source, and keeps it ephemeral.
// With each engine: the stack plans no change against its own fake apply, the fake
// password is in neither the state nor a plan file, the write-only attribute is null in
// the state, the value put into an attribute that is not write-only is refused, and a new secret_string_wo_version replaces the secret's version (the
// provider writes a new version; the secret stays).
func TestEphemeral(t *testing.T) {
	requireEngine(t)
	raw, err := os.ReadFile(filepath.Join("testdata", "ephemeral-password.json"))
	if err != nil {
		t.Fatal(err)
	}
	engines := map[string]Engine{"terraform": {}}
	if name := os.Getenv("TOFU_BINARY_NAME"); name != "" {
		engines["tofu"] = Engine{Binary: name}
	}
	for name, eng := range engines {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			d, err := Deploy(context.Background(), raw, Options{Engine: eng})
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = d.Close() }()
			st, err := prepare(raw, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(st.secrets) != 1 || len(st.secrets[0]) != 32 {
				t.Fatalf("the fake password: %q", st.secrets)
			}
			password := st.secrets[0]
			version := d.state["aws_secretsmanager_secret_version.Service_DBSecretVersion_EEDF8B45"]
			if version == nil {
				t.Fatalf("no secret version in the state: %v", d.state)
			}
			if v, ok := version.attrs["secret_string_wo"]; !ok || v != nil {
				t.Errorf("secret_string_wo in the state = %v (present %v), want null", v, ok)
			}
			if r := plan(t, d, raw); len(r.Changes) != 0 {
				t.Errorf("control:\n%s", r)
			}
			noPassword(t, d, password)
			if name != "terraform" {
				misuse(t, raw, eng)
				return // the rest is the provider's, the same with both engines
			}
			r := plan(t, d, []byte(strings.Replace(string(raw), `"secret_string_wo_version": 1`, `"secret_string_wo_version": 2`, 1)))
			want := []Change{{Address: "aws_secretsmanager_secret_version.Service_DBSecretVersion_EEDF8B45", Type: "aws_secretsmanager_secret_version",
				Path: "EphemeralPassword/Service/DBSecretVersion", Action: Replace, ReplacePaths: []string{"secret_string_wo_version"},
				Reason: "replace_because_cannot_update"}}
			if diff := cmp.Diff(want, r.Changes); diff != "" {
				t.Errorf("a new password version (-want +got):\n%s\n%s", diff, r)
			}
			noPassword(t, d, password)
			misuse(t, raw, eng)
		})
	}
}

// misuse: where the engine refuses an ephemeral value, verify refuses it too: the fake
// is as ephemeral as the real one.
func misuse(t *testing.T, raw []byte, eng Engine) {
	t.Helper()
	stack := strings.Replace(strings.Replace(string(raw), `"secret_string_wo"`, `"secret_string"`, 1), `,
        "secret_string_wo_version": 1`, "", 1)
	if _, err := Deploy(context.Background(), []byte(stack), Options{Engine: eng}); err == nil || !strings.Contains(strings.ToLower(err.Error()), "ephemeral value") {
		t.Errorf("an ephemeral value in secret_string: %v, want the engine's refusal", err)
	}
}

// noPassword fails when the password is in the deployment's state or in its last plan
// file (the configuration snapshot aside: the fake is a literal of the configuration).
func noPassword(t *testing.T, d *Deployment, password string) {
	t.Helper()
	d.mu.Lock()
	defer d.mu.Unlock()
	state, err := os.ReadFile(filepath.Join(d.dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(state), password) {
		t.Errorf("the fake state holds the password")
	}
	var doc map[string]any
	if err := json.Unmarshal(state, &doc); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.OpenReader(filepath.Join(d.dir, planFile))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = zr.Close() }()
	for _, f := range zr.File {
		if strings.HasPrefix(f.Name, "tfconfig/") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(rc)
		_ = rc.Close()
		if strings.Contains(string(data), password) {
			t.Errorf("the plan file's %s holds the password", f.Name)
		}
	}
}
