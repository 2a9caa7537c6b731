package awsid

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/tapstack/infra/internal/text"
)

// ARN is an Amazon Resource Name, split into its parts:
// arn:<Partition>:<Service>:<Region>:<Account>:<Resource>.
type ARN struct {
	Partition, Service, Region, Account, Resource string
}

// String joins the parts again.
func (a ARN) String() string {
	return "arn:" + a.Partition + ":" + a.Service + ":" + a.Region + ":" + a.Account + ":" + a.Resource
}

var (
	partitionPart = regexp.MustCompile(`^aws(-[a-z]+)*$`)
	servicePart   = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	accountPart   = regexp.MustCompile(`^[0-9]{12}$`)
)

// ParseARN splits s into its parts, checking the form every ARN has: "arn", a known
// partition, a service, a region of that partition or none, a 12-digit account or none,
// and a resource, with no wildcard outside the resource.
func ParseARN(s string) (ARN, error) {
	q := text.Quote(s)
	parts := strings.SplitN(s, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" {
		return ARN{}, fmt.Errorf("%s is not an ARN (arn:<partition>:<service>:<region>:<account>:<resource>)", q)
	}
	a := ARN{Partition: parts[1], Service: parts[2], Region: parts[3], Account: parts[4], Resource: parts[5]}
	switch {
	case !partitionPart.MatchString(a.Partition) || partitions[a.Partition].dnsSuffix == "":
		return ARN{}, fmt.Errorf("%s is not an ARN: %q is not an AWS partition (%s)", q, a.Partition, strings.Join(Partitions(), ", "))
	case !servicePart.MatchString(a.Service):
		return ARN{}, fmt.Errorf("%s is not an ARN: the service %q is not a service name", q, a.Service)
	case a.Region != "" && Partition(a.Region) == "":
		return ARN{}, fmt.Errorf("%s is not an ARN: %q is not a region the provider knows", q, a.Region)
	case a.Region != "" && Partition(a.Region) != a.Partition:
		return ARN{}, fmt.Errorf("%s is not an ARN: region %s is in partition %s, not %s", q, a.Region, Partition(a.Region), a.Partition)
	case a.Account != "" && !accountPart.MatchString(a.Account):
		return ARN{}, fmt.Errorf("%s is not an ARN: the account %q is not 12 digits", q, a.Account)
	case a.Resource == "":
		return ARN{}, fmt.Errorf("%s is not an ARN: the resource part is empty", q)
	}
	return a, nil
}

// ARNKind is a kind of ARN the library takes as input. The zero value is not a kind.
type ARNKind int

// The kinds of ARN.
const (
	// CertificateARN is an ACM certificate: arn:<partition>:acm:<region>:<account>:certificate/<id>.
	CertificateARN ARNKind = iota + 1
	// KMSKeyARN is a KMS key (not an alias, not a key ID): ...:kms:<region>:<account>:key/<id>.
	KMSKeyARN
	// SecretARN is a Secrets Manager secret, also one that a service manages for you
	// (RDS's "rds!db-..."): ...:secretsmanager:<region>:<account>:secret:<name>.
	SecretARN
	// SSMParameterARN is an SSM parameter: ...:ssm:<region>:<account>:parameter/<name>.
	SSMParameterARN
	// ClusterARN is an ECS cluster: ...:ecs:<region>:<account>:cluster/<name>.
	ClusterARN
	// LoadBalancerARN is an Application Load Balancer:
	// ...:elasticloadbalancing:<region>:<account>:loadbalancer/app/<name>/<id>.
	LoadBalancerARN
	// ListenerARN is an Application Load Balancer listener:
	// ...:elasticloadbalancing:<region>:<account>:listener/app/<name>/<id>/<id>.
	ListenerARN
	// BucketARN is an S3 general purpose bucket: arn:<partition>:s3:::<bucket>.
	BucketARN
	// RoleARN is an IAM role: arn:<partition>:iam::<account>:role/<path><name>.
	RoleARN
	// ResourceARN is any resource's ARN, as an IAM policy names it: the form every ARN
	// has, and no wildcard outside the resource part, nor a resource that is only "*".
	ResourceARN
)

type arnRule struct {
	what     string
	service  string
	resource *regexp.Regexp
	form     string
	// global kinds have no region; noAccount kinds have no account either (S3).
	global, noAccount bool
	// sameAccount: AWS accepts the resource only from its own account (a listener rule,
	// a service in a cluster, an ALB's certificate).
	sameAccount bool
}

var arnRules = map[ARNKind]arnRule{
	CertificateARN: {what: "an ACM certificate ARN", service: "acm", resource: regexp.MustCompile(`^certificate/[A-Za-z0-9-]+$`),
		form: "arn:aws:acm:<region>:<account>:certificate/<id>", sameAccount: true},
	KMSKeyARN: {what: "a KMS key ARN", service: "kms", resource: regexp.MustCompile(`^key/[A-Za-z0-9-]+$`),
		form: "arn:aws:kms:<region>:<account>:key/<id>; not an alias or a key ID"},
	SecretARN: {what: "a Secrets Manager secret ARN", service: "secretsmanager", resource: regexp.MustCompile(`^secret:[A-Za-z0-9/_+=.@!-]+$`),
		form: "arn:aws:secretsmanager:<region>:<account>:secret:<name>"},
	SSMParameterARN: {what: "an SSM parameter ARN", service: "ssm", resource: regexp.MustCompile(`^parameter/[A-Za-z0-9/_.-]+$`),
		form: "arn:aws:ssm:<region>:<account>:parameter/<name>"},
	ClusterARN: {what: "an ECS cluster ARN", service: "ecs", resource: regexp.MustCompile(`^cluster/[A-Za-z0-9_-]{1,255}$`),
		form: "arn:aws:ecs:<region>:<account>:cluster/<name>", sameAccount: true},
	LoadBalancerARN: {what: "an Application Load Balancer ARN", service: "elasticloadbalancing",
		resource: regexp.MustCompile(`^loadbalancer/app/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}$`),
		form:     "arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/app/<name>/<id>", sameAccount: true},
	ListenerARN: {what: "an Application Load Balancer listener ARN", service: "elasticloadbalancing",
		resource: regexp.MustCompile(`^listener/app/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}/[0-9a-f]{16}$`),
		form:     "arn:aws:elasticloadbalancing:<region>:<account>:listener/app/<name>/<id>/<id>", sameAccount: true},
	BucketARN: {what: "an S3 bucket ARN", service: "s3", resource: regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`),
		form: "arn:aws:s3:::<bucket>", global: true, noAccount: true},
	RoleARN: {what: "an IAM role ARN", service: "iam", resource: regexp.MustCompile(`^role/([\x21-\x7e]*/)?[A-Za-z0-9_+=,.@-]{1,64}$`),
		form: "arn:aws:iam::<account>:role/<name>", global: true},
	ResourceARN: {what: "an ARN", form: "arn:<partition>:<service>:<region>:<account>:<resource>"},
}

func (k ARNKind) rule() arnRule {
	r, ok := arnRules[k]
	if !ok {
		panic(fmt.Sprintf("awsid: unknown ARN kind %d", int(k)))
	}
	return r
}

// String says what the kind is ("an ACM certificate ARN").
func (k ARNKind) String() string {
	if r, ok := arnRules[k]; ok {
		return r.what
	}
	return fmt.Sprintf("ARNKind(%d)", int(k))
}

// Form is the kind's shape, for messages ("arn:aws:acm:<region>:<account>:certificate/<id>").
func (k ARNKind) Form() string { return k.rule().form }

// SameAccount reports whether AWS accepts a resource of this kind only from the
// account that owns it (so that CheckIn compares the account).
func (k ARNKind) SameAccount() bool { return k.rule().sameAccount }

// Parse parses s as an ARN of kind k.
func (k ARNKind) Parse(s string) (ARN, error) {
	r := k.rule()
	a, err := ParseARN(s)
	if err != nil {
		return ARN{}, fmt.Errorf("%w (want %s: %s)", err, r.what, r.form)
	}
	q := text.Quote(s)
	bad := func(why string) (ARN, error) {
		return ARN{}, fmt.Errorf("%s is not %s (%s): %s", q, r.what, r.form, why)
	}
	if k == ResourceARN {
		if strings.ContainsAny(a.Partition+a.Service+a.Region+a.Account, "*?") {
			return bad("a wildcard names more than one resource")
		}
		if a.Resource == "*" {
			return bad(`the resource "*" names every resource`)
		}
		return a, nil
	}
	switch {
	case a.Service != r.service:
		return bad(fmt.Sprintf("the service is %q, not %q", a.Service, r.service))
	case r.global && a.Region != "":
		return bad("it has a region")
	case !r.global && a.Region == "":
		return bad("it has no region")
	case r.noAccount && a.Account != "":
		return bad("it has an account")
	case !r.noAccount && a.Account == "":
		return bad("it has no account")
	case !r.resource.MatchString(a.Resource):
		return bad(fmt.Sprintf("the resource part %q has the wrong shape", a.Resource))
	}
	return a, nil
}

// Check reports whether s is an ARN of kind k.
func (k ARNKind) Check(s string) error {
	_, err := k.Parse(s)
	return err
}

// Place is where a stack deploys: the partition, region and account of its AWS
// provider. Region and Account are "" when not known at synth (a token, or an account
// the configuration does not state); what is unknown is not compared.
type Place struct {
	Partition, Region, Account string
}

// In returns the Place of region, with its partition from the region table.
func In(region string) Place { return Place{Partition: Partition(region), Region: region} }

// String is "<partition>/<region>/<account>", with "?" for what is unknown.
func (p Place) String() string {
	or := func(s string) string {
		if s == "" {
			return "?"
		}
		return s
	}
	return or(p.Partition) + "/" + or(p.Region) + "/" + or(p.Account)
}

// CheckIn checks that s is an ARN of kind k that a stack deployed at p can use: the
// same partition; the same region for a regional kind (AWS does not use a certificate,
// a cluster, a listener, a secret or a key of another region); and the same account for
// a kind that AWS only accepts from its own account (SameAccount).
func (k ARNKind) CheckIn(s string, p Place) error {
	a, err := k.Parse(s)
	if err != nil {
		return err
	}
	return a.checkIn(k, s, p)
}

func (a ARN) checkIn(k ARNKind, s string, p Place) error {
	q := text.Quote(s)
	r := k.rule()
	switch {
	case p.Partition != "" && a.Partition != p.Partition:
		return fmt.Errorf("%s is in partition %s, not the stack's partition %s", q, a.Partition, p.Partition)
	case p.Region != "" && a.Region != "" && !r.global && a.Region != p.Region:
		return fmt.Errorf("%s is in region %s, not the stack's region %s: AWS uses %s only in its own region", q, a.Region, p.Region, r.what)
	case p.Account != "" && a.Account != "" && r.sameAccount && a.Account != p.Account:
		return fmt.Errorf("%s is in account %s, not the stack's account %s: AWS accepts %s only from its own account", q, a.Account, p.Account, r.what)
	}
	return nil
}
