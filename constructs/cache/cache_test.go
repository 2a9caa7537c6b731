package cache_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/kmskey"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/securitygroup"
	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/constructs/cache"
	"github.com/tapstack/infra/constructs/naming"
	"github.com/tapstack/infra/constructs/network"
	"github.com/tapstack/infra/internal/testutil"
)

func TestMain(m *testing.M) { testutil.Main(m) }

var (
	stage = naming.MustEnvironment("stage", naming.Options{})
	prod  = naming.MustEnvironment("prod", naming.Options{})
	pr    = naming.MustEnvironment("pr4892", naming.Options{Timestamp: "123456"})
)

const (
	kmsKey   = "arn:aws:kms:ca-central-1:123456789012:key/0b6c8f7e-1234-4d5e-9f00-0123456789ab"
	mockHost = "mock.serverless.cac1.cache.amazonaws.com"
)

var (
	variants = testutil.NewVariants()
	built    = map[string]*cache.Cache{}
)

// get returns the cache of a variant, synthesizing the variant on first use, so that
// every test stands alone.
func get(t *testing.T, name string) *cache.Cache {
	t.Helper()
	variants.Synth(t, name)
	return built[name]
}

// add registers a variant: a network, a cache with cfg, and, when allow is set, a client
// security group allowed in. Every variant outputs the connection URL; with a connection
// secret it also outputs the secret's JSON.
func add(name string, cfg cache.Config, allow bool, asserts ...string) {
	variants.Add(name, func() cdktf.TerraformStack {
		stack := testutil.NewStack("Test")
		cfg.Network = network.New(stack, "Network", network.Config{Environment: cfg.Environment, NAT: network.NATNone})
		c := cache.New(stack, "Cache", cfg)
		if allow {
			client := securitygroup.NewSecurityGroup(stack, jsii.String("Client"), &securitygroup.SecurityGroupConfig{
				VpcId: cfg.Network.VPCID(), Description: jsii.String("client"),
			})
			c.AllowFrom(network.NewConnections(stack, client.Id(), "Client"))
		}
		cdktf.NewTerraformOutput(stack, jsii.String("url"), &cdktf.TerraformOutputConfig{Value: c.ConnectionURL()})
		if cfg.ConnectionSecret {
			version, _ := c.ConnectionSecretVersion()
			cdktf.NewTerraformOutput(stack, jsii.String("secret"), &cdktf.TerraformOutputConfig{
				Value: version.SecretString(), Sensitive: jsii.Bool(true),
			})
		}
		built[name] = c
		return stack
	}, asserts...)
}

func init() {
	url := func(v string) string {
		return `module.` + v + `.url == "rediss://` + mockHost + `:6379"`
	}
	add("default", cache.Config{Environment: stage}, false, url("default"))
	add("limits", cache.Config{Environment: stage, EnableUsageLimits: true, DataStorageMinGB: new(2), DataStorageMaxGB: new(20),
		ECPUPerSecondMin: new(1000), ECPUPerSecondMax: new(10000)}, false, url("limits"))
	add("valkey", cache.Config{Environment: prod, Engine: cache.EngineValkey, MajorEngineVersion: "8", KMSKeyARN: kmsKey,
		DailySnapshotTime: "03:30", SnapshotRetentionDays: 7, Name: "shop-sessions", ConnectionSecret: true}, true, url("valkey"),
		`jsondecode(module.valkey.secret).engine == "valkey"`, `jsondecode(module.valkey.secret).url == "rediss://`+mockHost+`:6379"`)
	add("secret-pr", cache.Config{Environment: pr, ConnectionSecret: true}, true, url("secret-pr"),
		`jsondecode(module.secret-pr.secret).host == "`+mockHost+`"`,
		`jsondecode(module.secret-pr.secret).port == 6379`,
		`jsondecode(module.secret-pr.secret).url == "rediss://`+mockHost+`:6379"`,
		`jsondecode(module.secret-pr.secret).tls == true`)
}

func TestUsageLimitsOff(t *testing.T) {
	c := variants.Synth(t, "default").Only(t, "aws_elasticache_serverless_cache")
	if _, ok := c["cache_usage_limits"]; ok {
		t.Errorf("limits off, but cache_usage_limits = %v", c["cache_usage_limits"])
	}
	want := map[string]any{"ignore_changes": []any{"cache_usage_limits"}}
	if diff := cmp.Diff(want, c["lifecycle"]); diff != "" {
		t.Errorf("lifecycle (-want +got):\n%s", diff)
	}
}

func TestUsageLimitsOn(t *testing.T) {
	c := variants.Synth(t, "limits").Only(t, "aws_elasticache_serverless_cache")
	want := []any{map[string]any{
		"data_storage":    []any{map[string]any{"maximum": 20.0, "minimum": 2.0, "unit": "GB"}},
		"ecpu_per_second": []any{map[string]any{"maximum": 10000.0, "minimum": 1000.0}},
	}}
	if diff := cmp.Diff(want, c["cache_usage_limits"]); diff != "" {
		t.Errorf("cache_usage_limits (-want +got):\n%s", diff)
	}
	if _, ok := c["lifecycle"]; ok {
		t.Error("limits on still ignore changes to them")
	}
}

func TestUsageLimitDefaults(t *testing.T) {
	cfg := cache.Config{Environment: stage, EnableUsageLimits: true}
	stack := testutil.NewStack("Defaults")
	cfg.Network = network.New(stack, "Network", network.Config{Environment: stage})
	c := cache.New(stack, "Cache", cfg)
	got := c.Config()
	if *got.DataStorageMaxGB != cache.DefaultDataStorage || *got.ECPUPerSecondMax != cache.DefaultECPU || got.DataStorageMinGB != nil {
		t.Errorf("limit defaults = %+v", got)
	}
	limits := testutil.Synth(t, stack).Only(t, "aws_elasticache_serverless_cache")["cache_usage_limits"].([]any)[0].(map[string]any)
	want := map[string]any{
		"data_storage":    []any{map[string]any{"maximum": 10.0, "unit": "GB"}},
		"ecpu_per_second": []any{map[string]any{"maximum": 5000.0}},
	}
	if diff := cmp.Diff(want, limits); diff != "" {
		t.Errorf("default limits (-want +got):\n%s", diff)
	}
}

func TestCacheResource(t *testing.T) {
	tests := []struct {
		variant string
		want    map[string]any
	}{
		{"default", map[string]any{"name": "lms-redis-stage", "engine": "redis", "major_engine_version": "7",
			"description": "redis cache for stage", "kms_key_id": nil, "daily_snapshot_time": nil, "snapshot_retention_limit": nil}},
		{"valkey", map[string]any{"name": "shop-sessions", "engine": "valkey", "major_engine_version": "8",
			"description": "valkey cache for prod", "kms_key_id": kmsKey, "daily_snapshot_time": "03:30", "snapshot_retention_limit": 7.0}},
		{"secret-pr", map[string]any{"name": "lms-redis-pr4892-123456", "engine": "redis", "major_engine_version": "7",
			"description": "redis cache for pr4892-123456", "kms_key_id": nil, "daily_snapshot_time": nil, "snapshot_retention_limit": nil}},
	}
	for _, tt := range tests {
		t.Run(tt.variant, func(t *testing.T) {
			s := variants.Synth(t, tt.variant)
			c := s.Only(t, "aws_elasticache_serverless_cache")
			got := map[string]any{}
			for k := range tt.want {
				got[k] = c[k]
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("cache (-want +got):\n%s", diff)
			}
			// In the network's private subnets, behind its own security group.
			wantPlacement := map[string]any{
				"subnet_ids":         []any{s.RefTo(t, "aws_subnet", "Network/PrivateSubnet0", "id"), s.RefTo(t, "aws_subnet", "Network/PrivateSubnet1", "id")},
				"security_group_ids": []any{s.RefTo(t, "aws_security_group", "Cache/SecurityGroup", "id")},
			}
			gotPlacement := map[string]any{"subnet_ids": c["subnet_ids"], "security_group_ids": c["security_group_ids"]}
			if diff := cmp.Diff(wantPlacement, gotPlacement); diff != "" {
				t.Errorf("placement (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSecurityGroupAdmitsOnlyAllowedGroups(t *testing.T) {
	// No AllowFrom: no ingress at all.
	if n := variants.Synth(t, "default").Count("aws_vpc_security_group_ingress_rule"); n != 0 {
		t.Errorf("cache without AllowFrom has %d ingress rules", n)
	}
	// Both sides: the client may reach the cache's port, and nothing else.
	_, egress := variants.Synth(t, "secret-pr").Find(t, "aws_vpc_security_group_egress_rule", "ClientToCache6379")
	if egress["from_port"] != 6379.0 || egress["referenced_security_group_id"] != variants.Synth(t, "secret-pr").RefTo(t, "aws_security_group", "Cache/SecurityGroup", "id") {
		t.Errorf("client egress = %v", egress)
	}
	s := variants.Synth(t, "secret-pr")
	_, sg := s.Find(t, "aws_security_group", "Cache/SecurityGroup")
	if sg["ingress"] != nil || sg["egress"] != nil || sg["name"] != "lms-cache-pr4892-123456" {
		t.Errorf("cache security group = %v", sg)
	}
	_, rule := s.Find(t, "aws_vpc_security_group_ingress_rule", "Cache/AllowFrom0")
	want := map[string]any{
		"security_group_id":            s.RefTo(t, "aws_security_group", "Cache/SecurityGroup", "id"),
		"referenced_security_group_id": s.RefTo(t, "aws_security_group", "Client", "id"),
		"ip_protocol":                  "tcp",
		"from_port":                    6379.0,
		"to_port":                      6379.0,
		"description":                  "Redis from an allowed security group",
	}
	if diff := cmp.Diff(want, rule); diff != "" {
		t.Errorf("AllowFrom rule (-want +got):\n%s", diff)
	}
}

func TestConnectionSecret(t *testing.T) {
	s := variants.Synth(t, "secret-pr")
	cacheName, _ := s.Find(t, "aws_elasticache_serverless_cache", "Cache/ServerlessCache")
	ref := "aws_elasticache_serverless_cache." + cacheName
	value := s.Only(t, "aws_secretsmanager_secret_version")["secret_string"].(string)
	want := `{"engine":"redis","host":"${` + ref + `.endpoint[0].address}","port":${` + ref + `.endpoint[0].port},` +
		`"tls":true,"url":"rediss://${` + ref + `.endpoint[0].address}:${` + ref + `.endpoint[0].port}"}`
	if value != want {
		t.Errorf("secret_string =\n%s\nwant\n%s", value, want)
	}
	for _, placeholder := range []string{"to-be-updated", "localhost", "TfToken"} {
		if strings.Contains(value, placeholder) {
			t.Errorf("secret_string holds %q: %s", placeholder, value)
		}
	}
	secret := s.Only(t, "aws_secretsmanager_secret")
	if secret["name"] != "lms/pr4892-123456/redis-connection" || secret["recovery_window_in_days"] != 0.0 || secret["kms_key_id"] != nil {
		t.Errorf("PR connection secret = %v", secret)
	}
	prod := variants.Synth(t, "valkey").Only(t, "aws_secretsmanager_secret")
	if prod["name"] != "lms/prod/redis-connection" || prod["recovery_window_in_days"] != 30.0 || prod["kms_key_id"] != kmsKey {
		t.Errorf("prod connection secret = %v", prod)
	}
	variants.Synth(t, "default").Absent(t, "aws_secretsmanager_secret", "aws_secretsmanager_secret_version")
}

func TestAccessors(t *testing.T) {
	s := variants.Synth(t, "secret-pr")
	c := get(t, "secret-pr")
	name, _ := s.Find(t, "aws_elasticache_serverless_cache", "Cache/ServerlessCache")
	ref := "${aws_elasticache_serverless_cache." + name
	got := map[string]string{
		"Name":                *c.Name(),
		"NameRef":             testutil.ResolveString(c, c.NameRef()),
		"ARN":                 testutil.ResolveString(c, c.ARN()),
		"Address":             testutil.ResolveString(c, c.Address()),
		"Port":                testutil.ResolveString(c, cdktf.Token_AsString(c.Port(), nil)),
		"PortString":          testutil.ResolveString(c, c.PortString()),
		"ReaderAddress":       testutil.ResolveString(c, c.ReaderAddress()),
		"ConnectionURL":       testutil.ResolveString(c, c.ConnectionURL()),
		"SecurityGroupID":     testutil.ResolveString(c, c.SecurityGroupID()),
		"ConnectionSecretARN": testutil.ResolveString(c, must(c.ConnectionSecretARN())),
	}
	want := map[string]string{
		"Name":                "lms-redis-pr4892-123456",
		"NameRef":             ref + ".name}",
		"ARN":                 ref + ".arn}",
		"Address":             ref + ".endpoint[0].address}",
		"Port":                ref + ".endpoint[0].port}",
		"PortString":          ref + ".endpoint[0].port}",
		"ReaderAddress":       ref + ".reader_endpoint[0].address}",
		"ConnectionURL":       "rediss://" + ref + ".endpoint[0].address}:" + ref + ".endpoint[0].port}",
		"SecurityGroupID":     s.RefTo(t, "aws_security_group", "Cache/SecurityGroup", "id"),
		"ConnectionSecretARN": s.RefTo(t, "aws_secretsmanager_secret", "Cache/ConnectionSecret", "arn"),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("accessors (-want +got):\n%s", diff)
	}
	if _, ok := c.ConnectionSecret(); c.ServerlessCache() == nil || c.SecurityGroup() == nil || !ok || c.Connections() == nil {
		t.Error("escape hatches are nil")
	}
	if c.Identity().ID() != "pr4892-123456" || c.Place().Region != testutil.Region {
		t.Errorf("Identity %v, Place %v", c.Identity(), c.Place())
	}
	d := get(t, "default")
	_, hasSecret := d.ConnectionSecret()
	_, hasVersion := d.ConnectionSecretVersion()
	if d.HasConnectionSecret() || hasSecret || hasVersion {
		t.Error("cache without ConnectionSecret exposes one")
	}
	if arn, ok := d.ConnectionSecretARN(); ok || arn != nil {
		t.Errorf("ConnectionSecretARN() without a secret = %v, %v", arn, ok)
	}
}

func TestSubnetOverride(t *testing.T) {
	stack := testutil.NewStack("Override")
	net := network.New(stack, "Network", network.Config{Environment: stage})
	cache.New(stack, "Cache", cache.Config{Environment: stage, Network: net, SubnetIDs: []string{"subnet-00000001", "subnet-00000002"}})
	got := testutil.Synth(t, stack).Only(t, "aws_elasticache_serverless_cache")["subnet_ids"]
	if diff := cmp.Diff([]any{"subnet-00000001", "subnet-00000002"}, got); diff != "" {
		t.Errorf("subnet_ids (-want +got):\n%s", diff)
	}
}

func TestValidate(t *testing.T) {
	stack := testutil.NewStack("Validate")
	net := network.New(stack, "Network", network.Config{Environment: stage})
	base := func(c cache.Config) cache.Config {
		c.Environment, c.Network = stage, net
		return c
	}
	tests := []struct {
		desc string
		cfg  cache.Config
		want []string
	}{
		{"nothing", cache.Config{}, []string{"Environment is required", "Network is required"}},
		{"empty subnets", base(cache.Config{SubnetIDs: []string{}}), []string{"SubnetIDs is empty"}},
		{"bad subnet", base(cache.Config{SubnetIDs: []string{"subnet-00000001", "sub"}}), []string{`SubnetIDs[1] "sub" is not a subnet ID`}},
		{"unknown engine", base(cache.Config{Engine: "memcached"}), []string{`Engine "memcached" is not supported (want "redis" or "valkey")`}},
		{"bad version", base(cache.Config{MajorEngineVersion: "6"}), []string{`MajorEngineVersion 6 is not available for engine "redis"`}},
		{"name too long", base(cache.Config{Name: strings.Repeat("a", 41)}), []string{`Name "aaaa`, "is 41 characters, over the limit of 40 for a serverless cache name"}},
		{"name not lowercase", base(cache.Config{Name: "LMS-Redis"}), []string{`Name "LMS-Redis" is not a serverless cache name: it has characters outside [a-z 0-9 -]`}},
		{"limits without the flag", base(cache.Config{DataStorageMaxGB: new(10), ECPUPerSecondMax: new(5000)}),
			[]string{`DataStorageMaxGB 10 needs EnableUsageLimits: set EnableUsageLimits to true`, `ECPUPerSecondMax 5000 needs EnableUsageLimits`}},
		{"storage out of range", base(cache.Config{EnableUsageLimits: true, DataStorageMaxGB: new(5001)}), []string{`DataStorageMaxGB 5001 is out of range 1-5000`}},
		// An explicit 0 is refused, never replaced by the default.
		{"storage zero", base(cache.Config{EnableUsageLimits: true, DataStorageMaxGB: new(0)}), []string{`DataStorageMaxGB 0 is out of range 1-5000`}},
		{"storage minimum out of range", base(cache.Config{EnableUsageLimits: true, DataStorageMinGB: new(-1)}), []string{`DataStorageMinGB -1 is out of range 1-5000`}},
		{"ECPU too low", base(cache.Config{EnableUsageLimits: true, ECPUPerSecondMax: new(999)}), []string{`ECPUPerSecondMax 999 is out of range 1000-15000000`}},
		{"ECPU too high", base(cache.Config{EnableUsageLimits: true, ECPUPerSecondMax: new(15000001)}), []string{`ECPUPerSecondMax 15000001 is out of range`}},
		{"storage min over max", base(cache.Config{EnableUsageLimits: true, DataStorageMinGB: new(30), DataStorageMaxGB: new(20)}), []string{`DataStorageMinGB 30 is greater than DataStorageMaxGB 20`}},
		{"ECPU min over max", base(cache.Config{EnableUsageLimits: true, ECPUPerSecondMin: new(6000)}), []string{`ECPUPerSecondMin 6000 is greater than ECPUPerSecondMax 5000`}},
		{"KMS key ID instead of ARN", base(cache.Config{KMSKeyARN: "0b6c8f7e-1234"}), []string{`KMSKeyARN "0b6c8f7e-1234" is not an ARN`}},
		{"KMS key of another region", base(cache.Config{KMSKeyARN: "arn:aws:kms:eu-west-1:123456789012:key/abc"}), []string{`KMSKeyARN "arn:aws:kms:eu-west-1:123456789012:key/abc" is in region eu-west-1, not the stack's region ca-central-1`}},
		{"KMS key as a Terraform expression", base(cache.Config{KMSKeyARN: "${aws_kms_key.cache.arn}"}), []string{`KMSKeyARN "${aws_kms_key.cache.arn}" holds "${"`}},
		{"description with a template", base(cache.Config{Description: "cache %{if true}x%{endif}"}), []string{`Description "cache %{if true}x%{endif}" holds "%{"`}},
		{"bad snapshot time", base(cache.Config{DailySnapshotTime: "25:00"}), []string{`DailySnapshotTime "25:00" is not a UTC time`}},
		{"bad retention", base(cache.Config{SnapshotRetentionDays: 36}), []string{`SnapshotRetentionDays 36 is out of range 0-35`}},
		{"names that break a rule", cache.Config{Environment: naming.MustEnvironment("stage", naming.Options{Project: "sg"}), Network: net},
			[]string{`Component "sg-cache-stage" is not a security group name: it must not start with "sg-"`}},
		{"bad component", base(cache.Config{Component: "Jobs"}), []string{`Component "Jobs" is not a component`}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) { testutil.ErrorContains(t, tt.cfg.Validate(), tt.want...) })
	}
	if err := base(cache.Config{EnableUsageLimits: true, DataStorageMinGB: new(20), DataStorageMaxGB: new(20)}).Validate(); err != nil {
		t.Errorf("min == max rejected: %v", err)
	}
	// A key from another resource or stack is a cdktf token: accepted as it is.
	key := kmskey.NewKmsKey(stack, jsii.String("Key"), &kmskey.KmsKeyConfig{})
	if err := base(cache.Config{KMSKeyARN: *key.Arn()}).Validate(); err != nil {
		t.Errorf("KMS key reference rejected: %v", err)
	}
	// The layout of a network not yet defined is enough to validate, before anything is
	// defined: and one without private subnets is refused.
	if err := (cache.Config{Environment: stage, ConnectionSecret: true}).ValidateFor(network.Config{Environment: stage}.Layout()); err != nil {
		t.Errorf("validation against a planned network: %v", err)
	}
	public := network.Attributes{Environment: stage, VPCID: "vpc-0a1b2c3d", PublicSubnetIDs: []string{"subnet-00000001", "subnet-00000002"}}
	testutil.ErrorContains(t, cache.Config{Environment: stage}.ValidateFor(public.Layout()), "Network has no private subnets for the cache")
}

// TestOneRegion: a cache in one region cannot use a network of another.
func TestOneRegion(t *testing.T) {
	app := testutil.NewApp()
	net := network.New(testutil.NewStackIn(app, "Canada", "ca-central-1"), "Network", network.Config{Environment: stage})
	msg := testutil.MustPanic(t, func() {
		cache.New(testutil.NewStackIn(app, "Ireland", "eu-west-1"), "Cache", cache.Config{Environment: stage, Network: net})
	})
	if !strings.Contains(msg, `cache.New("Cache"): Network is in region ca-central-1, not the stack's region eu-west-1`) {
		t.Errorf("panic = %q", msg)
	}
}

func TestNewPanicsBeforeDefiningChildren(t *testing.T) {
	stack := testutil.NewStack("Bad")
	net := network.New(stack, "Network", network.Config{Environment: stage})
	before := testutil.Synth(t, stack).ResourceTypes()
	msg := testutil.MustPanic(t, func() {
		cache.New(stack, "Cache", cache.Config{Environment: stage, Network: net, Engine: "memcached"})
	})
	if !strings.Contains(msg, `cache.New("Cache"): invalid Config`) || !strings.Contains(msg, `Engine "memcached"`) {
		t.Errorf("panic = %q", msg)
	}
	if diff := cmp.Diff(before, testutil.Synth(t, stack).ResourceTypes()); diff != "" {
		t.Errorf("a rejected Config defined resources (-before +after):\n%s", diff)
	}
}

func TestSecretJSONIsValidAfterSubstitution(t *testing.T) {
	value := variants.Synth(t, "valkey").Only(t, "aws_secretsmanager_secret_version")["secret_string"].(string)
	// Replace every ${...} reference with a value of the right kind and parse the JSON.
	var b strings.Builder
	for i := 0; i < len(value); i++ {
		if strings.HasPrefix(value[i:], "${") {
			end := strings.Index(value[i:], "}")
			if strings.HasSuffix(value[i:i+end], ".port") {
				b.WriteString("6379")
			} else {
				b.WriteString("host.example")
			}
			i += end
			continue
		}
		b.WriteByte(value[i])
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(b.String()), &got); err != nil {
		t.Fatalf("secret JSON does not parse after substitution: %v\n%s", err, b.String())
	}
	want := map[string]any{"engine": "valkey", "host": "host.example", "port": 6379.0, "tls": true, "url": "rediss://host.example:6379"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("secret JSON (-want +got):\n%s", diff)
	}
}

func TestTerraform(t *testing.T) { variants.CheckTerraform(t) }

func must(arn *string, ok bool) *string {
	if !ok {
		panic("no connection secret")
	}
	return arn
}

// BenchmarkNew synthesizes a stack holding a network and a cache with its connection
// secret (subtract the network package's BenchmarkNew for the cache alone).
func BenchmarkNew(b *testing.B) {
	testutil.WarmUp(b)
	for i := 0; i < b.N; i++ {
		stack := testutil.NewStack("Bench")
		net := network.New(stack, "Network", network.Config{Environment: stage, NAT: network.NATNone})
		cache.New(stack, "Cache", cache.Config{Environment: stage, Network: net, ConnectionSecret: true})
		testutil.Synth(b, stack)
	}
}
