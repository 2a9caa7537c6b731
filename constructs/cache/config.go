package cache

import (
	"errors"
	"regexp"
	"slices"
	"strconv"

	"github.com/tapstack/infra/awsid"
	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/constructs/network"
	"github.com/tapstack/infra/field"
	"github.com/tapstack/infra/internal/check"
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
	DefaultDataStorage = 10   // GB, when EnableUsageLimits and DataStorageMaxGB is nil
	DefaultECPU        = 5000 // ECPU/s, when EnableUsageLimits and ECPUPerSecondMax is nil
)

// MaxSnapshotRetentionDays is the longest snapshot retention ElastiCache Serverless
// keeps.
const MaxSnapshotRetentionDays = 35

// Port is the port of the primary endpoint, which AllowFrom opens. Serverless caches
// serve reads on Port+1 (ReaderPort).
const Port = 6379

var majorVersions = map[Engine][]string{EngineRedis: {"7"}, EngineValkey: {"7", "8"}}

// engineTitles are the engines' names in prose.
var engineTitles = map[Engine]string{EngineRedis: "Redis", EngineValkey: "Valkey"}

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
	// SubnetIDs is set, its private subnets hold the cache. Required (from network.New or
	// network.FromAttributes), in the cache's region.
	Network *network.Network
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
	// Description of the cache, literal text (no "${" or "%{"). Default: "<engine>
	// cache for <env>" (with the suffix reference in a PR environment whose suffix lives
	// in state).
	Description string
	// KMSKeyARN encrypts the cache (and the connection secret) with a customer managed
	// key. Default: "" (AWS managed keys). Must be a full key ARN of the stack's
	// partition and region, not a key ID (the provider reports a key ID as a perpetual
	// diff), or a cdktf token.
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
	// DataStorageMaxGB is the data storage maximum in GB, 1 to 5000. Default (nil) with
	// limits: 10. Set it with new(gb).
	DataStorageMaxGB *int
	// DataStorageMinGB is the data storage minimum in GB, 1 to DataStorageMaxGB. Default
	// (nil): none.
	DataStorageMinGB *int
	// ECPUPerSecondMax is the ECPU per second maximum, 1000 to 15000000. Default (nil)
	// with limits: 5000.
	ECPUPerSecondMax *int
	// ECPUPerSecondMin is the ECPU per second minimum, 1000 to ECPUPerSecondMax. Default
	// (nil): none.
	ECPUPerSecondMin *int

	// ConnectionSecret adds a Secrets Manager secret
	// "<project>/<env>/[<component>/]redis-connection" ("lms/stage/redis-connection")
	// whose value is JSON with engine, host, port, tls and url (host, port and url Terraform
	// references to the cache endpoint). Its recovery window follows the environment profile (0 days for PR
	// environments). Default: false.
	ConnectionSecret bool
}

func (c Config) withDefaults() Config {
	if c.Engine == "" {
		c.Engine = EngineRedis
	}
	if c.MajorEngineVersion == "" {
		c.MajorEngineVersion = "7"
	}
	if c.EnableUsageLimits {
		if c.DataStorageMaxGB == nil {
			c.DataStorageMaxGB = new(DefaultDataStorage)
		}
		if c.ECPUPerSecondMax == nil {
			c.ECPUPerSecondMax = new(DefaultECPU)
		}
	}
	return c
}

var (
	snapshotTime = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)
)

// Validate returns every problem of c at once (field.Error values, joined), each naming
// the field and the bad value, Network's placement included. It needs no jsii.
func (c Config) Validate() error {
	var l field.List
	if c.Network == nil {
		l.Add("Network", "", "is required (the cache needs a VPC and subnets): a network from network.New or network.FromAttributes")
		l.Include("", c.ValidateFor(network.Layout{PrivateSubnets: -1}))
		return l.Err()
	}
	return c.ValidateFor(c.Network.Layout())
}

// ValidateFor is Validate for a cache whose network is not defined yet (a composition
// that validates everything before it defines anything): net stands for the network
// (network.Config.Layout or network.Attributes.Layout), and Network may be nil. New
// calls it with the network's layout and its stack's place.
func (c Config) ValidateFor(net network.Layout) error { return c.validateIn(net, net.Place) }

func (c Config) validateIn(net network.Layout, p awsid.Place) error {
	c = c.withDefaults()
	var l field.List
	if id, ok := check.Identity(&l, c.Environment, c.Component); ok {
		if _, err := c.names(id); err != nil {
			l.Check("Component", c.Component, err)
		}
	}
	if c.SubnetIDs == nil && net.PrivateSubnets == 0 {
		l.Add("Network", "", "has no private subnets for the cache: give it some, or set SubnetIDs")
	}
	if c.SubnetIDs != nil && len(c.SubnetIDs) == 0 {
		l.Add("SubnetIDs", "", "is empty; leave it nil to use the Network's private subnets")
	}
	for i, id := range c.SubnetIDs {
		check.ID(&l, field.Index("SubnetIDs", i), id, awsid.SubnetID)
	}
	if c.Name != "" && check.Literal(&l, "Name", c.Name) {
		l.Check("Name", c.Name, naming.Check(naming.ServerlessCache, c.Name))
	}
	versions, ok := majorVersions[c.Engine]
	if !ok {
		l.Addf("Engine", string(c.Engine), "is not supported (want %q or %q)", EngineRedis, EngineValkey)
	} else if !slices.Contains(versions, c.MajorEngineVersion) {
		l.Addf("MajorEngineVersion", c.MajorEngineVersion, "is not available for engine %q (want one of %q)", c.Engine, versions)
	}
	check.Literal(&l, "Description", c.Description)
	check.ARN(&l, "KMSKeyARN", c.KMSKeyARN, awsid.KMSKeyARN, p)
	if c.DailySnapshotTime != "" && !snapshotTime.MatchString(c.DailySnapshotTime) {
		l.Add("DailySnapshotTime", c.DailySnapshotTime, `is not a UTC time like "03:30"`)
	}
	if d := c.SnapshotRetentionDays; d < 0 || d > MaxSnapshotRetentionDays {
		l.Addf("SnapshotRetentionDays", strconv.Itoa(d), "is out of range 0-%d", MaxSnapshotRetentionDays)
	}
	c.validateLimits(&l)
	return l.Err()
}

func (c Config) validateLimits(l *field.List) {
	limits := []struct {
		field    string
		value    *int
		min, max int
	}{
		{"DataStorageMaxGB", c.DataStorageMaxGB, MinDataStorageGB, MaxDataStorageGB},
		{"DataStorageMinGB", c.DataStorageMinGB, MinDataStorageGB, MaxDataStorageGB},
		{"ECPUPerSecondMax", c.ECPUPerSecondMax, MinECPUPerSecond, MaxECPUPerSecond},
		{"ECPUPerSecondMin", c.ECPUPerSecondMin, MinECPUPerSecond, MaxECPUPerSecond},
	}
	for _, x := range limits {
		switch {
		case x.value == nil:
		case !c.EnableUsageLimits:
			l.Add(x.field, strconv.Itoa(*x.value), "needs EnableUsageLimits: set EnableUsageLimits to true to apply usage limits")
		case *x.value < x.min || *x.value > x.max:
			l.Addf(x.field, strconv.Itoa(*x.value), "is out of range %d-%d", x.min, x.max)
		}
	}
	if !c.EnableUsageLimits {
		return
	}
	if c.DataStorageMinGB != nil && *c.DataStorageMinGB > *c.DataStorageMaxGB {
		l.Addf("DataStorageMinGB", strconv.Itoa(*c.DataStorageMinGB), "is greater than DataStorageMaxGB %d", *c.DataStorageMaxGB)
	}
	if c.ECPUPerSecondMin != nil && *c.ECPUPerSecondMin > *c.ECPUPerSecondMax {
		l.Addf("ECPUPerSecondMin", strconv.Itoa(*c.ECPUPerSecondMin), "is greater than ECPUPerSecondMax %d", *c.ECPUPerSecondMax)
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
