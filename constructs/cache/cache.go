package cache

import (
	"fmt"
	"strconv"

	"github.com/tapstack/infra/constructs/naming"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/elasticacheserverlesscache"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/secretsmanagersecret"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/secretsmanagersecretversion"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/securitygroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcsecuritygroupingressrule"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/internal/tfx"
)

// Cache is an ElastiCache Serverless cache with its security group and, optionally, a
// connection secret.
type Cache struct {
	constructs.Construct

	cfg     Config
	id      naming.Identity
	scope   *tfx.Scope
	names   names
	cache   elasticacheserverlesscache.ElasticacheServerlessCache
	sg      securitygroup.SecurityGroup
	secret  secretsmanagersecret.SecretsmanagerSecret
	version secretsmanagersecretversion.SecretsmanagerSecretVersion
	// allowed are the sources AllowFrom admitted, in order.
	allowed []string

	// Endpoint tokens, read once: every read is a jsii round trip.
	address, port, url *string
	portNumber         *float64
}

// New defines a Cache in scope. It validates cfg first and panics with every problem
// (the text Config.Validate returns) before defining any child. Its physical names are
// registered with the app, which refuses duplicates at synth (see docs/naming.md).
//
// Child IDs: "SecurityGroup", "ServerlessCache", with ConnectionSecret "ConnectionSecret" and
// "ConnectionSecretVersion", and "AllowFrom<n>" for the n-th source admitted by AllowFrom.
func New(scope constructs.Construct, id string, cfg Config) *Cache {
	tfx.MustBeValid("cache", id, cfg.Validate())
	if cfg.Network.VPCID() == nil {
		panic(fmt.Sprintf("cache.New(%q): Network has no VPC ID: pass the network from network.New (a plan from network.Config.Plan is for Validate only)", id))
	}
	c := &Cache{cfg: cfg.withDefaults(), scope: tfx.Enter(scope, id)}
	constructs.NewConstruct_Override(c, scope, jsii.String(id))
	c.id = c.scope.Identity(c.cfg.Environment, c.cfg.Component)
	c.names, _ = c.cfg.names(c.id) // checked by Validate; a cache has no account-wide name
	if c.cfg.Description == "" {
		c.cfg.Description = fmt.Sprintf("%s cache for %s", c.cfg.Engine, c.id.ID())
	}
	env := c.cfg.Environment
	tags := tfx.Tags(env, c.names.cache)

	sgName := c.names.securityGroup
	c.sg = securitygroup.NewSecurityGroup(c, jsii.String("SecurityGroup"), &securitygroup.SecurityGroupConfig{
		Name:        jsii.String(sgName),
		Description: jsii.String("ElastiCache Serverless " + c.names.cache + ": ingress only from allowed groups"),
		VpcId:       c.cfg.Network.VPCID(),
		Tags:        tfx.Tags(env, sgName),
		Lifecycle:   tfx.CreateBeforeDestroy(),
	})

	subnets := c.cfg.Network.PrivateSubnetIDs()
	if c.cfg.SubnetIDs != nil {
		subnets = tfx.Strings(c.cfg.SubnetIDs)
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

// claim registers the physical names with the app (tfx.Claim).
func (c *Cache) claim() {
	const fix = "cache.Config.Component"
	cacheFix := fix
	if c.cfg.Name != "" {
		cacheFix = "cache.Config.Name"
	}
	names := []tfx.Named{
		{Kind: naming.ServerlessCache, Name: c.names.cache, Child: "ServerlessCache", Fix: cacheFix},
		{Kind: naming.SecurityGroup, Name: c.names.securityGroup, Child: "SecurityGroup", Within: *c.cfg.Network.VPCID(), Fix: fix},
	}
	if c.secret != nil {
		names = append(names, tfx.Named{Kind: naming.Secret, Name: c.names.secret, Child: "ConnectionSecret", Fix: fix})
	}
	c.scope.Claim(names...)
}

func (c *Cache) usageLimits() *[]*elasticacheserverlesscache.ElasticacheServerlessCacheCacheUsageLimits {
	storage := &elasticacheserverlesscache.ElasticacheServerlessCacheCacheUsageLimitsDataStorage{
		Maximum: jsii.Number(float64(c.cfg.DataStorageMaxGB)),
		Unit:    jsii.String("GB"),
	}
	if c.cfg.DataStorageMinGB > 0 {
		storage.Minimum = jsii.Number(float64(c.cfg.DataStorageMinGB))
	}
	ecpu := &elasticacheserverlesscache.ElasticacheServerlessCacheCacheUsageLimitsEcpuPerSecond{
		Maximum: jsii.Number(float64(c.cfg.ECPUPerSecondMax)),
	}
	if c.cfg.ECPUPerSecondMin > 0 {
		ecpu.Minimum = jsii.Number(float64(c.cfg.ECPUPerSecondMin))
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
		Tags:                 tfx.Tags(env, name),
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

// AllowFrom admits TCP Port (6379) from the security group sourceSecurityGroupID (an
// ID or a token), and from nothing else. It is the one wiring point between a cache and
// its clients, and it is idempotent: a source admitted before adds no second rule (a
// service given this cache calls it for its tasks; calling it again for the same group
// is harmless). Each new source adds one ingress rule, "AllowFrom<n>". It panics when
// the source is nil or empty.
func (c *Cache) AllowFrom(sourceSecurityGroupID *string) {
	if sourceSecurityGroupID == nil || *sourceSecurityGroupID == "" {
		panic(fmt.Sprintf("cache %s: AllowFrom needs a security group ID, got nil or empty", *c.Node().Path()))
	}
	source := tfx.Resolved(c, sourceSecurityGroupID)
	for _, s := range c.allowed {
		if s == source {
			return
		}
	}
	id := "AllowFrom" + strconv.Itoa(len(c.allowed))
	c.allowed = append(c.allowed, source)
	vpcsecuritygroupingressrule.NewVpcSecurityGroupIngressRule(c, jsii.String(id), &vpcsecuritygroupingressrule.VpcSecurityGroupIngressRuleConfig{
		SecurityGroupId:           c.sg.Id(),
		ReferencedSecurityGroupId: sourceSecurityGroupID,
		IpProtocol:                jsii.String("tcp"),
		FromPort:                  jsii.Number(Port),
		ToPort:                    jsii.Number(Port),
		Description:               jsii.String(engineTitles[c.cfg.Engine] + " from an allowed security group"),
	})
}

// ListenPort returns the port clients connect to (Port), for their egress rules.
func (c *Cache) ListenPort() int { return Port }

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

// Resource returns the underlying aws_elasticache_serverless_cache.
func (c *Cache) Resource() elasticacheserverlesscache.ElasticacheServerlessCache { return c.cache }

// SecurityGroup returns the cache's aws_security_group.
func (c *Cache) SecurityGroup() securitygroup.SecurityGroup { return c.sg }

// ConnectionSecret returns the connection secret, or nil without ConnectionSecret.
func (c *Cache) ConnectionSecret() secretsmanagersecret.SecretsmanagerSecret { return c.secret }

// ConnectionSecretVersion returns the connection secret's version (its secret_string is
// the connection JSON), or nil without ConnectionSecret.
func (c *Cache) ConnectionSecretVersion() secretsmanagersecretversion.SecretsmanagerSecretVersion {
	return c.version
}
