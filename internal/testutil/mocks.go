package testutil

// RealProviderSettings is the body of the real AWS provider block of the plan run:
// fake credentials and the skip flags that keep the provider from calling AWS, so the
// provider's own planning (defaults, plan-time validation, replacement decisions) runs
// offline. Refresh does not happen on a first plan, and data sources that would call AWS
// are overridden (dataOverrides).
const RealProviderSettings = `
  region                      = "ca-central-1"
  access_key                  = "AKIAIOSFODNN7EXAMPLE"
  secret_key                  = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
`

// offlineData are data sources the provider answers without calling AWS.
var offlineData = map[string]bool{"aws_region": true, "aws_partition": true, "aws_iam_policy_document": true}

// dataOverrides are the values of data sources that would call AWS, for the
// real-provider plan (HCL object expressions).
var dataOverrides = map[string]string{
	"aws_availability_zones":             `{ names = ["ca-central-1a", "ca-central-1b", "ca-central-1d"], zone_ids = ["cac1-az1", "cac1-az2", "cac1-az4"] }`,
	"aws_secretsmanager_random_password": `{ random_password = "fake-password-0123456789abcdefghij" }`,
	"aws_subnets":                        `{ ids = ["subnet-0000000a", "subnet-0000000b"] }`,
	"aws_vpc":                            `{ cidr_block = "10.0.0.0/16", arn = "arn:aws:ec2:ca-central-1:123456789012:vpc/vpc-0a1b2c3d" }`,
	"aws_caller_identity":                `{ account_id = "123456789012", arn = "arn:aws:iam::123456789012:user/fake", user_id = "AIDAFAKE" }`,
	"aws_lb_listener":                    `{ load_balancer_arn = "` + SharedLoadBalancerARN + `", port = 443, protocol = "HTTPS" }`,
	"aws_lb":                             `{ dns_name = "` + SharedLoadBalancerDNSName + `", zone_id = "ZQSVJUPU6J1EY" }`,
}

// The shared load balancer that the data sources of an attached service read, in the
// real-provider plan and the mock apply alike.
const (
	SharedLoadBalancerARN     = "arn:aws:elasticloadbalancing:ca-central-1:123456789012:loadbalancer/app/lms-alb-platform/0123456789abcdef"
	SharedLoadBalancerDNSName = "lms-alb-platform-123456789.ca-central-1.elb.amazonaws.com"
)

// MockDefaults is the body of every mock_provider "aws" block the harness writes.
// Mocked providers invent random strings for computed attributes, but the real provider
// validates ARNs and JSON at apply, so every computed value that feeds another resource
// gets a well-formed default here; computed lists read by index (the cache endpoint, the
// AZ names) get one element so that the references are proven to resolve.
const MockDefaults = `
  mock_data "aws_availability_zones" {
    defaults = {
      names    = ["ca-central-1a", "ca-central-1b", "ca-central-1d"]
      zone_ids = ["cac1-az1", "cac1-az2", "cac1-az4"]
    }
  }
  mock_data "aws_vpc" {
    defaults = {
      cidr_block = "10.0.0.0/16"
      arn        = "arn:aws:ec2:ca-central-1:123456789012:vpc/vpc-0a1b2c3d"
    }
  }
  mock_data "aws_subnets" {
    defaults = {
      ids = ["subnet-0000000a", "subnet-0000000b"]
    }
  }
  mock_data "aws_region" {
    defaults = {
      name = "ca-central-1"
    }
  }
  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "123456789012"
    }
  }
  mock_data "aws_partition" {
    defaults = {
      partition = "aws"
    }
  }
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Principal\":{\"Service\":\"ecs-tasks.amazonaws.com\"}}]}"
    }
  }
  mock_data "aws_lb_listener" {
    defaults = {
      load_balancer_arn = "` + SharedLoadBalancerARN + `"
      port              = 443
      protocol          = "HTTPS"
    }
  }
  mock_data "aws_lb" {
    defaults = {
      dns_name = "` + SharedLoadBalancerDNSName + `"
      zone_id  = "ZQSVJUPU6J1EY"
    }
  }
  mock_data "aws_secretsmanager_random_password" {
    defaults = {
      random_password = "mock-password-0123456789abcdefghij"
    }
  }
  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/mock-role"
    }
  }
  mock_resource "aws_iam_policy" {
    defaults = {
      arn = "arn:aws:iam::123456789012:policy/mock-policy"
    }
  }
  mock_resource "aws_sqs_queue" {
    defaults = {
      arn = "arn:aws:sqs:ca-central-1:123456789012:mock"
      url = "https://sqs.ca-central-1.amazonaws.com/123456789012/mock"
    }
  }
  mock_resource "aws_lb" {
    defaults = {
      arn        = "arn:aws:elasticloadbalancing:ca-central-1:123456789012:loadbalancer/app/mock/0123456789abcdef"
      arn_suffix = "app/mock/0123456789abcdef"
      dns_name   = "mock-123456789.ca-central-1.elb.amazonaws.com"
      zone_id    = "ZQSVJUPU6J1EY"
    }
  }
  mock_resource "aws_lb_target_group" {
    defaults = {
      arn        = "arn:aws:elasticloadbalancing:ca-central-1:123456789012:targetgroup/mock/0123456789abcdef"
      arn_suffix = "targetgroup/mock/0123456789abcdef"
    }
  }
  mock_resource "aws_lb_listener" {
    defaults = {
      arn = "arn:aws:elasticloadbalancing:ca-central-1:123456789012:listener/app/mock/0123456789abcdef/0123456789abcdef"
    }
  }
  mock_resource "aws_lb_listener_rule" {
    defaults = {
      arn = "arn:aws:elasticloadbalancing:ca-central-1:123456789012:listener-rule/app/mock/0123456789abcdef/0123456789abcdef/0123456789abcdef"
      id  = "arn:aws:elasticloadbalancing:ca-central-1:123456789012:listener-rule/app/mock/0123456789abcdef/0123456789abcdef/0123456789abcdef"
    }
  }
  mock_resource "aws_secretsmanager_secret" {
    defaults = {
      arn = "arn:aws:secretsmanager:ca-central-1:123456789012:secret:mock-AbCdEf"
      id  = "arn:aws:secretsmanager:ca-central-1:123456789012:secret:mock-AbCdEf"
    }
  }
  mock_resource "aws_secretsmanager_secret_version" {
    defaults = {
      arn = "arn:aws:secretsmanager:ca-central-1:123456789012:secret:mock-AbCdEf"
      id  = "arn:aws:secretsmanager:ca-central-1:123456789012:secret:mock-AbCdEf|version"
    }
  }
  mock_resource "aws_ecs_cluster" {
    defaults = {
      arn = "arn:aws:ecs:ca-central-1:123456789012:cluster/mock"
      id  = "arn:aws:ecs:ca-central-1:123456789012:cluster/mock"
    }
  }
  mock_resource "aws_ecs_task_definition" {
    defaults = {
      arn                  = "arn:aws:ecs:ca-central-1:123456789012:task-definition/mock:1"
      arn_without_revision = "arn:aws:ecs:ca-central-1:123456789012:task-definition/mock"
    }
  }
  mock_resource "aws_ecs_service" {
    defaults = {
      id = "arn:aws:ecs:ca-central-1:123456789012:service/mock/mock"
    }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:ca-central-1:123456789012:log-group:mock"
    }
  }
  mock_resource "aws_kms_key" {
    defaults = {
      arn = "arn:aws:kms:ca-central-1:123456789012:key/00000000-0000-0000-0000-000000000000"
    }
  }
  mock_resource "aws_elasticache_serverless_cache" {
    defaults = {
      arn = "arn:aws:elasticache:ca-central-1:123456789012:serverlesscache:mock"
      endpoint = [{
        address = "mock.serverless.cac1.cache.amazonaws.com"
        port    = 6379
      }]
      reader_endpoint = [{
        address = "mock-ro.serverless.cac1.cache.amazonaws.com"
        port    = 6380
      }]
    }
  }
  mock_resource "aws_vpc" {
    defaults = {
      id  = "vpc-0123456789abcdef0"
      arn = "arn:aws:ec2:ca-central-1:123456789012:vpc/vpc-0123456789abcdef0"
    }
  }
  mock_resource "aws_security_group" {
    defaults = {
      id  = "sg-0123456789abcdef0"
      arn = "arn:aws:ec2:ca-central-1:123456789012:security-group/sg-0123456789abcdef0"
    }
  }
  mock_resource "aws_appautoscaling_target" {
    defaults = {
      arn = "arn:aws:application-autoscaling:ca-central-1:123456789012:scalable-target/mock"
    }
  }
  mock_resource "aws_flow_log" {
    defaults = {
      arn = "arn:aws:ec2:ca-central-1:123456789012:vpc-flow-log/fl-0123456789abcdef0"
    }
  }
`
