package tapstack_test

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tapstack/infra/constructs/cache"
	"github.com/tapstack/infra/constructs/lmsservice"
	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/constructs/network"
	"github.com/tapstack/infra/examples/tapstack"
	"github.com/tapstack/infra/internal/apptest"
	"github.com/tapstack/infra/internal/tapstackapp"
	"github.com/tapstack/infra/internal/testutil"
	"github.com/tapstack/infra/verify"
)

// lifecycleDoc is the page the lifecycle matrix writes (UPDATE_GOLDEN=1) and checks.
const lifecycleDoc = "../../docs/lifecycle.md"

// A lifecycleRow is one change a user makes to a deployed stack: the stack before, the
// stack after, and whether the change is routine (it must replace no stateful
// resource) or one of the changes that do replace, which docs/lifecycle.md lists.
type lifecycleRow struct {
	change, base string
	after        func(t *testing.T) []byte
	routine      bool
	// check, when set, holds further expectations on the verdict.
	check func(t *testing.T, r *verify.Report)
}

// synthRaw synthesizes the TapStack of cfg, optionally changed by extra, and returns its
// JSON.
func synthRaw(t *testing.T, cfg tapstack.Config, extra func(*tapstack.TapStack)) []byte {
	t.Helper()
	s := tapstack.New(testutil.NewApp(), cfg.StackName(), cfg)
	if extra != nil {
		extra(s)
	}
	return testutil.Synth(t, s).Raw
}

// prConfig is the unpinned PR environment pr4892 synthesized at a given time.
func prConfig(t *testing.T, unix int64, vars map[string]string) tapstack.Config {
	t.Helper()
	all := map[string]string{"ENVIRONMENT_SUFFIX": "pr4892"}
	for k, v := range vars {
		all[k] = v
	}
	cfg, err := tapstackapp.ConfigFromLookup(testutil.Lookup(all), testutil.ClockAt(unix))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// cacheStack is a network and a cache alone, for the changes of the cache itself.
func cacheStack(t *testing.T, azs int, engine cache.Engine, version string) []byte {
	return cacheStackNamed(t, azs, engine, version, "")
}

// cacheStackNamed is cacheStack with an explicit cache.Config.Name.
func cacheStackNamed(t *testing.T, azs int, engine cache.Engine, version, name string) []byte {
	t.Helper()
	stack := testutil.NewStackIn(testutil.NewApp(), "CacheStack", "ca-central-1")
	env := naming.MustEnvironment("stage", naming.Options{})
	net := network.New(stack, "Network", network.Config{Environment: env, NAT: network.NATNone, AZCount: azs})
	cache.New(stack, "Cache", cache.Config{Environment: env, Network: net, Engine: engine, MajorEngineVersion: version, Name: name, ConnectionSecret: true})
	return testutil.Synth(t, stack).Raw
}

// TestLifecycle plans, with the real AWS provider, what each change does to a deployed
// stack (verify: the first stack fake-applied, the second planned against it). No
// routine change replaces a stateful resource; the changes that do are listed in
// docs/lifecycle.md, which this test generates (UPDATE_GOLDEN=1) and keeps in step.
func TestLifecycle(t *testing.T) {
	requireEngine(t)
	stage := mustConfig(map[string]string{})
	with := func(f func(*tapstack.Config)) tapstack.Config {
		c := stage
		f(&c)
		return c
	}
	const first, later = 1_700_000_042, 1_700_650_000 // a week apart
	// The stacks before the changes, synthesized once, fake-applied once each.
	bases := map[string]func(t *testing.T) []byte{
		"stage": func(t *testing.T) []byte { return synthRaw(t, stage, nil) },
		"stage-limits": func(t *testing.T) []byte {
			return synthRaw(t, with(func(c *tapstack.Config) { c.EnableCacheLimits = true }), nil)
		},
		"pr": func(t *testing.T) []byte { return synthRaw(t, prConfig(t, first, nil), nil) },
		"pr-pinned": func(t *testing.T) []byte {
			return synthRaw(t, mustConfig(map[string]string{"ENVIRONMENT_SUFFIX": "pr4892", "PR_TIMESTAMP_SUFFIX": "123456"}), nil)
		},
		// An unpinned PR environment on the shared platform (the PLATFORM_* variables).
		"pr-attached":    func(t *testing.T) []byte { return synthRaw(t, prConfig(t, first, apptest.PlatformVars(nil)), nil) },
		"cache-redis":    func(t *testing.T) []byte { return cacheStack(t, 2, cache.EngineRedis, "7") },
		"cache-valkey-7": func(t *testing.T) []byte { return cacheStack(t, 2, cache.EngineValkey, "7") },
	}
	rows := []lifecycleRow{
		{change: "a later synth of the same PR environment, without a pin (a new push, a week later)", base: "pr", routine: true,
			after: func(t *testing.T) []byte { return synthRaw(t, prConfig(t, later, nil), nil) },
			check: func(t *testing.T, r *verify.Report) {
				if len(r.Changes) != 0 {
					t.Errorf("a new push changes the PR environment:\n%s", r)
				}
			}},
		{change: "`ENABLE_CACHE_LIMITS` off to on", base: "stage", routine: true,
			after: func(t *testing.T) []byte {
				return synthRaw(t, with(func(c *tapstack.Config) { c.EnableCacheLimits = true }), nil)
			}},
		{change: "`ENABLE_CACHE_LIMITS` on to off", base: "stage-limits", routine: true,
			after: func(t *testing.T) []byte { return synthRaw(t, stage, nil) }},
		{change: "`CREATE_NAT_GATEWAY` false to true in a PR environment", base: "pr", routine: true,
			after: func(t *testing.T) []byte {
				return synthRaw(t, prConfig(t, later, map[string]string{"CREATE_NAT_GATEWAY": "true"}), nil)
			}},
		{change: "a new image", base: "stage", routine: true,
			after: func(t *testing.T) []byte {
				return synthRaw(t, with(func(c *tapstack.Config) { c.Image = "public.ecr.aws/nginx/nginx:1.27" }), nil)
			}},
		{change: "new CPU and memory (256/512 to 512/1024)", base: "stage", routine: true,
			after: func(t *testing.T) []byte {
				return synthRaw(t, with(func(c *tapstack.Config) { c.CPU, c.Memory = 512, 1024 }), nil)
			}},
		{change: "a new container port (80 to 8080)", base: "stage", routine: true,
			after: func(t *testing.T) []byte {
				return synthRaw(t, with(func(c *tapstack.Config) { c.ContainerPort = 8080 }), nil)
			},
			check: func(t *testing.T, r *verify.Report) {
				// The port is in the target group's name: the new group never clashes with
				// the old one, which it replaces first.
				for _, c := range r.Replaced("aws_lb_target_group") {
					if !c.CreateBeforeDestroy || !slices.Contains(c.ReplacePaths, "name") {
						t.Errorf("target group %s: create first %v, forced by %v", c.Address, c.CreateBeforeDestroy, c.ReplacePaths)
					}
				}
				if len(r.Replaced("aws_lb_target_group")) != 1 {
					t.Errorf("want the target group replaced:\n%s", r)
				}
			}},
		{change: "autoscaling on (up to 4 tasks)", base: "stage", routine: true,
			after: func(t *testing.T) []byte {
				return synthRaw(t, with(func(c *tapstack.Config) { c.AutoscalingMaxCount = 4 }), nil)
			}},
		{change: "a certificate added (HTTP to HTTPS)", base: "stage", routine: true,
			after: func(t *testing.T) []byte {
				return synthRaw(t, with(func(c *tapstack.Config) {
					c.CertificateARN = testutil.CertificateARN
				}), nil)
			}},
		{change: "a second service with its own `Component` added to the stack", base: "stage", routine: true,
			after: func(t *testing.T) []byte {
				return synthRaw(t, stage, func(s *tapstack.TapStack) {
					lmsservice.New(s, "Worker", lmsservice.Config{Environment: stage.Environment, Component: "worker",
						Network: s.Network(), Cache: s.Cache(), Image: tapstack.DefaultImage})
				})
			},
			check: func(t *testing.T, r *verify.Report) {
				if r.Count(verify.Create) == 0 || r.Count(verify.Delete) != 0 {
					t.Errorf("adding a service: want creates and no deletes:\n%s", r)
				}
			}},
		// In place on AWS and in the provider, which is why the cache's names do not follow
		// the engine (see cache.Config.Name).
		{change: "the cache engine, Redis to Valkey (same major version)", base: "cache-redis", routine: true,
			after: func(t *testing.T) []byte { return cacheStack(t, 2, cache.EngineValkey, "7") },
			check: func(t *testing.T, r *verify.Report) {
				upgraded := slices.ContainsFunc(r.Changes, func(c verify.Change) bool {
					return c.Type == "aws_elasticache_serverless_cache" && c.Action == verify.Update
				})
				if !upgraded {
					t.Errorf("want the cache upgraded in place:\n%s", r)
				}
			}},
		{change: "the cache's major version, Valkey 7 to 8", base: "cache-valkey-7",
			after: func(t *testing.T) []byte { return cacheStack(t, 2, cache.EngineValkey, "8") }},
		{change: "the cache's subnets (a third availability zone)", base: "cache-redis",
			after: func(t *testing.T) []byte { return cacheStack(t, 3, cache.EngineRedis, "7") }},
		{change: "a new cache name (`cache.Config.Name`)", base: "cache-redis",
			after: func(t *testing.T) []byte { return cacheStackNamed(t, 2, cache.EngineRedis, "7", "lms-sessions-stage") },
			check: func(t *testing.T, r *verify.Report) {
				// The cache's group follows the cache's name: created first under a new name.
				for _, c := range r.Replaced("aws_security_group") {
					if !c.CreateBeforeDestroy || !slices.Contains(c.ReplacePaths, "name") {
						t.Errorf("security group %s: create first %v, forced by %v: its name would clash", c.Address, c.CreateBeforeDestroy, c.ReplacePaths)
					}
				}
			}},
		{change: "a requested rename (a new `PR_TIMESTAMP_SUFFIX` pin)", base: "pr-pinned",
			after: func(t *testing.T) []byte {
				return synthRaw(t, mustConfig(map[string]string{"ENVIRONMENT_SUFFIX": "pr4892", "PR_TIMESTAMP_SUFFIX": "654321"}), nil)
			},
			check: func(t *testing.T, r *verify.Report) {
				// What AWS keeps in use while something points at it is created first.
				for _, c := range r.Replaced("aws_lb_target_group", "aws_security_group") {
					if !c.CreateBeforeDestroy {
						t.Errorf("%s is destroyed before its replacement exists: the rename would fail on a resource in use", c.Address)
					}
					// Created first, the new group must not take the old one's name.
					if !slices.Contains(c.ReplacePaths, "name") {
						t.Errorf("%s is replaced under the same name (forced by %v): the new one would clash with the old", c.Address, c.ReplacePaths)
					}
				}
				if len(r.Replaced("aws_lb_target_group")) != 1 {
					t.Errorf("the rename does not replace the target group:\n%s", r)
				}
			}},
		// A pin removed: the names switch from the pinned suffix to the one kept in state
		// (the first deploy's, drawn now): a rename like any other.
		{change: "a pin removed (`PR_TIMESTAMP_SUFFIX` set, then unset)", base: "pr-pinned",
			after: func(t *testing.T) []byte { return synthRaw(t, prConfig(t, later, nil), nil) },
			check: func(t *testing.T, r *verify.Report) {
				if len(r.Replaced("aws_elasticache_serverless_cache")) != 1 {
					t.Errorf("removing a pin keeps the cache's name:\n%s", r)
				}
			}},
		// The migrations of a PR environment (docs/lifecycle.md), planned from an unpinned PR
		// environment: each one renames or removes stateful resources, on purpose.
		{change: "an unpinned PR environment moved to a pin (`PR_TIMESTAMP_SUFFIX` set)", base: "pr",
			after: func(t *testing.T) []byte {
				return synthRaw(t, mustConfig(map[string]string{"ENVIRONMENT_SUFFIX": "pr4892", "PR_TIMESTAMP_SUFFIX": "123456"}), nil)
			},
			check: func(t *testing.T, r *verify.Report) {
				if len(r.Replaced("aws_elasticache_serverless_cache")) != 1 || len(withAction(r, verify.Delete, "terraform_data")) != 1 {
					t.Errorf("a pin renames the cache and drops the suffix kept in state:\n%s", r)
				}
			}},
		{change: "a standalone PR environment moved onto the shared platform (the `PLATFORM_*` variables set)", base: "pr",
			after: func(t *testing.T) []byte { return synthRaw(t, prConfig(t, later, apptest.PlatformVars(nil)), nil) },
			check: func(t *testing.T, r *verify.Report) {
				// The platform brings the network, load balancer and cluster: the stack's own go.
				for _, typ := range []string{"aws_vpc", "aws_lb", "aws_ecs_cluster"} {
					if len(withAction(r, verify.Delete, typ)) != 1 {
						t.Errorf("%s not deleted:\n%s", typ, r)
					}
				}
				// The cache moves into the platform's VPC: replaced, its data gone.
				if len(withAction(r, verify.Create, "aws_lb_listener_rule")) != 1 || len(r.Replaced("aws_elasticache_serverless_cache")) != 1 {
					t.Errorf("want a listener rule created and the cache replaced in the platform's network:\n%s", r)
				}
			}},
		// Routine changes of a PR environment on the shared platform.
		{change: "a later synth of a PR environment on the shared platform (a new push)", base: "pr-attached", routine: true,
			after: func(t *testing.T) []byte { return synthRaw(t, prConfig(t, later, apptest.PlatformVars(nil)), nil) },
			check: func(t *testing.T, r *verify.Report) {
				if len(r.Changes) != 0 {
					t.Errorf("a new push changes the attached PR environment:\n%s", r)
				}
			}},
		{change: "a new image, on the shared platform", base: "pr-attached", routine: true,
			after: func(t *testing.T) []byte {
				cfg := prConfig(t, later, apptest.PlatformVars(nil))
				cfg.Image = "public.ecr.aws/nginx/nginx:1.27"
				return synthRaw(t, cfg, nil)
			}},
		{change: "a new listener rule priority on the shared platform (`PLATFORM_RULE_PRIORITY`)", base: "pr-attached", routine: true,
			after: func(t *testing.T) []byte {
				return synthRaw(t, prConfig(t, later, apptest.PlatformVars(map[string]string{"PLATFORM_RULE_PRIORITY": "20000"})), nil)
			}},
		{change: "`PLATFORM_EGRESS` none to nat (the tasks move to the private subnets)", base: "pr-attached", routine: true,
			after: func(t *testing.T) []byte {
				return synthRaw(t, prConfig(t, later, apptest.PlatformVars(map[string]string{"PLATFORM_EGRESS": "nat"})), nil)
			}},
	}

	// Synthesis is sequential (jsii); Terraform runs two at a time.
	baseRaw := map[string][]byte{}
	for name, build := range bases {
		baseRaw[name] = build(t)
	}
	afterRaw := make([][]byte, len(rows))
	for i, row := range rows {
		afterRaw[i] = row.after(t)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	reports := make([]*verify.Report, len(rows))
	errs := make([]error, len(rows))
	sem := make(chan struct{}, 2)
	var wg sync.WaitGroup
	for name, raw := range baseRaw {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			d, err := deployOnce(ctx, raw)
			<-sem
			for i, row := range rows {
				if row.base != name {
					continue
				}
				if err != nil {
					errs[i] = fmt.Errorf("fake apply of %s: %w", name, err)
					continue
				}
				sem <- struct{}{}
				reports[i], errs[i] = d.Plan(ctx, afterRaw[i])
				<-sem
			}
		}()
	}
	wg.Wait()

	for i, row := range rows {
		t.Run(row.change, func(t *testing.T) {
			if errs[i] != nil {
				t.Fatal(errs[i])
			}
			r := reports[i]
			if row.routine {
				verify.AssertNoneDestroyed(t, r, verify.Stateful()...)
			} else if len(r.Destroyed(verify.Stateful()...)) == 0 {
				t.Errorf("a change listed as replacing replaces no stateful resource:\n%s", r)
			}
			if row.check != nil {
				row.check(t, r)
			}
		})
	}
	if t.Failed() {
		return
	}
	testutil.GeneratedSection(t, lifecycleDoc, "lifecycle", lifecycleTable(rows, reports))
}

// withAction returns the changes of r of action a and type typ.
func withAction(r *verify.Report, a verify.Action, typ string) []verify.Change {
	var out []verify.Change
	for _, c := range r.Changes {
		if c.Action == a && c.Type == typ {
			out = append(out, c)
		}
	}
	return out
}

// lifecycleTable renders the verdicts as the table of docs/lifecycle.md.
func lifecycleTable(rows []lifecycleRow, reports []*verify.Report) string {
	var b strings.Builder
	b.WriteString("| change | stateful resources replaced | other resources replaced | updated in place | created | deleted |\n")
	b.WriteString("|---|---|---|---|---|---|\n")
	stateful := map[string]bool{}
	for _, typ := range verify.Stateful() {
		stateful[typ] = true
	}
	for i, row := range rows {
		r := reports[i]
		var st, other []string
		for _, c := range r.Replaced() {
			entry := "`" + c.Type + "`"
			if len(c.ReplacePaths) > 0 {
				entry += " (" + strings.Join(c.ReplacePaths, ", ") + ")"
			}
			if c.CreateBeforeDestroy {
				entry += " new first"
			}
			if stateful[c.Type] {
				st = append(st, entry)
			} else {
				other = append(other, entry)
			}
		}
		count := func(a verify.Action) []string {
			var out []string
			for _, c := range r.Changes {
				if c.Action == a {
					out = append(out, "`"+c.Type+"`")
				}
			}
			return out
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", row.change, list(st), list(other),
			list(count(verify.Update)), list(count(verify.Create)), list(count(verify.Delete)))
	}
	return b.String()
}

// list joins entries, counting repeats ("`aws_subnet` x2"), or says "none".
func list(entries []string) string {
	if len(entries) == 0 {
		return "none"
	}
	n := map[string]int{}
	for _, e := range entries {
		n[e]++
	}
	keys := make([]string, 0, len(n))
	for k := range n {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k
		if n[k] > 1 {
			out[i] += fmt.Sprintf(" x%d", n[k])
		}
	}
	return strings.Join(out, ", ")
}

// TestLifecycleTable pins the rendering of the table, so that the doc's format cannot
// change unnoticed.
func TestLifecycleTable(t *testing.T) {
	r := &verify.Report{Changes: []verify.Change{
		{Type: "aws_elasticache_serverless_cache", Action: verify.Replace, ReplacePaths: []string{"engine"}},
		{Type: "aws_security_group", Action: verify.Replace, ReplacePaths: []string{"name"}, CreateBeforeDestroy: true},
		{Type: "aws_subnet", Action: verify.Update}, {Type: "aws_subnet", Action: verify.Update},
	}}
	got := lifecycleTable([]lifecycleRow{{change: "x"}}, []*verify.Report{r})
	want := "| change | stateful resources replaced | other resources replaced | updated in place | created | deleted |\n|---|---|---|---|---|---|\n" +
		"| x | `aws_elasticache_serverless_cache` (engine) | `aws_security_group` (name) new first | `aws_subnet` x2 | none | none |\n"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("table (-want +got):\n%s", diff)
	}
}
