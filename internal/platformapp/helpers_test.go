package platformapp_test

import (
	"testing"

	"github.com/tapstack/infra/examples/platform"
	"github.com/tapstack/infra/internal/platformapp"
	"github.com/tapstack/infra/internal/testutil"
)

func TestMain(m *testing.M) { testutil.Main(m) }

const certARN = testutil.CertificateARN

// mustConfig parses vars like the app does (with the certificate and the state bucket
// every platform needs) and validates the result: a bad fixture is a programming error.
func mustConfig(vars map[string]string) platform.Config {
	all := map[string]string{"PLATFORM_CERTIFICATE_ARN": certARN, "TERRAFORM_STATE_BUCKET": "iac-tf-states"}
	for k, v := range vars {
		all[k] = v
	}
	cfg, err := platformapp.ConfigFromLookup(testutil.Lookup(all))
	if err == nil {
		err = cfg.Validate()
	}
	if err != nil {
		panic(err)
	}
	return cfg
}
