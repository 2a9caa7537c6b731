package verify

import "sort"

// statefulKinds are the AWS resource types whose replacement loses data or identity,
// with the reason. docs/verify.md shows the table (TestStatefulDoc keeps it in step).
var statefulKinds = map[string]string{
	// Data.
	"aws_db_instance":                   "an RDS instance: a new, empty database unless restored from a snapshot, and a new endpoint",
	"aws_rds_cluster":                   "an Aurora or Multi-AZ cluster: its cluster volume (the data) unless restored from a snapshot, and new endpoints",
	"aws_docdb_cluster":                 "a DocumentDB cluster: its data unless restored from a snapshot, and new endpoints",
	"aws_neptune_cluster":               "a Neptune cluster: its graph unless restored from a snapshot, and new endpoints",
	"aws_redshift_cluster":              "a Redshift cluster: its data unless restored from a snapshot, and a new endpoint",
	"aws_dynamodb_table":                "a DynamoDB table: its items (and streams), unless restored from a backup",
	"aws_s3_bucket":                     "an S3 bucket: its objects and versions; deleting it frees the name for any account",
	"aws_efs_file_system":               "an EFS file system: its files, and its id that mount targets and access points use",
	"aws_fsx_lustre_file_system":        "an FSx for Lustre file system: its files", //nolint:misspell // the provider's type name
	"aws_fsx_windows_file_system":       "an FSx for Windows file system: its files and shares",
	"aws_fsx_ontap_file_system":         "an FSx for ONTAP file system: its volumes",
	"aws_fsx_openzfs_file_system":       "an FSx for OpenZFS file system: its volumes",
	"aws_ebs_volume":                    "an EBS volume: its blocks, unless restored from a snapshot",
	"aws_elasticache_cluster":           "an ElastiCache cluster: its cached data, and its endpoint",
	"aws_elasticache_replication_group": "an ElastiCache replication group: its data, and its endpoints",
	"aws_elasticache_serverless_cache":  "an ElastiCache Serverless cache: its data, and its endpoint",
	"aws_memorydb_cluster":              "a MemoryDB cluster: its data (MemoryDB is a database), and its endpoint",
	"aws_opensearch_domain":             "an OpenSearch domain: its indexes, and its endpoint",
	"aws_elasticsearch_domain":          "an Elasticsearch domain: its indexes, and its endpoint",
	"aws_kinesis_stream":                "a Kinesis stream: the records it holds",
	"aws_msk_cluster":                   "an MSK cluster: its topics and messages, and its bootstrap brokers",
	"aws_sqs_queue":                     "an SQS queue: the messages in it, and its URL",
	"aws_backup_vault":                  "a Backup vault: its recovery points",
	"aws_glacier_vault":                 "a Glacier vault: its archives",
	"aws_cloudwatch_log_group":          "a log group: its log events",
	"aws_ecr_repository":                "an ECR repository: its images",
	"aws_secretsmanager_secret":         "a secret: its value and versions, and its ARN (the six-letter suffix changes)",
	"aws_kms_key":                       "a KMS key: what it encrypted cannot be decrypted once the old key is deleted",
	"aws_cognito_user_pool":             "a Cognito user pool: its users, whose passwords cannot be exported, and its id",
	"aws_instance":                      "an EC2 instance: its root and instance-store volumes, its id and private IP",

	// Identity: what points at it by id, name or address breaks.
	"aws_vpc":                         "a VPC: its id; everything in it is replaced with it",
	"aws_subnet":                      "a subnet: its id; the network interfaces in it go with it",
	"aws_eip":                         "an Elastic IP: its address, which allowlists and DNS records name",
	"aws_lb":                          "a load balancer: its DNS name, which clients and DNS records point at",
	"aws_route53_zone":                "a hosted zone: its name servers, which the parent zone delegates to",
	"aws_cloudfront_distribution":     "a CloudFront distribution: its domain name",
	"aws_iam_role":                    "an IAM role: its unique id; trust and resource policies that name it stop matching until saved again",
	"aws_iam_user":                    "an IAM user: its unique id and access keys",
	"aws_ecs_cluster":                 "an ECS cluster: the services and tasks that run in it",
	"aws_api_gateway_rest_api":        "an API Gateway REST API: its id, which is in its URL",
	"aws_apigatewayv2_api":            "an API Gateway HTTP or WebSocket API: its id, which is in its URL",
	"aws_sns_topic":                   "an SNS topic: its subscriptions (confirmed ones must be confirmed again)",
	"aws_acm_certificate":             "an ACM certificate: its ARN, which listeners name, and a new validation",
	"aws_cognito_identity_pool":       "a Cognito identity pool: its id, which identities are bound to",
	"aws_lambda_function":             "a Lambda function: its versions and aliases' history",
	"aws_sfn_state_machine":           "a Step Functions state machine: its executions' history",
	"aws_codecommit_repository":       "a CodeCommit repository: its commits",
	"aws_directory_service_directory": "a Directory Service directory: its users and computers",
}

// Stateful returns the AWS resource types whose replacement loses data (a database, a
// bucket, a file system, a cache, a log group, a secret's value, a key) or identity (an
// id, a DNS name or an address that others point at), sorted; StatefulReason says why
// for each. A new slice each call.
//
// It is the general list; a stack's own list (the kinds it has) may be shorter.
func Stateful() []string {
	out := make([]string, 0, len(statefulKinds))
	for k := range statefulKinds {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// StatefulReason says what a replacement of a resource of type typ loses, or "" when
// typ is not one of Stateful.
func StatefulReason(typ string) string { return statefulKinds[typ] }
