package testutil_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tapstack/infra/internal/testutil"
)

// node20 is the notice the jsii runtime of jsii-runtime-go v1.142.0 printed on stderr of
// every app run on Node.js 20, copied from a run.
const node20 = `!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
!!                                                                                       !!
!!  Node 20 is end-of-life and not supported anymore by this software since 2026-10-30.  !!
!!  Please upgrade to a supported node version as soon as possible.                      !!
!!                                                                                       !!
!!  This software is currently running on node v20.20.2.                                 !!
!!  As of the current release of this software, supported node releases are:             !!
!!  - ^24.0.0 (Planned end-of-life: 2028-04-30)                                          !!
!!  - ^22.0.0 (Planned end-of-life: 2027-04-30)                                          !!
!!                                                                                       !!
!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
`

// frame draws a notice as the jsii runtime does (veryVisibleMessage), each line wrapped
// in the color codes color gives, none when it is empty.
func frame(color string, msgs ...string) string {
	width := 0
	for _, m := range msgs {
		width = max(width, len(m))
	}
	paint := func(s string) string {
		if color == "" {
			return s + "\n"
		}
		return color + s + "\x1b[22m\x1b[39m\x1b[49m\n"
	}
	border, blank := paint(strings.Repeat("!", width+8)), paint("!!  "+strings.Repeat(" ", width)+"  !!")
	out := border + blank
	for _, m := range msgs {
		out += paint("!!  " + m + strings.Repeat(" ", width-len(m)) + "  !!")
	}
	return out + blank + border
}

func TestSplitNodeNotice(t *testing.T) {
	list := []string{"", "This software is currently running on node v22.30.0.", "As of the current release of this software, supported node releases are:", "- ^24.0.0 (Planned end-of-life: 2028-04-30)"}
	deprecated := frame("", append([]string{"Node 22 has reached end-of-life on 2027-04-30 and will no longer be supported in new releases after 2027-10-30.", "Please upgrade to a supported node version as soon as possible."}, list...)...)
	untested := frame("\x1b[43m\x1b[30m", "This software has not been tested with node v25.1.0.", "Should you encounter odd runtime issues, please try using one of the supported release before filing a bug report.", "", "This warning can be silenced by setting the JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION environment variable.")
	broken := frame("", "Node v20.0.0 is unsupported and has known compatibility issues with this software.")
	other := frame("", "Something else went wrong.", "Please read on.")
	colored := frame("\x1b[41m\x1b[37m\x1b[1m", "Node 20 is end-of-life and not supported anymore by this software since 2026-10-30.", "Please upgrade to a supported node version as soon as possible.")
	lines := strings.SplitAfter(node20, "\n")
	tests := []struct {
		desc, stderr, rest, notice string
	}{
		{"nothing", "", "", ""},
		{"a line of the command", "tapstack: ENVIRONMENT_SUFFIX=\"pr-\": bad\n", "tapstack: ENVIRONMENT_SUFFIX=\"pr-\": bad\n", ""},
		{"Node 20's notice", node20, "", node20},
		{"the notice between lines of the command", "before\n" + node20 + "panic: boom\n", "before\npanic: boom\n", node20},
		{"in color", colored + "after\n", "after\n", colored},
		{"deprecated (Node 22 from 2027-04-30)", deprecated, "", deprecated},
		{"untested, in color", untested, "", untested},
		{"known broken", broken, "", broken},
		{"two notices", node20 + "x\n" + node20, "x\n", node20 + node20},
		{"a frame around another message", other, other, ""},
		{"no closing border", strings.Join(lines[:len(lines)-2], ""), strings.Join(lines[:len(lines)-2], ""), ""},
		{"a line of the command inside the frame", strings.Join(lines[:4], "") + "Runtime process exited abnormally\n" + strings.Join(lines[4:], ""),
			strings.Join(lines[:4], "") + "Runtime process exited abnormally\n" + strings.Join(lines[4:], ""), ""},
		{"a framed line of another width", strings.Replace(node20, "v20.20.2.  ", "v20.20.2.   ", 1), strings.Replace(node20, "v20.20.2.  ", "v20.20.2.   ", 1), ""},
		{"a border without a newline", strings.TrimSuffix(node20, "\n"), "", strings.TrimSuffix(node20, "\n")},
		{"no blank line after the border", lines[0] + strings.Join(lines[2:], ""), lines[0] + strings.Join(lines[2:], ""), ""},
		{"a message where the blank line belongs", lines[0] + lines[3] + strings.Join(lines[2:], ""), lines[0] + lines[3] + strings.Join(lines[2:], ""), ""},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			rest, notice := testutil.SplitNodeNotice(tt.stderr)
			if rest != tt.rest || notice != tt.notice {
				t.Errorf("SplitNodeNotice:\nrest   %q\nwant   %q\nnotice %q\nwant   %q", rest, tt.rest, notice, tt.notice)
			}
		})
	}
}

// TestRunCommandNodeNotice runs a command that prints the Node.js 20 notice and a line
// of its own on stderr: the notice is cut into NodeNotice, the line stays in Stderr.
func TestRunCommandNodeNotice(t *testing.T) {
	dir := t.TempDir()
	notice := filepath.Join(dir, "notice")
	if err := os.WriteFile(notice, []byte(node20), 0o644); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "app")
	script := "#!/bin/sh\ncat \"$NOTICE\" >&2\necho 'app: synthesized'\necho \"app: $EXTRA\" >&2\nexit 3\n"
	if err := os.WriteFile(bin, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	ran := testutil.RunCommand(t, bin, "NOTICE="+notice, "EXTRA=unexpected")
	want := testutil.Ran{Code: 3, Stdout: "app: synthesized\n", Stderr: "app: unexpected\n", NodeNotice: node20, Dir: ran.Dir}
	if ran != want {
		t.Errorf("RunCommand = %+v\nwant %+v", ran, want)
	}
}
