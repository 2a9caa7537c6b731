// Package tfx holds the small pieces of glue that every construct needs between plain Go
// values and the jsii bindings: tags, IAM policy documents, string lists. Keeping them here
// keeps cdktf details out of the constructs' public API.
package tfx

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strings"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/awsid"
	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/internal/text"
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

// The ports of the web: what a load balancer listens on.
const (
	PortHTTP  = 80
	PortHTTPS = 443
)

// CreateBeforeDestroy is the lifecycle of named resources that AWS keeps in use while
// something refers to them (security groups, target groups): a replacement (a
// requested rename) creates the new one, moves the references, then deletes the old
// one, instead of failing to delete a resource in use.
func CreateBeforeDestroy() *cdktf.TerraformResourceLifecycle {
	return &cdktf.TerraformResourceLifecycle{CreateBeforeDestroy: jsii.Bool(true)}
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

// Identity checks component and, when the environment is set (envSet), returns the
// identity that Validate derives names from: env's identity of component, with the
// longest known region standing in for the stack's region (unknown before New), so
// that account-wide names are checked at their longest.
func (p *Problems) Identity(env naming.Environment, component string, envSet bool) (naming.Identity, bool) {
	if err := naming.ValidateComponent(component); err != nil {
		p.Addf("Component: %v", err)
		return naming.Identity{}, false
	}
	if !envSet {
		return naming.Identity{}, false
	}
	id, _ := env.Identity(component)
	return id.WithRegion(longestRegion), true
}

var longestRegion = func() string {
	out := ""
	for _, r := range awsid.Regions() {
		if len(r) > len(out) {
			out = r
		}
	}
	return out
}()

// Err returns the problems joined (one per line), or nil.
func (p *Problems) Err() error { return errors.Join(p.errs...) }

// The shared rules of the constructs: one place each, used by every package.
var (
	kmsKeyARN      = regexp.MustCompile(`^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$`)
	acmARN         = regexp.MustCompile(`^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[A-Za-z0-9-]+$`)
	secretARN      = regexp.MustCompile(`^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]+$`)
	clusterARN     = regexp.MustCompile(`^arn:aws[a-z-]*:ecs:[a-z0-9-]+:[0-9]{12}:cluster/([A-Za-z0-9_-]{1,255})$`)
	listenerARN    = regexp.MustCompile(`^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:[0-9]{12}:listener/app/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}/[0-9a-f]{16}$`)
	bucketName     = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
	ipAddress      = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$`)
	azName         = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9][a-z]$`)
	vpcID          = regexp.MustCompile(`^vpc-[0-9a-f]{8}([0-9a-f]{9})?$`)
	subnetID       = regexp.MustCompile(`^subnet-[0-9a-f]{8}([0-9a-f]{9})?$`)
	routeTableID   = regexp.MustCompile(`^rtb-[0-9a-f]{8}([0-9a-f]{9})?$`)
	securityGroup  = regexp.MustCompile(`^sg-[0-9a-f]{8}([0-9a-f]{9})?$`)
	dnsLabel       = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?$`)
	bucketReserved = []string{"xn--", "sthree-", "amzn-s3-demo-"}
	bucketSuffixes = []string{"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"}
)

// IsToken reports whether s holds a cdktf token (a string token "${...}" or an encoded
// list token), whose value only Terraform knows: such values are passed through, and
// only literals are checked.
func IsToken(s string) bool { return strings.Contains(s, "${") || strings.Contains(s, "#{TfToken[") }

// IsNil reports whether v is nil, also when it is an interface holding a nil pointer
// (a `var n *network.Network` passed as a network.Placement).
func IsNil(v any) bool {
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan:
		return rv.IsNil()
	}
	return false
}

// IsListToken reports whether s is an encoded cdktf list token: a list of unknown
// length whose Go form is one element.
func IsListToken(s string) bool { return strings.Contains(s, "#{TfToken[") }

// IsKMSKeyARN reports whether s is a full KMS key ARN (not a key ID or an alias).
func IsKMSKeyARN(s string) bool { return kmsKeyARN.MatchString(s) }

// IsCertificateARN reports whether s is an ACM certificate ARN.
func IsCertificateARN(s string) bool { return acmARN.MatchString(s) }

// IsSecretARN reports whether s is a Secrets Manager secret ARN.
func IsSecretARN(s string) bool { return secretARN.MatchString(s) }

// IsListenerARN reports whether s is an Application Load Balancer listener ARN.
func IsListenerARN(s string) bool { return listenerARN.MatchString(s) }

// ClusterName returns the cluster name of an ECS cluster ARN, and whether s is one.
func ClusterName(s string) (string, bool) {
	m := clusterARN.FindStringSubmatch(s)
	if m == nil {
		return "", false
	}
	return m[1], true
}

// IsAvailabilityZone reports whether s is an availability zone name ("ca-central-1a").
func IsAvailabilityZone(s string) bool { return azName.MatchString(s) }

// IsVPCID reports whether s is a VPC ID (vpc- and 8 or 17 hex digits).
func IsVPCID(s string) bool { return vpcID.MatchString(s) }

// IsSubnetID reports whether s is a subnet ID.
func IsSubnetID(s string) bool { return subnetID.MatchString(s) }

// IsRouteTableID reports whether s is a route table ID.
func IsRouteTableID(s string) bool { return routeTableID.MatchString(s) }

// IsSecurityGroupID reports whether s is a security group ID.
func IsSecurityGroupID(s string) bool { return securityGroup.MatchString(s) }

// MaxHostNameLength is the longest DNS name (RFC 1035: 253 characters in text form).
const MaxHostNameLength = 253

// HostNameError says why s is not a fully qualified DNS host name, or returns nil: at
// least two labels separated by '.', each 1-63 lowercase letters, digits and '-' that
// neither start nor end with '-', a top-level label that is not all digits (so an IP
// address is refused), at most MaxHostNameLength characters, no trailing dot.
func HostNameError(s string) error {
	q := text.Quote(s)
	if len(s) > MaxHostNameLength {
		return fmt.Errorf("%s is not a DNS name: %d characters, over the limit of %d", q, len(s), MaxHostNameLength)
	}
	labels := strings.Split(s, ".")
	if len(labels) < 2 {
		return fmt.Errorf("%s is not a DNS name: it needs at least two labels (like \"preview.example.com\")", q)
	}
	for i, l := range labels {
		switch {
		case l == "":
			return fmt.Errorf("%s is not a DNS name: label %d is empty", q, i+1)
		case len(l) > 63:
			return fmt.Errorf("%s is not a DNS name: label %d is %d characters, over the limit of 63", q, i+1, len(l))
		case !dnsLabel.MatchString(l):
			return fmt.Errorf("%s is not a DNS name: label %q must be lowercase letters, digits and '-', not starting or ending with '-'", q, l)
		}
	}
	if tld := labels[len(labels)-1]; strings.Trim(tld, "0123456789") == "" {
		return fmt.Errorf("%s is not a DNS name: the last label %q is all digits", q, tld)
	}
	return nil
}

// IsHostName reports whether s is a fully qualified DNS host name (HostNameError).
func IsHostName(s string) bool { return HostNameError(s) == nil }

// BucketNameError says why s is not an S3 general purpose bucket name, or returns nil:
// 3-63 lowercase letters, digits, '.' and '-', starting and ending with a letter or
// digit, no "..", ".-" or "-.", not an IP address, none of the prefixes and suffixes AWS
// reserves (xn--, sthree-, amzn-s3-demo-; -s3alias, --ol-s3, .mrap, --x-s3, --table-s3).
func BucketNameError(s string) error {
	q := text.Quote(s)
	switch {
	case !bucketName.MatchString(s):
		return fmt.Errorf("%s is not an S3 bucket name (3-63 lowercase letters, digits, '.' and '-', starting and ending with a letter or digit)", q)
	case ipAddress.MatchString(s):
		return fmt.Errorf("%s is not an S3 bucket name: it is shaped like an IP address", q)
	case strings.Contains(s, ".."), strings.Contains(s, ".-"), strings.Contains(s, "-."):
		return fmt.Errorf("%s is not an S3 bucket name: \"..\", \".-\" and \"-.\" are not allowed", q)
	}
	for _, p := range bucketReserved {
		if strings.HasPrefix(s, p) {
			return fmt.Errorf("%s is not an S3 bucket name: AWS reserves the prefix %q", q, p)
		}
	}
	for _, x := range bucketSuffixes {
		if strings.HasSuffix(s, x) {
			return fmt.Errorf("%s is not an S3 bucket name: AWS reserves the suffix %q", q, x)
		}
	}
	return nil
}

// IsBucketName reports whether s is an S3 general purpose bucket name (BucketNameError).
func IsBucketName(s string) bool { return BucketNameError(s) == nil }

// logRetentionDays lists the retention periods CloudWatch Logs accepts, in days; 0
// means "never expire".
var logRetentionDays = []int{0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

// LogRetentionError says why days is not a CloudWatch Logs retention, or returns nil.
func LogRetentionError(field string, days int) error {
	for _, d := range logRetentionDays {
		if d == days {
			return nil
		}
	}
	return fmt.Errorf("%s %d is not a CloudWatch Logs retention (valid: %v; 0 keeps logs forever)", field, days, logRetentionDays)
}
