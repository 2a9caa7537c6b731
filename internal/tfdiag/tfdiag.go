// Package tfdiag reads the diagnostics of Terraform's (and OpenTofu's) machine-readable
// output and formats them for error messages: the one format of both the test harness
// and the verify package.
package tfdiag

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// Diagnostic is one diagnostic of a -json run.
type Diagnostic struct {
	Severity string `json:"severity"`
	Summary  string `json:"summary"`
	Detail   string `json:"detail"`
	Address  string `json:"address"`
	Range    *struct {
		Filename string `json:"filename"`
		Start    struct {
			Line int `json:"line"`
		} `json:"start"`
	} `json:"range"`
	Snippet *struct {
		Context string `json:"context"`
		Code    string `json:"code"`
	} `json:"snippet"`
}

// Stream returns the diagnostics of a -json run's output (one JSON message per line).
func Stream(out []byte) []Diagnostic {
	var ds []Diagnostic
	for _, line := range bytes.Split(out, []byte("\n")) {
		var msg struct {
			Type       string      `json:"type"`
			Diagnostic *Diagnostic `json:"diagnostic"`
		}
		if json.Unmarshal(line, &msg) == nil && msg.Type == "diagnostic" && msg.Diagnostic != nil {
			ds = append(ds, *msg.Diagnostic)
		}
	}
	return ds
}

// Errors formats the error diagnostics of ds, one entry each ("  - where: summary:
// detail", then the code of the snippet), or returns "" when there are none.
func Errors(ds []Diagnostic) string {
	var b strings.Builder
	for _, d := range ds {
		if d.Severity != "error" {
			continue
		}
		where := ""
		if d.Address != "" {
			where = d.Address + ": "
		}
		if d.Range != nil {
			where += fmt.Sprintf("%s:%d: ", d.Range.Filename, d.Range.Start.Line)
		}
		fmt.Fprintf(&b, "  - %s%s", where, d.Summary)
		if d.Detail != "" {
			fmt.Fprintf(&b, ": %s", strings.ReplaceAll(strings.TrimSpace(d.Detail), "\n", "\n    "))
		}
		b.WriteString("\n")
		if d.Snippet != nil && strings.TrimSpace(d.Snippet.Code) != "" {
			ctx := ""
			if d.Snippet.Context != "" {
				ctx = " (in " + d.Snippet.Context + ")"
			}
			fmt.Fprintf(&b, "    %s%s\n", strings.TrimSpace(d.Snippet.Code), ctx)
		}
	}
	return strings.TrimRight(b.String(), "\n")
}
