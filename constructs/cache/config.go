package cache

import (
	"errors"
	"regexp"
	"slices"

	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/constructs/network"
	"github.com/tapstack/infra/internal/tfx"
)

// Engine is the cache engine.
type Engine string

// Engines ElastiCache Serverless offers.
const (
	EngineRedis  Engine = "redis"
	EngineValkey Engine = "valkey"
)

// Usage limit ranges, as ElastiCache Serverless accepts them.
const (
	MinDataStorageGB   = 1
	MaxDataStorageGB   = 5000
	MinECPUPerSecond   = 1000
	MaxECPUPerSecond   = 15000000
	DefaultDataStorage = 10   // GB, when EnableUsageLimits and DataStorageMaxGB is 0
	DefaultECPU        = 5000 // ECPU/s, when EnableUsageLimits and ECPUPerSecondMax is 0
)

// MaxSnapshotRetentionDays is the longest snapshot retention ElastiCache Serverless
// keeps.
const MaxSnapshotRetentionDays = 35

// Port is the port of the primary endpoint, which AllowFrom opens. Serverless caches
// serve reads on Port+1.
const Port = 6379

var majorVersions = map[Engine][]string{EngineRedis: {"7"}, EngineValkey: {"7", "8"}}

// engineTitles are the engines' names in prose.
var engineTitles = map[Engine]string{EngineRedis: "Redis", EngineValkey: "Valkey"}

// Connection is what a service needs from the cache it connects to. A *Cache is one;
// Config.Plan gives one before anything is defined, so that a composition can be
// validated without jsii (the token accessors of a plan return nil).
type Connection interface {
	// HasConnectionSecret and ListenPort are known before the cache is defined.
	HasConnectionSecret() bool
	ListenPort() int
	// SecurityGroupID, Address, PortString and ConnectionSecretARN are tokens.
	SecurityGroupID() *string
	Address() *string
	PortString() *string
	ConnectionSecretARN() (*string, bool)
	// AllowFrom admits a client security group (idempotent per group).
	AllowFrom(sourceSecurityGroupID *string)
}

// Plan returns the Connection a Cache built from c will offer, for validating a
// service before anything is defined. Its token accessors return nil and its AllowFrom
// panics: pass a *Cache to a construct's New.
func (c Config) Plan() Connection { return planned{c} }

type planned struct{ cfg Config }

// HasConnectionSecret says whether the planned cache has a connection secret.
func (p planned) HasConnectionSecret() bool { return p.cfg.ConnectionSecret }

// ListenPort is the planned cache's port.
func (p planned) ListenPort() int { return Port }

// SecurityGroupID is nil: the cache is not defined yet.
func (p planned) SecurityGroupID() *string { return nil }

// Address is nil: the cache is not defined yet.
func (p planned) Address() *string { return nil }

// PortString is nil: the cache is not defined yet.
func (p planned) PortString() *string { return nil }

// ConnectionSecretARN is nil (and whether there will be a secret).
func (p planned) ConnectionSecretARN() (*string, bool) { return nil, p.cfg.ConnectionSecret }

// AllowFrom panics: a plan cannot admit clients.
func (p planned) AllowFrom(*string) {
	panic("cache: AllowFrom on a plan (cache.Config.Plan): pass the cache from cache.New")
}

// Config configures a Cache.
type Config struct {
	// Environment names and tags every resource. Required.
	Environment naming.Environment
	// Component is the instance name that tells this cache apart from another one of the
	// same environment in the stack ("sessions", "jobs"): lowercase letters, digits and
	// single hyphens, at most naming.MaxComponentLength. It goes into every physical name
	// ("lms-jobs-redis-stage", "lms/stage/jobs/redis-connection"). Default: "", today's
	// names. Changing it renames, so replaces, the cache and its secret.
	Component string
	// Network places the cache: its VPC gets the cache's security group and, unless
	// SubnetIDs is set, its private subnets hold the cache. Required: a *network.Network
	// (network.Config.Plan() is enough for Validate).
	Network network.Placement
	// SubnetIDs overrides the subnets (tokens allowed). Default: the Network's private
	// subnets. When set, it must not be empty.
	SubnetIDs []string

	// Name of the cache: lowercase letters, digits and single hyphens, starting with a
	// letter, at most 40 characters. Default: "<project>-[<component>-]redis-<env>"
	// ("lms-redis-stage", whatever the engine: see docs/cache.md; shortened with a stable
	// hash when longer than 40). Changing it replaces the cache.
	Name string
	// Engine: EngineRedis or EngineValkey. Default: EngineRedis.
	Engine Engine
	// MajorEngineVersion: "7" for redis; "7" or "8" for valkey. Default: "7".
	MajorEngineVersion string
	// Description of the cache. Default: "<engine> cache for <env>" (with the suffix
	// reference in a PR environment whose suffix lives in state).
	Description string
	// KMSKeyARN encrypts the cache (and the connection secret) with a customer managed
	// key. Default: "" (AWS managed keys). Must be a full key ARN, not a key ID (the
	// provider reports a key ID as a perpetual diff), or a Terraform reference to one.
	KMSKeyARN string
	// DailySnapshotTime is the UTC time ("HH:MM") of the daily snapshot. Default: "",
	// chosen by AWS.
	DailySnapshotTime string
	// SnapshotRetentionDays keeps daily snapshots this many days, 0 to 35. Default: 0
	// (no automatic snapshots).
	SnapshotRetentionDays int

	// EnableUsageLimits adds the cache_usage_limits block. Default: false, and then no
	// limit field may be set. Read docs/cache.md before turning it off on an existing
	// cache.
	EnableUsageLimits bool
	// DataStorageMaxGB is the data storage maximum in GB, 1 to 5000. Default with limits:
	// 10.
	DataStorageMaxGB int
	// DataStorageMinGB is the data storage minimum in GB, 1 to DataStorageMaxGB. Default:
	// none.
	DataStorageMinGB int
	// ECPUPerSecondMax is the ECPU per second maximum, 1000 to 15000000. Default with
	// limits: 5000.
	ECPUPerSecondMax int
	// ECPUPerSecondMin is the ECPU per second minimum, 1000 to ECPUPerSecondMax. Default:
	// none.
	ECPUPerSecondMin int

	// ConnectionSecret adds a Secrets Manager secret
	// "<project>/<env>/[<component>/]redis-connection" ("lms/stage/redis-connection")
	// whose value is JSON with host, port, tls and url, all Terraform references to the
	// cache endpoint. Its recovery window follows the environment profile (0 days for PR
	// environments). Default: false.
	ConnectionSecret bool
}

func (c Config) withDefaults() Config {
	if tfx.IsNil(c.Network) { // a nil *network.Network in the interface is no network
		c.Network = nil
	}
	if c.Engine == "" {
		c.Engine = EngineRedis
	}
	if c.MajorEngineVersion == "" {
		c.MajorEngineVersion = "7"
	}
	if c.EnableUsageLimits {
		if c.DataStorageMaxGB == 0 {
			c.DataStorageMaxGB = DefaultDataStorage
		}
		if c.ECPUPerSecondMax == 0 {
			c.ECPUPerSecondMax = DefaultECPU
		}
	}
	return c
}

var (
	snapshotTime = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)
)

// Validate returns every problem of c at once, each naming the field and the bad value.
// It needs no jsii: with Network set to network.Config.Plan() it checks a cache before
// anything is defined.
func (c Config) Validate() error {
	c = c.withDefaults()
	var problems tfx.Problems
	add := problems.Addf
	envSet := problems.RequireEnvironment(c.Environment)
	if id, ok := problems.Identity(c.Environment, c.Component, envSet); ok {
		if _, err := c.names(id); err != nil {
			add("Environment %q, Component %q: %v", c.Environment, c.Component, err)
		}
	}
	if c.Network == nil {
		add("Network is required (the cache needs a VPC and subnets)")
	} else if l := c.Network.Layout(); c.SubnetIDs == nil && l.PrivateSubnets == 0 {
		add("Network has no private subnets for the cache: give it some, or set SubnetIDs")
	}
	if c.SubnetIDs != nil && len(c.SubnetIDs) == 0 {
		add("SubnetIDs is empty; leave it nil to use the Network's private subnets")
	}
	if c.Name != "" {
		if err := naming.Check(naming.ServerlessCache, c.Name); err != nil {
			add("Name: %v", err)
		}
	}
	versions, ok := majorVersions[c.Engine]
	if !ok {
		add("Engine %q is not supported (want %q or %q)", c.Engine, EngineRedis, EngineValkey)
	} else if !slices.Contains(versions, c.MajorEngineVersion) {
		add("MajorEngineVersion %q is not available for engine %q (want one of %q)", c.MajorEngineVersion, c.Engine, versions)
	}
	if c.KMSKeyARN != "" && !tfx.IsToken(c.KMSKeyARN) && !tfx.IsKMSKeyARN(c.KMSKeyARN) {
		add("KMSKeyARN %q is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)", c.KMSKeyARN)
	}
	if c.DailySnapshotTime != "" && !snapshotTime.MatchString(c.DailySnapshotTime) {
		add("DailySnapshotTime %q is not a UTC time like \"03:30\"", c.DailySnapshotTime)
	}
	if c.SnapshotRetentionDays < 0 || c.SnapshotRetentionDays > MaxSnapshotRetentionDays {
		add("SnapshotRetentionDays %d must be between 0 and %d", c.SnapshotRetentionDays, MaxSnapshotRetentionDays)
	}
	c.validateLimits(add)
	return problems.Err()
}

func (c Config) validateLimits(add func(string, ...any)) {
	limits := []struct {
		field    string
		value    int
		min, max int
	}{
		{"DataStorageMaxGB", c.DataStorageMaxGB, MinDataStorageGB, MaxDataStorageGB},
		{"DataStorageMinGB", c.DataStorageMinGB, MinDataStorageGB, MaxDataStorageGB},
		{"ECPUPerSecondMax", c.ECPUPerSecondMax, MinECPUPerSecond, MaxECPUPerSecond},
		{"ECPUPerSecondMin", c.ECPUPerSecondMin, MinECPUPerSecond, MaxECPUPerSecond},
	}
	for _, l := range limits {
		switch {
		case l.value == 0:
		case !c.EnableUsageLimits:
			add("%s is %d but EnableUsageLimits is false: set EnableUsageLimits to true to apply usage limits", l.field, l.value)
		case l.value < l.min || l.value > l.max:
			add("%s %d is out of range %d-%d", l.field, l.value, l.min, l.max)
		}
	}
	if c.DataStorageMinGB != 0 && c.DataStorageMinGB > c.DataStorageMaxGB && c.EnableUsageLimits {
		add("DataStorageMinGB %d is greater than DataStorageMaxGB %d", c.DataStorageMinGB, c.DataStorageMaxGB)
	}
	if c.ECPUPerSecondMin != 0 && c.ECPUPerSecondMin > c.ECPUPerSecondMax && c.EnableUsageLimits {
		add("ECPUPerSecondMin %d is greater than ECPUPerSecondMax %d", c.ECPUPerSecondMin, c.ECPUPerSecondMax)
	}
}

// names are the physical names a Cache creates.
type names struct {
	cache, securityGroup, secret string
}

// names derives the physical names from the instance's identity; an explicit Name is
// used as it is and checked separately.
//
// The names say "redis" whatever the engine, on purpose: AWS upgrades a serverless cache
// from Redis OSS to Valkey in place, and the provider plans that as an update
// (docs/lifecycle.md shows it); a name that followed the engine would turn the upgrade
// into a replacement that loses the cache's data and its connection secret.
func (c Config) names(id naming.Identity) (names, error) {
	var n names
	var errs [3]error
	n.cache = c.Name
	if n.cache == "" {
		n.cache, errs[0] = id.Resource(naming.ServerlessCache, "redis")
		n.securityGroup, errs[1] = id.Resource(naming.SecurityGroup, "cache")
	} else {
		// The group's description names the cache, and a new description replaces the
		// group: its name must change with the cache's, or the new group (created before
		// the old one goes) would clash with the old one's name.
		n.securityGroup, errs[1] = naming.Fit(naming.SecurityGroup, c.Name+"-sg")
	}
	n.secret, errs[2] = id.Path(naming.Secret, "redis-connection")
	return n, errors.Join(errs[:]...)
}
