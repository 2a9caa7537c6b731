package envapp_test

import (
	"errors"
	"testing"

	"github.com/tapstack/infra/internal/testutil"

	"github.com/google/go-cmp/cmp"

	"github.com/tapstack/infra/field"
	"github.com/tapstack/infra/internal/envapp"
)

func TestReader(t *testing.T) {
	r := envapp.NewReader(testutil.Lookup(map[string]string{
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
	for _, e := range field.Split(r.Err()) {
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
	if got := (&envapp.IncompleteError{Unset: []string{"A", "B"}, Group: []string{"A", "B"}, Purpose: "x"}).Error(); got != "A and B are unset: x needs all of A and B, or none of them" {
		t.Error(got)
	}
}

func TestProblems(t *testing.T) {
	parse := errors.Join(&envapp.VarError{Name: "A", Value: "1", Reason: "bad"})
	validate := errors.Join(
		&field.Error{Field: "FA", Value: "1", Reason: "also bad"},      // A failed to parse: not repeated
		&field.Error{Field: "FB", Value: "single", Reason: "is wrong"}, // B is set: its value as written
		&field.Error{Field: "FC", Value: "3", Reason: "is wrong too"},  // C is unset: the field's value
		&field.Error{Field: "Other", Reason: "is required"},
		errors.New("a construct's problem"),
	)
	set := map[string]string{"A": "1", "B": "TRUE"}
	lookup := func(k string) (string, bool) { v, ok := set[k]; return v, ok }
	var got []string
	for _, e := range envapp.Problems(parse, validate, map[string]string{"FA": "A", "FB": "B", "FC": "C"}, lookup) {
		got = append(got, e.Error())
	}
	want := []string{`A="1": bad`, `B="TRUE": is wrong`, `C="3": is wrong too`, `Other is required`, `a construct's problem`}
	// A reason that names fields names their variables instead, longer names first.
	asVars := envapp.Problems(nil, &field.Error{Field: "FA", Reason: "conflicts with Service.Port and Service.PortRange"}, map[string]string{"FA": "A", "Service.Port": "B", "Service.PortRange": "BX"}, lookup)
	if got := asVars[0].Error(); got != `A="1": conflicts with B and BX` {
		t.Errorf("reason with fields: %s", got)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if field.Split(nil) != nil {
		t.Error("Split(nil)")
	}
}
