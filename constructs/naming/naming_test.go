package naming_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tapstack/infra/constructs/naming"
)

func TestIsPullRequest(t *testing.T) {
	cases := map[string]bool{
		"pr4892": true, "pr1": true, "pr12345678901234567890": true,
		"prod": false, "pr": false, "pr12a": false, "PR12": false, "preview": false,
		"stage": false, "xpr12": false, "pr-12": false, "pr12-": false, "": false,
	}
	for name, want := range cases {
		if got := naming.IsPullRequest(name); got != want {
			t.Errorf("IsPullRequest(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestValidateEnvironmentName(t *testing.T) {
	tests := []struct {
		name    string
		wantErr string // substring; "" means valid
	}{
		{"stage", ""},
		{"prod", ""},
		{"pr4892", ""},
		{"dev-eu-1", ""},
		{strings.Repeat("a", naming.MaxEnvironmentLength), ""},
		{"", "empty"},
		{"Stage", `"Stage" must match ^[a-z][a-z0-9-]*$`},
		{"1stage", `"1stage" must match`},
		{"st_age", `"st_age" must match`},
		{"stage-", `must not end with '-'`},
		{"st--age", `must not contain '--'`},
		{strings.Repeat("a", naming.MaxEnvironmentLength+1), "over the limit of 32"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkErr(t, naming.ValidateEnvironmentName(tt.name), tt.wantErr)
		})
	}
}

func checkErr(t *testing.T, err error, want string) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Fatalf("unexpected error: %v", err)
	case want != "" && err == nil:
		t.Fatalf("no error, want one containing %q", want)
	case want != "" && !strings.Contains(err.Error(), want):
		t.Fatalf("error %q does not contain %q", err, want)
	}
}

func fixedClock(unix int64) func() time.Time {
	return func() time.Time { return time.Unix(unix, 0) }
}

func TestNewEnvironment(t *testing.T) {
	type view struct {
		Name, ID, Timestamp, Prefix, Stack, Key string
		PR, Prod                                bool
	}
	tests := []struct {
		desc string
		name string
		opts naming.Options
		want view
	}{
		{"default stage", "stage", naming.Options{},
			view{"stage", "stage", "", "lms-stage", "TapStackstage", "stage/TapStackstage.tfstate", false, false}},
		{"prod is not a PR", "prod", naming.Options{Timestamp: "123456"},
			view{"prod", "prod", "", "lms-prod", "TapStackprod", "prod/TapStackprod.tfstate", false, true}},
		{"pinned PR suffix", "pr4892", naming.Options{Timestamp: "123456"},
			view{"pr4892", "pr4892-123456", "123456", "lms-pr4892-123456", "TapStackpr4892", "pr4892/TapStackpr4892.tfstate", true, false}},
		{"clock PR suffix is zero padded", "pr7", naming.Options{Clock: fixedClock(1_700_000_042)},
			view{"pr7", "pr7-000042", "000042", "lms-pr7-000042", "TapStackpr7", "pr7/TapStackpr7.tfstate", true, false}},
		{"pinned value wins over clock", "pr7", naming.Options{Timestamp: "654321", Clock: fixedClock(1)},
			view{"pr7", "pr7-654321", "654321", "lms-pr7-654321", "TapStackpr7", "pr7/TapStackpr7.tfstate", true, false}},
		{"custom project", "stage", naming.Options{Project: "shop"},
			view{"stage", "stage", "", "shop-stage", "TapStackstage", "stage/TapStackstage.tfstate", false, false}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			e, err := naming.NewEnvironment(tt.name, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			got := view{e.Name(), e.ID(), e.Timestamp(), e.Prefix(), e.StackName("TapStack"), e.StateKey(e.StackName("TapStack")), e.IsPullRequest(), e.IsProduction()}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("environment mismatch (-want +got):\n%s", diff)
			}
			if e.String() != e.ID() || e.IsZero() {
				t.Errorf("String() = %q, IsZero() = %v", e.String(), e.IsZero())
			}
		})
	}
}

func TestNewEnvironmentDefaultClock(t *testing.T) {
	before := time.Now()
	e, err := naming.NewEnvironment("pr1", naming.Options{})
	if err != nil {
		t.Fatal(err)
	}
	after := time.Now()
	if s := e.Timestamp(); s != naming.TimestampAt(before) && s != naming.TimestampAt(after) {
		t.Errorf("Timestamp() = %q, want the current time %q", s, naming.TimestampAt(before))
	}
}

// TestClockBefore1970: a clock before 1970 is refused, not turned into a 7-character
// suffix; TimestampAt stays six digits for any time.
func TestClockBefore1970(t *testing.T) {
	_, err := naming.NewEnvironment("pr1", naming.Options{Clock: func() time.Time { return time.Unix(-123456, 0) }})
	if err == nil || !strings.Contains(err.Error(), "the clock reads 1969-12-30T13:42:24Z, before 1970") {
		t.Errorf("err = %v", err)
	}
	for _, unix := range []int64{-123456, -1, 0, 999_999, 1_700_000_042} {
		if s := naming.TimestampAt(time.Unix(unix, 0)); naming.ValidateTimestamp(s) != nil {
			t.Errorf("TimestampAt(%d) = %q", unix, s)
		}
	}
}

func TestNewEnvironmentErrors(t *testing.T) {
	tests := []struct {
		desc, name string
		opts       naming.Options
		want       []string
	}{
		{"bad name", "Prod", naming.Options{}, []string{`environment name "Prod"`}},
		{"malformed pin is an error, not replaced", "pr1", naming.Options{Timestamp: "12345"}, []string{`PR timestamp suffix "12345" must be exactly 6 digits`}},
		{"letters in pin", "pr1", naming.Options{Timestamp: "12345a"}, []string{`"12345a"`}},
		{"bad project", "stage", naming.Options{Project: "My-App"}, []string{`project "My-App"`}},
		{"every problem at once", "Bad", naming.Options{Project: "toolongprojectname"}, []string{`environment name "Bad"`, `project "toolongprojectname"`}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			_, err := naming.NewEnvironment(tt.name, tt.opts)
			for _, w := range tt.want {
				checkErr(t, err, w)
			}
		})
	}
}

func TestMustEnvironmentPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("MustEnvironment did not panic on a bad name")
		}
	}()
	naming.MustEnvironment("BAD", naming.Options{})
}

func TestZeroEnvironment(t *testing.T) {
	if !(naming.Environment{}).IsZero() {
		t.Error("zero Environment: IsZero() = false")
	}
}

func TestResourceNames(t *testing.T) {
	stage := naming.MustEnvironment("stage", naming.Options{})
	pr := naming.MustEnvironment("pr4892", naming.Options{Timestamp: "123456"})
	longPR := naming.MustEnvironment("pr"+strings.Repeat("9", 30), naming.Options{Timestamp: "123456"})
	longALB := "lms-alb-pr" + strings.Repeat("9", 30) + "-123456"
	longCache := "lms-redis-pr" + strings.Repeat("9", 30) + "-123456"
	tests := []struct {
		env  naming.Environment
		kind naming.Kind
		comp string
		want string
	}{
		{stage, naming.LoadBalancer, "alb", "lms-alb-stage"},
		{pr, naming.LoadBalancer, "alb", "lms-alb-pr4892-123456"},
		{pr, naming.ECSCluster, "cluster", "lms-cluster-pr4892-123456"},
		{pr, naming.ServerlessCache, "redis", "lms-redis-pr4892-123456"},
		// Long PR numbers are cut to the limit and keep a stable hash of the full name.
		{longPR, naming.LoadBalancer, "alb", longALB[:26] + "-" + hashOf(longALB)},
		{longPR, naming.ServerlessCache, "redis", longCache[:34] + "-" + hashOf(longCache)},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			got, err := tt.env.Resource(tt.kind, tt.comp)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("Resource(%v, %q) = %q, want %q", tt.kind, tt.comp, got, tt.want)
			}
			if err := naming.Check(tt.kind, got); err != nil {
				t.Errorf("produced name is invalid: %v", err)
			}
		})
	}
}

func TestLabel(t *testing.T) {
	pr := naming.MustEnvironment("pr4892", naming.Options{Timestamp: "123456"})
	if got := pr.Label("vpc"); got != "lms-vpc-pr4892-123456" {
		t.Errorf("Label = %q", got)
	}
}

func TestPathNames(t *testing.T) {
	pr := naming.MustEnvironment("pr4892", naming.Options{Timestamp: "123456"})
	got, err := pr.Path(naming.Secret, "db-credentials")
	if err != nil || got != "lms/pr4892-123456/db-credentials" {
		t.Errorf("Path = %q, %v", got, err)
	}
	// A component that ends like an ARN suffix is rejected, not emitted.
	if _, err := pr.Path(naming.Secret, "db-abcdef"); err == nil {
		t.Error("Path(Secret, \"db-abcdef\") gave no error")
	}
}

func TestStableAcrossCalls(t *testing.T) {
	// Two environments built alike give the same names, also when the names must be
	// shortened. Each call must succeed: two equal errors would prove nothing.
	a := naming.MustEnvironment("pr4892", naming.Options{Timestamp: "000001"})
	b := naming.MustEnvironment("pr4892", naming.Options{Timestamp: "000001"})
	long := strings.Repeat("purpose", 100)
	for _, k := range naming.Kinds() {
		ia, _ := a.Identity("web")
		ib, _ := b.Identity("web")
		build := naming.Identity.Resource
		if k == naming.Secret { // a secret ending in the suffix would look like an ARN's
			build = naming.Identity.Path
		}
		x, errX := build(ia.WithRegion("eu-west-1"), k, long)
		y, errY := build(ib.WithRegion("eu-west-1"), k, long)
		if errX != nil || errY != nil {
			t.Fatalf("%v: %v / %v", k, errX, errY)
		}
		if x != y || len(x) != k.Rule().MaxLength {
			t.Errorf("%v: %q vs %q", k, x, y)
		}
	}
}

func TestTags(t *testing.T) {
	e := naming.MustEnvironment("pr12", naming.Options{Timestamp: "123456"})
	want := map[string]string{"Project": "lms", "Environment": "pr12", "ManagedBy": "cdktf"}
	if diff := cmp.Diff(want, e.Tags()); diff != "" {
		t.Errorf("Tags (-want +got):\n%s", diff)
	}
}

func TestProfile(t *testing.T) {
	tests := []struct {
		env  string
		want naming.Profile
	}{
		{"pr4892", naming.Profile{NAT: false, SecretRecoveryDays: 0, DeletionProtection: false, LogRetentionDays: 3, ForceDelete: true, FargateSpot: true}},
		{"prod", naming.Profile{NAT: true, SecretRecoveryDays: 30, DeletionProtection: true, LogRetentionDays: 365}},
		{"production", naming.Profile{NAT: true, SecretRecoveryDays: 30, DeletionProtection: true, LogRetentionDays: 365}},
		{"stage", naming.Profile{NAT: true, SecretRecoveryDays: 7, DeletionProtection: true, LogRetentionDays: 30}},
	}
	for _, tt := range tests {
		t.Run(tt.env, func(t *testing.T) {
			got := naming.MustEnvironment(tt.env, naming.Options{Timestamp: "123456"}).Profile()
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Profile (-want +got):\n%s", diff)
			}
		})
	}
}
