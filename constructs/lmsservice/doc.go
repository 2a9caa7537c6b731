// Package lmsservice defines a Fargate service: its task definition (one container,
// "app"), CloudWatch log group, execution and task roles and task security group, in a
// shared cluster (cluster.New, cluster.FromAttributes) or one of its own, with one of
// four shapes of ingress:
//
//   - its own internet-facing Application Load Balancer (IngressInternetFacing, the
//     default);
//   - its own internal one (IngressInternal);
//   - a rule on a listener it does not own (Attach): another service's, a
//     loadbalancer.New's, or the shared platform's (loadbalancer.ListenerFromAttributes),
//     by host and/or path;
//   - none, a worker (IngressNone).
//
// A web service with its own load balancer, and an api on web's listener by path:
//
//	web := lmsservice.New(stack, "Web", lmsservice.Config{
//		Environment: env,
//		Component:   "web",
//		Network:     net,
//		Cluster:     shared,
//		Cache:       redis,
//		Image:       "public.ecr.aws/nginx/nginx:stable",
//	})
//	listener, _ := web.Listener()
//	api := lmsservice.New(stack, "API", lmsservice.Config{
//		Environment: env, Component: "api", Network: net, Cluster: shared,
//		Image: "my-api:1.2.3", ContainerPort: 8080,
//		Attach: &lmsservice.Attachment{Listener: listener, Paths: []string{"/api/*"}, Priority: 10},
//	})
//	api.Connections().AllowFrom(web.Connections(), network.TCP(api.ContainerPort()))
//	api.GrantReadBucket("arn:aws:s3:::shop-media", "")
//
// Secrets reach the container by ARN (Secrets Manager, an RDS-managed "rds!" secret
// included, or SSM parameters), and the execution role may read exactly those. DBSecret
// adds a credentials secret whose password comes from the ephemeral
// aws_secretsmanager_random_password through the write-only secret_string_wo: in no
// synthesized JSON, no plan and no state.
// A Cache is opened to the tasks and wired in as Terraform references.
//
// Security defaults: only a load balancer takes traffic from outside; tasks admit only
// their load balancer on the container port (and the services granted with
// Connections); every grant names its ARNs.
//
// Placement is checked at synth time: tasks in private subnets of a network with neither
// NAT nor VPC endpoints could not pull their image or read their secrets, so New refuses
// that and names the three ways out. See docs/lmsservice.md.
package lmsservice
