// Package iampolicy renders IAM policy documents from Go values.
package iampolicy

import (
	"bytes"
	"encoding/json"
	"sort"

	"github.com/aws/jsii-runtime-go"
)

// Statement is one IAM policy statement. Resource values may be tokens: cdktf resolves
// them inside the JSON string to Terraform references.
type Statement struct {
	Sid       string                    `json:"Sid,omitempty"`
	Effect    string                    `json:"Effect"`
	Principal map[string]string         `json:"Principal,omitempty"`
	Action    []string                  `json:"Action"`
	Resource  []string                  `json:"Resource,omitempty"`
	Condition map[string]map[string]any `json:"Condition,omitempty"`
}

// Document renders an IAM policy document, the actions of each statement sorted.
func Document(statements ...Statement) string {
	for i := range statements {
		statements[i].Action = append([]string(nil), statements[i].Action...)
		sort.Strings(statements[i].Action)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(map[string]any{"Version": "2012-10-17", "Statement": statements}); err != nil {
		panic(err) // plain strings and maps always encode
	}
	return string(bytes.TrimSpace(buf.Bytes()))
}

// Policy is Document as a jsii string.
func Policy(statements ...Statement) *string { return jsii.String(Document(statements...)) }

// AssumeRole returns a trust policy that lets the AWS service principal assume a role.
func AssumeRole(service string) *string {
	return Policy(Statement{Effect: "Allow", Principal: map[string]string{"Service": service}, Action: []string{"sts:AssumeRole"}})
}
