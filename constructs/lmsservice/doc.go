// Package lmsservice defines the LMS web service: an ECS Fargate service behind an
// internet-facing Application Load Balancer, with its cluster (or an existing one), task
// definition, CloudWatch log group, execution and task roles, security groups, a DB
// credentials secret whose password AWS generates at apply time, and the Redis
// connection wired in as Terraform references.
//
//	svc := lmsservice.New(stack, "Service", lmsservice.Config{
//		Environment: env,
//		Network:     net,
//		Cache:       redis,
//		Image:       "public.ecr.aws/nginx/nginx:stable",
//	})
//
// Security defaults: only the ALB takes traffic from the internet (80 and 443); tasks
// accept traffic only from the ALB's security group on the container port; the cache is
// opened to the tasks' group only; the execution role reads exactly the secrets it
// injects.
//
// Attached to a shared platform (one ALB for many PR environments, see
// examples/platform), a service creates its target group and one host rule on the
// shared listener, and no load balancer, listener or world-open ingress:
//
//	svc := lmsservice.New(stack, "Service", lmsservice.Config{
//		Environment:        env, // pr4892: rule priority 4892 (RulePriority)
//		Network:            platformNet,
//		ExistingClusterARN: clusterARN,
//		AssignPublicIP:     true,
//		Image:              "public.ecr.aws/nginx/nginx:stable",
//		Attach: &lmsservice.Attachment{
//			ListenerARN:                 listenerARN,
//			LoadBalancerSecurityGroupID: albSG,
//			Host:                        "pr4892.preview.example.com",
//		},
//	})
//
// Placement is checked at synth time: tasks in private subnets of a network with neither
// NAT nor VPC endpoints could not pull their image or read their secrets, so New refuses
// that and names the three ways out.
package lmsservice
