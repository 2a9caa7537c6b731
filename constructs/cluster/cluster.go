package cluster

import (
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ecscluster"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ecsclustercapacityproviders"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/awsid"
	"github.com/tapstack/infra/constructs/identity"
	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/field"
	"github.com/tapstack/infra/internal/check"
	"github.com/tapstack/infra/internal/jsiix"
	"github.com/tapstack/infra/internal/token"
)

// The capacity providers of Fargate.
const (
	CapacityFargate     = "FARGATE"
	CapacityFargateSpot = "FARGATE_SPOT"
)

// Config configures a new cluster.
type Config struct {
	// Environment names and tags the cluster. Required.
	Environment naming.Environment
	// Component tells this cluster apart from another one of the environment in the
	// stack: lowercase letters, digits and single hyphens, at most
	// naming.MaxComponentLength. Default: "", the name "<project>-cluster-<env>"
	// ("lms-cluster-stage"); with a component "lms-<component>-cluster-<env>". Changing
	// it renames, so replaces, the cluster.
	Component string
	// ContainerInsights collects task metrics in CloudWatch. Default (nil): on. Set it
	// with new(false) to turn it off.
	ContainerInsights *bool
}

// Validate returns every problem of c (field.Error values, joined), naming the field and
// the value. It needs no jsii.
func (c Config) Validate() error {
	var l field.List
	if id, ok := check.Identity(&l, c.Environment, c.Component); ok {
		if _, err := id.Resource(naming.ECSCluster, "cluster"); err != nil {
			l.Check("Component", c.Component, err)
		}
	}
	return l.Err()
}

// Attributes describe an existing cluster, for FromAttributes.
type Attributes struct {
	// ARN of the cluster: a literal ECS cluster ARN, or a cdktf token (another stack's
	// output, a data source). Required.
	ARN string
	// FargateSpot says that the cluster has the FARGATE_SPOT capacity provider, so that
	// services may run on Spot (the shared platform's cluster has it). Default: false.
	FargateSpot bool
}

// Validate returns every problem of a (field.Error values, joined).
func (a Attributes) Validate() error { return a.ValidateIn(awsid.Place{}) }

// ValidateIn is Validate for a stack deployed at p: the ARN must be of its partition,
// region and account (what of p is unknown is not compared). FromAttributes calls it
// with its stack's place.
func (a Attributes) ValidateIn(p awsid.Place) error {
	var l field.List
	if a.ARN == "" {
		l.Add("ARN", "", "is required: the ARN of the existing cluster")
	}
	check.ARN(&l, "ARN", a.ARN, awsid.ClusterARN, p)
	return l.Err()
}

// Cluster is an ECS cluster: a new one (New) or an existing one (FromAttributes).
type Cluster struct {
	constructs.Construct

	arn, name *string
	spot      bool
	place     awsid.Place
	resource  ecscluster.EcsCluster
	providers ecsclustercapacityproviders.EcsClusterCapacityProviders
}

// New defines a cluster in scope. It validates cfg first and panics with every problem
// (the text Config.Validate returns) before defining any child; the name is claimed in
// the app's registry (docs/naming.md).
//
// Child IDs: "Default" (the aws_ecs_cluster: its logical ID is the construct's own,
// "<parent>_<id>"), "CapacityProviders" (FARGATE and FARGATE_SPOT, the default strategy
// from the environment profile).
func New(scope constructs.Construct, id string, cfg Config) *Cluster {
	jsiix.MustBeValid("cluster.New", id, cfg.Validate())
	sc := identity.Enter(scope, id)
	ident, err := sc.Identity(cfg.Environment, cfg.Component)
	if err != nil {
		panic(fmt.Sprintf("cluster.New(%q): %v", id, err))
	}
	name, err := ident.Resource(naming.ECSCluster, "cluster")
	jsiix.Must("cluster.New", id, err)
	c := &Cluster{place: sc.Place(), spot: true}
	constructs.NewConstruct_Override(c, scope, jsii.String(id))
	insights := "enabled"
	if cfg.ContainerInsights != nil && !*cfg.ContainerInsights {
		insights = "disabled"
	}
	c.resource = ecscluster.NewEcsCluster(c, jsii.String("Default"), &ecscluster.EcsClusterConfig{
		Name:    jsii.String(name),
		Setting: &[]*ecscluster.EcsClusterSetting{{Name: jsii.String("containerInsights"), Value: jsii.String(insights)}},
		Tags:    jsiix.Tags(cfg.Environment, name),
	})
	c.arn, c.name = c.resource.Arn(), c.resource.Name()
	def := CapacityFargate
	if cfg.Environment.Profile().FargateSpot {
		def = CapacityFargateSpot
	}
	c.providers = ecsclustercapacityproviders.NewEcsClusterCapacityProviders(c, jsii.String("CapacityProviders"),
		&ecsclustercapacityproviders.EcsClusterCapacityProvidersConfig{
			ClusterName:       c.name,
			CapacityProviders: jsii.Strings(CapacityFargate, CapacityFargateSpot),
			DefaultCapacityProviderStrategy: &[]*ecsclustercapacityproviders.EcsClusterCapacityProvidersDefaultCapacityProviderStrategy{{
				CapacityProvider: jsii.String(def), Weight: jsii.Number(1),
			}},
		})
	sc.Claim(identity.Name{Kind: naming.ECSCluster, Name: name, Resource: "Default", Fix: "cluster.Config.Component"})
	return c
}

// FromAttributes adopts an existing cluster: it defines nothing. It panics with every
// problem of attrs (Attributes.Validate, and an ARN of another partition or region than
// the stack's) before defining anything.
func FromAttributes(scope constructs.Construct, id string, attrs Attributes) *Cluster {
	sc := identity.Enter(scope, id)
	jsiix.MustBeValid("cluster.FromAttributes", id, attrs.ValidateIn(sc.Place()))
	c := &Cluster{arn: jsii.String(attrs.ARN), spot: attrs.FargateSpot, place: sc.Place()}
	constructs.NewConstruct_Override(c, scope, jsii.String(id))
	if token.Is(attrs.ARN) {
		c.name = cdktf.Token_AsString(cdktf.Fn_Element(cdktf.Fn_Split(jsii.String("/"), c.arn), jsii.Number(1)), nil)
	} else {
		a, _ := awsid.ClusterARN.Parse(attrs.ARN) // checked above
		c.name = jsii.String(a.Resource[len("cluster/"):])
	}
	return c
}

// ARN returns the cluster's ARN (a token for a new cluster).
func (c *Cluster) ARN() *string { return c.arn }

// Name returns the cluster's name: a token for a new cluster, or read from the ARN
// (a Terraform expression when the ARN is a token).
func (c *Cluster) Name() *string { return c.name }

// FargateSpot reports whether services may run on Fargate Spot in the cluster.
func (c *Cluster) FargateSpot() bool { return c.spot }

// Place returns where the cluster's stack deploys (partition and region, when known).
func (c *Cluster) Place() awsid.Place { return c.place }

// ECSCluster returns the aws_ecs_cluster, and false for an existing cluster.
func (c *Cluster) ECSCluster() (ecscluster.EcsCluster, bool) { return c.resource, c.resource != nil }

// CapacityProviders returns the aws_ecs_cluster_capacity_providers, and false for an
// existing cluster.
func (c *Cluster) CapacityProviders() (ecsclustercapacityproviders.EcsClusterCapacityProviders, bool) {
	return c.providers, c.providers != nil
}
