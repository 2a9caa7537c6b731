package identity_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawslblistener"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/sqsqueue"
	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/awsid"
	"github.com/tapstack/infra/constructs/identity"
	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/constructs/network"
	"github.com/tapstack/infra/internal/testutil"
)

func TestMain(m *testing.M) { testutil.Main(m) }

var (
	stage = naming.MustEnvironment("stage", naming.Options{})
	// pr77 keeps its suffix in state; its first deploy's suffix is 000042.
	pr77 = naming.MustEnvironment("pr77", naming.Options{Clock: testutil.ClockAt(1_700_000_042)})
)

// TestImportersResourceKeepsItsPRName: a resource of a team's own, named through
// identity, refers to the PR suffix kept in state, as the library's do: a later push
// renames nothing.
func TestImportersResourceKeepsItsPRName(t *testing.T) {
	names := map[string]string{}
	for _, unix := range []int64{1_700_000_042, 1_700_650_000} { // two pushes a week apart
		env := naming.MustEnvironment("pr77", naming.Options{Clock: testutil.ClockAt(unix)})
		stack := testutil.NewStack("Team")
		sc := identity.Enter(stack, "Worker")
		ident, err := sc.Identity(env, "worker")
		if err != nil {
			t.Fatal(err)
		}
		name, _ := ident.Resource(naming.SQSQueue, "jobs")
		sqsqueue.NewSqsQueue(stack, jsii.String("Queue"), &sqsqueue.SqsQueueConfig{Name: jsii.String(name)})
		sc.Claim(identity.Name{Kind: naming.SQSQueue, Name: name, Resource: "Queue", Fix: "worker component"})
		s := testutil.Synth(t, stack)
		_, q := s.Find(t, "aws_sqs_queue", "Queue")
		names[time.Unix(unix, 0).String()] = q["name"].(string)
		if data := s.Resources("terraform_data")["PRSuffix-lms-pr77"]; data["input"].(map[string]any)["suffix"] != "000042" && unix == 1_700_000_042 {
			t.Errorf("suffix resource = %v", data)
		}
	}
	for _, n := range names {
		if n != "lms-worker-jobs-pr77-${terraform_data.PRSuffix-lms-pr77.output.suffix}" {
			t.Errorf("queue name %q does not refer to the suffix kept in state", n)
		}
	}
}

// TestImportersNamesAreChecked: a hand-written resource takes part in the app's
// uniqueness check, with the library's messages, across stacks of one region.
func TestImportersNamesAreChecked(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	app := testutil.NewAppIn(out)
	a := testutil.NewStackIn(app, "A", "ca-central-1")
	b := testutil.NewStackIn(app, "B", "ca-central-1")
	c := testutil.NewStackIn(app, "C", "eu-west-1")
	for _, stack := range []cdktf.TerraformStack{a, b, c} {
		sc := identity.Enter(stack, "Worker")
		ident, _ := sc.Identity(stage, "worker")
		name, _ := ident.Resource(naming.SQSQueue, "jobs")
		sqsqueue.NewSqsQueue(stack, jsii.String("Queue"), &sqsqueue.SqsQueueConfig{Name: jsii.String(name)})
		sc.Claim(identity.Name{Kind: naming.SQSQueue, Name: name, Resource: "Queue", Fix: "worker component"})
	}
	msg := testutil.SynthFails(t, app, out)
	want := `SQS queue name "lms-worker-jobs-stage" is defined twice in region ca-central-1 (stacks A and B), by A/Worker/Queue and by B/Worker/Queue: give one of them its own worker component`
	if !strings.Contains(msg, want) {
		t.Errorf("synth error\n%s\nlacks\n%s", msg, want)
	}
	if strings.Contains(msg, "C/Worker") {
		t.Errorf("a stack of another region is in conflict:\n%s", msg)
	}
}

// TestScope: the scope's region, place and path; the registry is a construct of the
// app, one per app; the provider is pinned.
func TestScope(t *testing.T) {
	app := testutil.NewApp()
	stack := testutil.NewStackIn(app, "S", "us-gov-west-1")
	sc := identity.Enter(stack, "Thing")
	if sc.Path() != "S/Thing" || sc.StackPath() != "S" || sc.Region() != "us-gov-west-1" || sc.Place() != awsid.In("us-gov-west-1") || sc.RequireRegion() != nil {
		t.Errorf("scope = %s %s %s %v", sc.Path(), sc.StackPath(), sc.Region(), sc.Place())
	}
	if sc.Stack() == nil || identity.EnterStack(stack).Path() != "S" {
		t.Error("Stack, EnterStack")
	}
	web := constructs.NewConstruct(stack, jsii.String("Web"))
	inner := constructs.NewConstruct(web, jsii.String("Default"))
	for scope, want := range map[*identity.Scope]string{
		sc: "Thing", identity.EnterStack(stack): "", identity.Enter(web, "Default"): "Web",
		identity.Enter(inner, "LoadBalancer"): "Web/LoadBalancer",
	} {
		if got := scope.Label(); got != want {
			t.Errorf("Label of %s = %q, want %q", scope.Path(), got, want)
		}
	}
	if app.Node().TryFindChild(jsii.String(identity.RegistryID)) == nil {
		t.Error("no registry construct at the app's root")
	}
	v := testutil.Synth(t, stack).JSON["terraform"].(map[string]any)["required_providers"].(map[string]any)["aws"].(map[string]any)["version"]
	if v != identity.ProviderVersion {
		t.Errorf("provider version = %v, want %s", v, identity.ProviderVersion)
	}
	// A stack without a literal region: refused where a name needs it.
	bare := cdktf.NewTerraformStack(app, jsii.String("Bare"))
	provider.NewAwsProvider(bare, jsii.String("aws"), &provider.AwsProviderConfig{})
	bs := identity.Enter(bare, "Thing")
	if err := bs.RequireRegion(); err == nil || !strings.Contains(err.Error(), "Bare/Thing: the stack's default AWS provider has no literal region") {
		t.Errorf("RequireRegion = %v", err)
	}
	// A literal region that is no region: refused, never turned into a name.
	spaced := identity.Enter(testutil.NewStackIn(app, "Spaced", "ca central 1"), "Thing")
	for _, err := range []error{spaced.RequireRegion(), func() error { _, err := spaced.Identity(stage, ""); return err }()} {
		if err == nil || !strings.Contains(err.Error(), `Spaced/Thing: the region of the stack's default AWS provider: "ca central 1" is not a region`) {
			t.Errorf("a region with spaces: %v", err)
		}
	}
	if bs.Place() != (awsid.Place{}) {
		t.Errorf("Place of a stack without region = %v", bs.Place())
	}
	ident, _ := bs.Identity(stage, "")
	if _, err := ident.Resource(naming.IAMRole, "role"); err == nil {
		t.Error("an account-wide name without a region")
	}
	if _, err := sc.Identity(naming.Environment{}, ""); err == nil {
		t.Error("an identity of the zero Environment")
	}
	if _, err := sc.Identity(stage, "Bad_Component"); err == nil {
		t.Error("an identity of a bad component")
	}
}

// TestStampResourceIsShared: every construct of one PR environment in a stack refers to
// one terraform_data resource.
func TestStampResourceIsShared(t *testing.T) {
	stack := testutil.NewStack("Shared")
	network.New(stack, "A", network.Config{Environment: pr77, Component: "a", FlowLogs: true})
	network.New(stack, "B", network.Config{Environment: pr77, Component: "b", FlowLogs: true})
	s := testutil.Synth(t, stack)
	if diff := cmp.Diff([]string{identity.StampResourceID(pr77)}, keys(s.Resources("terraform_data"))); diff != "" {
		t.Errorf("suffix resources (-want +got):\n%s", diff)
	}
}

// TestNamesCompareResolved: two reads of one VPC ID are different tokens but one VPC;
// two networks adopting the same VPC reference conflict on their security group names.
func TestNamesCompareResolved(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	app := testutil.NewAppIn(out)
	stack := testutil.NewStackIn(app, "Twice", "ca-central-1")
	vpcs := network.New(stack, "Shared", network.Config{Environment: stage, Component: "shared"})
	for _, id := range []string{"A", "B"} {
		network.FromAttributes(stack, id, network.Attributes{Environment: stage, VPCID: *vpcs.VPCID(), Endpoints: true,
			PrivateSubnetIDs: network.TokenList(vpcs.PrivateSubnetIDs()), PrivateRouteTableIDs: network.TokenList(vpcs.PrivateRouteTableIDs())})
	}
	msg := testutil.SynthFails(t, app, out)
	if !strings.Contains(msg, `security group name "lms-endpoints-stage" is defined twice in one VPC (stack Twice), by Twice/A/EndpointSecurityGroup and by Twice/B/EndpointSecurityGroup`) {
		t.Errorf("synth error:\n%s", msg)
	}
}

func keys(m map[string]map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestNameFixOutermost: a conflict under a construct that names its setting
// (Scope.NameFix) names that setting, the outermost one winning, so that a team's
// wrapper of the library's constructs is told about its own field.
func TestNameFixOutermost(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	app := testutil.NewAppIn(out)
	stack := testutil.NewStackIn(app, "S", "ca-central-1")
	for _, id := range []string{"A", "B"} {
		outer := identity.Enter(stack, id)
		outer.NameFix("team.Config.Name")
		wrapper := constructs.NewConstruct(stack, jsii.String(id))
		inner := identity.Enter(wrapper, "Worker")
		inner.NameFix("lmsservice.Config.Component")
		inner.Claim(identity.Name{Kind: naming.SQSQueue, Name: "lms-jobs-stage", Resource: "Queue", Fix: "worker component"})
		sqsqueue.NewSqsQueue(constructs.NewConstruct(wrapper, jsii.String("Worker")), jsii.String("Queue"), &sqsqueue.SqsQueueConfig{Name: jsii.String("lms-jobs-stage")})
	}
	msg := testutil.SynthFails(t, app, out)
	if want := "by S/A/Worker/Queue and by S/B/Worker/Queue: give one of them its own team.Config.Name"; !strings.Contains(msg, want) {
		t.Errorf("synth error\n%s\nlacks\n%s", msg, want)
	}
}

// TestAccountsFromTheProvider: a provider that allows exactly one account gives the
// stack its account: two stacks of one region in two accounts share no name space, and
// the account is part of the stack's Place.
func TestAccountsFromTheProvider(t *testing.T) {
	app := testutil.NewApp()
	var scopes []*identity.Scope
	for id, account := range map[string]string{"Dev": "111111111111", "Prod": "222222222222"} {
		stack := cdktf.NewTerraformStack(app, jsii.String(id))
		provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{Region: jsii.String("ca-central-1"), AllowedAccountIds: jsii.Strings(account)})
		sc := identity.Enter(stack, "Worker")
		sc.Claim(identity.Name{Kind: naming.SQSQueue, Name: "lms-jobs-stage", Fix: "worker component"})
		sqsqueue.NewSqsQueue(stack, jsii.String("Worker"), &sqsqueue.SqsQueueConfig{Name: jsii.String("lms-jobs-stage")})
		if want := (awsid.Place{Partition: "aws", Region: "ca-central-1", Account: account}); sc.Place() != want {
			t.Errorf("%s: Place = %v, want %v", id, sc.Place(), want)
		}
		scopes = append(scopes, sc)
	}
	for _, stack := range []string{"Dev", "Prod"} {
		testutil.Synth(t, app.Node().FindChild(jsii.String(stack)).(cdktf.TerraformStack)) // no conflict
	}
	if identity.Account(scopes[0].Stack()) == "" {
		t.Error("Account of a provider with one allowed account")
	}
}

// TestListenerRuleClaims: two rules of the app on one listener conflict on a priority
// or on the same conditions (hosts compared without case, in any order), the listener
// compared resolved (two reads of one data source's ARN are one listener) and printed
// as Terraform will see it; a rule on another listener conflicts with neither.
func TestListenerRuleClaims(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	app := testutil.NewAppIn(out)
	stack := testutil.NewStackIn(app, "S", "ca-central-1")
	listener := dataawslblistener.NewDataAwsLbListener(stack, jsii.String("Listener"), &dataawslblistener.DataAwsLbListenerConfig{
		Arn: jsii.String("arn:aws:elasticloadbalancing:ca-central-1:123456789012:listener/app/shared/50dc6c495c0c9188/f2f7dc8efc522ab2")})
	for _, r := range []struct {
		id, listener string
		priority     int
		hosts, paths []string
	}{
		{"Web", *listener.Arn(), 10, []string{"App.example.com"}, []string{"/api/*", "/v1/*"}},
		{"Api", *listener.Arn(), 10, []string{"other.example.com"}, nil},                        // the priority of Web
		{"Copy", *listener.Arn(), 11, []string{"app.example.com"}, []string{"/v1/*", "/api/*"}}, // the conditions of Web
		{"Elsewhere", "arn:aws:elasticloadbalancing:ca-central-1:123456789012:listener/app/other/50dc6c495c0c9188/f2f7dc8efc522ab2", 10, []string{"app.example.com"}, []string{"/api/*", "/v1/*"}},
	} {
		identity.Enter(stack, r.id).ClaimListenerRule(identity.ListenerRule{Listener: jsii.String(r.listener), Priority: r.priority,
			Hosts: r.hosts, Paths: r.paths, Resource: "Rule", Fix: r.id + ".Priority"})
	}
	msg := testutil.SynthFails(t, app, out)
	for _, want := range []string{
		"listener rule priority 10 is used twice on listener ${data.aws_lb_listener.Listener.arn}, by S/Web/Rule and by S/Api/Rule: set Api.Priority of one of them",
		"the rules S/Web/Rule and S/Copy/Rule on listener ${data.aws_lb_listener.Listener.arn} match the same requests (host app.example.com and path /v1/*, /api/*)",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("synth error\n%s\nlacks\n%s", msg, want)
		}
	}
	if n := strings.Count(msg, "listener rule priority") + strings.Count(msg, "match the same requests"); n != 2 || strings.Contains(msg, "Elsewhere") {
		t.Errorf("want exactly the two conflicts above, got:\n%s", msg)
	}
}
