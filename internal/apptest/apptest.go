// Package apptest holds the fixtures of the tests of the example apps (cmd/tapstack,
// cmd/platform): their configurations parsed from variables as the apps parse them, and
// the shared platform's variables. Only tests import it.
package apptest

import (
	"maps"
	"testing"
	"time"

	"github.com/tapstack/infra/examples/platform"
	"github.com/tapstack/infra/examples/tapstack"
	"github.com/tapstack/infra/internal/platformapp"
	"github.com/tapstack/infra/internal/tapstackapp"
	"github.com/tapstack/infra/internal/testutil"
)

// The shared platform, as its outputs give it to PR environments.
const (
	ListenerARN     = "arn:aws:elasticloadbalancing:ca-central-1:" + testutil.Account + ":listener/app/lms-alb-platform/0123456789abcdef/fedcba9876543210"
	ClusterARN      = "arn:aws:ecs:ca-central-1:" + testutil.Account + ":cluster/lms-cluster-platform"
	SecurityGroupID = "sg-0a1b2c3d4e5f60718"
)

// Clock is fixed so that unpinned PR suffixes are stable in tests: 1700000042 gives
// 000042.
func Clock() time.Time { return time.Unix(1_700_000_042, 0) }

// PlatformVars are the PLATFORM_* variables of a PR environment on the platform, with
// more set over them.
func PlatformVars(more map[string]string) map[string]string {
	vars := map[string]string{
		"PLATFORM_LISTENER_ARN":          ListenerARN,
		"PLATFORM_CLUSTER_ARN":           ClusterARN,
		"PLATFORM_VPC_ID":                "vpc-0a1b2c3d",
		"PLATFORM_PUBLIC_SUBNET_IDS":     "subnet-0000000a,subnet-0000000b",
		"PLATFORM_PRIVATE_SUBNET_IDS":    "subnet-0000000c, subnet-0000000d",
		"PLATFORM_ALB_SECURITY_GROUP_ID": SecurityGroupID,
		"PREVIEW_DOMAIN":                 "preview.example.com",
	}
	maps.Copy(vars, more)
	return vars
}

// TapStack parses vars as cmd/tapstack does, at Clock.
func TapStack(t testing.TB, vars map[string]string) tapstack.Config {
	t.Helper()
	cfg, err := tapstackapp.ConfigFromLookup(testutil.Lookup(vars), Clock)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// Platform parses vars as cmd/platform does, with the certificate and the state bucket
// every platform needs, and validates the result; it panics on a bad fixture (a
// programming error), so that variant builders can use it.
func Platform(vars map[string]string) platform.Config {
	all := map[string]string{"PLATFORM_CERTIFICATE_ARN": testutil.CertificateARN, "TERRAFORM_STATE_BUCKET": "iac-tf-states"}
	maps.Copy(all, vars)
	cfg, err := platformapp.ConfigFromLookup(testutil.Lookup(all))
	if err == nil {
		err = cfg.Validate()
	}
	if err != nil {
		panic(err)
	}
	return cfg
}
