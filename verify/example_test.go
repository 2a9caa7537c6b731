package verify_test

import (
	"context"
	"fmt"
	"log"
	"strings"

	"github.com/tapstack/infra/verify"
)

// The stack of a service before a change: a DynamoDB table. (A synthesized stack reads
// the same; cdktf writes it to cdktf.out/stacks/<stack>/cdk.tf.json.)
const tableStack = `{
  "terraform": {"required_providers": {"aws": {"source": "hashicorp/aws", "version": "5.100.0"}}},
  "provider": {"aws": [{"region": "ca-central-1"}]},
  "resource": {"aws_dynamodb_table": {"orders": {
    "name": "orders", "billing_mode": "PAY_PER_REQUEST", "hash_key": "id", "attribute": [{"name": "id", "type": "S"}]
  }}}
}`

// A test of a stack change: a new table name replaces the table, and its items with it.
// The report says which resource and why; in a test, AssertNoReplacements fails with
// the same text.
func Example() {
	before := []byte(tableStack)
	after := []byte(strings.Replace(tableStack, `"name": "orders"`, `"name": "orders-v2"`, 1))

	report, err := verify.Compare(context.Background(), before, after, verify.Options{})
	if err != nil {
		log.Fatal(err) // the engine is missing, or rejected a stack: err holds its diagnostics
	}
	for _, c := range report.Replaced(verify.Stateful()...) {
		fmt.Println(c)
		fmt.Println(verify.StatefulReason(c.Type))
	}

	// In a test, t is the test's *testing.T.
	verify.AssertNoReplacements(printer{}, report, verify.Stateful()...)
	// Output:
	// replace (delete, then create) aws_dynamodb_table.orders, forced by name
	// a DynamoDB table: its items (and streams), unless restored from a backup
	// the change replaces 1 resource(s) of any of 48 kinds (-want +got):
	// + replace (delete, then create) aws_dynamodb_table.orders, forced by name
	//
	// the whole plan:
	// 0 to create, 0 to update, 1 to replace, 0 to delete
	// ACTION                         RESOURCE                   TYPE                FORCED BY
	// replace (delete, then create)  aws_dynamodb_table.orders  aws_dynamodb_table  name
}

// printer stands for a test's *testing.T in this example: it prints the failure.
type printer struct{}

func (printer) Helper() {}

func (printer) Errorf(format string, args ...any) { fmt.Printf(format+"\n", args...) }

// One deployment, several candidate stacks: the fake apply is paid once.
func ExampleDeploy() {
	stack := func(input string) []byte {
		return []byte(`{"resource": {"terraform_data": {"config": {"input": "` + input + `", "triggers_replace": "` + input + `"}}}}`)
	}
	d, err := verify.Deploy(context.Background(), stack("v1"), verify.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer func() { _ = d.Close() }()
	for _, next := range []string{"v1", "v2"} {
		report, err := d.Plan(context.Background(), stack(next))
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s: %d change(s), %d replacement(s)\n", next, len(report.Changes), len(report.Replaced()))
	}
	// Output:
	// v1: 0 change(s), 0 replacement(s)
	// v2: 1 change(s), 1 replacement(s)
}
