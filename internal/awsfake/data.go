package awsfake

import "github.com/tapstack/infra/internal/tfjson"

// Read is what a data source or an ephemeral resource gives.
type Read struct {
	// Pure reads compute their result inside the provider, from its configuration and
	// their arguments, without calling AWS: they are kept, and the real provider reads
	// them. Attrs of a pure read are only the mock provider's defaults.
	Pure bool
	// Attrs are the attributes of the fake result: templates over the read's Ctx, in
	// which Arg and Need read the read's own arguments (literal, or evaluated from other
	// fakes) and then its other fake attributes.
	Attrs map[string]any
	// Outputs: the fake is an object "outputs" holding a string for every output the
	// stack reads (terraform_remote_state).
	Outputs bool
}

// dataSources is the table of data sources. Every entry has a row in TestReads.
var dataSources = map[string]Read{
	// Computed by the provider without AWS.
	"aws_region": {Pure: true, Attrs: map[string]any{"name": "{{.Region}}", "id": "{{.Region}}",
		"endpoint": "ec2.{{.Region}}.{{.DNS}}", "description": "{{.Region}}"}},
	"aws_partition": {Pure: true, Attrs: map[string]any{"partition": "{{.Partition}}", "id": "{{.Partition}}", "dns_suffix": "{{.DNS}}",
		"reverse_dns_prefix": "com.amazonaws"}},
	"aws_iam_policy_document": {Pure: true, Attrs: map[string]any{
		"json": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"Service":"ecs-tasks.amazonaws.com"}}]}`}},
	"aws_arn":                        {Pure: true},
	"aws_default_tags":               {Pure: true},
	"aws_service_principal":          {Pure: true},
	"aws_service":                    {Pure: true},
	"aws_lb_hosted_zone_id":          {Pure: true},
	"aws_elb_hosted_zone_id":         {Pure: true},
	"aws_elb_service_account":        {Pure: true},
	"aws_billing_service_account":    {Pure: true},
	"aws_cloudtrail_service_account": {Pure: true},
	"aws_redshift_service_account":   {Pure: true},

	// Calls AWS: faked.
	"aws_availability_zones": {Attrs: map[string]any{
		"id": "{{.Region}}", "names": []any{"{{.Region}}a", "{{.Region}}b", "{{.Region}}c"},
		"zone_ids":    []any{"{{.RegionShort}}-az1", "{{.RegionShort}}-az2", "{{.RegionShort}}-az3"},
		"group_names": []any{"{{.Region}}"}, "state": "available",
	}},
	"aws_caller_identity": {Attrs: map[string]any{"id": "{{.Account}}", "account_id": "{{.Account}}",
		"arn": "arn:{{.Partition}}:iam::{{.Account}}:user/verify", "user_id": "AIDAVERIFYFAKEUSER0001"}},
	"aws_secretsmanager_random_password": {Attrs: map[string]any{"id": "{{.Unnamed}}", "random_password": "{{.Password}}"}},
	"aws_vpc": {Attrs: map[string]any{
		"id": "vpc-{{.Hex 17}}", "arn": `arn:{{.Partition}}:ec2:{{.Region}}:{{.Account}}:vpc/{{.Need "id"}}`,
		"cidr_block": "10.0.0.0/16", "default": false, "owner_id": "{{.Account}}", "state": "available",
		"enable_dns_support": true, "enable_dns_hostnames": true, "instance_tenancy": "default",
		"main_route_table_id": `rtb-{{.HexOf "main" 17}}`, "dhcp_options_id": "dopt-{{.Hex 17}}",
		"ipv6_cidr_block": "", "ipv6_association_id": "", "tags": map[string]any{},
		"cidr_block_associations": []any{map[string]any{"association_id": "vpc-cidr-assoc-{{.Hex 17}}", "cidr_block": `{{.Need "cidr_block"}}`, "state": "associated"}},
	}},
	"aws_subnets": {Attrs: map[string]any{"id": "{{.Region}}", "ids": []any{`subnet-{{.HexOf "0" 17}}`, `subnet-{{.HexOf "1" 17}}`}}},
	"aws_subnet": {Attrs: map[string]any{
		"id": "subnet-{{.Hex 17}}", "arn": `arn:{{.Partition}}:ec2:{{.Region}}:{{.Account}}:subnet/{{.Need "id"}}`,
		"vpc_id": "vpc-{{.Hex 17}}", "cidr_block": "10.0.0.0/24", "availability_zone": "{{.Region}}a", "owner_id": "{{.Account}}", "tags": map[string]any{},
	}},
	"aws_security_group": {Attrs: map[string]any{
		"id": "sg-{{.Hex 17}}", "arn": `arn:{{.Partition}}:ec2:{{.Region}}:{{.Account}}:security-group/{{.Need "id"}}`,
		"name": "{{.Unnamed}}", "vpc_id": "vpc-{{.Hex 17}}", "tags": map[string]any{},
	}},
	"aws_route53_zone": {Attrs: map[string]any{
		"zone_id": "Z{{upper (.Hex 20)}}", "id": `{{.Need "zone_id"}}`, "name": "example.com",
		"arn":          `arn:{{.Partition}}:route53:::hostedzone/{{.Need "zone_id"}}`,
		"name_servers": []any{"ns-1.awsdns-01.org"}, "private_zone": false,
	}},
	"aws_ami": {Attrs: map[string]any{
		"id": "ami-{{.Hex 17}}", "image_id": `{{.Need "id"}}`, "arn": `arn:{{.Partition}}:ec2:{{.Region}}::image/{{.Need "id"}}`,
		"architecture": "x86_64", "name": "{{.Unnamed}}-ami", "root_device_name": "/dev/xvda",
	}},
	"aws_ssm_parameter": {Attrs: map[string]any{
		"name": "/{{.Unnamed}}/fake", "id": `{{.Need "name"}}`,
		"arn":  `arn:{{.Partition}}:ssm:{{.Region}}:{{.Account}}:parameter/{{trimPrefix (.Need "name") "/"}}`,
		"type": "String", "value": "{{.Unnamed}}-fake-{{.Hex 8}}", "insecure_value": "{{.Unnamed}}-fake-{{.Hex 8}}", "version": 1,
	}},
	"aws_kms_key": {Attrs: map[string]any{
		"id": "{{.UUID}}", "key_id": "{{.UUID}}", "arn": "arn:{{.Partition}}:kms:{{.Region}}:{{.Account}}:key/{{.UUID}}",
	}},
	"aws_kms_alias": {Attrs: map[string]any{
		"name": "alias/{{.Unnamed}}-fake", "id": `{{.Need "name"}}`, "arn": `arn:{{.Partition}}:kms:{{.Region}}:{{.Account}}:{{.Need "name"}}`,
		"target_key_id": "{{.UUID}}", "target_key_arn": "arn:{{.Partition}}:kms:{{.Region}}:{{.Account}}:key/{{.UUID}}",
	}},
	"aws_acm_certificate": {Attrs: map[string]any{
		"arn": "arn:{{.Partition}}:acm:{{.Region}}:{{.Account}}:certificate/{{.UUID}}", "id": `{{.Need "arn"}}`,
		"domain": "example.com", "status": "ISSUED",
	}},
	"aws_iam_role": {Attrs: map[string]any{
		"name": "{{.Unnamed}}-fake", "id": `{{.Need "name"}}`, "arn": `arn:{{.Partition}}:iam::{{.Account}}:role/{{.Need "name"}}`,
		"unique_id": "AROA{{upper (.Hex 17)}}", "path": "/",
	}},
	"aws_secretsmanager_secret": {Attrs: map[string]any{
		"name": "{{.Unnamed}}-fake", "arn": `arn:{{.Partition}}:secretsmanager:{{.Region}}:{{.Account}}:secret:{{.Need "name"}}-{{.SecretSuffix}}`,
		"id": `{{.Need "arn"}}`,
	}},
	"aws_secretsmanager_secret_version": {Attrs: map[string]any{
		"secret_id": "arn:{{.Partition}}:secretsmanager:{{.Region}}:{{.Account}}:secret:{{.Unnamed}}-fake-{{.SecretSuffix}}",
		"arn":       `{{.Need "secret_id"}}`, "id": `{{.Need "secret_id"}}|AWSCURRENT`, "secret_string": "{{.Unnamed}}-fake-{{.Hex 8}}",
		"version_id": "{{.UUID}}", "version_stages": []any{"AWSCURRENT"},
	}},
	// A shared load balancer and its listener, read by their ARNs: the listener's load
	// balancer is the one its ARN names, and the load balancer's name is in its ARN.
	"aws_lb_listener": {Attrs: map[string]any{
		"arn": `arn:{{.Partition}}:elasticloadbalancing:{{.Region}}:{{.Account}}:` + lbListenerARN, "id": `{{.Need "arn"}}`,
		"load_balancer_arn": `{{or (.ARNParent "arn" "listener" "loadbalancer") (printf "arn:%s:elasticloadbalancing:%s:%s:loadbalancer/app/%s/%s" .Partition .Region .Account .Unnamed (.Hex 16))}}`,
		"port":              443, "protocol": "HTTPS",
	}},
	"aws_lb": {Attrs: map[string]any{
		"name": `{{or (.Segment "arn" 2) .Unnamed}}`,
		"arn":  `arn:{{.Partition}}:elasticloadbalancing:{{.Region}}:{{.Account}}:loadbalancer/app/{{.Need "name"}}/{{.Hex 16}}`,
		"id":   `{{.Need "arn"}}`, "arn_suffix": `{{after (.Need "arn") ":loadbalancer/"}}`,
		"dns_name": `{{.Need "name"}}-{{.Digits 9}}.{{.Region}}.elb.{{.DNS}}`, "zone_id": "{{.LBZone}}",
		"load_balancer_type": "application", "internal": false, "ip_address_type": "ipv4",
		"vpc_id": "vpc-{{.Hex 17}}", "security_groups": []any{"sg-{{.Hex 17}}"}, "subnets": []any{},
	}},

	// Another state: an object of the outputs the stack reads.
	"terraform_remote_state": {Outputs: true},
}

// ephemerals is the table of ephemeral resources. Every entry has a row in TestReads.
var ephemerals = map[string]Read{
	// Signs a token locally.
	"aws_eks_cluster_auth": {Pure: true},
	// Call AWS: faked.
	"aws_secretsmanager_random_password": {Attrs: map[string]any{"random_password": "{{.Password}}"}},
	"aws_secretsmanager_secret_version": {Attrs: map[string]any{
		"secret_id": "arn:{{.Partition}}:secretsmanager:{{.Region}}:{{.Account}}:secret:{{.Unnamed}}-fake-{{.SecretSuffix}}",
		"arn":       `{{.Need "secret_id"}}`, "secret_string": "{{.Unnamed}}-secret-{{.Hex 16}}", "version_id": "{{.UUID}}",
		"version_stages": []any{"AWSCURRENT"},
	}},
	"aws_ssm_parameter": {Attrs: map[string]any{
		"name": "/{{.Unnamed}}/fake", "arn": `arn:{{.Partition}}:ssm:{{.Region}}:{{.Account}}:parameter/{{trimPrefix (.Need "name") "/"}}`,
		"type": "SecureString", "value": "{{.Unnamed}}-secret-{{.Hex 16}}", "version": 1,
	}},
}

// DataSource returns the table entry of a data source type.
func DataSource(typ string) (Read, bool) {
	r, ok := dataSources[typ]
	return r, ok
}

// Ephemeral returns the table entry of an ephemeral resource type.
func Ephemeral(typ string) (Read, bool) {
	r, ok := ephemerals[typ]
	return r, ok
}

// DataSourceTypes and EphemeralTypes list the tables' types, sorted.
func DataSourceTypes() []string { return tfjson.SortedKeys(dataSources) }

// EphemeralTypes lists the ephemeral resource types of the table, sorted.
func EphemeralTypes() []string { return tfjson.SortedKeys(ephemerals) }

// Object renders the fake result of a read: every attribute of r whose template
// applies. get returns the read's arguments (literal or evaluated); an attribute the
// arguments give is taken from them.
func (r Read) Object(c Ctx, args func(string) (any, bool)) (map[string]any, error) {
	out := map[string]any{}
	busy := map[string]bool{}
	var get func(string) (any, bool)
	var firstErr error
	get = func(attr string) (any, bool) {
		if v, ok := args(attr); ok {
			return v, true
		}
		if v, ok := out[attr]; ok {
			return v, true
		}
		tmpl, ok := r.Attrs[attr]
		if !ok || busy[attr] {
			return nil, false
		}
		busy[attr] = true
		defer delete(busy, attr)
		v, err := c.render(tmpl)
		if err != nil {
			if err != errSkip && firstErr == nil {
				firstErr = err
			}
			return nil, false
		}
		out[attr] = v
		return v, true
	}
	c.Get = get
	for _, attr := range tfjson.SortedKeys(r.Attrs) {
		get(attr)
	}
	for attr := range r.Attrs {
		if v, ok := args(attr); ok {
			out[attr] = v
		}
	}
	return out, firstErr
}
