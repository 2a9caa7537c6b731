package token_test

import (
	"testing"

	"github.com/tapstack/infra/internal/token"
)

func TestIs(t *testing.T) {
	for s, want := range map[string]bool{
		"${TfToken[TOKEN.12]}": true, "#{TfToken[TOKEN.3]}": true, "rediss://${TfToken[TOKEN.1]}:6379": true,
		"${aws_x.y.id}": false, "${TfToken[TOKEN.x]}": false, "vpc-1": false, "": false,
	} {
		if token.Is(s) != want {
			t.Errorf("Is(%q) = %v", s, !want)
		}
	}
	if !token.IsList("#{TfToken[TOKEN.3]}") || token.IsList("${TfToken[TOKEN.3]}") {
		t.Error("IsList")
	}
}

func TestExpression(t *testing.T) {
	for s, want := range map[string]string{
		"plain": "", "${TfToken[TOKEN.1]}": "", "a${TfToken[TOKEN.1]}b#{TfToken[TOKEN.2]}": "",
		"${data.external.x.result}": "${", "vpc-${x}": "${", "%{if x}y%{endif}": "%{",
		"${TfToken[TOKEN.1]}${var.x}": "${", "$${escaped}": "${", "$x{": "",
	} {
		if got := token.Expression(s); got != want {
			t.Errorf("Expression(%q) = %q, want %q", s, got, want)
		}
		if (token.Literal(s) == "") != (want == "") {
			t.Errorf("Literal(%q) = %q", s, token.Literal(s))
		}
	}
}
