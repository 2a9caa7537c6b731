package tapstack_test

import (
	"context"
	"crypto/sha256"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tapstack/infra/internal/release"
	"github.com/tapstack/infra/internal/testutil"
	"github.com/tapstack/infra/verify"
)

// releaseDir holds the committed baselines, release/vX.Y.Z/.
const releaseDir = "../../release"

// baselineVariants are the TapStack variants a release baseline keeps: a stage, a
// production and a PR environment (pinned, and with its suffix in state), and the shapes
// of the cache limits and no NAT. (v0.1.0's baseline predates pr-unpinned.)
var baselineVariants = []string{"default", "prod", "pr4892", "pr-unpinned", "cache-limits", "stage-no-nat"}

// RELEASE_BASELINE=vX.Y.Z makes TestReleaseBaseline write the stacks of a new baseline
// (make release-baseline) instead of checking against the latest one.
const baselineEnv = "RELEASE_BASELINE"

// deployments are fake applies shared by the tests of this package, by stack JSON: the
// lifecycle matrix and the release check often start from the same stack.
var deployments = struct {
	sync.Mutex
	m map[[32]byte]*deployment
}{m: map[[32]byte]*deployment{}}

type deployment struct {
	once sync.Once
	d    *verify.Deployment
	err  error
}

// deployOnce fake-applies raw once per test binary and returns the deployment.
func deployOnce(ctx context.Context, raw []byte) (*verify.Deployment, error) {
	key := sha256.Sum256(raw)
	deployments.Lock()
	e := deployments.m[key]
	if e == nil {
		e = &deployment{}
		deployments.m[key] = e
	}
	deployments.Unlock()
	e.once.Do(func() { e.d, e.err = verify.Deploy(ctx, raw, verify.Options{}) })
	return e.d, e.err
}

// closeDeployments removes the working directories of the shared deployments.
func closeDeployments() {
	deployments.Lock()
	defer deployments.Unlock()
	for _, e := range deployments.m {
		if e.d != nil {
			_ = e.d.Close()
		}
	}
}

// requireEngine skips (or, with TAPSTACK_REQUIRE_TERRAFORM=1, fails) without Terraform.
func requireEngine(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("plans with Terraform")
	}
	if _, err := verify.FindEngine(); err != nil {
		if os.Getenv(testutil.RequireEnv) == "1" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
}

// TestReleaseBaseline holds every stack of the latest release baseline against what the
// working tree synthesizes for the same variant, with the real provider's plan: a
// stateful resource a deployment of that release has must not be destroyed (replaced,
// or deleted as when a construct ID changes), unless
// CHANGELOG.md announces a next version that may break (docs/releasing.md) and says how
// to upgrade. With RELEASE_BASELINE=vX.Y.Z it writes a new baseline instead.
func TestReleaseBaseline(t *testing.T) {
	if v := os.Getenv(baselineEnv); v != "" {
		writeBaseline(t, v)
		return
	}
	requireEngine(t)
	base, dir, err := release.Latest(releaseDir)
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "stacks", "*.json"))
	if len(files) == 0 {
		t.Fatalf("%s holds no stacks", dir)
	}
	sort.Strings(files)
	type verdict struct {
		name   string
		report *verify.Report
		err    error
	}
	verdicts := make([]verdict, len(files))
	current := make([][]byte, len(files))
	for i, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		verdicts[i].name = name
		if !slices.Contains(variants.Names(), name) {
			continue // reported below
		}
		current[i] = variants.Synth(t, name).Raw
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for i, f := range files {
		if current[i] == nil {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			old, err := os.ReadFile(f)
			if err != nil {
				verdicts[i].err = err
				return
			}
			d, err := deployOnce(ctx, old)
			if err != nil {
				verdicts[i].err = err
				return
			}
			verdicts[i].report, verdicts[i].err = d.Plan(ctx, current[i])
		}()
	}
	wg.Wait()
	var breaks []string
	for i, v := range verdicts {
		switch {
		case current[i] == nil:
			breaks = append(breaks, "the variant "+v.name+" of the baseline is gone")
		case v.err != nil:
			t.Errorf("%s: %v", v.name, v.err)
		default:
			for _, c := range v.report.Destroyed(verify.Stateful()...) {
				breaks = append(breaks, v.name+": "+c.String())
			}
		}
	}
	if len(breaks) == 0 {
		return
	}
	raw, err := os.ReadFile("../../CHANGELOG.md")
	if err != nil {
		t.Fatal(err)
	}
	u, err := release.ParseChangelog(string(raw))
	if err == nil {
		err = release.BreakAllowed(base, u)
	}
	if err != nil {
		t.Errorf("a deployment of v%s would lose stateful resources:\n  %s\n%v", base, strings.Join(breaks, "\n  "), err)
		return
	}
	t.Logf("announced in CHANGELOG.md (%s may break v%s):\n  %s", u.Next, base, strings.Join(breaks, "\n  "))
}

// writeBaseline writes the baseline variants' stacks into release/<version>/stacks.
func writeBaseline(t *testing.T, version string) {
	if _, err := release.ParseVersion(version); err != nil || !strings.HasPrefix(version, "v") {
		t.Fatalf("%s=%q: want v<X.Y.Z>", baselineEnv, version)
	}
	dir := filepath.Join(releaseDir, version, "stacks")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range baselineVariants {
		s := variants.Synth(t, name)
		if err := os.WriteFile(filepath.Join(dir, name+".json"), append(s.Raw, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("wrote %d stacks into %s", len(baselineVariants), dir)
}
