// Package network defines a VPC with public and private subnets across availability
// zones, an internet gateway, optional NAT gateways (none, single, or one per AZ), private
// route tables that follow the NAT mode, and an egress path for private workloads when
// there is no NAT (VPC interface endpoints for ECR, CloudWatch Logs and Secrets Manager,
// and an S3 gateway endpoint). It can also adopt an existing VPC and its subnets, which
// is the way out of VpcLimitExceeded.
//
// The Network reports the egress its private subnets have (Egress), so that services
// placed there can refuse, at synth time, a placement whose tasks could not pull images
// or read secrets.
//
//	net := network.New(stack, "Network", network.Config{
//		Environment: env,
//		NAT:         network.NATNone,
//		Endpoints:   true,
//	})
//
// New validates the whole Config before it defines any child and panics with every
// problem; call Config.Validate first to get them as an error.
package network
