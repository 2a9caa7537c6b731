package testutil

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/ with the current output")

// Golden compares got with the JSON in testdata/<name>.golden.json, semantically (parsed,
// not byte for byte), and reports the difference as (-want +got). With -update (or
// UPDATE_GOLDEN=1) it rewrites the file instead. A golden diff is a Terraform diff for
// users: read it before updating.
func Golden(t testing.TB, name string, got *Synthesized) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden.json")
	if *update || os.Getenv("UPDATE_GOLDEN") == "1" {
		pretty, err := json.MarshalIndent(got.JSON, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, append(pretty, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden file missing (run make golden): %v", err)
	}
	var want map[string]any
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if diff := cmp.Diff(want, got.JSON); diff != "" {
		t.Errorf("%s mismatch (-want +got); if the change is intended, run make golden:\n%s", path, diff)
	}
}
