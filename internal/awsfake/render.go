// Package awsfake holds, as data, what AWS would answer where a stack meets AWS: the
// values AWS decides when it creates a resource (ids, ARNs, endpoints, DNS names), and
// the results of the data sources and ephemeral resources that would call it. One table
// entry per type; a type without an entry gets the general fakes (by attribute name,
// then the empty value of the schema type, which the caller supplies).
//
// The verify package fakes its states with it, seeded by each resource's address, and
// the test harness renders its mock-provider defaults and its offline data sources from
// the same table in mock mode (fixed, readable values), so the three can never disagree.
//
// Fakes are text/template templates over a Ctx: {{.Name}} (the resource's AWS name),
// {{.Hex 16}}, {{.UUID}}, {{.Arg "path" "/"}}, {{.ARN}} (its own ARN), {{.Region}},
// {{.Account}}, {{.DNS}} (the partition's DNS suffix), ... (see Ctx). Values that are not
// strings (numbers, lists, objects) are JSON values whose strings are templates.
package awsfake

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"text/template"

	"github.com/tapstack/infra/awsid"
)

// Account is the AWS account of every fake when the stack does not name one.
const Account = "123456789012"

// Ctx is what a fake may know about its resource instance (or data source).
type Ctx struct {
	// Type is the resource type ("aws_lb"); Addr the instance address, the seed of every
	// value that must differ between instances.
	Type, Addr string
	// Place is where the provider of the instance deploys; an empty Account is Account.
	Place awsid.Place
	// Get returns another top-level attribute of the same instance (planned, predicted
	// or configured); ok is false when it cannot be known.
	Get func(attr string) (any, bool)
	// Mock renders fixed readable values instead of address-seeded ones: hex digits
	// 0123456789abcdef..., the zero UUID, the name "mock".
	Mock bool

	depth *int
}

// errSkip aborts a template: the fake does not apply (Need of an unknown attribute).
var errSkip = errors.New("no fake")

func (c Ctx) account() string {
	if c.Place.Account != "" {
		return c.Place.Account
	}
	return Account
}

// Region is the provider's region.
func (c Ctx) Region() string { return c.Place.Region }

// Partition is the provider's partition ("aws").
func (c Ctx) Partition() string { return c.Place.Partition }

// Account is the provider's account, or the fake Account.
func (c Ctx) Account() string { return c.account() }

// DNS is the DNS suffix of the partition ("amazonaws.com").
func (c Ctx) DNS() string {
	if s := awsid.DNSSuffix(c.Place.Partition); s != "" {
		return s
	}
	return "amazonaws.com"
}

// RegionShort abbreviates the region the way zone ids do: ca-central-1 -> cac1.
func (c Ctx) RegionShort() string { return RegionShort(c.Place.Region) }

// RegionShort abbreviates a region the way availability zone ids do: ca-central-1 ->
// cac1, us-gov-west-1 -> usgw1.
func RegionShort(region string) string {
	parts := strings.Split(region, "-")
	if len(parts) < 3 {
		return "az"
	}
	out := parts[0]
	for _, p := range parts[1 : len(parts)-1] {
		out += p[:1]
	}
	return out + parts[len(parts)-1]
}

// str returns an attribute as text: strings, numbers and booleans.
func (c Ctx) str(attr string) (string, bool) {
	if c.Get == nil {
		return "", false
	}
	v, ok := c.Get(attr)
	if !ok {
		return "", false
	}
	switch v := v.(type) {
	case string:
		return v, v != ""
	case json.Number:
		return v.String(), true
	case bool:
		return strconv.FormatBool(v), true
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), true
	case int:
		return strconv.Itoa(v), true
	}
	return "", false
}

// Arg is another attribute of the instance as text, or def when it is unknown or empty.
func (c Ctx) Arg(attr, def string) string {
	if s, ok := c.str(attr); ok {
		return s
	}
	return def
}

// Need is another attribute of the instance as text; without it the fake does not
// apply.
func (c Ctx) Need(attr string) (string, error) {
	if s, ok := c.str(attr); ok {
		return s, nil
	}
	return "", errSkip
}

// Unnamed is the name of what has none: "verify", or "mock" in mock mode.
func (c Ctx) Unnamed() string {
	if c.Mock {
		return "mock"
	}
	return "verify"
}

// Name is the name AWS knows the instance by: the attribute the type's entry names, or
// the first of name, family, bucket, function_name, alarm_name, identifier,
// cluster_identifier, name_prefix that is known; else "verify-<hex>" ("mock").
func (c Ctx) Name() string {
	attrs := []string{"name", "family", "bucket", "function_name", "alarm_name", "identifier", "cluster_identifier", "name_prefix"}
	if k, ok := resources[c.Type]; ok && k.Name != "" {
		attrs = append([]string{k.Name}, attrs...)
	}
	for _, a := range attrs {
		if s, ok := c.str(a); ok {
			return s
		}
	}
	if c.Mock {
		return "mock"
	}
	return "verify-" + c.Hex(8)
}

// Hex is n hex digits seeded by the address.
func (c Ctx) Hex(n int) string { return c.hexOf(c.Addr, n) }

// HexOf is n hex digits seeded by the address and key.
func (c Ctx) HexOf(key string, n int) string { return c.hexOf(c.Addr+"/"+key, n) }

func (c Ctx) hexOf(seed string, n int) string {
	if c.Mock {
		return repeat("0123456789abcdef", n)
	}
	return Hex(seed, n)
}

// Digits is n decimal digits seeded by the address (123456789... in mock mode).
func (c Ctx) Digits(n int) string {
	if c.Mock {
		return repeat("1234567890", n)
	}
	sum := sha256.Sum256([]byte("digits/" + c.Addr))
	out := make([]byte, n)
	for i := range out {
		out[i] = '0' + sum[i%len(sum)]%10
	}
	if out[0] == '0' {
		out[0] = '1'
	}
	return string(out)
}

// UUID is a UUID seeded by the address (the zero UUID in mock mode).
func (c Ctx) UUID() string { return c.UUIDOf("") }

// UUIDOf is a UUID seeded by the address and key.
func (c Ctx) UUIDOf(key string) string {
	if c.Mock {
		return "00000000-0000-0000-0000-000000000000"
	}
	seed := c.Addr
	if key != "" {
		seed += "/" + key
	}
	return UUID(seed)
}

// SecretSuffix is the six letters Secrets Manager appends to a secret's ARN ("AbCdEf"
// in mock mode).
func (c Ctx) SecretSuffix() string {
	if c.Mock {
		return "AbCdEf"
	}
	const letters = "AbCdEfGhIjKlMnOpQrStUvWxYz"
	sum := sha256.Sum256([]byte("secret/" + c.Addr + "/" + c.Name()))
	out := make([]byte, 6)
	for i := range out {
		out[i] = letters[int(sum[i])%len(letters)]
	}
	return string(out)
}

// After is the text of an attribute after the first marker in it ("" without one).
func (c Ctx) After(attr, marker string) string {
	s, _ := c.str(attr)
	if _, rest, ok := strings.Cut(s, marker); ok {
		return rest
	}
	return ""
}

// Last is the last "/"-separated part of an attribute, or def.
func (c Ctx) Last(attr, def string) string {
	s, ok := c.str(attr)
	if !ok {
		return def
	}
	return s[strings.LastIndex(s, "/")+1:]
}

// ARNParent turns an ARN attribute of kind from (listener/app/lb/h1/h2) into the ARN
// of its parent of kind to (loadbalancer/app/lb/h1): the same partition, region and
// account, the last part dropped. "" when the attribute is not such an ARN.
func (c Ctx) ARNParent(attr, from, to string) string {
	s, _ := c.str(attr)
	head, rest, ok := strings.Cut(s, ":"+from+"/")
	if !ok || !strings.Contains(rest, "/") {
		return ""
	}
	return head + ":" + to + "/" + rest[:strings.LastIndex(rest, "/")]
}

// Segment is part i (from 0) of the "/"-separated resource part of an ARN attribute, or
// "".
func (c Ctx) Segment(attr string, i int) string {
	s, _ := c.str(attr)
	parts := strings.SplitN(s, ":", 6)
	if len(parts) < 6 {
		return ""
	}
	seg := strings.Split(parts[5], "/")
	if i < len(seg) {
		return seg[i]
	}
	return ""
}

// LBZone is the canonical hosted zone of application load balancers in the region.
func (c Ctx) LBZone() string {
	if z, ok := lbZones[c.Place.Region]; ok {
		return z
	}
	return "Z" + strings.ToUpper(c.Hex(13))
}

// ARN is the instance's own ARN (the type's entry, or the general one).
func (c Ctx) ARN() (string, error) { return c.renderString(arnTemplate(c.Type)) }

// ID is the instance's own id (the type's entry, or the general one).
func (c Ctx) ID() (string, error) {
	if s, ok := c.str("id"); ok {
		return s, nil
	}
	return c.renderString(idTemplate(c.Type))
}

// Password is a deterministic password that honors the arguments of
// aws_secretsmanager_random_password (password_length, exclude_characters, the
// exclude_* classes).
func (c Ctx) Password() string {
	length := 32
	if s, ok := c.str("password_length"); ok {
		if n, err := strconv.Atoi(s); err == nil && n > 0 && n <= 4096 {
			length = n
		}
	}
	exclude, _ := c.str("exclude_characters")
	classes := []struct{ chars, off string }{
		{"abcdefghijkmnopqrstuvwxyz", "exclude_lowercase"}, {"ABCDEFGHJKLMNPQRSTUVWXYZ", "exclude_uppercase"},
		{"23456789", "exclude_numbers"}, {"!#%&*+-=?^_~", "exclude_punctuation"},
	}
	var pools []string
	for _, cl := range classes {
		if s, _ := c.str(cl.off); s == "true" {
			continue
		}
		kept := strings.Map(func(r rune) rune {
			if strings.ContainsRune(exclude, r) {
				return -1
			}
			return r
		}, cl.chars)
		if kept != "" {
			pools = append(pools, kept)
		}
	}
	if len(pools) == 0 {
		pools = []string{"x"}
	}
	seed := sha256.Sum256([]byte(c.Addr + "/random_password"))
	out := make([]byte, length)
	for i := range out {
		pool := pools[i%len(pools)]
		out[i] = pool[int(seed[i%len(seed)]+byte(i/len(seed)))%len(pool)]
	}
	return string(out)
}

func repeat(s string, n int) string {
	for len(s) < n {
		s += s
	}
	return s[:n]
}

// Hex returns n deterministic hex digits for a seed.
func Hex(seed string, n int) string {
	sum := sha256.Sum256([]byte(seed))
	return repeat(hex.EncodeToString(sum[:]), n)
}

// UUID returns a deterministic UUID-shaped string for a seed.
func UUID(seed string) string {
	h := Hex("uuid/"+seed, 32)
	return h[:8] + "-" + h[8:12] + "-4" + h[13:16] + "-8" + h[17:20] + "-" + h[20:32]
}

var (
	templates sync.Map // text -> *template.Template
	funcs     = template.FuncMap{
		"upper": strings.ToUpper, "trimPrefix": strings.TrimPrefix, "trimSuffix": strings.TrimSuffix,
		"hasPrefix": strings.HasPrefix, "service": Service,
		// after is the text after the first marker ("" without one); afterLast after the last.
		"after": func(s, marker string) string {
			_, rest, _ := strings.Cut(s, marker)
			return rest
		},
		"afterLast": func(s, marker string) string {
			i := strings.LastIndex(s, marker)
			if i < 0 {
				return ""
			}
			return s[i+len(marker):]
		},
		// lbKind is the word of a load balancer type in its ARN.
		"lbKind": func(t string) string {
			switch t {
			case "network":
				return "net"
			case "gateway":
				return "gwy"
			}
			return "app"
		},
		// azNumber is the number of a zone's letter: ca-central-1b -> 2.
		"azNumber": func(az string) int { return int(az[len(az)-1]-'a') + 1 },
		// octet is a number from 1 to 250 seeded by s.
		"octet": func(s string) int {
			sum := sha256.Sum256([]byte("octet/" + s))
			return 1 + int(sum[0])%250
		},
	}
)

// renderString renders one template over c.
func (c Ctx) renderString(text string) (string, error) {
	if !strings.Contains(text, "{{") {
		return text, nil
	}
	if c.depth == nil {
		c.depth = new(int)
	}
	if *c.depth > 8 {
		return "", fmt.Errorf("awsfake: the fakes of %s refer to each other in a loop", c.Type)
	}
	*c.depth++
	defer func() { *c.depth-- }()
	v, ok := templates.Load(text)
	if !ok {
		t, err := template.New("").Funcs(funcs).Option("missingkey=error").Parse(text)
		if err != nil {
			return "", fmt.Errorf("awsfake: template %q: %w", text, err)
		}
		v, _ = templates.LoadOrStore(text, t)
	}
	var b strings.Builder
	if err := v.(*template.Template).Execute(&b, c); err != nil {
		if errors.Is(err, errSkip) {
			return "", errSkip
		}
		return "", fmt.Errorf("awsfake: %s: %w", c.Type, err)
	}
	return b.String(), nil
}

// render renders a fake value: strings are templates; lists and objects are rendered
// element by element; a Copy takes another attribute's value.
func (c Ctx) render(v any) (any, error) {
	switch v := v.(type) {
	case string:
		return c.renderString(v)
	case Copy:
		if c.Get != nil {
			if got, ok := c.Get(v.Attr); ok && got != nil {
				return got, nil
			}
		}
		if v.Else == nil {
			return nil, errSkip
		}
		return v.Else, nil
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			r, err := c.render(e)
			if err != nil {
				return nil, err
			}
			out[i] = r
		}
		return out, nil
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			r, err := c.render(e)
			if err != nil {
				return nil, err
			}
			out[k] = r
		}
		return out, nil
	case int:
		return json.Number(strconv.Itoa(v)), nil
	}
	return v, nil
}

// Copy is a fake that is another attribute's value (tags_all is tags), or Else when
// that is unknown (nil Else: no fake).
type Copy struct {
	Attr string
	Else any
}

// Fake returns the fake of the attribute at path (attribute names, indexes left out) of
// a resource instance: the type's entry first, then the general fakes by attribute
// name. ok is false when neither has one (the caller then uses the empty value of the
// schema type). An error is a broken template.
func (c Ctx) Fake(path []string) (v any, ok bool, err error) {
	key := strings.Join(path, ".")
	k, known := resources[c.Type]
	var tmpl any
	switch {
	case known && k.Attrs[key] != nil:
		tmpl = k.Attrs[key]
	case known && k.Defaults[key] != nil:
		tmpl = k.Defaults[key]
	case key == "id":
		tmpl = idTemplate(c.Type)
	case key == "arn" && (k.NoARN || !strings.HasPrefix(c.Type, "aws_")):
		return nil, false, nil
	case key == "arn":
		tmpl = arnTemplate(c.Type)
	default:
		tmpl = generalFake(path)
	}
	if tmpl == nil {
		return nil, false, nil
	}
	v, err = c.render(tmpl)
	if errors.Is(err, errSkip) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return v, true, nil
}
