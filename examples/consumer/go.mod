module example.com/platform-infra

go 1.22.0

require (
	github.com/aws/jsii-runtime-go v1.106.0
	github.com/cdktf/cdktf-provider-aws-go/aws/v19 v19.50.0
	github.com/hashicorp/terraform-cdk-go/cdktf v0.20.11
	github.com/tapstack/infra v0.0.0-00010101000000-000000000000
)

require (
	github.com/Masterminds/semver/v3 v3.3.1 // indirect
	github.com/aws/constructs-go/constructs/v10 v10.4.2 // indirect
	github.com/fatih/color v1.18.0 // indirect
	github.com/mattn/go-colorable v0.1.13 // indirect
	github.com/mattn/go-isatty v0.0.20 // indirect
	github.com/yuin/goldmark v1.4.13 // indirect
	golang.org/x/lint v0.0.0-20210508222113-6edffad5e616 // indirect
	golang.org/x/mod v0.22.0 // indirect
	golang.org/x/sync v0.10.0 // indirect
	golang.org/x/sys v0.28.0 // indirect
	golang.org/x/tools v0.28.0 // indirect
)

// Another team's repository takes the library with `go get github.com/tapstack/infra@vX.Y.Z`;
// this example points at the working tree so that make test proves the current code.
replace github.com/tapstack/infra => ../..
