// Package awsid holds what AWS decides about identifiers, in pure Go (no jsii): the
// partitions and their regions, the shapes of the ARNs and resource IDs this module
// takes as input, and the names AWS accepts for hosts, S3 buckets and log retention.
//
// It is the one table of these rules: the constructs and the apps validate their
// Config with it, verify's fakes take their partitions and DNS suffixes from it, and names that will carry a region are checked at the longest one
// (LongestRegion) before the stack's region is known.
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
