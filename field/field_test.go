package field_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tapstack/infra/field"
)

func TestError(t *testing.T) {
	for _, tt := range []struct {
		e    field.Error
		want string
	}{
		{field.Error{Field: "CIDR", Value: "10.0.0.0/33", Reason: "is not an IPv4 CIDR block"}, `CIDR "10.0.0.0/33" is not an IPv4 CIDR block`},
		{field.Error{Field: "AZCount", Value: "-1", Reason: "must be at least 1"}, `AZCount -1 must be at least 1`},
		{field.Error{Field: "Network", Reason: "is required"}, `Network is required`},
		{field.Error{Field: "Image", Value: strings.Repeat("x", 200), Reason: "is bad"}, `Image "` + strings.Repeat("x", 100) + `"... (200 characters) is bad`},
	} {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

func TestList(t *testing.T) {
	var l field.List
	if l.Err() != nil || l.Len() != 0 {
		t.Fatal("an empty list reports problems")
	}
	l.Add("A", "x", "is bad")
	l.Addf("B", "", "needs %d", 2)
	l.Check("C", "v", errors.New(`"v" is not a thing`))
	l.Check("D", "", errors.New("something else"))
	l.Check("E", "ok", nil)
	var inner field.List
	inner.Add("VPCID", "vpc-1", "is not a VPC ID")
	l.Include("Network", errors.Join(inner.Err(), errors.New("not a field error")))
	want := []string{`A "x" is bad`, `B needs 2`, `C "v" is not a thing`, `D something else`, `Network.VPCID "vpc-1" is not a VPC ID`, `not a field error`}
	var got []string
	for _, e := range field.Split(l.Err()) {
		got = append(got, e.Error())
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	if l.Len() != 6 || len(field.Errors(l.Err())) != 5 {
		t.Errorf("Len %d, %d field errors", l.Len(), len(field.Errors(l.Err())))
	}
	if field.Split(nil) != nil || field.Errors(nil) != nil {
		t.Error("nil has problems")
	}
}

func TestRename(t *testing.T) {
	var l field.List
	l.Add("VPCID", "vpc-1", "is not a VPC ID")
	l.Add("PublicSubnetIDs[1]", "sub", "is not a subnet ID")
	l.Add("PrivateSubnetIDs", "", "has 1 subnet(s); give PublicSubnetIDs too")
	l.Add("CIDR", "x", "is bad")
	l.Add("VPCIDs", "x", "is another field") // not under "VPCID"
	err := field.Rename(errors.Join(l.Err(), fmt.Errorf("plain")), "Network", map[string]string{
		"VPCID": "Platform.VPCID", "PublicSubnetIDs": "Platform.PublicSubnetIDs", "PrivateSubnetIDs": "Platform.PrivateSubnetIDs",
	})
	var got []string
	for _, e := range field.Split(err) {
		got = append(got, e.Error())
	}
	want := []string{
		`Platform.VPCID "vpc-1" is not a VPC ID`,
		`Platform.PublicSubnetIDs[1] "sub" is not a subnet ID`,
		`Platform.PrivateSubnetIDs has 1 subnet(s); give Platform.PublicSubnetIDs too`,
		`Network.CIDR "x" is bad`,
		`Network.VPCIDs "x" is another field`,
		`plain`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("renamed (-want +got):\n%s", diff)
	}
	if field.Index("A", 2) != "A[2]" || field.Key("S", "K") != `S["K"]` {
		t.Error("Index, Key")
	}
}

func TestRenameInText(t *testing.T) {
	names := map[string]string{"StateBucket": "TERRAFORM_STATE_BUCKET", "StateBucketRegion": "TERRAFORM_STATE_BUCKET_REGION",
		"AllowLocalState": "ALLOW_LOCAL_STATE", "NAT": "CREATE_NAT_GATEWAY", "ARN": "Platform.ListenerARN", "Platform.VPCID": "PLATFORM_VPC_ID"}
	for in, want := range map[string]string{
		"set StateBucket, or set AllowLocalState to true":         "set TERRAFORM_STATE_BUCKET, or set ALLOW_LOCAL_STATE to true",
		"StateBucketRegion differs from StateBucket":              "TERRAFORM_STATE_BUCKET_REGION differs from TERRAFORM_STATE_BUCKET",
		"enable NAT (network.Config.NAT = NATSingle)":             "enable NAT (network.Config.NAT = NATSingle)",
		"is not a listener ARN":                                   "is not a listener ARN",
		"give Platform.VPCID, not MyStateBucket or StateBucketsX": "give PLATFORM_VPC_ID, not MyStateBucket or StateBucketsX",
		"(StateBucket)": "(TERRAFORM_STATE_BUCKET)",
	} {
		if got := field.RenameInText(in, names); got != want {
			t.Errorf("RenameInText(%q) = %q, want %q", in, got, want)
		}
	}
}

func ExampleRename() {
	var l field.List
	l.Add("VPCID", "vpc-1", "is not a VPC ID")
	l.Add("CIDR", "10.0.0.0/8", "has a prefix out of range")
	fmt.Println(field.Rename(l.Err(), "Network", map[string]string{"VPCID": "ExistingVPCID"}))
	// Output:
	// ExistingVPCID "vpc-1" is not a VPC ID
	// Network.CIDR "10.0.0.0/8" has a prefix out of range
}
