// Package loadbalancer defines an Application Load Balancer with its security group and
// listeners, internet-facing or internal, that services attach to (lmsservice.Attachment),
// or adopts the listener of a load balancer defined elsewhere, such as the shared
// platform's (ListenerFromAttributes). Both give a *Listener.
//
//	alb := loadbalancer.New(stack, "Edge", loadbalancer.Config{Environment: env, Network: net, CertificateARN: cert})
//	web := lmsservice.New(stack, "Web", lmsservice.Config{..., Attach: &lmsservice.Attachment{Listener: alb.Listener(), Paths: []string{"/*"}}})
//
// An internet-facing load balancer admits the internet on 80 (and 443 with a
// certificate, HTTP then redirecting to HTTPS); an internal one admits the VPC's CIDR on
// the same ports. It reaches nothing until a target is attached: attaching writes the
// egress rule on its group and the ingress rule on the target's (network.Connections).
// Invalid header fields are dropped; deletion protection follows the environment
// profile.
package loadbalancer
