package identity_test

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/sqsqueue"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/tapstack/infra/constructs/identity"
	"github.com/tapstack/infra/constructs/naming"
)

// A team's own resource with the library's names: the queue of a PR environment keeps
// its name on every push (the suffix is a reference to the one kept in state), and the
// name takes part in the app's uniqueness check.
func Example() {
	outdir, _ := os.MkdirTemp("", "identity-example")
	defer func() { _ = os.RemoveAll(outdir) }()
	app := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(outdir)})
	stack := cdktf.NewTerraformStack(app, jsii.String("Team"))
	provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{Region: jsii.String("eu-west-1")})
	env := naming.MustEnvironment("pr4892", naming.Options{Project: "shop"})

	sc := identity.EnterStack(stack) // the queue is the stack's own resource
	id, err := sc.Identity(env, "jobs")
	if err != nil {
		panic(err)
	}
	name, err := id.Resource(naming.SQSQueue, "queue")
	if err != nil {
		panic(err)
	}
	sqsqueue.NewSqsQueue(stack, jsii.String("Jobs"), &sqsqueue.SqsQueueConfig{Name: jsii.String(name)})
	sc.Claim(identity.Name{Kind: naming.SQSQueue, Name: name, Resource: "Jobs", Fix: "jobs component"})
	app.Synth()
	fmt.Println(strings.HasPrefix(name, "shop-jobs-queue-pr4892-${TfToken["))
	// Output: true
}

// Two stacks of one region that define the same queue name: the synthesis fails before
// any stack is written, naming both and the setting that tells them apart.
func ExampleScope_Claim() {
	outdir, _ := os.MkdirTemp("", "identity-example")
	defer func() { _ = os.RemoveAll(outdir) }()
	app := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(outdir)})
	env := naming.MustEnvironment("stage", naming.Options{Clock: time.Now})
	for _, id := range []string{"Blue", "Green"} {
		stack := cdktf.NewTerraformStack(app, jsii.String(id))
		provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{Region: jsii.String("eu-west-1")})
		sc := identity.Enter(stack, "Worker")
		ident, _ := sc.Identity(env, "worker")
		name, _ := ident.Resource(naming.SQSQueue, "jobs")
		sqsqueue.NewSqsQueue(stack, jsii.String("Worker"), &sqsqueue.SqsQueueConfig{Name: jsii.String(name)})
		sc.Claim(identity.Name{Kind: naming.SQSQueue, Name: name, Fix: "worker component"})
	}
	defer func() {
		_, conflict, _ := strings.Cut(fmt.Sprint(recover()), "[Blue] ")
		line, _, _ := strings.Cut(conflict, "\n")
		fmt.Println(line)
	}()
	app.Synth()
	// Output:
	// SQS queue name "lms-worker-jobs-stage" is defined twice in region eu-west-1 (stacks Blue and Green), by Blue/Worker and by Green/Worker: give one of them its own worker component
}
