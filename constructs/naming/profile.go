package naming

// Profile holds the lifecycle defaults that follow from the kind of environment, in one
// place, so that constructs agree: PR environments are cheap and disposable, production
// is protected, everything else sits in between.
type Profile struct {
	// NAT reports whether private subnets get NAT gateways by default. PR: false (EIP
	// quotas are small and shared); otherwise true.
	NAT bool
	// SecretRecoveryDays is the Secrets Manager recovery window. PR: 0 (a re-used name is
	// free at once); production: 30; otherwise 7.
	SecretRecoveryDays int
	// DeletionProtection guards the load balancer. PR: false; otherwise true.
	DeletionProtection bool
	// LogRetentionDays is the CloudWatch Logs retention. PR: 3; production: 365;
	// otherwise 30.
	LogRetentionDays int
	// ForceDelete lets an ECS service be deleted with running tasks. PR: true;
	// otherwise false.
	ForceDelete bool
	// FargateSpot runs ECS tasks on Fargate Spot capacity (up to 70% cheaper, and
	// interruptible with a two-minute warning). PR: true; otherwise false.
	FargateSpot bool
}

// Profile returns the lifecycle defaults of e.
func (e Environment) Profile() Profile {
	switch {
	case e.IsPullRequest():
		return Profile{NAT: false, SecretRecoveryDays: 0, DeletionProtection: false, LogRetentionDays: 3, ForceDelete: true, FargateSpot: true}
	case e.IsProduction():
		return Profile{NAT: true, SecretRecoveryDays: 30, DeletionProtection: true, LogRetentionDays: 365}
	default:
		return Profile{NAT: true, SecretRecoveryDays: 7, DeletionProtection: true, LogRetentionDays: 30}
	}
}
