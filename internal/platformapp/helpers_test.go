package platformapp_test

import (
	"testing"

	"github.com/tapstack/infra/internal/testutil"
)

func TestMain(m *testing.M) { testutil.Main(m) }

const certARN = testutil.CertificateARN
