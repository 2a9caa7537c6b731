package envapp_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tapstack/infra/internal/stackapp"
)

func lookup(vars map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
}

func TestReader(t *testing.T) {
	r := stackapp.NewReader(lookup(map[string]string{
		"LIST": "a, b,c", "BAD_LIST": "a,,b", "YES": "TRUE", "NO": "0", "MAYBE": "maybe", "SPACE": "  ", "PADDED": " x",
		"G1": "x", "G3": "z", "H1": "1",
	}))
	got := []any{r.List("LIST"), r.List("BAD_LIST"), r.List("UNSET"), r.Bool("YES"), r.Bool("NO"), r.Bool("MAYBE"), r.Get("SPACE"), r.Get("PADDED")}
	want := []any{[]string{"a", "b", "c"}, []string(nil), []string(nil), true, false, false, "", ""}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("values (-want +got):\n%s", diff)
	}
	if _, set := r.BoolSet("UNSET"); set {
		t.Error("an unset boolean counts as set")
	}
	values, all := r.Group("the thing", "G1", "G2", "G3")
	if all || values["G1"] != "x" {
		t.Errorf("Group = %v, %v", values, all)
	}
	if _, all := r.Group("the other thing", "H1"); !all {
		t.Error("a complete group")
	}
	if _, all := r.Group("nothing", "N1", "N2"); all {
		t.Error("an unset group")
	}
	var lines []string
	for _, e := range stackapp.Split(r.Err()) {
		lines = append(lines, e.Error())
	}
	wantLines := []string{
		`BAD_LIST="a,,b": has an empty item: separate the values with single commas`,
		`MAYBE="maybe": want true, false, 1 or 0`,
		`SPACE="  ": is only whitespace: leave it empty or unset for the default, or give a value`,
		`PADDED=" x": has whitespace around the value: remove it`,
		`G2 is unset: the thing needs all of G1, G2 and G3, or none of them`,
	}
	if diff := cmp.Diff(wantLines, lines); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	if got := (&stackapp.IncompleteError{Unset: []string{"A", "B"}, Group: []string{"A", "B"}, Purpose: "x"}).Error(); got != "A and B are unset: x needs all of A and B, or none of them" {
		t.Error(got)
	}
}

func TestProblems(t *testing.T) {
	parse := errors.Join(&stackapp.VarError{Name: "A", Value: "1", Reason: "bad"})
	validate := errors.Join(
		&stackapp.FieldError{Field: "FA", Value: "1", Reason: "also bad"},      // A failed to parse: not repeated
		&stackapp.FieldError{Field: "FB", Value: "single", Reason: "is wrong"}, // B is set: its value as written
		&stackapp.FieldError{Field: "FC", Value: "3", Reason: "is wrong too"},  // C is unset: the field's value
		&stackapp.FieldError{Field: "Other", Reason: "is required"},
		errors.New("a construct's problem"),
	)
	set := map[string]string{"A": "1", "B": "TRUE"}
	lookup := func(k string) (string, bool) { v, ok := set[k]; return v, ok }
	var got []string
	for _, e := range stackapp.Problems(parse, validate, map[string]string{"FA": "A", "FB": "B", "FC": "C"}, lookup) {
		got = append(got, e.Error())
	}
	want := []string{`A="1": bad`, `B="TRUE": is wrong`, `C="3": is wrong too`, `Other is required`, `a construct's problem`}
	// A reason that names fields names their variables instead, longer names first.
	asVars := stackapp.Problems(nil, &stackapp.FieldError{Field: "FA", Reason: "conflicts with FB and FBX"}, map[string]string{"FA": "A", "FB": "B", "FBX": "BX"}, lookup)
	if got := asVars[0].Error(); got != `A="1": conflicts with B and BX` {
		t.Errorf("reason with fields: %s", got)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if stackapp.Split(nil) != nil {
		t.Error("Split(nil)")
	}
}

func TestState(t *testing.T) {
	var f stackapp.Fields
	stackapp.State{}.WithDefaults().Check(&f, "ca-central-1", "the thing")
	stackapp.State{Bucket: "Bad_Bucket", BucketRegion: "us-east-9"}.Check(&f, "moon-1", "")
	var got []string
	for _, e := range f.Errs() {
		got = append(got, e.Error())
	}
	want := []string{
		"StateBucket is empty: the thing needs remote state: set StateBucket, or set AllowLocalState to true to keep its state in a local file on purpose",
		`Region "moon-1" is not a region of any AWS partition the provider knows (like "ca-central-1"; the list is in docs/naming.md)`,
		`StateBucketRegion "us-east-9" is not a region of any AWS partition the provider knows (like "ca-central-1"; the list is in docs/naming.md) (did you mean "us-east-1"?)`,
		`StateBucket "Bad_Bucket" is not an S3 bucket name (3-63 lowercase letters, digits, '.' and '-', starting and ending with a letter or digit)`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if stackapp.LocalStatePath("X") != "../../../terraform.X.tfstate" {
		t.Error("LocalStatePath")
	}
}
