package naming

import (
	"fmt"
	"sort"
	"strings"

	"github.com/tapstack/infra/internal/text"
)

// partitions lists the regions of every AWS partition that the AWS provider this module
// is tested with (hashicorp/aws 5.x) knows, by partition. It is the one table behind
// ValidateRegion; docs/naming.md shows it. A region AWS opens later is refused until
// it is added here (the provider itself refuses it until it learns it, unless
// skip_region_validation is set).
var partitions = map[string][]string{
	"aws": {
		"af-south-1",
		"ap-east-1", "ap-east-2",
		"ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
		"ap-south-1", "ap-south-2",
		"ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-7",
		"ca-central-1", "ca-west-1",
		"eu-central-1", "eu-central-2",
		"eu-north-1",
		"eu-south-1", "eu-south-2",
		"eu-west-1", "eu-west-2", "eu-west-3",
		"il-central-1",
		"me-central-1", "me-south-1",
		"mx-central-1",
		"sa-east-1",
		"us-east-1", "us-east-2", "us-west-1", "us-west-2",
	},
	"aws-cn":     {"cn-north-1", "cn-northwest-1"},
	"aws-us-gov": {"us-gov-east-1", "us-gov-west-1"},
	"aws-iso":    {"us-iso-east-1", "us-iso-west-1"},
	"aws-iso-b":  {"us-isob-east-1"},
	"aws-iso-e":  {"eu-isoe-west-1"},
	"aws-iso-f":  {"us-isof-east-1", "us-isof-south-1"},
	"aws-eusc":   {"eusc-de-east-1"},
}

var regionPartition = func() map[string]string {
	out := map[string]string{}
	for p, rs := range partitions {
		for _, r := range rs {
			out[r] = p
		}
	}
	return out
}()

// Regions returns every region ValidateRegion accepts, sorted.
func Regions() []string {
	out := make([]string, 0, len(regionPartition))
	for r := range regionPartition {
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}

// Partition returns the partition of region ("aws", "aws-cn", "aws-us-gov", ...), or ""
// for a region that is not in the table.
func Partition(region string) string { return regionPartition[region] }

// ValidateRegion checks that region is a region of an AWS partition the provider knows.
func ValidateRegion(region string) error {
	if _, ok := regionPartition[region]; ok {
		return nil
	}
	hint := ""
	if strings.TrimSpace(region) != "" {
		for _, r := range Regions() {
			if strings.HasPrefix(r, strings.TrimRight(region, "0123456789")) {
				hint = fmt.Sprintf(" (did you mean %q?)", r)
				break
			}
		}
	}
	return fmt.Errorf("%s is not a region of any AWS partition the provider knows (like \"ca-central-1\"; the list is in docs/naming.md)%s", text.Quote(region), hint)
}
