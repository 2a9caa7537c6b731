package verify

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
)

// pureDataSources are the AWS data sources that compute their result inside the
// provider, from the provider configuration and their arguments, without calling AWS:
// they stay in the working copy and the real provider reads them at plan time.
var pureDataSources = map[string]bool{
	"aws_region":                     true,
	"aws_partition":                  true,
	"aws_iam_policy_document":        true,
	"aws_arn":                        true,
	"aws_default_tags":               true,
	"aws_service_principal":          true,
	"aws_service":                    true,
	"aws_lb_hosted_zone_id":          true,
	"aws_elb_hosted_zone_id":         true,
	"aws_elb_service_account":        true,
	"aws_billing_service_account":    true,
	"aws_cloudtrail_service_account": true,
	"aws_redshift_service_account":   true,
}

// dataFake builds the fake object of a data source from the provider's region and
// partition, the data source's address and its configuration arguments.
type dataFake func(region, partition, addr string, args map[string]any) map[string]any

// builtinDataFakes are the fakes verify has for data sources that call AWS.
var builtinDataFakes = map[string]dataFake{
	"aws_availability_zones": func(region, _, _ string, _ map[string]any) map[string]any {
		short := regionShort(region)
		names, ids := []any{}, []any{}
		for i, l := range []string{"a", "b", "c"} {
			names = append(names, region+l)
			ids = append(ids, short+"-az"+string(rune('1'+i)))
		}
		return map[string]any{"id": region, "names": names, "zone_ids": ids, "group_names": []any{region},
			"all_availability_zones": nil, "state": "available", "exclude_names": nil, "exclude_zone_ids": nil, "filter": nil}
	},
	"aws_secretsmanager_random_password": func(_, _, addr string, args map[string]any) map[string]any {
		return map[string]any{"id": "verify-fake", "random_password": fakePassword(addr, args)}
	},
	"aws_vpc": func(region, partition, addr string, args map[string]any) map[string]any {
		id := stringArg(args, "id", fakeID("vpc-", addr))
		cidr := stringArg(args, "cidr_block", "10.0.0.0/16")
		return map[string]any{"id": id, "arn": "arn:" + partition + ":ec2:" + region + ":" + account + ":vpc/" + id,
			"cidr_block": cidr, "default": false, "owner_id": account, "state": "available",
			"enable_dns_support": true, "enable_dns_hostnames": true, "instance_tenancy": "default",
			"main_route_table_id": fakeID("rtb-", addr+"/main"), "dhcp_options_id": fakeID("dopt-", addr),
			"ipv6_cidr_block": "", "ipv6_association_id": "", "tags": mapArg(args, "tags"),
			"cidr_block_associations": []any{map[string]any{"association_id": fakeID("vpc-cidr-assoc-", addr), "cidr_block": cidr, "state": "associated"}}}
	},
	"aws_caller_identity": func(_, partition, _ string, _ map[string]any) map[string]any {
		return map[string]any{"id": account, "account_id": account, "arn": "arn:" + partition + ":iam::" + account + ":user/verify", "user_id": "AIDAVERIFYFAKEUSER0001"}
	},
	"aws_subnets": func(_, _, addr string, _ map[string]any) map[string]any {
		return map[string]any{"id": "verify-fake", "ids": []any{fakeID("subnet-", addr+"/0"), fakeID("subnet-", addr+"/1")}}
	},
	"aws_subnet": func(region, partition, addr string, args map[string]any) map[string]any {
		id := stringArg(args, "id", fakeID("subnet-", addr))
		return map[string]any{"id": id, "arn": "arn:" + partition + ":ec2:" + region + ":" + account + ":subnet/" + id,
			"vpc_id": stringArg(args, "vpc_id", fakeID("vpc-", addr)), "cidr_block": stringArg(args, "cidr_block", "10.0.0.0/24"),
			"availability_zone": stringArg(args, "availability_zone", region+"a"), "owner_id": account, "tags": mapArg(args, "tags")}
	},
	"aws_security_group": func(region, partition, addr string, args map[string]any) map[string]any {
		id := stringArg(args, "id", fakeID("sg-", addr))
		return map[string]any{"id": id, "arn": "arn:" + partition + ":ec2:" + region + ":" + account + ":security-group/" + id,
			"name": stringArg(args, "name", "verify-fake"), "vpc_id": stringArg(args, "vpc_id", fakeID("vpc-", addr)), "tags": mapArg(args, "tags")}
	},
	"aws_route53_zone": func(_, partition, addr string, args map[string]any) map[string]any {
		id := stringArg(args, "zone_id", "Z"+strings.ToUpper(fakeHex(addr, 13)))
		name := strings.TrimSuffix(stringArg(args, "name", "example.com"), ".")
		return map[string]any{"id": id, "zone_id": id, "name": name, "arn": "arn:" + partition + ":route53:::hostedzone/" + id,
			"name_servers": []any{"ns-1.awsdns-01.org"}, "private_zone": args["private_zone"] == true}
	},
	"aws_ami": func(region, partition, addr string, _ map[string]any) map[string]any {
		id := fakeID("ami-", addr)
		return map[string]any{"id": id, "image_id": id, "arn": "arn:" + partition + ":ec2:" + region + "::image/" + id,
			"architecture": "x86_64", "name": "verify-fake-ami", "root_device_name": "/dev/xvda"}
	},
	"aws_ssm_parameter": func(region, partition, addr string, args map[string]any) map[string]any {
		name := stringArg(args, "name", "/verify/fake")
		return map[string]any{"id": name, "name": name, "arn": "arn:" + partition + ":ssm:" + region + ":" + account + ":parameter/" + strings.TrimPrefix(name, "/"),
			"type": "String", "value": "verify-fake-" + fakeHex(addr, 8), "insecure_value": "verify-fake-" + fakeHex(addr, 8), "version": 1}
	},
	"aws_kms_key": func(region, partition, addr string, args map[string]any) map[string]any {
		id := fakeUUID(addr)
		arn := "arn:" + partition + ":kms:" + region + ":" + account + ":key/" + id
		return map[string]any{"id": id, "key_id": stringArg(args, "key_id", id), "arn": arn}
	},
	"aws_kms_alias": func(region, partition, addr string, args map[string]any) map[string]any {
		name := stringArg(args, "name", "alias/verify-fake")
		key := fakeUUID(addr)
		return map[string]any{"id": name, "name": name, "arn": "arn:" + partition + ":kms:" + region + ":" + account + ":" + name,
			"target_key_id": key, "target_key_arn": "arn:" + partition + ":kms:" + region + ":" + account + ":key/" + key}
	},
	"aws_acm_certificate": func(region, partition, addr string, args map[string]any) map[string]any {
		arn := "arn:" + partition + ":acm:" + region + ":" + account + ":certificate/" + fakeUUID(addr)
		return map[string]any{"id": arn, "arn": arn, "domain": stringArg(args, "domain", "example.com"), "status": "ISSUED"}
	},
	"aws_iam_role": func(_, partition, addr string, args map[string]any) map[string]any {
		name := stringArg(args, "name", "verify-fake")
		return map[string]any{"id": name, "name": name, "arn": "arn:" + partition + ":iam::" + account + ":role/" + name,
			"unique_id": "AROA" + strings.ToUpper(fakeHex(addr, 17)), "path": "/"}
	},
	"aws_secretsmanager_secret": func(region, partition, addr string, args map[string]any) map[string]any {
		name := stringArg(args, "name", "verify-fake")
		arn := stringArg(args, "arn", "arn:"+partition+":secretsmanager:"+region+":"+account+":secret:"+name+"-"+secretSuffix(addr))
		return map[string]any{"id": arn, "arn": arn, "name": name}
	},
	"aws_secretsmanager_secret_version": func(region, partition, addr string, args map[string]any) map[string]any {
		id := stringArg(args, "secret_id", "arn:"+partition+":secretsmanager:"+region+":"+account+":secret:verify-fake-"+secretSuffix(addr))
		return map[string]any{"id": id + "|AWSCURRENT", "arn": id, "secret_id": id, "secret_string": "verify-fake-" + fakeHex(addr, 8),
			"version_id": fakeUUID(addr), "version_stages": []any{"AWSCURRENT"}}
	},
}

// stringArg returns a literal string argument of a data source, or def.
func stringArg(args map[string]any, name, def string) string {
	if s, ok := args[name].(string); ok && s != "" && !strings.Contains(s, "${") {
		return s
	}
	return def
}

func mapArg(args map[string]any, name string) any {
	if m := mapOf(args[name]); m != nil {
		return m
	}
	return map[string]any{}
}

// fakePassword is a deterministic password that honors the length, the excluded
// characters and require_each_included_type of aws_secretsmanager_random_password.
func fakePassword(addr string, args map[string]any) string {
	length := 32
	if n, ok := args["password_length"].(json.Number); ok {
		if v, err := n.Int64(); err == nil && v > 0 && v <= 4096 {
			length = int(v)
		}
	}
	exclude, _ := args["exclude_characters"].(string)
	classes := []string{"abcdefghijkmnopqrstuvwxyz", "ABCDEFGHJKLMNPQRSTUVWXYZ", "23456789", "!#%&*+-=?^_~"}
	var pools []string
	for i, c := range classes {
		if i == 2 && args["exclude_numbers"] == true || i == 3 && args["exclude_punctuation"] == true ||
			i == 0 && args["exclude_lowercase"] == true || i == 1 && args["exclude_uppercase"] == true {
			continue
		}
		kept := strings.Map(func(r rune) rune {
			if strings.ContainsRune(exclude, r) {
				return -1
			}
			return r
		}, c)
		if kept != "" {
			pools = append(pools, kept)
		}
	}
	if len(pools) == 0 {
		pools = []string{"x"}
	}
	seed := sha256.Sum256([]byte(addr + "/random_password"))
	out := make([]byte, length)
	for i := range out {
		pool := pools[i%len(pools)]
		out[i] = pool[int(seed[i%len(seed)]+byte(i/len(seed)))%len(pool)]
	}
	return string(out)
}

// regionShort abbreviates a region the way AZ ids do: ca-central-1 -> cac1.
func regionShort(region string) string {
	parts := strings.Split(region, "-")
	if len(parts) < 3 {
		return "az"
	}
	return parts[0] + parts[1][:1] + parts[len(parts)-1]
}

// fakeHex returns n deterministic hex digits for a seed.
func fakeHex(seed string, n int) string {
	sum := sha256.Sum256([]byte(seed))
	h := hex.EncodeToString(sum[:])
	for len(h) < n {
		h += h
	}
	return h[:n]
}

// fakeID returns an AWS-style id: prefix plus 17 hex digits.
func fakeID(prefix, seed string) string {
	return prefix + fakeHex(prefix+seed, 17)
}

// fakeUUID returns a deterministic UUID-shaped string.
func fakeUUID(seed string) string {
	h := fakeHex("uuid/"+seed, 32)
	return h[:8] + "-" + h[8:12] + "-4" + h[13:16] + "-8" + h[17:20] + "-" + h[20:32]
}

// secretSuffix is the six characters Secrets Manager appends to a secret's ARN.
func secretSuffix(seed string) string {
	const letters = "AbCdEfGhIjKlMnOpQrStUvWxYz"
	sum := sha256.Sum256([]byte("secret/" + seed))
	out := make([]byte, 6)
	for i := range out {
		out[i] = letters[int(sum[i])%len(letters)]
	}
	return string(out)
}
