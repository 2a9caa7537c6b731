package naming_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tapstack/infra/constructs/naming"
)

func TestIdentityNames(t *testing.T) {
	stage := naming.MustEnvironment("stage", naming.Options{})
	pinned := naming.MustEnvironment("pr4892", naming.Options{Timestamp: "123456"})
	type names struct{ ALB, Role, Secret, LogGroup, Label, Prefix string }
	build := func(env naming.Environment, component string) names {
		t.Helper()
		id, err := env.Identity(component)
		if err != nil {
			t.Fatal(err)
		}
		id = id.WithRegion("ca-central-1")
		must := func(s string, err error) string {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		return names{
			must(id.Resource(naming.LoadBalancer, "alb")), must(id.Resource(naming.IAMRole, "ecs-task-role")),
			must(id.Path(naming.Secret, "db-credentials")), must(id.Around(naming.LogGroup, "/ecs/", "")),
			id.Label("vpc"), id.Prefix(),
		}
	}
	tests := []struct {
		desc      string
		env       naming.Environment
		component string
		want      names
	}{
		// Without a component, today's names; account-wide names carry the region.
		{"default instance", stage, "", names{"lms-alb-stage", "lms-ecs-task-role-stage-ca-central-1", "lms/stage/db-credentials", "/ecs/lms-stage", "lms-vpc-stage", "lms-stage"}},
		{"component", stage, "web", names{"lms-web-alb-stage", "lms-web-ecs-task-role-stage-ca-central-1", "lms/stage/web/db-credentials", "/ecs/lms-stage/web", "lms-web-vpc-stage", "lms-stage/web"}},
		{"pinned PR", pinned, "worker", names{"lms-worker-alb-pr4892-123456", "lms-worker-ecs-task-role-pr4892-123456-ca-central-1", "lms/pr4892-123456/worker/db-credentials", "/ecs/lms-pr4892-123456/worker", "lms-worker-vpc-pr4892-123456", "lms-pr4892-123456/worker"}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, build(tt.env, tt.component)); diff != "" {
				t.Errorf("names (-want +got):\n%s", diff)
			}
		})
	}
	// Environment "stage" with component "web" and environment "web-stage" never share a
	// log group or a prefix.
	webStage := naming.MustEnvironment("web-stage", naming.Options{})
	a, _ := webStage.Identity("")
	b, _ := stage.Identity("web")
	la, _ := a.Around(naming.LogGroup, "/ecs/", "")
	lb, _ := b.Around(naming.LogGroup, "/ecs/", "")
	if la == lb || a.Prefix() == b.Prefix() {
		t.Errorf("ambiguous: %q/%q, %q/%q", la, lb, a.Prefix(), b.Prefix())
	}
	// The Environment's own builders are the default instance's.
	if got, _ := stage.Resource(naming.LoadBalancer, "alb"); got != "lms-alb-stage" {
		t.Errorf("Environment.Resource = %q", got)
	}
	if _, err := stage.Resource(naming.IAMRole, "role"); err == nil || !strings.Contains(err.Error(), "Identity.WithRegion") {
		t.Errorf("an account-wide name without a region: %v", err)
	}
}

func TestValidateComponent(t *testing.T) {
	for c, want := range map[string]string{
		"": "", "web": "", "worker-2": "", "2nd": "", strings.Repeat("a", naming.MaxComponentLength): "",
		"Web": "is not a component: lowercase letters", "web_1": "is not a component", "-web": "is not a component", "web-": "is not a component",
		"a--b": "is not a component: lowercase", strings.Repeat("a", naming.MaxComponentLength+1): "over the component limit of 20",
		// Characters, not bytes: 11 two-byte letters are 11 characters (and not a component).
		strings.Repeat("é", 11): `is not a component`, strings.Repeat("é", 21): "is 21 characters, over the component limit of 20",
	} {
		checkErr(t, naming.ValidateComponent(c), want)
		if _, err := naming.MustEnvironment("stage", naming.Options{}).Identity(c); (err == nil) != (want == "") {
			t.Errorf("Identity(%q): %v", c, err)
		}
	}
}

// TestKeptStamp: a PR environment without a pin keeps its suffix in Terraform state;
// names carry the reference in place of the suffix, with lengths computed for the
// six digits the reference stands for, and the suffix kept whole when a name must be
// shortened.
func TestKeptStamp(t *testing.T) {
	env := naming.MustEnvironment("pr4892", naming.Options{Clock: fixedClock(1_700_000_042)})
	if !env.StampKept() || env.Timestamp() != "000042" {
		t.Fatalf("StampKept %v, Timestamp %q", env.StampKept(), env.Timestamp())
	}
	pinned := naming.MustEnvironment("pr4892", naming.Options{Timestamp: "000042"})
	if pinned.StampKept() || naming.MustEnvironment("stage", naming.Options{}).StampKept() {
		t.Error("a pinned or non-PR environment keeps its stamp in state")
	}
	const ref = "${terraform_data.PRSuffix.output.suffix}"
	id, _ := env.Identity("web")
	id = id.WithRegion("eu-west-1").WithStampRef(ref)
	alb, err := id.Resource(naming.LoadBalancer, "alb")
	if err != nil || alb != "lms-web-alb-pr4892-"+ref {
		t.Errorf("ALB = %q, %v", alb, err)
	}
	if id.ID() != "pr4892-"+ref || id.Label("vpc") != "lms-web-vpc-pr4892-"+ref {
		t.Errorf("ID %q, Label %q", id.ID(), id.Label("vpc"))
	}
	// Without the reference, the names are the literal first-deploy names.
	plain, _ := env.Identity("web")
	if got, _ := plain.Resource(naming.LoadBalancer, "alb"); got != "lms-web-alb-pr4892-000042" {
		t.Errorf("unbound ALB = %q", got)
	}
	// A name too long for its kind keeps the suffix whole: the hash covers the rest, so
	// the short form is the same for every suffix, and the suffix tells incarnations
	// apart. The long form would be lms-frontend-edge-alb-pr4892-XXXXXX (35 > 32).
	long, _ := env.Identity("frontend-edge")
	got, err := long.WithStampRef(ref).Resource(naming.LoadBalancer, "alb")
	head := "lms-frontend-edge-a"
	wantHash := hashOf("lms-frontend-edge-alb-pr4892-#")
	if err != nil || got != head+"-"+ref+"-"+wantHash {
		t.Errorf("shortened ALB = %q, %v; want %q", got, err, head+"-"+ref+"-"+wantHash)
	}
	literal, _ := long.Resource(naming.LoadBalancer, "alb")
	if len(literal) != 32 || !strings.Contains(literal, "-000042-") {
		t.Errorf("literal shortened ALB = %q (%d)", literal, len(literal))
	}
	// A reference on a pinned environment is ignored: its names stay literal.
	p, _ := pinned.Identity("")
	if got, _ := p.WithStampRef(ref).Resource(naming.LoadBalancer, "alb"); got != "lms-alb-pr4892-000042" {
		t.Errorf("pinned ALB = %q", got)
	}
}

func TestRegistry(t *testing.T) {
	claim := func(k naming.Kind, name, stack, region, within, path, fix string) naming.Claim {
		return naming.Claim{Kind: k, Name: name, Stack: stack, Region: region, Within: within, Path: path, Fix: fix}
	}
	const fix = "lmsservice.Config.Component"
	var r naming.Registry
	r.Add(
		claim(naming.LoadBalancer, "lms-alb-stage", "S", "ca-central-1", "", "S/Web/LoadBalancer", fix),
		claim(naming.LoadBalancer, "lms-alb-stage", "S", "ca-central-1", "", "S/Worker/LoadBalancer", fix),
		// The same regional name in a stack of another region: fine.
		claim(naming.LoadBalancer, "lms-alb-stage", "T", "eu-west-1", "", "T/Web/LoadBalancer", fix),
		// ... and in another stack of the same region: a conflict.
		claim(naming.ServerlessCache, "lms-redis-stage", "S", "ca-central-1", "", "S/Cache/ServerlessCache", "cache.Config.Component"),
		claim(naming.ServerlessCache, "lms-redis-stage", "U", "ca-central-1", "", "U/Cache/ServerlessCache", "cache.Config.Component"),
		// Stacks of unknown region are compared within themselves only.
		claim(naming.Secret, "lms/x", "V", "", "", "V/A/Secret", fix),
		claim(naming.Secret, "lms/x", "W", "", "", "W/A/Secret", fix),
		// IAM roles are account-wide and case-insensitive: across stacks and regions too.
		claim(naming.IAMRole, "Lms-Role", "S", "ca-central-1", "", "S/Web/Role", fix),
		claim(naming.IAMRole, "lms-role", "T", "eu-west-1", "", "T/Web/Role", fix),
		// Security groups are unique per VPC: a reference names a VPC of its own stack, a
		// literal ID the same VPC in any stack.
		claim(naming.SecurityGroup, "lms-sg", "S", "ca-central-1", "${aws_vpc.v.id}", "S/A/SG", "network.Config.Component"),
		claim(naming.SecurityGroup, "lms-sg", "T", "ca-central-1", "${aws_vpc.v.id}", "T/A/SG", "network.Config.Component"),
		claim(naming.SecurityGroup, "lms-sg", "S", "ca-central-1", "vpc-2", "S/B/SG", "network.Config.Component"),
		claim(naming.SecurityGroup, "lms-sg", "S", "ca-central-1", "${aws_vpc.v.id}", "S/C/SG", "cache.Config.Component"),
		claim(naming.SecurityGroup, "lms-sg", "U", "ca-central-1", "vpc-2", "U/B/SG", "network.Config.Component"),
		// Two long names of two components, cut and hashed to one name (project
		// "learningplat", components "sessions-worker657" and "sessions-worker1493").
		claim(naming.LoadBalancer, "learningplat-sessions-work-eb8e0", "S", "ca-central-1", "", "S/A/LoadBalancer", fix),
		claim(naming.LoadBalancer, "learningplat-sessions-work-eb8e0", "S", "ca-central-1", "", "S/B/LoadBalancer", fix),
		claim(naming.ECSService, "svc", "S", "ca-central-1", "cluster-1", "S/A/Service", fix),
		claim(naming.ECSService, "svc", "S", "ca-central-1", "cluster-2", "S/B/Service", fix),
	)
	want := `load balancer name "lms-alb-stage" is defined twice in region ca-central-1 (stack S), by S/Web/LoadBalancer and by S/Worker/LoadBalancer: give one of them its own lmsservice.Config.Component
serverless cache name "lms-redis-stage" is defined twice in region ca-central-1 (stacks S and U), by S/Cache/ServerlessCache and by U/Cache/ServerlessCache: give one of them its own cache.Config.Component
IAM role name "Lms-Role" is defined twice in the account (every region) (stacks S and T), by S/Web/Role and by T/Web/Role: give one of them its own lmsservice.Config.Component
security group name "lms-sg" is defined twice in one VPC (stack S), by S/A/SG and by S/C/SG: change network.Config.Component of S/A or cache.Config.Component of S/C
security group name "lms-sg" is defined twice in one VPC (stacks S and U), by S/B/SG and by U/B/SG: give one of them its own network.Config.Component
load balancer name "learningplat-sessions-work-eb8e0" is defined twice in region ca-central-1 (stack S), by S/A/LoadBalancer and by S/B/LoadBalancer: the name is a longer name cut to 26 characters and ended by a hash (naming.Fit), and two different longer names met in it: shorten lmsservice.Config.Component (or the project) of one of them, so that its name fits in 32 characters without a hash`
	if err := r.Err(); err == nil || err.Error() != want {
		t.Errorf("Err() =\n%v\nwant\n%s", err, want)
	}
	if r.Len() != 18 || len(r.Conflicts()) != 6 {
		t.Errorf("Len %d, %d conflicts", r.Len(), len(r.Conflicts()))
	}
	var empty naming.Registry
	if empty.Err() != nil {
		t.Error("an empty registry reports conflicts")
	}
}

// TestRegistryAccounts: stacks of two known accounts never share a regional or
// account-wide name space; an unknown account may be either; a bucket name is unique in
// the partition whatever the account.
func TestRegistryAccounts(t *testing.T) {
	with := func(c naming.Claim, account string) naming.Claim { c.Account = account; return c }
	cache := func(stack, account string) naming.Claim {
		return with(naming.Claim{Kind: naming.ServerlessCache, Name: "lms-redis-stage", Stack: stack, Region: "ca-central-1", Path: stack + "/Cache", Fix: "f"}, account)
	}
	bucket := func(stack, account string) naming.Claim {
		return with(naming.Claim{Kind: naming.S3Bucket, Name: "lms-media-stage", Stack: stack, Region: "ca-central-1", Path: stack + "/Bucket", Fix: "f"}, account)
	}
	for desc, c := range map[string]struct {
		claims []naming.Claim
		want   int
	}{
		"two accounts":             {[]naming.Claim{cache("A", "111111111111"), cache("B", "222222222222")}, 0},
		"one account":              {[]naming.Claim{cache("A", "111111111111"), cache("B", "111111111111")}, 1},
		"an unknown account":       {[]naming.Claim{cache("A", "111111111111"), cache("B", "")}, 1},
		"unknown, then two known":  {[]naming.Claim{cache("A", "111111111111"), cache("B", "222222222222"), cache("C", "")}, 1},
		"a bucket in two accounts": {[]naming.Claim{bucket("A", "111111111111"), bucket("B", "222222222222")}, 1},
	} {
		var r naming.Registry
		r.Add(c.claims...)
		if got := len(r.Conflicts()); got != c.want {
			t.Errorf("%s: %d conflicts, want %d: %v", desc, got, c.want, r.Err())
		}
	}
}
