package testutil

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
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

// GeneratedSection compares content with the section of the file at path that lies
// between the lines "<!-- generated:<name> begin -->" and "<!-- generated:<name> end -->"
// (a page of docs/ whose table a test computes), and reports a difference as (-file
// +computed). With -update (or UPDATE_GOLDEN=1) it rewrites the section instead. The
// rest of the file is the author's.
func GeneratedSection(t testing.TB, path, name, content string) {
	t.Helper()
	begin, end := "<!-- generated:"+name+" begin -->\n", "<!-- generated:"+name+" end -->"
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := string(raw)
	i, j := strings.Index(text, begin), strings.Index(text, end)
	if i < 0 || j < i {
		t.Fatalf("%s has no section %q ... %q", path, begin, end)
	}
	current := text[i+len(begin) : j]
	if *update || os.Getenv("UPDATE_GOLDEN") == "1" {
		if current != content {
			if err := os.WriteFile(path, []byte(text[:i+len(begin)]+content+text[j:]), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	if diff := cmp.Diff(current, content); diff != "" {
		t.Errorf("%s: the generated section %q is out of date (-file +computed); run make golden:\n%s", path, name, diff)
	}
}
