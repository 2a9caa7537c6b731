package jsiix_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/internal/jsiix"
)

func TestLists(t *testing.T) {
	xs := []string{"a", "b"}
	if got := jsiix.Values(jsiix.Strings(xs)); !cmp.Equal(got, xs) {
		t.Errorf("round trip = %v", got)
	}
	if jsiix.Values(nil) != nil {
		t.Error("Values(nil)")
	}
	in := *jsiix.Strings(xs)
	out := jsiix.Copy(in)
	(*out)[0] = nil
	if in[0] == nil {
		t.Error("Copy shares the list")
	}
}

func TestTags(t *testing.T) {
	tags := *jsiix.Tags(naming.MustEnvironment("stage", naming.Options{}), "lms-alb-stage")
	got := map[string]string{}
	for k, v := range tags {
		got[k] = *v
	}
	want := map[string]string{"Name": "lms-alb-stage", "Project": "lms", "Environment": "stage", "ManagedBy": "cdktf"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("tags (-want +got):\n%s", diff)
	}
	if lc := jsiix.CreateBeforeDestroy(); lc == nil || !*lc.CreateBeforeDestroy {
		t.Error("CreateBeforeDestroy")
	}
}

func TestMustBeValid(t *testing.T) {
	jsiix.MustBeValid("network.New", "N", nil)
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "network.New(\"N\"): invalid Config:\nbad") {
			t.Errorf("panic = %v", r)
		}
	}()
	jsiix.MustBeValid("network.New", "N", errors.New("bad"))
}
