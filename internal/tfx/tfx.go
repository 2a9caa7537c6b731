// Package tfx holds the small pieces of glue that every construct needs between plain Go
// values and the jsii bindings: tags, IAM policy documents, string lists. Keeping them here
// keeps cdktf details out of the constructs' public API.
package tfx

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/aws/jsii-runtime-go"

	"github.com/tapstack/infra/constructs/naming"
)

// Tags returns the environment's standard tags plus Name.
func Tags(env naming.Environment, name string) *map[string]*string {
	out := map[string]*string{"Name": jsii.String(name)}
	for k, v := range env.Tags() {
		out[k] = jsii.String(v)
	}
	return &out
}

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

// Statement is one IAM policy statement. Resource values may be tokens: cdktf resolves
// them inside the JSON string to Terraform references.
type Statement struct {
	Sid       string                       `json:"Sid,omitempty"`
	Effect    string                       `json:"Effect"`
	Principal map[string]string            `json:"Principal,omitempty"`
	Action    []string                     `json:"Action"`
	Resource  []string                     `json:"Resource,omitempty"`
	Condition map[string]map[string]string `json:"Condition,omitempty"`
}

// Policy renders an IAM policy document.
func Policy(statements ...Statement) *string {
	for i := range statements {
		sort.Strings(statements[i].Action)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(map[string]any{"Version": "2012-10-17", "Statement": statements}); err != nil {
		panic(err) // plain strings and maps always encode
	}
	return jsii.String(string(bytes.TrimSpace(buf.Bytes())))
}

// AssumeRole returns a trust policy that lets the AWS service principal assume a role.
func AssumeRole(service string) *string {
	return Policy(Statement{Effect: "Allow", Principal: map[string]string{"Service": service}, Action: []string{"sts:AssumeRole"}})
}

// MustBeValid panics with "<pkg>.New(<id>): invalid Config:" and every problem when err
// is not nil. Constructs call it before defining any child, so that a rejected Config
// leaves nothing half built.
func MustBeValid(pkg, id string, err error) {
	if err != nil {
		panic(fmt.Sprintf("%s.New(%q): invalid Config:\n%v", pkg, id, err))
	}
}

// Problems collects every problem of a Config, so that Validate reports them all at once.
type Problems struct{ errs []error }

// Addf adds a problem; the message names the field and the bad value.
func (p *Problems) Addf(format string, args ...any) {
	p.errs = append(p.errs, fmt.Errorf(format, args...))
}

// Add adds err unless it is nil.
func (p *Problems) Add(err error) {
	if err != nil {
		p.errs = append(p.errs, err)
	}
}

// RequireEnvironment adds the standard problem for a missing Environment and reports
// whether env is set.
func (p *Problems) RequireEnvironment(env naming.Environment) bool {
	if env.IsZero() {
		p.Addf("Environment is required (build one with naming.NewEnvironment)")
		return false
	}
	return true
}

// Err returns the problems joined (one per line), or nil.
func (p *Problems) Err() error { return errors.Join(p.errs...) }

var (
	kmsKeyARN  = regexp.MustCompile(`^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$`)
	bucketName = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
	ipAddress  = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$`)
)

// IsKMSKeyARN reports whether s is a full KMS key ARN (not a key ID or an alias).
func IsKMSKeyARN(s string) bool { return kmsKeyARN.MatchString(s) }

// IsBucketName reports whether s is an S3 bucket name: 3-63 lowercase letters, digits,
// '.' and '-', starting and ending with a letter or digit, no "..", not an IP address.
func IsBucketName(s string) bool {
	return bucketName.MatchString(s) && !ipAddress.MatchString(s) && !strings.Contains(s, "..")
}
