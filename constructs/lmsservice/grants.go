package lmsservice

import (
	"fmt"
	"regexp"
	"strconv"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrolepolicy"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/awsid"
	"github.com/tapstack/infra/internal/iampolicy"
	"github.com/tapstack/infra/internal/token"
)

// grants are the task role's grants. The inline policy "TaskRoleGrants" renders them when
// the stack is synthesized (a cdktf lazy value), so that every grant, also one made after
// other constructs used the service, lands in the one policy.
type grants struct {
	statements []iampolicy.Statement
}

// Produce renders the policy document (cdktf.IStringProducer).
func (g *grants) Produce(cdktf.IResolveContext) *string {
	return jsii.String(iampolicy.Document(g.statements...))
}

var action = regexp.MustCompile(`^[a-z0-9-]+:[A-Za-z0-9*?]+$`)

// grant adds one statement to the task role's policy, after checking it (checkGrant).
func (s *Service) grant(method, sid string, actions []string, kinds []awsid.ARNKind, arns []string, condition map[string]map[string]any) {
	s.checkGrant(method, actions, kinds, arns)
	s.addGrant(sid, actions, arns, condition)
}

// checkGrant checks every ARN (a literal of kind in the stack's partition, or a cdktf
// token) and action of a grant. Not the region: an IAM policy may name a resource of
// any region of the partition, and the tasks may call it there. It panics naming the method, the argument and
// the bad value.
func (s *Service) checkGrant(method string, actions []string, kinds []awsid.ARNKind, arns []string) {
	bad := func(format string, args ...any) {
		panic(fmt.Sprintf("lmsservice %s: %s: %s", *s.Node().Path(), method, fmt.Sprintf(format, args...)))
	}
	if len(actions) == 0 {
		bad("no action: name the actions to allow")
	}
	for _, a := range actions {
		if !action.MatchString(a) {
			bad("action %q is not an IAM action like \"s3:GetObject\" (\"*\" alone is never granted)", a)
		}
	}
	if len(arns) == 0 {
		bad("no resource: name the ARNs the actions apply to (a grant never applies to \"*\")")
	}
	for i, arn := range arns {
		switch {
		case arn == "":
			bad("ARN %d is empty", i)
		case token.Is(arn):
		case token.Expression(arn) != "":
			bad("ARN %q holds %q outside a cdktf token: give a literal ARN or a reference", arn, token.Expression(arn))
		default:
			if err := kinds[min(i, len(kinds)-1)].CheckIn(arn, awsid.Place{Partition: s.place.Partition}); err != nil {
				bad("%v", err)
			}
		}
	}
}

// addGrant adds one statement to the task role's policy, defining the policy on the
// first grant.
func (s *Service) addGrant(sid string, actions, arns []string, condition map[string]map[string]any) {
	if s.grants == nil {
		s.grants = &grants{}
		iamrolepolicy.NewIamRolePolicy(s, jsii.String("TaskRoleGrants"), &iamrolepolicy.IamRolePolicyConfig{
			Name:   jsii.String("grants"),
			Role:   s.taskRole.Id(),
			Policy: cdktf.Lazy_StringValue(s.grants, nil),
		})
	}
	s.grants.statements = append(s.grants.statements, iampolicy.Statement{
		Sid: sid + strconv.Itoa(len(s.grants.statements)), Effect: "Allow",
		Action: actions, Resource: arns, Condition: condition,
	})
}

// viaS3 limits a key grant to requests that S3 makes on the task's behalf.
func (s *Service) viaS3(kmsKeyARN string) map[string]map[string]any {
	region := s.place.Region // a token key: the stack's
	if a, err := awsid.KMSKeyARN.Parse(kmsKeyARN); err == nil {
		region = a.Region // S3 uses the key of the bucket's region
	}
	return map[string]map[string]any{"StringEquals": {"kms:ViaService": "s3." + region + "." + awsid.DNSSuffix(s.place.Partition)}}
}

// GrantReadSecret lets the tasks read a Secrets Manager secret (GetSecretValue,
// DescribeSecret): its ARN, of the stack's partition (any region), or a cdktf token.
func (s *Service) GrantReadSecret(secretARN string) {
	s.grant("GrantReadSecret", "ReadSecret", []string{"secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"},
		[]awsid.ARNKind{awsid.SecretARN}, []string{secretARN}, nil)
}

// GrantReadParameter lets the tasks read an SSM parameter (GetParameter, GetParameters).
func (s *Service) GrantReadParameter(parameterARN string) {
	s.grant("GrantReadParameter", "ReadParameter", []string{"ssm:GetParameter", "ssm:GetParameters"},
		[]awsid.ARNKind{awsid.SSMParameterARN}, []string{parameterARN}, nil)
}

// GrantReadBucket lets the tasks list an S3 bucket and read its objects, and, when
// kmsKeyARN is not "", decrypt them with that key (through S3 only).
func (s *Service) GrantReadBucket(bucketARN, kmsKeyARN string) {
	s.grantBucket("GrantReadBucket", "ReadBucket", bucketARN, kmsKeyARN,
		[]string{"s3:GetObject", "s3:GetObjectVersion"}, []string{"kms:Decrypt"})
}

// GrantReadWriteBucket lets the tasks list an S3 bucket and read, write and delete its
// objects, and, when kmsKeyARN is not "", use that key for them (through S3 only).
func (s *Service) GrantReadWriteBucket(bucketARN, kmsKeyARN string) {
	s.grantBucket("GrantReadWriteBucket", "ReadWriteBucket", bucketARN, kmsKeyARN,
		[]string{"s3:AbortMultipartUpload", "s3:DeleteObject", "s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"},
		[]string{"kms:Decrypt", "kms:GenerateDataKey"})
}

// grantBucket checks the whole grant before it adds any of its statements.
func (s *Service) grantBucket(method, sid, bucketARN, kmsKeyARN string, objectActions, keyActions []string) {
	s.checkGrant(method, []string{"s3:ListBucket"}, []awsid.ARNKind{awsid.BucketARN}, []string{bucketARN})
	if kmsKeyARN != "" {
		s.checkGrant(method, keyActions, []awsid.ARNKind{awsid.KMSKeyARN}, []string{kmsKeyARN})
	}
	s.addGrant(sid+"List", []string{"s3:ListBucket"}, []string{bucketARN}, nil)
	s.addGrant(sid+"Objects", objectActions, []string{bucketARN + "/*"}, nil)
	if kmsKeyARN != "" {
		s.addGrant(sid+"Key", keyActions, []string{kmsKeyARN}, s.viaS3(kmsKeyARN))
	}
}

// GrantDecrypt lets the tasks decrypt with a KMS key (a key ARN, not an alias).
func (s *Service) GrantDecrypt(kmsKeyARN string) {
	s.grant("GrantDecrypt", "Decrypt", []string{"kms:Decrypt"}, []awsid.ARNKind{awsid.KMSKeyARN}, []string{kmsKeyARN}, nil)
}

// Grant lets the tasks take actions ("dynamodb:GetItem") on exactly the resources
// named (ARNs, or cdktf tokens; never "*", and no wildcard outside an ARN's resource
// part): the general form of the grants above.
func (s *Service) Grant(actions []string, resourceARNs ...string) {
	s.grant("Grant", "Grant", actions, []awsid.ARNKind{awsid.ResourceARN}, resourceARNs, nil)
}
