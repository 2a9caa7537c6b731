package awsid

import (
	"fmt"
	"sort"
	"strings"

	"github.com/tapstack/infra/internal/text"
)

// partition is one AWS partition: its regions and the DNS suffix of its endpoints.
type partition struct {
	dnsSuffix string
	regions   []string
}

// partitions lists the regions of every AWS partition that the AWS provider this module
// is tested with (hashicorp/aws 5.x) knows. It is the one table behind ValidateRegion,
// Partition and DNSSuffix; docs/naming.md shows it. A region AWS opens later is refused
// until it is added here (the provider itself refuses it until it learns it, unless
// skip_region_validation is set).
var partitions = map[string]partition{
	"aws": {"amazonaws.com", []string{
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
	}},
	"aws-cn":     {"amazonaws.com.cn", []string{"cn-north-1", "cn-northwest-1"}},
	"aws-us-gov": {"amazonaws.com", []string{"us-gov-east-1", "us-gov-west-1"}},
	"aws-iso":    {"c2s.ic.gov", []string{"us-iso-east-1", "us-iso-west-1"}},
	"aws-iso-b":  {"sc2s.sgov.gov", []string{"us-isob-east-1"}},
	"aws-iso-e":  {"cloud.adc-e.uk", []string{"eu-isoe-west-1"}},
	"aws-iso-f":  {"csp.hci.ic.gov", []string{"us-isof-east-1", "us-isof-south-1"}},
	"aws-eusc":   {"amazonaws.eu", []string{"eusc-de-east-1"}},
}

var regionPartition = func() map[string]string {
	out := map[string]string{}
	for p, part := range partitions {
		for _, r := range part.regions {
			out[r] = p
		}
	}
	return out
}()

// Regions returns every region ValidateRegion accepts, sorted. It returns a new slice.
func Regions() []string {
	out := make([]string, 0, len(regionPartition))
	for r := range regionPartition {
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}

// Partitions returns the partitions, sorted ("aws", "aws-cn", ...). It returns a new
// slice.
func Partitions() []string {
	out := make([]string, 0, len(partitions))
	for p := range partitions {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// RegionsOf returns the regions of partition p, sorted, or nil for an unknown
// partition. It returns a new slice.
func RegionsOf(p string) []string {
	out := append([]string(nil), partitions[p].regions...)
	sort.Strings(out)
	return out
}

// Partition returns the partition of region ("aws", "aws-cn", "aws-us-gov", ...), or ""
// for a region that is not in the table.
func Partition(region string) string { return regionPartition[region] }

// DNSSuffix returns the DNS suffix of the endpoints of partition p ("amazonaws.com",
// "amazonaws.com.cn", ...), or "" for an unknown partition.
func DNSSuffix(p string) string { return partitions[p].dnsSuffix }

// LongestRegion returns the longest region name: names that carry a region are checked
// at their longest before the region is known.
func LongestRegion() string { return longestRegion }

var longestRegion = func() string {
	out := ""
	for _, r := range Regions() {
		if len(r) > len(out) {
			out = r
		}
	}
	return out
}()

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
