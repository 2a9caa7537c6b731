// The floor stack of internal/perf/floor in TypeScript cdktf (compiled form: plain
// CommonJS, so no compiler runs in the measurement): one stack, one AWS provider.
const { App, TerraformStack } = require("cdktf");
const { AwsProvider } = require("@cdktf/provider-aws/lib/provider");

const app = new App({ outdir: process.env.CDKTF_OUTDIR || "cdktf.out", stackTraces: false });
const stack = new TerraformStack(app, "Floor");
new AwsProvider(stack, "aws", { region: "ca-central-1" });
app.synth();
