package verify

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// storeStack is a small stack of stateful resources in account 111111111111,
// us-east-1: a table, a log group (create-before-destroy), a bucket and an IAM role
// (global). TestProviderMoved and TestCorpusAWS share its fake apply (storeDeployment).
const storeStack = `{
  "terraform": {"required_providers": {"aws": {"source": "hashicorp/aws", "version": "5.100.0"}}},
  "provider": {"aws": [{"region": "us-east-1", "allowed_account_ids": ["111111111111"]}]},
  "resource": {
    "aws_dynamodb_table": {"orders": {"name": "orders", "billing_mode": "PAY_PER_REQUEST", "hash_key": "id", "attribute": [{"name": "id", "type": "S"}]}},
    "aws_cloudwatch_log_group": {"logs": {"name": "/verify/orders", "lifecycle": {"create_before_destroy": true}}},
    "aws_s3_bucket": {"uploads": {"bucket": "tapstack-verify-uploads"}},
    "aws_iam_role": {"writer": {"name": "orders-writer", "assume_role_policy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"}}]}"}}
  }
}`

var store struct {
	once sync.Once
	d    *Deployment
	err  error
}

// storeDeployment is the fake apply of storeStack, once per test binary (TestMain
// closes it).
func storeDeployment(t *testing.T) *Deployment {
	t.Helper()
	requireEngine(t)
	store.once.Do(func() { store.d, store.err = Deploy(context.Background(), []byte(storeStack), Options{}) })
	if store.err != nil {
		t.Fatal(store.err)
	}
	return store.d
}

// TestProviderMoved: a provider moved to another region, account or partition plans
// no change in the engine (the provider does not compare where its objects live), but a
// real apply creates every regional resource anew there and leaves the old ones behind
// (a global resource, an IAM role, follows the account and the partition only): verify
// reports them replaced. (TestMovedBetweenConfigurations: a resource moved to another
// provider configuration.)
func TestProviderMoved(t *testing.T) {
	t.Parallel()
	d := storeDeployment(t)
	if r := plan(t, d, []byte(storeStack)); len(r.Changes) != 0 || len(r.Moves) != 0 {
		t.Errorf("control:\n%s", r)
	}
	moved := func(paths ...string) string { return "replace " + strings.Join(paths, ",") }
	verdict := func(r *Report) map[string]string {
		out := map[string]string{}
		for _, c := range r.Changes {
			v := string(c.Action) + " " + strings.Join(c.ReplacePaths, ",")
			if c.Reason != ReasonProviderMoved && c.Action == Replace {
				v += " (" + c.Reason + ")"
			}
			out[c.Address] = v
		}
		return out
	}
	regional := func(paths ...string) map[string]string {
		return map[string]string{"aws_dynamodb_table.orders": moved(paths...), "aws_cloudwatch_log_group.logs": moved(paths...),
			"aws_s3_bucket.uploads": moved(paths...)}
	}
	for _, tc := range []struct {
		name     string
		from, to []string
		want     map[string]string
		moves    []Move
	}{
		{"another region and another account",
			[]string{`"region": "us-east-1", "allowed_account_ids": ["111111111111"]`}, []string{`"region": "ca-central-1", "allowed_account_ids": ["222222222222"]`},
			func() map[string]string {
				m := regional("provider.account", "provider.region")
				m["aws_iam_role.writer"] = moved("provider.account") // global: no region
				return m
			}(),
			[]Move{{Provider: "aws", From: "aws/us-east-1/111111111111", To: "aws/ca-central-1/222222222222"}}},
		{"another partition, no account named",
			[]string{`"region": "us-east-1", "allowed_account_ids": ["111111111111"]`}, []string{`"region": "cn-north-1"`},
			func() map[string]string {
				m := regional("provider.account", "provider.partition", "provider.region")
				m["aws_iam_role.writer"] = moved("provider.account", "provider.partition")
				return m
			}(),
			[]Move{{Provider: "aws", From: "aws/us-east-1/111111111111", To: "aws-cn/cn-north-1/?"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			after := storeStack
			for i := range tc.from {
				next := strings.Replace(after, tc.from[i], tc.to[i], 1)
				if next == after {
					t.Fatalf("%q is not in the stack", tc.from[i])
				}
				after = next
			}
			r := plan(t, d, []byte(after))
			if diff := cmp.Diff(tc.want, verdict(r)); diff != "" {
				t.Errorf("verdict (-want +got):\n%s\n%s", diff, r)
			}
			if diff := cmp.Diff(tc.moves, r.Moves); diff != "" {
				t.Errorf("moves (-want +got):\n%s", diff)
			}
			rec := &recorder{}
			AssertNoReplacements(rec, r, Stateful()...)
			if !rec.failed || !strings.Contains(rec.msg, "replace (created anew where the provider moved; the old one stays behind, unmanaged) aws_dynamodb_table.orders, forced by provider.") {
				t.Errorf("AssertNoReplacements does not report the table:\n%s", rec.msg)
			}
		})
	}
	// The engine's own plan of a region move: no change at all.
	after := strings.Replace(storeStack, `"region": "us-east-1"`, `"region": "ca-central-1"`, 1)
	if got := rawPlan(t, d, after); len(got) != 0 {
		t.Errorf("the engine plans %v for a moved provider; verify's check is then redundant, revisit docs/verify.md", got)
	}
}
