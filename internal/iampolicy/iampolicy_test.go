package iampolicy_test

import (
	"testing"

	"github.com/tapstack/infra/internal/iampolicy"
)

func TestDocument(t *testing.T) {
	actions := []string{"s3:PutObject", "s3:GetObject"}
	got := iampolicy.Document(iampolicy.Statement{Sid: "A", Effect: "Allow", Action: actions, Resource: []string{"arn:aws:s3:::b/*"},
		Condition: map[string]map[string]any{"StringEquals": {"kms:ViaService": []string{"a", "b"}}}})
	want := `{"Statement":[{"Sid":"A","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":["arn:aws:s3:::b/*"],"Condition":{"StringEquals":{"kms:ViaService":["a","b"]}}}],"Version":"2012-10-17"}`
	if got != want {
		t.Errorf("Document = %s\nwant %s", got, want)
	}
	if actions[0] != "s3:PutObject" {
		t.Error("Document sorted the caller's actions")
	}
	if *iampolicy.AssumeRole("ecs-tasks.amazonaws.com") != `{"Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":["sts:AssumeRole"]}],"Version":"2012-10-17"}` {
		t.Errorf("AssumeRole = %s", *iampolicy.AssumeRole("ecs-tasks.amazonaws.com"))
	}
	if *iampolicy.Policy(iampolicy.Statement{Effect: "Deny", Action: []string{"x:Y"}}) == "" {
		t.Error("Policy")
	}
}
