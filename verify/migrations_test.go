package verify

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The migrations docs/lifecycle.md recommends, planned from stacks the apps synthesized
// (testdata/migrations, written by the current code with):
//
//	ENVIRONMENT_SUFFIX=pr4892 go run ./cmd/tapstack                              # pr4892-unpinned
//	ENVIRONMENT_SUFFIX=pr123456789012 go run ./cmd/tapstack                      # pr123456789012-unpinned
//	ENVIRONMENT_SUFFIX=pr123456789012 PR_TIMESTAMP_SUFFIX=123456 go run ./cmd/tapstack # pr123456789012-pinned
//	ENVIRONMENT_SUFFIX=pr4892 PR_TIMESTAMP_SUFFIX=123456 PLATFORM_LISTENER_ARN=... PREVIEW_DOMAIN=preview.example.com \
//	    go run ./cmd/tapstack                                                   # pr4892-platform
//
// (the platform variables of the Makefile's scan); the pinned pr4892 is the golden of
// examples/tapstack. Each used to fail with a Cycle: a real apply records
// create_before_destroy on the dependencies of a create-before-destroy resource, and the
// fake state did not.

func migration(t testing.TB, name string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "migrations", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// summary is a report as counts and the types of what is created and deleted.
type summary struct {
	Create, Update, Replace, Delete int
	Created, Deleted                []string
}

func summarize(r *Report) summary {
	s := summary{Create: r.Count(Create), Update: r.Count(Update), Replace: r.Count(Replace), Delete: r.Count(Delete)}
	for _, c := range r.Changes {
		switch c.Action {
		case Create:
			s.Created = append(s.Created, c.Type)
		case Delete:
			s.Deleted = append(s.Deleted, c.Type)
		}
	}
	sort.Strings(s.Created)
	sort.Strings(s.Deleted)
	return s
}

// renamed checks a rename of a PR environment: every named resource of the TapStack's
// stateful kinds replaced, by its name, and the suffix resource deleted or created.
func renamed(t *testing.T, r *Report) {
	t.Helper()
	for _, typ := range []string{"aws_elasticache_serverless_cache", "aws_secretsmanager_secret", "aws_cloudwatch_log_group", "aws_lb", "aws_ecs_cluster", "aws_iam_role"} {
		got := r.Replaced(typ)
		if len(got) == 0 {
			t.Errorf("no %s replaced:\n%s", typ, r)
		}
		for _, c := range got {
			if !strings.Contains(strings.Join(c.ReplacePaths, ","), "name") {
				t.Errorf("%s replaced by %v, want its name among them", c.Address, c.ReplacePaths)
			}
		}
	}
	for _, c := range r.Replaced("aws_security_group", "aws_lb_target_group") {
		if !c.CreateBeforeDestroy {
			t.Errorf("%s is destroyed before its replacement exists", c.Address)
		}
	}
}

// TestMigrations plans the recommended migrations: they plan (no Cycle), with these
// verdicts.
func TestMigrations(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name          string
		before, after func(t *testing.T) (*Deployment, []byte)
		want          summary
		check         func(t *testing.T, r *Report)
	}{
		{
			name: "an unpinned PR environment moved to a pin",
			before: func(t *testing.T) (*Deployment, []byte) {
				return deployRaw(t, migration(t, "pr4892-unpinned")), golden(t, "pr4892")
			},
			want:  summary{Create: 0, Update: 10, Replace: 30, Delete: 1, Deleted: []string{"terraform_data"}},
			check: renamed,
		},
		{
			name: "the same with long, shortened names",
			before: func(t *testing.T) (*Deployment, []byte) {
				return deployRaw(t, migration(t, "pr123456789012-unpinned")), migration(t, "pr123456789012-pinned")
			},
			want:  summary{Create: 0, Update: 10, Replace: 30, Delete: 1, Deleted: []string{"terraform_data"}},
			check: renamed,
		},
		{
			name: "a standalone PR stack moved onto the shared platform",
			before: func(t *testing.T) (*Deployment, []byte) {
				return deployment(t, "pr4892"), migration(t, "pr4892-platform")
			},
			want: summary{Create: 1, Update: 0, Replace: 11, Delete: 26, Created: []string{"aws_lb_listener_rule"},
				Deleted: []string{"aws_default_security_group", "aws_ecs_cluster", "aws_ecs_cluster_capacity_providers", "aws_flow_log", "aws_iam_role", "aws_iam_role_policy",
					"aws_internet_gateway", "aws_lb", "aws_lb_listener", "aws_route", "aws_route_table", "aws_route_table",
					"aws_route_table", "aws_route_table_association", "aws_route_table_association", "aws_route_table_association",
					"aws_route_table_association", "aws_security_group", "aws_subnet", "aws_subnet", "aws_subnet", "aws_subnet",
					"aws_vpc", "aws_vpc_security_group_egress_rule", "aws_vpc_security_group_ingress_rule", "aws_cloudwatch_log_group"}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d, after := tc.before(t)
			r, err := d.Plan(ctx, after)
			if err != nil {
				t.Fatal(err)
			}
			sort.Strings(tc.want.Deleted)
			if diff := cmp.Diff(tc.want, summarize(r)); diff != "" {
				t.Errorf("verdict (-want +got):\n%s\n%s", diff, r)
			}
			if tc.check != nil {
				tc.check(t, r)
			}
		})
	}
}

// deployRaw fake-applies a stack for the test and closes the deployment after it.
func deployRaw(t *testing.T, raw []byte) *Deployment {
	t.Helper()
	requireEngine(t)
	d, err := Deploy(context.Background(), raw, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	return d
}
