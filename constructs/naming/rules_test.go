package naming_test

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

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
	// Only separators before the cut: the shortened name would start with '-'.
	_, err := naming.Fit(naming.LoadBalancer, "a"+strings.Repeat(".", 40))
	if err == nil {
		t.Fatal("no error")
	}
	name := strings.Repeat("a", 1) + strings.Repeat("-", 30) + "b" + strings.Repeat("c", 10)
	_, err = naming.Fit(naming.ServerlessCache, name)
	checkErr(t, err, "must not contain '--'")
}

func TestKindStringAndRule(t *testing.T) {
	seen := map[string]bool{}
	for _, k := range naming.Kinds {
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

// FuzzNames asserts that for any environment name and component, either an error is
// returned or every produced name satisfies its kind's rule.
func FuzzNames(f *testing.F) {
	for _, s := range []struct{ env, comp string }{
		{"stage", "alb"}, {"pr4892", "redis"}, {"prod", "db-credentials"},
		{"pr" + strings.Repeat("1", 30), "ecs-task-execution-role"}, {"a", strings.Repeat("x", 600)},
		{"dev-1", "-"}, {"x", "sg-"}, {"pr1", "abcdef"},
	} {
		f.Add(s.env, s.comp)
	}
	f.Fuzz(func(t *testing.T, envName, comp string) {
		env, err := naming.NewEnvironment(envName, naming.Options{Timestamp: "123456"})
		if err != nil {
			return
		}
		if naming.ValidateEnvironmentName(envName) != nil {
			t.Fatalf("NewEnvironment accepted invalid name %q", envName)
		}
		for _, k := range naming.Kinds {
			for _, build := range []func(naming.Kind, string) (string, error){env.Resource, env.Path} {
				name, err := build(k, comp)
				if err != nil {
					continue
				}
				if err := naming.Check(k, name); err != nil {
					t.Fatalf("env %q component %q: %v", envName, comp, err)
				}
				again, _ := build(k, comp)
				if again != name {
					t.Fatalf("unstable name: %q then %q", name, again)
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
		for _, k := range naming.Kinds {
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
