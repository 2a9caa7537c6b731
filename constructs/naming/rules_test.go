package naming_test

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/tapstack/infra/constructs/naming"
)

func hashOf(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])[:naming.HashLength]
}

func TestCheck(t *testing.T) {
	tests := []struct {
		kind    naming.Kind
		name    string
		wantErr string
	}{
		{naming.LoadBalancer, "lms-alb-stage", ""},
		{naming.LoadBalancer, strings.Repeat("a", 32), ""},
		{naming.LoadBalancer, strings.Repeat("a", 33), "33 characters, over the limit of 32"},
		{naming.LoadBalancer, "internal-alb", `must not start with "internal-"`},
		{naming.LoadBalancer, "-alb", "must not start or end with '-'"},
		{naming.LoadBalancer, "alb-", "must not start or end with '-'"},
		{naming.LoadBalancer, "lms_alb", "outside [A-Z a-z 0-9 -]"},
		{naming.TargetGroup, "lms-tg-stage", ""},
		{naming.TargetGroup, "internal-tg", ""},
		{naming.TargetGroup, "tg-", "must not start or end"},
		{naming.ServerlessCache, "lms-redis-stage", ""},
		{naming.ServerlessCache, "Lms-redis", "outside [a-z 0-9 -]"},
		{naming.ServerlessCache, "1redis", "must start with a letter"},
		{naming.ServerlessCache, "lms--redis", "must not contain '--'"},
		{naming.ServerlessCache, strings.Repeat("a", 41), "over the limit of 40"},
		{naming.IAMRole, "lms-ecs-task-execution-role-stage", ""},
		{naming.IAMRole, "role with space", "outside"},
		{naming.IAMRole, strings.Repeat("r", 65), "over the limit of 64"},
		{naming.Secret, "lms/stage/db-credentials", ""},
		{naming.Secret, "lms-db-pr4892-123456", "must not end in '-' plus 6 characters"},
		{naming.Secret, "lms/db#1", "outside"},
		{naming.LogGroup, "/ecs/lms-stage", ""},
		{naming.LogGroup, "/ecs/lms stage", "outside"},
		{naming.ECSCluster, "lms-cluster-stage", ""},
		{naming.ECSService, "lms/service", "outside"},
		{naming.TaskFamily, strings.Repeat("f", 256), "over the limit of 255"},
		{naming.SecurityGroup, "lms-alb-sg-stage", ""},
		{naming.SecurityGroup, "SG-alb", `must not start with "sg-"`},
		{naming.SecurityGroup, "alb sg (public)", ""},
		{naming.SecurityGroup, "", "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.kind.String()+"/"+tt.name, func(t *testing.T) {
			checkErr(t, naming.Check(tt.kind, tt.name), tt.wantErr)
		})
	}
}

func TestFit(t *testing.T) {
	long := "lms-alb-" + strings.Repeat("x", 40)
	tests := []struct {
		kind    naming.Kind
		name    string
		want    string
		wantErr string
	}{
		{naming.LoadBalancer, "lms-alb-stage", "lms-alb-stage", ""},
		{naming.LoadBalancer, long, long[:26] + "-" + hashOf(long), ""},
		// A cut that lands on a hyphen does not leave "--" or a trailing hyphen behind.
		{naming.ServerlessCache, "lms-redis-" + strings.Repeat("a", 24) + "-bbbbbbbbbb", "lms-redis-" + strings.Repeat("a", 24) + "-" + hashOf("lms-redis-"+strings.Repeat("a", 24)+"-bbbbbbbbbb"), ""},
		{naming.LoadBalancer, "", "", "empty"},
		{naming.LoadBalancer, "bad_name", "", "outside"},
		{naming.LoadBalancer, strings.Repeat("-", 40), "", "must not start or end"},
		{naming.Secret, "lms/" + strings.Repeat("s", 600), "lms/" + strings.Repeat("s", 502) + "-" + hashOf("lms/"+strings.Repeat("s", 600)), ""},
		// Bucket names follow awsid's one rule (naming and the checks of inputs agree).
		{naming.S3Bucket, "lms-media-stage", "lms-media-stage", ""},
		{naming.S3Bucket, "lms..media", "", `"lms..media" is not an S3 bucket name: "..", ".-" and "-." are not allowed`},
		{naming.S3Bucket, "lms-media-s3alias", "", `reserves the suffix "-s3alias"`},
		{naming.S3Bucket, "192.168.1.1", "", "shaped like an IP address"},
		{naming.IAMRole, "lms role", "", `"lms role" is not an IAM role name`},
	}
	for _, tt := range tests {
		t.Run(tt.kind.String()+"/"+tt.name, func(t *testing.T) {
			got, err := naming.Fit(tt.kind, tt.name)
			checkErr(t, err, tt.wantErr)
			if got != tt.want {
				t.Errorf("Fit = %q, want %q", got, tt.want)
			}
			if err == nil {
				if err := naming.Check(tt.kind, got); err != nil {
					t.Errorf("Fit produced an invalid name: %v", err)
				}
			}
		})
	}
}

func TestFitCannotShorten(t *testing.T) {
	// A valid security group name whose cut leaves only "sg": the short form would
	// start with the forbidden "sg-". Fit must refuse it rather than return it.
	name := "sg" + strings.Repeat("_", 300)
	if err := naming.Check(naming.SecurityGroup, name[:255]); err != nil {
		t.Fatalf("precondition: the name's shape is valid, got %v", err)
	}
	_, err := naming.Fit(naming.SecurityGroup, name)
	checkErr(t, err, `cannot be shortened to 255 characters: "sg-`)
}

// TestAWSLimits pins each kind's limits to AWS's documented values, independently of
// the rules table: a table entry that drifts (a target group allowed 33 characters)
// fails here, even though Fit and Check agree with the table.
func TestAWSLimits(t *testing.T) {
	limits := map[naming.Kind]int{
		naming.LoadBalancer: 32, naming.TargetGroup: 32, naming.ServerlessCache: 40, naming.IAMRole: 64,
		naming.Secret: 512, naming.LogGroup: 512, naming.ECSCluster: 255, naming.ECSService: 255,
		naming.TaskFamily: 255, naming.SecurityGroup: 255, naming.SQSQueue: 80, naming.SNSTopic: 256,
		naming.DynamoDBTable: 255, naming.LambdaFunction: 64, naming.S3Bucket: 63,
	}
	if len(limits) != len(naming.Kinds()) {
		t.Fatalf("%d limits pinned for %d kinds", len(limits), len(naming.Kinds()))
	}
	for k, limit := range limits {
		ok := strings.Repeat("a", limit)
		if err := naming.Check(k, ok); err != nil {
			t.Errorf("%v: %d characters refused: %v", k, limit, err)
		}
		if err := naming.Check(k, ok+"a"); err == nil {
			t.Errorf("%v: %d characters accepted, AWS allows %d", k, limit+1, limit)
		}
		got, err := naming.Fit(k, ok+"-"+strings.Repeat("b", 40))
		if err != nil || len(got) != limit {
			t.Errorf("%v: Fit shortened to %q (%d), %v; want %d characters", k, got, len(got), err, limit)
		}
	}
	scopes := map[naming.Kind]naming.Scope{
		naming.LoadBalancer: naming.ScopeRegion, naming.TargetGroup: naming.ScopeRegion, naming.ServerlessCache: naming.ScopeRegion,
		naming.IAMRole: naming.ScopeAccount, naming.Secret: naming.ScopeRegion, naming.LogGroup: naming.ScopeRegion,
		naming.ECSCluster: naming.ScopeRegion, naming.ECSService: naming.ScopeCluster, naming.TaskFamily: naming.ScopeRegion,
		naming.SecurityGroup: naming.ScopeVPC,
	}
	for k, want := range scopes {
		if got := k.Rule().Unique; got != want {
			t.Errorf("%v: unique per %v, want %v", k, got, want)
		}
	}
	if !naming.IAMRole.Rule().CaseInsensitive {
		t.Error("IAM role names are case-insensitive in AWS")
	}
}

func TestKindStringAndRule(t *testing.T) {
	seen := map[string]bool{}
	for _, k := range naming.Kinds() {
		if seen[k.String()] || strings.HasPrefix(k.String(), "Kind(") {
			t.Errorf("kind %d has name %q", int(k), k.String())
		}
		seen[k.String()] = true
		if r := k.Rule(); r.Kind != k || r.MaxLength == 0 || r.Pattern == nil {
			t.Errorf("%v: incomplete rule %+v", k, r)
		}
	}
	if got := naming.Kind(99).String(); got != "Kind(99)" {
		t.Errorf("unknown kind String() = %q", got)
	}
	defer func() {
		if recover() == nil {
			t.Error("Rule() of an unknown kind did not panic")
		}
	}()
	naming.Kind(99).Rule()
}

// FuzzNames asserts that for any environment name, component and purpose word, with a
// pinned suffix or one kept in state, every name is valid for its kind or an error, and
// the same inputs give the same name.
func FuzzNames(f *testing.F) {
	for _, s := range []struct{ env, comp, purpose string }{
		{"stage", "", "alb"}, {"pr4892", "web", "redis"}, {"prod", "worker-2", "db-credentials"},
		{"pr" + strings.Repeat("1", 30), "frontend-edge", "ecs-task-execution-role"}, {"a", "x", strings.Repeat("x", 600)},
		{"dev-1", "", "-"}, {"x", "", "sg-"}, {"pr1", "", "abcdef"},
	} {
		f.Add(s.env, s.comp, s.purpose)
	}
	f.Fuzz(func(t *testing.T, envName, comp, purpose string) {
		pinned, err := naming.NewEnvironment(envName, naming.Options{Timestamp: "123456"})
		if err != nil {
			return
		}
		if naming.ValidateEnvironmentName(envName) != nil {
			t.Fatalf("NewEnvironment accepted invalid name %q", envName)
		}
		kept := naming.MustEnvironment(envName, naming.Options{Clock: func() time.Time { return time.Unix(123456, 0) }})
		for _, env := range []naming.Environment{pinned, kept} {
			id, err := env.Identity(comp)
			if err != nil {
				return
			}
			id = id.WithRegion("us-isof-south-1")
			for _, k := range naming.Kinds() {
				for _, build := range []func(naming.Kind, string) (string, error){id.Resource, id.Path} {
					name, err := build(k, purpose)
					if err != nil {
						continue
					}
					if err := naming.Check(k, name); err != nil {
						t.Fatalf("env %q component %q purpose %q: %v", envName, comp, purpose, err)
					}
					if env.StampKept() && !strings.Contains(name, "123456") {
						t.Fatalf("%v name %q lost the kept suffix", k, name)
					}
					if again, _ := build(k, purpose); again != name {
						t.Fatalf("unstable name: %q then %q", name, again)
					}
				}
			}
		}
	})
}

// FuzzFit asserts that Fit either errors or returns a valid name, for any input.
func FuzzFit(f *testing.F) {
	for _, s := range []string{"lms-alb-stage", strings.Repeat("a-", 40), "internal-x", "sg-1", "/ecs/lms", "x-abcdef"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		for _, k := range naming.Kinds() {
			got, err := naming.Fit(k, name)
			if err != nil {
				continue
			}
			if err := naming.Check(k, got); err != nil {
				t.Fatalf("Fit(%v, %q) = %q: %v", k, name, got, err)
			}
		}
	})
}
