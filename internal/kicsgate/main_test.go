package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const fixture = `{"files_scanned": 2, "queries": [
 {"query_id": "q-high", "query_name": "Open", "severity": "HIGH", "files": [
   {"file_name": "/scan/stage/stacks/S/cdk.tf.json", "resource_type": "aws_x", "resource_name": "a", "line": 3},
   {"file_name": "/scan/prod/stacks/P/cdk.tf.json", "resource_type": "aws_x", "resource_name": "a", "line": 3}]},
 {"query_id": "q-low", "query_name": "Meh", "severity": "LOW", "files": [
   {"file_name": "/scan/stage/stacks/S/cdk.tf.json", "resource_type": "aws_y", "resource_name": "b", "line": 9}]}
]}`

func write(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestGate(t *testing.T) {
	res := write(t, "results.json", fixture)
	tests := []struct {
		desc     string
		accepted string
		files    int
		code     int
		want     string
	}{
		{"all accepted", `[{"query_id":"q-high","resource_type":"aws_x","resource_name":"a","variants":["stage","prod"],"reason":"by design"}]`, 1, 0, "2 accepted, 0 unaccepted, 0 stale"},
		{"one variant not accepted", `[{"query_id":"q-high","resource_type":"aws_x","resource_name":"a","variants":["stage"],"reason":"by design"}]`, 1, 1, `HIGH "Open" (q-high) on aws_x "a" in prod, line 3`},
		{"stale acceptance", `[{"query_id":"q-high","resource_type":"aws_x","resource_name":"a","variants":["stage","prod","pr1"],"reason":"r"}]`, 1, 1, "q-high|aws_x|a|pr1 no longer occurs"},
		{"no reason", `[{"query_id":"q-high","resource_type":"aws_x","resource_name":"a","variants":["stage"],"reason":" "}]`, 1, 1, "has no reason"},
		{"nothing scanned", `[]`, 3, 1, "KICS scanned 2 files, want at least 3"},
		{"bad accepted file", `{`, 1, 2, "kicsgate:"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			var out bytes.Buffer
			code := run(res, write(t, "accepted.json", tt.accepted), "/scan", "CRITICAL,HIGH,MEDIUM", tt.files, &out)
			if code != tt.code || !strings.Contains(out.String(), tt.want) {
				t.Errorf("code %d, output:\n%s\nwant code %d and %q", code, out.String(), tt.code, tt.want)
			}
		})
	}
	var out bytes.Buffer
	if code := run(filepath.Join(t.TempDir(), "missing.json"), res, "/scan", "HIGH", 1, &out); code != 2 {
		t.Errorf("missing results: code %d", code)
	}
}
