package naming

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"

	"github.com/tapstack/infra/awsid"
)

// Kind is a kind of AWS physical name with its own length and character rules.
type Kind int

// The kinds of physical name this library creates.
const (
	LoadBalancer    Kind = iota + 1 // Application Load Balancer (aws_lb)
	TargetGroup                     // ALB target group (aws_lb_target_group)
	ServerlessCache                 // ElastiCache Serverless cache
	IAMRole                         // IAM role
	Secret                          // Secrets Manager secret
	LogGroup                        // CloudWatch Logs log group
	ECSCluster                      // ECS cluster
	ECSService                      // ECS service
	TaskFamily                      // ECS task definition family
	SecurityGroup                   // VPC security group
	SQSQueue                        // SQS queue (standard)
	SNSTopic                        // SNS topic (standard)
	DynamoDBTable                   // DynamoDB table
	LambdaFunction                  // Lambda function
	S3Bucket                        // S3 general purpose bucket
)

// Kinds returns every Kind, in declaration order (a new slice).
func Kinds() []Kind {
	return []Kind{LoadBalancer, TargetGroup, ServerlessCache, IAMRole, Secret, LogGroup,
		ECSCluster, ECSService, TaskFamily, SecurityGroup, SQSQueue, SNSTopic, DynamoDBTable, LambdaFunction, S3Bucket}
}

// Scope is where AWS requires a kind of physical name to be unique.
type Scope int

// The uniqueness scopes.
const (
	// ScopeRegion: unique within an account and region (load balancers, caches, secrets,
	// log groups, clusters, task families). Checked within a stack.
	ScopeRegion Scope = iota + 1
	// ScopeAccount: unique across the whole account, in every region (IAM roles). Such
	// names carry the region, and are checked across all stacks of an app.
	ScopeAccount
	// ScopeVPC: unique within a VPC (security groups).
	ScopeVPC
	// ScopeCluster: unique within an ECS cluster (services).
	ScopeCluster
	// ScopeGlobal: unique across every account of the partition (S3 buckets). Such
	// names carry the region, and are checked across all stacks of an app; other
	// accounts' names cannot be checked.
	ScopeGlobal
)

var scopeNames = map[Scope]string{ScopeRegion: "account and region", ScopeAccount: "account, in every region", ScopeVPC: "VPC",
	ScopeCluster: "ECS cluster", ScopeGlobal: "partition, in every account"}

// String says where names of the scope are unique ("account and region").
func (s Scope) String() string {
	if n, ok := scopeNames[s]; ok {
		return n
	}
	return fmt.Sprintf("Scope(%d)", int(s))
}

// Rule is what AWS accepts for one Kind of name.
type Rule struct {
	Kind Kind
	// MaxLength is the longest name AWS accepts.
	MaxLength int
	// Unique is where AWS requires the name to be unique.
	Unique Scope
	// CaseInsensitive: AWS compares names of this kind without regard to case, so
	// "Role" and "role" collide.
	CaseInsensitive bool
	// Charset describes the allowed characters, for messages.
	Charset string
	// Pattern matches every allowed character sequence (length is checked separately).
	Pattern *regexp.Regexp
	// FirstLetter requires the name to start with an ASCII letter.
	FirstLetter bool
	// NoEdgeHyphen rejects a leading or trailing "-".
	NoEdgeHyphen bool
	// NoDoubleHyphen rejects "--" anywhere.
	NoDoubleHyphen bool
	// ForbiddenPrefixes lists prefixes AWS rejects (case-insensitive).
	ForbiddenPrefixes []string
	// NoRandomSuffixLookalike rejects names ending in "-" plus six characters, the shape
	// that Secrets Manager appends to secret ARNs.
	NoRandomSuffixLookalike bool
}

var rules = map[Kind]Rule{
	LoadBalancer: {Kind: LoadBalancer, MaxLength: 32, Unique: ScopeRegion, Charset: "A-Z a-z 0-9 -",
		Pattern: regexp.MustCompile(`^[A-Za-z0-9-]+$`), NoEdgeHyphen: true, ForbiddenPrefixes: []string{"internal-"}},
	TargetGroup: {Kind: TargetGroup, MaxLength: 32, Unique: ScopeRegion, Charset: "A-Z a-z 0-9 -",
		Pattern: regexp.MustCompile(`^[A-Za-z0-9-]+$`), NoEdgeHyphen: true},
	ServerlessCache: {Kind: ServerlessCache, MaxLength: 40, Unique: ScopeRegion, Charset: "a-z 0-9 -",
		Pattern: regexp.MustCompile(`^[a-z0-9-]+$`), FirstLetter: true, NoEdgeHyphen: true, NoDoubleHyphen: true},
	IAMRole: {Kind: IAMRole, MaxLength: 64, Unique: ScopeAccount, CaseInsensitive: true, Charset: "A-Z a-z 0-9 _ + = , . @ -",
		Pattern: regexp.MustCompile(`^[A-Za-z0-9_+=,.@-]+$`)},
	Secret: {Kind: Secret, MaxLength: 512, Unique: ScopeRegion, Charset: "A-Z a-z 0-9 / _ + = . @ -",
		Pattern: regexp.MustCompile(`^[A-Za-z0-9/_+=.@-]+$`), NoRandomSuffixLookalike: true},
	LogGroup: {Kind: LogGroup, MaxLength: 512, Unique: ScopeRegion, Charset: "A-Z a-z 0-9 _ - / . #",
		Pattern: regexp.MustCompile(`^[A-Za-z0-9_/.#-]+$`)},
	ECSCluster: {Kind: ECSCluster, MaxLength: 255, Unique: ScopeRegion, Charset: "A-Z a-z 0-9 _ -",
		Pattern: regexp.MustCompile(`^[A-Za-z0-9_-]+$`)},
	ECSService: {Kind: ECSService, MaxLength: 255, Unique: ScopeCluster, Charset: "A-Z a-z 0-9 _ -",
		Pattern: regexp.MustCompile(`^[A-Za-z0-9_-]+$`)},
	TaskFamily: {Kind: TaskFamily, MaxLength: 255, Unique: ScopeRegion, Charset: "A-Z a-z 0-9 _ -",
		Pattern: regexp.MustCompile(`^[A-Za-z0-9_-]+$`)},
	SecurityGroup: {Kind: SecurityGroup, MaxLength: 255, Unique: ScopeVPC, Charset: "A-Z a-z 0-9 space . _ - : / ( ) # , @ [ ] + = & ; { } ! $ *",
		Pattern: regexp.MustCompile(`^[A-Za-z0-9 ._\-:/()#,@\[\]+=&;{}!$*]+$`), ForbiddenPrefixes: []string{"sg-"}},
	SQSQueue: {Kind: SQSQueue, MaxLength: 80, Unique: ScopeRegion, Charset: "A-Z a-z 0-9 _ -",
		Pattern: regexp.MustCompile(`^[A-Za-z0-9_-]+$`)},
	SNSTopic: {Kind: SNSTopic, MaxLength: 256, Unique: ScopeRegion, Charset: "A-Z a-z 0-9 _ -",
		Pattern: regexp.MustCompile(`^[A-Za-z0-9_-]+$`)},
	DynamoDBTable: {Kind: DynamoDBTable, MaxLength: 255, Unique: ScopeRegion, Charset: "A-Z a-z 0-9 _ - .",
		Pattern: regexp.MustCompile(`^[A-Za-z0-9_.-]{3,}$`)},
	LambdaFunction: {Kind: LambdaFunction, MaxLength: 64, Unique: ScopeRegion, Charset: "A-Z a-z 0-9 _ -",
		Pattern: regexp.MustCompile(`^[A-Za-z0-9_-]+$`)},
	S3Bucket: {Kind: S3Bucket, MaxLength: 63, Unique: ScopeGlobal, Charset: "a-z 0-9 . -",
		Pattern: regexp.MustCompile(`^[a-z0-9.-]{3,}$`), NoEdgeHyphen: true, ForbiddenPrefixes: []string{"xn--", "sthree-", "amzn-s3-demo-"}},
}

var kindNames = map[Kind]string{
	LoadBalancer: "load balancer", TargetGroup: "target group", ServerlessCache: "serverless cache",
	IAMRole: "IAM role", Secret: "secret", LogGroup: "log group", ECSCluster: "ECS cluster",
	ECSService: "ECS service", TaskFamily: "task family", SecurityGroup: "security group",
	SQSQueue: "SQS queue", SNSTopic: "SNS topic", DynamoDBTable: "DynamoDB table", LambdaFunction: "Lambda function",
	S3Bucket: "S3 bucket",
}

// String names the kind for messages ("load balancer").
func (k Kind) String() string {
	if s, ok := kindNames[k]; ok {
		return s
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Rule returns the name rule of k. It panics for a Kind that is not one of Kinds().
func (k Kind) Rule() Rule {
	r, ok := rules[k]
	if !ok {
		panic(fmt.Sprintf("naming: unknown kind %d", int(k)))
	}
	return r
}

var randomSuffixLookalike = regexp.MustCompile(`-[A-Za-z0-9]{6}$`)

// Check reports whether name is a valid name of kind k, and if not, which rule it
// breaks. The error starts with the name, quoted.
func Check(k Kind, name string) error {
	r := k.Rule()
	if name == "" {
		return fmt.Errorf("the %s name is empty", k)
	}
	if len(name) > r.MaxLength {
		return fmt.Errorf("%q is %d characters, over the limit of %d for a %s name", name, len(name), r.MaxLength, k)
	}
	return checkShape(r, name)
}

// checkShape checks every rule but the length.
func checkShape(r Rule, name string) error {
	k := r.Kind
	not := func(why string) error { return fmt.Errorf("%q is not %s name: %s", name, article(k.String()), why) }
	switch {
	case !r.Pattern.MatchString(name):
		return not("it has characters outside [" + r.Charset + "]")
	case r.FirstLetter && !isLetter(name[0]):
		return not("it must start with a letter")
	case r.NoEdgeHyphen && (strings.HasPrefix(name, "-") || strings.HasSuffix(name, "-")):
		return not("it must not start or end with '-'")
	case r.NoDoubleHyphen && strings.Contains(name, "--"):
		return not("it must not contain '--'")
	case r.NoRandomSuffixLookalike && randomSuffixLookalike.MatchString(name):
		return not("it must not end in '-' plus 6 characters (Secrets Manager appends that shape to ARNs)")
	}
	for _, p := range r.ForbiddenPrefixes {
		if strings.HasPrefix(strings.ToLower(name), p) {
			return not(fmt.Sprintf("it must not start with %q", p))
		}
	}
	if k == S3Bucket && len(name) <= r.MaxLength { // one rule for bucket names: awsid's (a longer name is checked once Fit has cut it)
		return awsid.CheckBucketName(name)
	}
	return nil
}

func isLetter(c byte) bool { return ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') }

// HashLength is the number of hex digits Fit appends when it shortens a name.
const HashLength = 5

// Fit returns name as a valid name of kind k. A name within the length limit is returned
// unchanged; a longer one is cut to a readable prefix followed by "-" and the first
// HashLength hex digits of the SHA-256 of the whole name, so the same input always gives
// the same result and two long names that share a prefix stay distinct. Fit returns an
// error, and never an invalid name, when name breaks a rule other than the length.
func Fit(k Kind, name string) (string, error) {
	r := k.Rule()
	if name == "" {
		return "", fmt.Errorf("the %s name is empty", k)
	}
	if err := checkShape(r, name); err != nil {
		return "", err
	}
	if len(name) <= r.MaxLength {
		return name, nil
	}
	short := cut(name, r.MaxLength-HashLength-1) + "-" + hash(name)
	if err := checkShape(r, short); err != nil {
		return "", fmt.Errorf("%q cannot be shortened to %d characters: %w", name, r.MaxLength, err)
	}
	return short, nil
}

// separators are trimmed from the end of a cut, so that no separator is left before
// the "-" that Fit adds.
const separators = "-/_.+=,@ :"

func cut(name string, n int) string { return strings.TrimRight(name[:min(n, len(name))], separators) }

func hash(name string) string {
	sum := sha256.Sum256([]byte(name))
	return hex.EncodeToString(sum[:])[:HashLength]
}

// fitKeeping is Fit for a name that holds the PR stamp at stamp (a byte offset; the
// stamp is StampLength characters) and must keep it whole when shortened, because the
// stamp is only known to Terraform: the stamp's text is a placeholder here. A name
// within the limit is returned unchanged; a longer one becomes a readable cut of the
// rest, "-", the stamp, "-" and the hash of the name without the stamp (the stamp does
// not enter the hash, so the shortened form is the same for every suffix value, and the
// stamp keeps two incarnations apart). It returns the name and the stamp's new offset.
func fitKeeping(k Kind, name string, stamp int) (string, int, error) {
	r := k.Rule()
	if err := checkShape(r, name); err != nil {
		return "", 0, err
	}
	if len(name) <= r.MaxLength {
		return name, stamp, nil
	}
	before, after := name[:stamp], name[stamp+StampLength:]
	head := cut(strings.TrimSuffix(before, "-")+after, r.MaxLength-StampLength-HashLength-2)
	short := head + "-" + name[stamp:stamp+StampLength] + "-" + hash(before+"#"+after)
	if err := checkShape(r, short); err != nil {
		return "", 0, fmt.Errorf("%q cannot be shortened to %d characters: %w", name, r.MaxLength, err)
	}
	return short, len(head) + 1, nil
}

// article is s with "a" or "an" in front, as it is spoken: "an IAM role", "an S3
// bucket", "a log group".
func article(s string) string {
	acronym := len(s) > 1 && s[0] >= 'A' && s[0] <= 'Z' && ((s[1] >= 'A' && s[1] <= 'Z') || (s[1] >= '0' && s[1] <= '9'))
	if s != "" && (strings.ContainsRune("AEIOUaeiou", rune(s[0])) || acronym && strings.ContainsRune("FHLMNRSX", rune(s[0]))) {
		return "an " + s
	}
	return "a " + s
}
