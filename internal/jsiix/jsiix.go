// Package jsiix holds the glue between plain Go values and the jsii bindings that every
// construct needs: string lists, tags, the create-before-destroy lifecycle, and the
// panic of a construct whose Config is refused.
package jsiix

import (
	"fmt"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/constructs/naming"
)

// Strings converts a Go slice (which may hold tokens) to a jsii string list.
func Strings(xs []string) *[]*string {
	out := make([]*string, len(xs))
	for i, x := range xs {
		out[i] = jsii.String(x)
	}
	return &out
}

// Values dereferences a jsii string list.
func Values(xs *[]*string) []string {
	if xs == nil {
		return nil
	}
	out := make([]string, len(*xs))
	for i, x := range *xs {
		out[i] = *x
	}
	return out
}

// Copy returns a new jsii list holding the elements of xs.
func Copy(xs []*string) *[]*string {
	out := append([]*string(nil), xs...)
	return &out
}

// Tags returns the environment's standard tags plus Name.
func Tags(env naming.Environment, name string) *map[string]*string {
	out := map[string]*string{"Name": jsii.String(name)}
	for k, v := range env.Tags() {
		out[k] = jsii.String(v)
	}
	return &out
}

// CreateBeforeDestroy is the lifecycle of named resources that AWS keeps in use while
// something refers to them (security groups, target groups): a replacement (a
// requested rename) creates the new one, moves the references, then deletes the old
// one, instead of failing to delete a resource in use.
func CreateBeforeDestroy() *cdktf.TerraformResourceLifecycle {
	return &cdktf.TerraformResourceLifecycle{CreateBeforeDestroy: jsii.Bool(true)}
}

// MustBeValid panics with "<fn>(<id>): invalid Config:" and every problem when err is
// not nil (fn is the constructor, "network.New"). Constructs call it before defining
// any child, so that a refused Config leaves nothing half built.
func MustBeValid(fn, id string, err error) {
	if err != nil {
		panic(fmt.Sprintf("%s(%q): invalid Config:\n%v", fn, id, err))
	}
}

// Must panics with "<fn>(<id>): " and err when err is not nil: for a value that
// validation should have made certain (a name, a parsed ARN), so that a gap in the
// validation stops the constructor instead of defining a resource with a zero value.
func Must(fn, id string, err error) {
	if err != nil {
		panic(fmt.Sprintf("%s(%q): %v", fn, id, err))
	}
}
