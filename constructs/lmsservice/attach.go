package lmsservice

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/internal/tfx"
)

// Limits of a listener rule, as Elastic Load Balancing accepts them.
const (
	// MaxRulePriority is the highest listener rule priority (priorities are 1 to 50000,
	// unique per listener).
	MaxRulePriority = 50000
	// MaxHostLength is the longest value of a host-header condition.
	MaxHostLength = 128
)

// Attachment attaches a service to a shared Application Load Balancer (the platform
// of examples/platform) instead of giving it its own: the service creates its target
// group and one listener rule on the shared listener that forwards requests for Host,
// and no load balancer, no listener, no load balancer security group and no ingress
// from the internet. Its tasks admit only the shared load balancer's security group,
// on the container port.
//
// The shared load balancer's security group must allow egress to the tasks on the
// container port: the platform owns that rule (examples/platform opens it to the VPC
// CIDR on its target port range), so attached services add no rule to a group they do
// not own, and the group's rule count does not grow with the number of services.
type Attachment struct {
	// ListenerARN is the shared listener (normally the HTTPS listener on 443) that gets
	// the rule: an ALB listener ARN, or a Terraform reference. Required.
	ListenerARN string
	// LoadBalancerSecurityGroupID is the shared load balancer's security group, the only
	// source the tasks admit: "sg-" and 8 or 17 hex digits, or a Terraform reference.
	// Required.
	LoadBalancerSecurityGroupID string
	// Host is the host name the rule matches ("pr4892.preview.example.com"): a DNS name
	// of at most MaxHostLength characters, or a Terraform reference. The shared
	// listener's certificate must cover it. Required.
	Host string
	// Priority of the rule, 1 to MaxRulePriority, unique per listener. Default (0):
	// RulePriority(Environment), derived from the environment: the PR number for a PR
	// environment. Changing it is an in-place update of the rule.
	Priority int
}

// RulePriority is the listener rule priority of an environment, deterministic and in
// 1..MaxRulePriority, the default of Attachment.Priority:
//
//   - a PR environment "pr<N>" gets N when 1 <= N <= 50000, and otherwise N modulo
//     50000 with 0 read as 50000 ("pr50000" and "pr0" get 50000, "pr50001" gets 1,
//     "pr123456" gets 23456), computed on the digits, so any length works;
//   - any other environment gets 1 plus the first 8 bytes of the SHA-256 of its name
//     (big-endian) modulo 50000.
//
// The PR suffix (kept in state or pinned) plays no part, so a PR keeps its priority
// for its whole life and across re-deploys. Two PR numbers 50000 apart, or a non-PR
// environment whose hash meets a PR number, get the same priority: the second rule
// created on a listener then fails with PriorityInUse, and that environment sets
// Attachment.Priority (see docs/pr-environments.md). Host rules of different hosts
// never overlap, so the priority orders nothing else. It returns 0 for the zero
// Environment.
func RulePriority(env naming.Environment) int {
	name := env.Name()
	switch {
	case name == "":
		return 0
	case naming.IsPullRequest(name):
		n := 0
		for _, d := range strings.TrimPrefix(name, "pr") {
			n = (n*10 + int(d-'0')) % MaxRulePriority
		}
		if n == 0 {
			return MaxRulePriority
		}
		return n
	}
	sum := sha256.Sum256([]byte(name))
	return int(binary.BigEndian.Uint64(sum[:8])%MaxRulePriority) + 1
}

// withDefaults fills the derived priority.
func (a Attachment) withDefaults(env naming.Environment) Attachment {
	if a.Priority == 0 {
		a.Priority = RulePriority(env)
	}
	return a
}

// validateAttachment checks Attach, and refuses the options that configure the
// service's own load balancer. raw is the Config as given (before defaults), so that
// a default is not mistaken for a choice.
func (c Config) validateAttachment(raw Config, add func(string, ...any)) {
	a := c.Attach
	literal := func(field, v string, check func(string) error) {
		switch {
		case v == "":
			add("Attach.%s is required", field)
		case !tfx.IsToken(v):
			if err := check(v); err != nil {
				add("Attach.%s %v", field, err)
			}
		}
	}
	is := func(valid func(string) bool, what string) func(string) error {
		return func(v string) error {
			if valid(v) {
				return nil
			}
			return fmt.Errorf("%q is not %s", v, what)
		}
	}
	literal("ListenerARN", a.ListenerARN, is(tfx.IsListenerARN,
		"an Application Load Balancer listener ARN (arn:aws:elasticloadbalancing:<region>:<account>:listener/app/<name>/<id>/<id>)"))
	literal("LoadBalancerSecurityGroupID", a.LoadBalancerSecurityGroupID, is(tfx.IsSecurityGroupID, "a security group ID (sg- and 8 or 17 hex digits)"))
	literal("Host", a.Host, func(v string) error {
		if len(v) > MaxHostLength {
			return fmt.Errorf("%q is %d characters, over the %d a listener rule's host condition takes", v, len(v), MaxHostLength)
		}
		return tfx.HostNameError(v)
	})
	if a.Priority < 0 || a.Priority > MaxRulePriority {
		add("Attach.Priority %d is out of range 1-%d (0 derives it from the environment: lmsservice.RulePriority)", a.Priority, MaxRulePriority)
	}
	for _, f := range []struct{ field, value, why string }{
		{"CertificateARN", raw.CertificateARN, "the shared listener's certificate serves Attach.Host"},
		{"SSLPolicy", raw.SSLPolicy, "the shared listener has its own"},
		{"AccessLogsBucket", raw.AccessLogsBucket, "access logs are a setting of the shared load balancer"},
	} {
		if f.value != "" {
			add("%s %q configures the service's own load balancer, which an attached service (Attach) does not have: %s; leave it empty", f.field, f.value, f.why)
		}
	}
}
