// Package awsid holds what AWS decides about identifiers, in pure Go (no jsii): the
// partitions and their regions, the shapes of the ARNs and resource IDs this module
// takes as input, and the names AWS accepts for hosts, S3 buckets and log retention.
//
// It is the one table of these rules: the constructs validate their Config with it,
// naming takes its regions from it, and verify builds its fake ARNs and endpoints from
// it, so that what the library accepts and what verify fakes cannot disagree.
//
// Every check returns an error that starts with the value quoted (cut short when long),
// so that a caller can put a field or variable name in front of it:
//
//	if err := awsid.SecurityGroupID.Check(v); err != nil {
//		return fmt.Errorf("LoadBalancerSecurityGroupID %w", err)
//	}
//
// An ARN can also be checked against the place a stack deploys to (Place): its
// partition, region and, for the kinds AWS only accepts from the same account, account.
package awsid
