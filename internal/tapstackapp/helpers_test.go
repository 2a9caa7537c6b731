package tapstackapp_test

import (
	"testing"
	"time"

	"github.com/tapstack/infra/examples/tapstack"
	"github.com/tapstack/infra/internal/tapstackapp"
	"github.com/tapstack/infra/internal/testutil"
)

func TestMain(m *testing.M) { testutil.Main(m) }

// clock is fixed so that unpinned PR suffixes are stable in tests: 1700000042 -> 000042.
func clock() time.Time { return time.Unix(1_700_000_042, 0) }

// fromEnv parses vars like the app does.
func fromEnv(t testing.TB, vars map[string]string) tapstack.Config {
	t.Helper()
	cfg, err := tapstackapp.ConfigFromLookup(testutil.Lookup(vars), clock)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// The shared platform of the platform variables (literal IDs, as the platform app's
// outputs give them).
const (
	listenerARN = "arn:aws:elasticloadbalancing:ca-central-1:123456789012:listener/app/lms-alb-platform/0123456789abcdef/fedcba9876543210"
	platformSG  = "sg-0a1b2c3d4e5f60718"
)

// platformVars are the PLATFORM_* variables of a PR environment on the platform.
func platformVars(more map[string]string) map[string]string {
	vars := map[string]string{
		"PLATFORM_LISTENER_ARN":          listenerARN,
		"PLATFORM_CLUSTER_ARN":           "arn:aws:ecs:ca-central-1:123456789012:cluster/lms-cluster-platform",
		"PLATFORM_VPC_ID":                "vpc-0a1b2c3d",
		"PLATFORM_PUBLIC_SUBNET_IDS":     "subnet-0000000a,subnet-0000000b",
		"PLATFORM_PRIVATE_SUBNET_IDS":    "subnet-0000000c, subnet-0000000d",
		"PLATFORM_ALB_SECURITY_GROUP_ID": platformSG,
		"PREVIEW_DOMAIN":                 "preview.example.com",
	}
	for k, v := range more {
		vars[k] = v
	}
	return vars
}
