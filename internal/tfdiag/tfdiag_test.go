package tfdiag_test

import (
	"testing"

	"github.com/tapstack/infra/internal/tfdiag"
)

func TestStreamAndErrors(t *testing.T) {
	out := []byte(`{"type":"version","terraform":"1.11.4"}
{"type":"diagnostic","diagnostic":{"severity":"warning","summary":"W"}}
{"type":"diagnostic","diagnostic":{"severity":"error","summary":"Invalid CIDR","detail":"bad\nvalue","address":"aws_vpc.v","range":{"filename":"main.tf.json","start":{"line":3}},"snippet":{"context":"resource.aws_vpc.v","code":"  \"cidr_block\": \"10.0.0.0/33\" "}}}
not json`)
	ds := tfdiag.Stream(out)
	if len(ds) != 2 {
		t.Fatalf("%d diagnostics", len(ds))
	}
	want := "  - aws_vpc.v: main.tf.json:3: Invalid CIDR: bad\n    value\n    \"cidr_block\": \"10.0.0.0/33\" (in resource.aws_vpc.v)"
	if got := tfdiag.Errors(ds); got != want {
		t.Errorf("Errors =\n%s\nwant\n%s", got, want)
	}
	if tfdiag.Errors(ds[:1]) != "" {
		t.Error("a warning formatted as an error")
	}
}
