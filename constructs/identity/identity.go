package identity

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/awsid"
	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/internal/token"
)

// ProviderVersion is the hashicorp/aws provider version every stack that a construct
// enters requires exactly: the version the library's tests run (terraform validate, the
// real-provider plan and the mock apply of every variant, and verify). The AWS bindings
// alone would pin 5.84.0, which no test runs.
const ProviderVersion = "5.100.0"

// StampResourceID is the construct ID, under the stack, of the terraform_data resource
// that keeps the PR suffix of an environment whose suffix is not pinned:
// "PRSuffix-<project>-<environment>" (one per environment and stack, shared by every
// construct of that environment in the stack).
func StampResourceID(env naming.Environment) string {
	return "PRSuffix-" + env.Project() + "-" + env.Name()
}

// Scope is a construct about to be defined: its construct path, its stack and the
// stack's region, and the app's registry. Enter reads what it needs from jsii once per
// construct (and once per stack).
type Scope struct {
	path  string
	stack cdktf.TerraformStack
	info  *stackInfo
	reg   *registry
}

// Enter returns the Scope of the construct id about to be defined in scope. It defines
// nothing but the app's registry (on first use), and pins the stack's provider version
// (ProviderVersion); call it before defining the construct, so that a stack without a
// region can be refused before anything is defined.
func Enter(scope constructs.Construct, id string) *Scope {
	return enter(cdktf.TerraformStack_Of(scope), *scope.Node().Path()+"/"+id)
}

// EnterStack returns the Scope of the resources a stack defines directly, not through a
// construct of its own: their paths are the stack's.
func EnterStack(stack cdktf.TerraformStack) *Scope { return enter(stack, *stack.Node().Path()) }

func enter(stack cdktf.TerraformStack, path string) *Scope {
	reg := registryOf(stack.Node().Root())
	stackPath := *stack.Node().Path()
	info := reg.stacks[stackPath]
	if info == nil {
		info = &stackInfo{path: stackPath}
		reg.stacks[stackPath] = info
		stack.AddOverride(jsii.String("terraform.required_providers.aws.version"), jsii.String(ProviderVersion))
	}
	if info.region == "" {
		info.region = Region(stack) // read again until the stack has a literal region
	}
	if info.account == "" {
		info.account = Account(stack)
	}
	return &Scope{path: path, stack: stack, info: info, reg: reg}
}

// stackInfo is what the constructs of one stack need of it, read from jsii once.
type stackInfo struct {
	path, region, account string
}

// Path returns the construct path of the construct ("TapStackstage/Service").
func (s *Scope) Path() string { return s.path }

// Stack returns the stack the construct is defined in.
func (s *Scope) Stack() cdktf.TerraformStack { return s.stack }

// StackPath returns the construct path of the stack ("TapStackstage").
func (s *Scope) StackPath() string { return s.info.path }

// Label returns the construct's path below its stack without "Default" IDs (the
// construct CDK treats as its parent's own): "Web/LoadBalancer" for the path
// "ShopLMS/Web/Default/LoadBalancer", "Web" for "ShopLMS/Web/Default". It names the
// construct in rule descriptions and construct IDs of network.Connections; "" for the
// stack itself.
func (s *Scope) Label() string {
	var parts []string
	for _, p := range strings.Split(strings.TrimPrefix(strings.TrimPrefix(s.path, s.info.path), "/"), "/") {
		if p != "" && p != "Default" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, "/")
}

// Region returns the literal region of the stack's AWS provider without an alias, or ""
// when there is none or its region is a token.
func (s *Scope) Region() string { return s.info.region }

// Place returns where the stack deploys, as far as it is known at synth: the partition
// and region of its default AWS provider, and its account when the provider allows
// exactly one (Account).
func (s *Scope) Place() awsid.Place {
	if s.info.region == "" {
		return awsid.Place{Account: s.info.account}
	}
	p := awsid.In(s.info.region)
	p.Account = s.info.account
	return p
}

// RequireRegion returns an error naming the construct when the stack's default AWS
// provider has no literal region: account-wide names (IAM roles) carry it.
func (s *Scope) RequireRegion() error {
	if s.info.region != "" {
		if err := awsid.ValidateRegion(s.info.region); err != nil {
			return fmt.Errorf("%s: the region of the stack's default AWS provider: %w", s.path, err)
		}
		return nil
	}
	return fmt.Errorf("%s: the stack's default AWS provider has no literal region: IAM role names carry it, "+
		"since AWS keeps them unique across every region of the account. Set provider.AwsProviderConfig.Region "+
		"(not an environment variable, a variable or a token) before defining this construct", s.path)
}

// Identity returns the naming identity of the instance component of env in the stack:
// with the region of the stack's default AWS provider (account-wide names carry it;
// without one they cannot be built) and, when env keeps its PR suffix in state
// (naming.Environment.StampKept), a reference to the stack's terraform_data resource
// that holds it, defined on first use (input: the environment's first-deploy suffix;
// later changes ignored), so that every push keeps the names.
func (s *Scope) Identity(env naming.Environment, component string) (naming.Identity, error) {
	if env.IsZero() {
		return naming.Identity{}, fmt.Errorf("%s: the environment is the zero Environment (build one with naming.NewEnvironment)", s.path)
	}
	id, err := env.Identity(component)
	if err != nil {
		return naming.Identity{}, err
	}
	if s.info.region != "" {
		if err := s.RequireRegion(); err != nil {
			return naming.Identity{}, err
		}
		id = id.WithRegion(s.info.region)
	}
	if env.StampKept() {
		id = id.WithStampRef(s.stampRef(env))
	}
	return id, nil
}

// stampRef returns the reference to the PR suffix kept in state, defining the
// terraform_data resource that keeps it on first use in the stack.
func (s *Scope) stampRef(env naming.Environment) string {
	id := StampResourceID(env)
	var data cdktf.DataResource
	if c := s.stack.Node().TryFindChild(jsii.String(id)); c != nil {
		data = c.(cdktf.DataResource)
	} else {
		data = cdktf.NewDataResource(s.stack, jsii.String(id), &cdktf.DataConfig{
			Input:     &map[string]any{"suffix": env.Timestamp()},
			Lifecycle: &cdktf.TerraformResourceLifecycle{IgnoreChanges: &[]*string{jsii.String("input")}},
		})
	}
	ref := *data.GetStringAttribute(jsii.String("output.suffix"))
	s.reg.stamps[s.resolve(&ref)] = "{PR suffix of " + env.Project() + "/" + env.Name() + "}"
	return ref
}

// Region returns the literal region of the stack's AWS provider without an alias, or
// "" when there is none or its region is a token.
func Region(stack cdktf.TerraformStack) string {
	for _, c := range *stack.Node().Children() {
		p, ok := c.(provider.AwsProvider)
		if !ok || p.Alias() != nil {
			continue
		}
		if r := p.Region(); r != nil && !token.Is(*r) && !strings.Contains(*r, "${") {
			return *r
		}
	}
	return ""
}

// Account returns the account of the stack's AWS provider without an alias when it
// allows exactly one, as a literal account ID (allowed_account_ids), or "": the account
// is otherwise unknown at synth.
func Account(stack cdktf.TerraformStack) string {
	for _, c := range *stack.Node().Children() {
		p, ok := c.(provider.AwsProvider)
		if !ok || p.Alias() != nil {
			continue
		}
		if ids := p.AllowedAccountIds(); ids != nil && len(*ids) == 1 && (*ids)[0] != nil && accountID.MatchString(*(*ids)[0]) {
			return *(*ids)[0]
		}
	}
	return ""
}

var accountID = regexp.MustCompile(`^[0-9]{12}$`)

// resolve returns s as it will appear in the synthesized JSON of the stack: a token
// becomes its Terraform expression ("${aws_vpc.Network_VPC_F81DA5AA.id}"). Each read of
// a resource attribute is a new token, so tokens compare equal only once resolved.
func (s *Scope) resolve(v *string) string {
	if v == nil {
		return ""
	}
	if !token.Is(*v) {
		return *v
	}
	r := cdktf.Tokenization_Resolve(v, &cdktf.ResolveOptions{
		Resolver: cdktf.NewDefaultTokenResolver(cdktf.NewStringConcat()),
		Scope:    s.stack,
	})
	if str, ok := r.(string); ok {
		return str
	}
	return *v
}
