package engine

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// FakeAccessKey and FakeSecretKey are the static credentials of every offline AWS
// provider: well-formed, never valid.
const (
	FakeAccessKey = "AKIAVERIFYFAKEACCESS"
	FakeSecretKey = "verify-fake-secret-key"
)

// OfflineAWS returns the arguments that keep an aws provider block offline: fake static
// credentials and every check that would call AWS skipped, and one retry only, so that
// a call that slipped through fails at once instead of retrying for minutes. A new map
// each call.
func OfflineAWS() map[string]any {
	return map[string]any{
		"access_key":                  FakeAccessKey,
		"secret_key":                  FakeSecretKey,
		"skip_credentials_validation": true,
		"skip_requesting_account_id":  true,
		"skip_metadata_api_check":     true,
		"skip_region_validation":      true,
		"max_retries":                 1,
	}
}

// DroppedAWSArgs are the aws provider arguments that could make the provider reach AWS
// or read local credentials; an offline provider block has none of them (OfflineAWS
// supplies fake static credentials instead).
func DroppedAWSArgs() []string {
	return []string{"access_key", "secret_key", "token", "profile", "shared_config_files",
		"shared_credentials_files", "assume_role", "assume_role_with_web_identity", "custom_ca_bundle",
		"ec2_metadata_service_endpoint", "ec2_metadata_service_endpoint_mode", "sts_region", "retry_mode",
		"endpoints", "http_proxy", "https_proxy", "no_proxy",
		// Checked against the account of the credentials, which offline is none.
		"allowed_account_ids", "forbidden_account_ids"}
}

// IsAWSSource tells whether a required_providers source names hashicorp/aws.
func IsAWSSource(src string) bool {
	switch strings.ToLower(src) {
	case "aws", "hashicorp/aws", "registry.terraform.io/hashicorp/aws", "registry.opentofu.org/hashicorp/aws":
		return true
	}
	return false
}

var exactVersion = regexp.MustCompile(`^\s*=?\s*v?(\d+)\.(\d+)\.(\d+)\s*$`)

// ExactVersion returns the version of an exact pin ("5.84.0", "= 5.84.0"), or "" for
// any other constraint.
func ExactVersion(constraint string) string {
	m := exactVersion.FindStringSubmatch(constraint)
	if m == nil {
		return ""
	}
	return m[1] + "." + m[2] + "." + m[3]
}

// Widen turns an exact pin "5.84.0" into ">= 5.84.0, < 6.0.0", so that a newer
// provider of the same major version in the mirror qualifies; other constraints stay.
func Widen(constraint string) string {
	v := ExactVersion(constraint)
	if v == "" {
		return constraint
	}
	major, _ := strconv.Atoi(strings.SplitN(v, ".", 2)[0])
	return fmt.Sprintf(">= %s, < %d.0.0", v, major+1)
}
