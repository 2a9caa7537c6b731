package lmsservice_test

import (
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucket"
	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/constructs/lmsservice"
	"github.com/tapstack/infra/constructs/network"
	"github.com/tapstack/infra/internal/testutil"
)

const bucketKey = "arn:aws:kms:ca-central-1:123456789012:key/1111aaaa-2222-3333-4444-555566667777"

func init() {
	variants.Add("grants", func() cdktf.TerraformStack {
		stack := testutil.NewStack("Test")
		net := network.New(stack, "Network", network.Config{Environment: stage})
		s := lmsservice.New(stack, "Service", lmsservice.Config{Environment: stage, Network: net, Image: image, Ingress: lmsservice.IngressNone})
		uploads := s3bucket.NewS3Bucket(stack, jsii.String("Uploads"), &s3bucket.S3BucketConfig{})
		s.GrantReadBucket(*uploads.Arn(), "")
		s.GrantReadWriteBucket("arn:aws:s3:::shop-reports", bucketKey)
		s.GrantReadSecret(apiKey)
		s.GrantReadParameter(parameter)
		s.GrantDecrypt(kmsKey)
		s.Grant([]string{"dynamodb:GetItem", "dynamodb:PutItem"}, "arn:aws:dynamodb:ca-central-1:123456789012:table/sessions")
		// A bucket of another region, with its key: IAM grants any region; S3 uses the key
		// in the bucket's region.
		s.GrantReadBucket("arn:aws:s3:::shop-eu-media", euKey)
		built["grants"] = map[string]*lmsservice.Service{"Service": s}
		cdktf.NewTerraformOutput(stack, jsii.String("service_name"), &cdktf.TerraformOutputConfig{Value: s.ServiceName()})
		return stack
	}, `module.grants.service_name == "lms-service-stage"`)
}

// TestGrants: every grant lands in the task role's one policy, naming exactly its
// resources; a bucket grant names the bucket (list) and its objects, and its key only
// through S3.
const euKey = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"

func TestGrants(t *testing.T) {
	s := variants.Synth(t, "grants")
	policyName, policy := s.Find(t, "aws_iam_role_policy", "Service/TaskRoleGrants")
	if policy["role"] != s.RefTo(t, "aws_iam_role", "Service/TaskRole", "id") {
		t.Errorf("the grants are on %v, not the task role", policy["role"])
	}
	bucket := s.RefTo(t, "aws_s3_bucket", "Uploads", "arn")
	want := []statement{
		{Sid: "ReadBucketList0", Effect: "Allow", Action: []string{"s3:ListBucket"}, Resource: []string{bucket}},
		{Sid: "ReadBucketObjects1", Effect: "Allow", Action: []string{"s3:GetObject", "s3:GetObjectVersion"}, Resource: []string{bucket + "/*"}},
		{Sid: "ReadWriteBucketList2", Effect: "Allow", Action: []string{"s3:ListBucket"}, Resource: []string{"arn:aws:s3:::shop-reports"}},
		{Sid: "ReadWriteBucketObjects3", Effect: "Allow", Action: []string{"s3:AbortMultipartUpload", "s3:DeleteObject", "s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"},
			Resource: []string{"arn:aws:s3:::shop-reports/*"}},
		{Sid: "ReadWriteBucketKey4", Effect: "Allow", Action: []string{"kms:Decrypt", "kms:GenerateDataKey"}, Resource: []string{bucketKey},
			Condition: map[string]map[string]any{"StringEquals": {"kms:ViaService": "s3.ca-central-1.amazonaws.com"}}},
		{Sid: "ReadSecret5", Effect: "Allow", Action: []string{"secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"}, Resource: []string{apiKey}},
		{Sid: "ReadParameter6", Effect: "Allow", Action: []string{"ssm:GetParameter", "ssm:GetParameters"}, Resource: []string{parameter}},
		{Sid: "Decrypt7", Effect: "Allow", Action: []string{"kms:Decrypt"}, Resource: []string{kmsKey}},
		{Sid: "Grant8", Effect: "Allow", Action: []string{"dynamodb:GetItem", "dynamodb:PutItem"}, Resource: []string{"arn:aws:dynamodb:ca-central-1:123456789012:table/sessions"}},
		{Sid: "ReadBucketList9", Effect: "Allow", Action: []string{"s3:ListBucket"}, Resource: []string{"arn:aws:s3:::shop-eu-media"}},
		{Sid: "ReadBucketObjects10", Effect: "Allow", Action: []string{"s3:GetObject", "s3:GetObjectVersion"}, Resource: []string{"arn:aws:s3:::shop-eu-media/*"}},
		{Sid: "ReadBucketKey11", Effect: "Allow", Action: []string{"kms:Decrypt"}, Resource: []string{euKey},
			Condition: map[string]map[string]any{"StringEquals": {"kms:ViaService": "s3.eu-west-1.amazonaws.com"}}},
	}
	if diff := cmp.Diff(want, policyIn(t, s, "Service/TaskRoleGrants")); diff != "" {
		t.Errorf("grants (-want +got):\n%s", diff)
	}
	if n := s.Count("aws_iam_role_policy"); n != 1 { // a worker without injected secrets: the grants only
		t.Errorf("%d inline policies (%s), want 1", n, policyName)
	}
}

// TestGrantsRefuseWildcardsAndStrangers: a grant names ARNs of the stack's partition
// (IAM grants resources of any region), never "*", and a refused grant adds nothing.
func TestGrantsRefuseWildcardsAndStrangers(t *testing.T) {
	stack := testutil.NewStack("Test")
	net := network.New(stack, "Network", network.Config{Environment: stage})
	s := lmsservice.New(stack, "Service", lmsservice.Config{Environment: stage, Network: net, Image: image, Ingress: lmsservice.IngressNone})
	for desc, c := range map[string]struct {
		grant func()
		want  string
	}{
		"a star":                  {func() { s.Grant([]string{"s3:GetObject"}, "*") }, `"*" is not an ARN`},
		"a star resource":         {func() { s.Grant([]string{"s3:GetObject"}, "arn:aws:s3:::*") }, `the resource "*" names every resource`},
		"every action":            {func() { s.Grant([]string{"*"}, "arn:aws:s3:::b") }, `action "*" is not an IAM action`},
		"no resource":             {func() { s.Grant([]string{"s3:GetObject"}) }, "no resource: name the ARNs"},
		"a bucket ARN":            {func() { s.GrantReadBucket("shop-reports", "") }, `"shop-reports" is not an ARN`},
		"another partition":       {func() { s.GrantReadSecret("arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:x-AbCdEf") }, "is in partition aws-cn"},
		"an expression as text":   {func() { s.GrantReadParameter("arn:aws:ssm:ca-central-1:123456789012:parameter/${var.x}") }, `holds "${" outside a cdktf token`},
		"a bad key with a bucket": {func() { s.GrantReadWriteBucket("arn:aws:s3:::b-1", "alias/x") }, `"alias/x" is not an ARN`},
	} {
		t.Run(desc, func(t *testing.T) {
			msg := testutil.MustPanic(t, c.grant)
			if !strings.Contains(msg, c.want) || !strings.Contains(msg, "lmsservice Test/Service: Grant") {
				t.Errorf("panic = %q, want %q", msg, c.want)
			}
		})
	}
	if n := testutil.Synth(t, stack).Count("aws_iam_role_policy"); n != 0 {
		t.Errorf("a refused grant defined a policy (%d inline policies)", n)
	}
}
