package cache

import (
	"fmt"
	"strconv"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/elasticacheserverlesscache"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/secretsmanagersecret"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/secretsmanagersecretversion"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/securitygroup"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/awsid"
	"github.com/tapstack/infra/constructs/identity"
	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/constructs/network"
	"github.com/tapstack/infra/internal/jsiix"
)

// Cache is an ElastiCache Serverless cache with its security group and, optionally, a
// connection secret.
type Cache struct {
	constructs.Construct

	cfg     Config
	id      naming.Identity
	scope   *identity.Scope
	names   names
	cache   elasticacheserverlesscache.ElasticacheServerlessCache
	sg      securitygroup.SecurityGroup
	conns   *network.Connections
	secret  secretsmanagersecret.SecretsmanagerSecret
	version secretsmanagersecretversion.SecretsmanagerSecretVersion
	// clients counts the sources AllowFrom admitted, for the rule IDs "AllowFrom<n>".
	clients map[*network.Connections]bool

	// Endpoint tokens, read once: every read is a jsii round trip.
	address, port, url *string
	portNumber         *float64
}

// New defines a Cache in scope. It validates cfg first, against its network and the
// stack's region (Config.Validate; a network of another region is refused), and panics
// with every problem before defining any child. Its physical names are claimed in the
// app's registry, which refuses duplicates at synth (see docs/naming.md).
//
// Child IDs: "SecurityGroup", "ServerlessCache", with ConnectionSecret "ConnectionSecret"
// and "ConnectionSecretVersion", and "AllowFrom<n>" for the n-th client admitted by
// AllowFrom.
func New(scope constructs.Construct, id string, cfg Config) *Cache {
	sc := identity.Enter(scope, id)
	if cfg.Network == nil {
		jsiix.MustBeValid("cache.New", id, cfg.Validate())
	}
	jsiix.MustBeValid("cache.New", id, cfg.validateIn(cfg.Network.Layout(), sc.Place()))
	if err := samePlace(sc.Place(), cfg.Network.Place()); err != nil {
		panic(fmt.Sprintf("cache.New(%q): Network %v", id, err))
	}
	ident, err := sc.Identity(cfg.Environment, cfg.Component)
	if err != nil {
		panic(fmt.Sprintf("cache.New(%q): %v", id, err))
	}
	c := &Cache{cfg: cfg.withDefaults(), scope: sc, id: ident, clients: map[*network.Connections]bool{}}
	constructs.NewConstruct_Override(c, scope, jsii.String(id))
	c.names, err = c.cfg.names(c.id)
	jsiix.Must("cache.New", id, err)
	if c.cfg.Description == "" {
		c.cfg.Description = fmt.Sprintf("%s cache for %s", c.cfg.Engine, c.id.ID())
	}
	env := c.cfg.Environment
	tags := jsiix.Tags(env, c.names.cache)

	sgName := c.names.securityGroup
	c.sg = securitygroup.NewSecurityGroup(c, jsii.String("SecurityGroup"), &securitygroup.SecurityGroupConfig{
		Name:        jsii.String(sgName),
		Description: jsii.String("ElastiCache Serverless " + c.names.cache + ": ingress only from allowed groups"),
		VpcId:       c.cfg.Network.VPCID(),
		Tags:        jsiix.Tags(env, sgName),
		Lifecycle:   jsiix.CreateBeforeDestroy(),
	})
	c.conns = network.NewConnections(c, c.sg.Id(), label(sc))

	subnets := c.cfg.Network.PrivateSubnetIDs()
	if c.cfg.SubnetIDs != nil {
		subnets = jsiix.Strings(c.cfg.SubnetIDs)
	}
	props := &elasticacheserverlesscache.ElasticacheServerlessCacheConfig{
		Name:               jsii.String(c.names.cache),
		Engine:             jsii.String(string(c.cfg.Engine)),
		MajorEngineVersion: jsii.String(c.cfg.MajorEngineVersion),
		Description:        jsii.String(c.cfg.Description),
		SubnetIds:          subnets,
		SecurityGroupIds:   &[]*string{c.sg.Id()},
		Tags:               tags,
	}
	if c.cfg.KMSKeyARN != "" {
		props.KmsKeyId = jsii.String(c.cfg.KMSKeyARN)
	}
	if c.cfg.DailySnapshotTime != "" {
		props.DailySnapshotTime = jsii.String(c.cfg.DailySnapshotTime)
	}
	if c.cfg.SnapshotRetentionDays > 0 {
		props.SnapshotRetentionLimit = jsii.Number(float64(c.cfg.SnapshotRetentionDays))
	}
	if c.cfg.EnableUsageLimits {
		props.CacheUsageLimits = c.usageLimits()
	} else {
		// aws 5.x cannot remove usage limits in place (terraform-provider-aws#36374,
		// #41777): with limits off, leave whatever AWS has instead of failing the apply.
		props.Lifecycle = &cdktf.TerraformResourceLifecycle{IgnoreChanges: &[]*string{jsii.String("cache_usage_limits")}}
	}
	c.cache = elasticacheserverlesscache.NewElasticacheServerlessCache(c, jsii.String("ServerlessCache"), props)
	endpoint := c.cache.Endpoint().Get(jsii.Number(0))
	c.address, c.portNumber = endpoint.Address(), endpoint.Port()
	c.port = cdktf.Token_AsString(c.portNumber, nil)
	c.url = jsii.String("rediss://" + *c.address + ":" + *c.port)

	if c.cfg.ConnectionSecret {
		c.defineSecret()
	}
	c.claim()
	return c
}

// samePlace refuses a dependency of another partition or region than the construct's
// stack (what is unknown is not compared).
func samePlace(here, there awsid.Place) error {
	if here.Region != "" && there.Region != "" && here.Region != there.Region {
		return fmt.Errorf("is in region %s, not the stack's region %s: a construct and its network must be in one region", there.Region, here.Region)
	}
	return nil
}

// claim registers the physical names with the app (identity.Scope.Claim).
func (c *Cache) claim() {
	const fix = "cache.Config.Component"
	cacheFix := fix
	if c.cfg.Name != "" {
		cacheFix = "cache.Config.Name"
	}
	names := []identity.Name{
		{Kind: naming.ServerlessCache, Name: c.names.cache, Resource: "ServerlessCache", Fix: cacheFix},
		{Kind: naming.SecurityGroup, Name: c.names.securityGroup, Resource: "SecurityGroup", Within: c.cfg.Network.VPCID(), Fix: fix},
	}
	if c.secret != nil {
		names = append(names, identity.Name{Kind: naming.Secret, Name: c.names.secret, Resource: "ConnectionSecret", Fix: fix})
	}
	c.scope.Claim(names...)
}

func (c *Cache) usageLimits() *[]*elasticacheserverlesscache.ElasticacheServerlessCacheCacheUsageLimits {
	storage := &elasticacheserverlesscache.ElasticacheServerlessCacheCacheUsageLimitsDataStorage{
		Maximum: jsii.Number(float64(*c.cfg.DataStorageMaxGB)),
		Unit:    jsii.String("GB"),
	}
	if c.cfg.DataStorageMinGB != nil {
		storage.Minimum = jsii.Number(float64(*c.cfg.DataStorageMinGB))
	}
	ecpu := &elasticacheserverlesscache.ElasticacheServerlessCacheCacheUsageLimitsEcpuPerSecond{
		Maximum: jsii.Number(float64(*c.cfg.ECPUPerSecondMax)),
	}
	if c.cfg.ECPUPerSecondMin != nil {
		ecpu.Minimum = jsii.Number(float64(*c.cfg.ECPUPerSecondMin))
	}
	return &[]*elasticacheserverlesscache.ElasticacheServerlessCacheCacheUsageLimits{{
		DataStorage:   &[]*elasticacheserverlesscache.ElasticacheServerlessCacheCacheUsageLimitsDataStorage{storage},
		EcpuPerSecond: &[]*elasticacheserverlesscache.ElasticacheServerlessCacheCacheUsageLimitsEcpuPerSecond{ecpu},
	}}
}

func (c *Cache) defineSecret() {
	env := c.cfg.Environment
	name := c.names.secret
	props := &secretsmanagersecret.SecretsmanagerSecretConfig{
		Name:                 jsii.String(name),
		Description:          jsii.String("Connection data of the " + c.names.cache + " cache"),
		RecoveryWindowInDays: jsii.Number(float64(env.Profile().SecretRecoveryDays)),
		Tags:                 jsiix.Tags(env, name),
	}
	if c.cfg.KMSKeyARN != "" {
		props.KmsKeyId = jsii.String(c.cfg.KMSKeyARN)
	}
	c.secret = secretsmanagersecret.NewSecretsmanagerSecret(c, jsii.String("ConnectionSecret"), props)
	c.version = secretsmanagersecretversion.NewSecretsmanagerSecretVersion(c, jsii.String("ConnectionSecretVersion"),
		&secretsmanagersecretversion.SecretsmanagerSecretVersionConfig{
			SecretId:     c.secret.Id(),
			SecretString: jsii.String(c.connectionJSON()),
		})
}

// connectionJSON is the secret value: JSON text whose values are Terraform references,
// filled in by Terraform at apply time.
func (c *Cache) connectionJSON() string {
	return fmt.Sprintf(`{"engine":%q,"host":"%s","port":%s,"tls":true,"url":"%s"}`,
		c.cfg.Engine, *c.address, *c.port, *c.url)
}

// AllowFrom admits a client's security group on Port, both sides of the rule: the
// ingress on the cache's group ("AllowFrom<n>" for the n-th client admitted) and the
// egress on the client's group (under the client's owner; opts may name it,
// network.RuleIDs). It is idempotent: a client admitted before adds no rule. A service
// given this cache in lmsservice.Config.Cache calls it for its tasks. For a client that
// is not a construct of the library, use Connections().AllowFrom with a CIDR or a
// network.FromSecurityGroupID group. It panics when client is nil.
func (c *Cache) AllowFrom(client *network.Connections, opts ...network.RuleOption) {
	if client == nil {
		panic(fmt.Sprintf("cache %s: AllowFrom needs a client's Connections, got nil", *c.Node().Path()))
	}
	if c.clients[client] {
		return
	}
	id := "AllowFrom" + strconv.Itoa(len(c.clients))
	c.clients[client] = true
	c.conns.AllowFrom(client, network.TCP(Port), append([]network.RuleOption{network.RuleIDs(id, ""),
		network.Descriptions(engineTitles[c.cfg.Engine]+" from an allowed security group", "")}, opts...)...)
}

// Connections returns the cache's security group as network.Connections: the group
// admits nothing until AllowFrom or Connections().AllowFrom admits a client.
func (c *Cache) Connections() *network.Connections { return c.conns }

// Config returns the configuration with defaults applied.
func (c *Cache) Config() Config { return c.cfg }

// Name returns the cache name: a plain string known at synth, except in a PR
// environment whose suffix lives in Terraform state (naming.Environment.StampKept),
// where it holds a reference to that suffix (a token Terraform resolves).
func (c *Cache) Name() *string { return jsii.String(c.names.cache) }

// NameRef returns the cache name as a Terraform reference to the resource, for outputs
// that should wait for the cache to exist.
func (c *Cache) NameRef() *string { return c.cache.Name() }

// ARN returns the cache ARN (token).
func (c *Cache) ARN() *string { return c.cache.Arn() }

// Address returns the primary endpoint address: a reference to endpoint[0].address.
func (c *Cache) Address() *string { return c.address }

// Port returns the primary endpoint port: a reference to endpoint[0].port.
func (c *Cache) Port() *float64 { return c.portNumber }

// PortString returns Port as a string token, for environment variables and templates.
func (c *Cache) PortString() *string { return c.port }

// ReaderAddress returns the reader endpoint address: reader_endpoint[0].address.
func (c *Cache) ReaderAddress() *string {
	return c.cache.ReaderEndpoint().Get(jsii.Number(0)).Address()
}

// ConnectionURL returns "rediss://<address>:<port>" (serverless caches are TLS only).
func (c *Cache) ConnectionURL() *string { return c.url }

// SecurityGroupID returns the cache's security group ID (token).
func (c *Cache) SecurityGroupID() *string { return c.sg.Id() }

// ConnectionSecretARN returns the connection secret's ARN (token), and false when the
// cache has no connection secret (Config.ConnectionSecret is false): check the second
// result before using the first.
func (c *Cache) ConnectionSecretARN() (*string, bool) {
	if c.secret == nil {
		return nil, false
	}
	return c.secret.Arn(), true
}

// HasConnectionSecret reports whether the cache has a connection secret.
func (c *Cache) HasConnectionSecret() bool { return c.secret != nil }

// ServerlessCache returns the underlying aws_elasticache_serverless_cache.
func (c *Cache) ServerlessCache() elasticacheserverlesscache.ElasticacheServerlessCache {
	return c.cache
}

// SecurityGroup returns the cache's aws_security_group.
func (c *Cache) SecurityGroup() securitygroup.SecurityGroup { return c.sg }

// ConnectionSecret returns the connection secret, and false without ConnectionSecret.
func (c *Cache) ConnectionSecret() (secretsmanagersecret.SecretsmanagerSecret, bool) {
	return c.secret, c.secret != nil
}

// ConnectionSecretVersion returns the connection secret's version (its secret_string is
// the connection JSON), and false without ConnectionSecret.
func (c *Cache) ConnectionSecretVersion() (secretsmanagersecretversion.SecretsmanagerSecretVersion, bool) {
	return c.version, c.version != nil
}

// Identity returns the naming identity of the cache's instance in its stack.
func (c *Cache) Identity() naming.Identity { return c.id }

// Place returns where the cache's stack deploys.
func (c *Cache) Place() awsid.Place { return c.scope.Place() }

// label names the cache in the rules of its Connections ("Cache").
func label(sc *identity.Scope) string {
	if l := sc.Label(); l != "" {
		return l
	}
	return "cache"
}
