// Package token tells cdktf tokens (references only Terraform resolves) from literal
// text, in pure Go: a Config field that takes a literal refuses text that Terraform
// would read as an expression ("${...}" or "%{...}"), while a real cdktf token (a
// reference to another resource's attribute, as the AWS bindings return it) is passed
// through.
package token

import (
	"regexp"
	"strings"
)

// cdktf encodes a string token as "${TfToken[TOKEN.<n>]}" and a list token as
// "#{TfToken[TOKEN.<n>]}" inside the Go string it returns.
var (
	stringToken = regexp.MustCompile(`\$\{TfToken\[TOKEN\.[0-9]+\]\}`)
	listToken   = regexp.MustCompile(`#\{TfToken\[TOKEN\.[0-9]+\]\}`)
)

// Is reports whether s holds a cdktf token: its value is known only to Terraform.
func Is(s string) bool {
	return strings.Contains(s, "TfToken[") && (stringToken.MatchString(s) || listToken.MatchString(s))
}

// IsList reports whether s is an encoded cdktf list token: a list of unknown length
// whose Go form is one element.
func IsList(s string) bool { return listToken.MatchString(s) }

// Expression returns the first "${" or "%{" of s outside its cdktf tokens (the text
// Terraform would read as an interpolation or a template directive), or "" when there
// is none.
func Expression(s string) string {
	rest := stringToken.ReplaceAllString(listToken.ReplaceAllString(s, ""), "")
	for _, open := range []string{"${", "%{"} {
		if strings.Contains(rest, open) {
			return open
		}
	}
	return ""
}

// Literal returns a reason when s holds text Terraform would read as an expression, or
// "": for field.List.Add.
func Literal(s string) string {
	if open := Expression(s); open != "" {
		return `holds "` + open + `", which Terraform would read as an expression: give a literal value, or a reference as a cdktf token (an attribute of a resource or data source)`
	}
	return ""
}
