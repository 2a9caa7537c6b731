package awsfake

import (
	"fmt"
	"strings"

	"github.com/tapstack/infra/awsid"
	"github.com/tapstack/infra/internal/tfjson"
)

// MockDefaults is the body of a mock_provider "aws" block of a terraform test file,
// rendered from the tables in mock mode at place: for every resource type of the
// table, the defaults of its id, its ARN and its other fakes that need nothing of the
// instance; for every pure data source, its attributes. Mocked providers invent random
// strings for computed attributes, but the real provider validates ARNs and JSON, so
// every computed value that may feed another resource is well-formed.
func MockDefaults(place awsid.Place) (string, error) {
	var b strings.Builder
	for _, typ := range DataSourceTypes() {
		r := dataSources[typ]
		if !r.Pure || len(r.Attrs) == 0 {
			continue
		}
		obj, err := r.Object(Ctx{Type: typ, Addr: "mock", Place: place, Mock: true}, func(string) (any, bool) { return nil, false })
		if err != nil {
			return "", err
		}
		if err := mockBlock(&b, "mock_data", typ, obj); err != nil {
			return "", err
		}
	}
	for _, typ := range Types() {
		if !strings.HasPrefix(typ, "aws_") {
			continue
		}
		obj, err := MockResource(typ, place)
		if err != nil {
			return "", err
		}
		if err := mockBlock(&b, "mock_resource", typ, obj); err != nil {
			return "", err
		}
	}
	return b.String(), nil
}

// MockResource returns the defaults of a resource type in mock mode: its id and ARN
// (unless the type has no arn attribute) and its attribute fakes that need nothing of
// the instance.
func MockResource(typ string, place awsid.Place) (map[string]any, error) {
	k := resources[typ]
	c := Ctx{Type: typ, Addr: "mock", Place: place, Mock: true}
	attrs := []string{"id", "arn"} // Fake gives no arn for a type without one
	for a := range k.Attrs {
		if !strings.Contains(a, ".") {
			attrs = append(attrs, a)
		}
	}
	out := map[string]any{}
	for _, a := range attrs {
		v, ok, err := c.Fake([]string{a})
		if err != nil {
			return nil, err
		}
		if ok {
			out[a] = v
		}
	}
	return out, nil
}

func mockBlock(b *strings.Builder, kind, typ string, obj map[string]any) error {
	if len(obj) == 0 {
		return nil
	}
	fmt.Fprintf(b, "  %s %q {\n    defaults = {\n", kind, typ)
	for _, k := range tfjson.SortedKeys(obj) {
		lit, err := tfjson.HCLLiteral(obj[k])
		if err != nil {
			return fmt.Errorf("%s %s.%s: %w", kind, typ, k, err)
		}
		fmt.Fprintf(b, "      %s = %s\n", k, lit)
	}
	b.WriteString("    }\n  }\n")
	return nil
}
