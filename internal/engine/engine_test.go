package engine

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestWiden(t *testing.T) {
	for in, want := range map[string]string{"5.84.0": ">= 5.84.0, < 6.0.0", "= 4.1.2": ">= 4.1.2, < 5.0.0", " v5.100.0 ": ">= 5.100.0, < 6.0.0",
		"~> 5.0": "~> 5.0", ">= 5.0": ">= 5.0", "5.84": "5.84", "": ""} {
		if got := Widen(in); got != want {
			t.Errorf("Widen(%q) = %q, want %q", in, got, want)
		}
	}
	if ExactVersion("= 5.100.0") != "5.100.0" || ExactVersion(">= 5.100.0") != "" {
		t.Error("ExactVersion")
	}
	for _, src := range []string{"aws", "hashicorp/aws", "registry.terraform.io/hashicorp/aws", "registry.opentofu.org/hashicorp/aws", "Hashicorp/AWS"} {
		if !IsAWSSource(src) {
			t.Errorf("IsAWSSource(%q) = false", src)
		}
	}
	if IsAWSSource("hashicorp/awscc") || IsAWSSource("example.com/hashicorp/aws") {
		t.Error("IsAWSSource accepts another provider")
	}
	offline := OfflineAWS()
	offline["max_retries"] = 5
	if OfflineAWS()["max_retries"] != 1 {
		t.Error("OfflineAWS returns a shared map")
	}
}

func mirror(t *testing.T, versions ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, v := range versions {
		if err := os.MkdirAll(filepath.Join(dir, "registry.terraform.io", "hashicorp", "aws", v, runtime.GOOS+"_"+runtime.GOARCH), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestFindPluginDir(t *testing.T) {
	empty := t.TempDir()
	t.Setenv(PluginDirEnv, empty)
	if _, err := FindPluginDir(); err == nil || !strings.Contains(err.Error(), PluginDirEnv+"="+empty) {
		t.Errorf("empty mirror: %v", err)
	}
	dir := mirror(t, "5.100.0", "5.84.0", "5.9.1")
	t.Setenv(PluginDirEnv, dir)
	if got, err := FindPluginDir(); err != nil || got != dir {
		t.Errorf("FindPluginDir = %q, %v", got, err)
	}
	if got := ProviderVersions(dir); !slices.Equal(got, []string{"5.9.1", "5.84.0", "5.100.0"}) {
		t.Errorf("ProviderVersions = %v, want them in version order", got)
	}
	e, err := Engine{Binary: "sh"}.Resolve()
	if err != nil || e.PluginDir != dir || !filepath.IsAbs(e.Binary) || e.Name() != "sh" {
		t.Errorf("Resolve = %+v, %v", e, err)
	}
	if _, err := (Engine{Binary: "/nonexistent/terraform"}).Resolve(); err == nil || !strings.Contains(err.Error(), `"/nonexistent/terraform" not found`) {
		t.Errorf("a missing binary: %v", err)
	}
	t.Setenv(BinaryEnv, "no-such-terraform-binary")
	if _, err := Find(); err == nil || !strings.Contains(err.Error(), `"no-such-terraform-binary" not found on PATH (set `+BinaryEnv+")") {
		t.Errorf("Find without the binary: %v", err)
	}
	t.Setenv(PluginDirEnv, "")
	t.Setenv("HOME", t.TempDir())
	if _, err := FindPluginDir(); err != nil && !strings.Contains(err.Error(), "set "+PluginDirEnv) {
		t.Errorf("discovery: %v", err)
	}
}

// TestEnv: what the caller's environment could change about a plan (credentials,
// profiles, CLI arguments, another data directory or workspace, input variables,
// reattached providers, OpenTofu's state encryption) never reaches the engine.
func TestEnv(t *testing.T) {
	for k, v := range map[string]string{"AWS_PROFILE": "prod", "AWS_ACCESS_KEY_ID": "AKIAREAL", "AWS_REGION": "eu-west-1",
		"TF_DATA_DIR": "/elsewhere", "TF_CLI_ARGS": "-lock=true", "TF_CLI_ARGS_plan": "-refresh=true", "TF_WORKSPACE": "prod",
		"TF_VAR_region": "eu-west-1", "TF_REATTACH_PROVIDERS": "{}", "TF_PLUGIN_CACHE_DIR": "/cache", "TF_TOKEN_app_terraform_io": "x",
		"TF_ENCRYPTION": "{}", "TOFU_CLI_CONFIG_FILE": "/etc/tofurc", "TF_CLI_CONFIG_FILE": "/etc/terraformrc", "TF_LOG": "trace",
		"KEEP_ME": "1"} {
		t.Setenv(k, v)
	}
	env := Env("/w")
	joined := "\n" + strings.Join(env, "\n") + "\n"
	for _, gone := range []string{"AWS_PROFILE=", "AWS_ACCESS_KEY_ID=", "AWS_REGION=", "TF_DATA_DIR=", "TF_CLI_ARGS=", "TF_CLI_ARGS_plan=",
		"TF_WORKSPACE=", "TF_VAR_region=", "TF_REATTACH_PROVIDERS=", "TF_PLUGIN_CACHE_DIR=", "TF_TOKEN_app_terraform_io=", "TF_ENCRYPTION=", "TF_LOG="} {
		if strings.Contains(joined, "\n"+gone) {
			t.Errorf("%s is passed to the engine", gone)
		}
	}
	for _, want := range []string{"TF_CLI_CONFIG_FILE=/w/.terraformrc", "TOFU_CLI_CONFIG_FILE=/w/.terraformrc", "CHECKPOINT_DISABLE=1",
		"AWS_EC2_METADATA_DISABLED=true", "AWS_CONFIG_FILE=" + os.DevNull, "AWS_SHARED_CREDENTIALS_FILE=" + os.DevNull, "KEEP_ME=1"} {
		if !strings.Contains(joined, "\n"+want+"\n") {
			t.Errorf("%s is not set", want)
		}
	}
	if strings.Count(joined, "\nTF_CLI_CONFIG_FILE=") != 1 {
		t.Errorf("TF_CLI_CONFIG_FILE set twice:%s", joined)
	}
}

// script writes an executable shell script standing in for the engine.
func script(t *testing.T, body string) Engine {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("shell scripts")
	}
	path := filepath.Join(t.TempDir(), "fake-terraform")
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
	return Engine{Binary: path}
}

// TestRun runs a stand-in engine: it gets the scrubbed environment in the working
// directory; Output keeps stdout alone and puts stderr into the error; a canceled run is
// interrupted first (the engine then stops its providers), and killed when it does not
// stop.
func TestRun(t *testing.T) {
	t.Setenv("AWS_PROFILE", "prod")
	dir := t.TempDir()
	e := script(t, `echo "args=$*"; echo "pwd=$(pwd)"; env | grep -E '^(AWS_|TF_)' | sort; echo "on stderr" >&2`)
	out, err := e.Run(context.Background(), dir, "plan", "-x")
	if err != nil {
		t.Fatal(err)
	}
	got := string(out)
	for _, want := range []string{"args=plan -x\n", "pwd=" + dir + "\n", "TF_CLI_CONFIG_FILE=" + filepath.Join(dir, ".terraformrc") + "\n", "on stderr"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "AWS_PROFILE") {
		t.Errorf("AWS_PROFILE reached the engine:\n%s", got)
	}
	stdout, err := e.Output(context.Background(), dir, "version")
	if err != nil || strings.Contains(string(stdout), "on stderr") {
		t.Errorf("Output = %q, %v", stdout, err)
	}
	failing := script(t, `echo "out"; echo "what went wrong" >&2; exit 3`)
	if _, err := failing.Output(context.Background(), dir, "plan"); err == nil || !strings.Contains(err.Error(), "fake-terraform plan: exit status 3\nwhat went wrong") {
		t.Errorf("a failing Output: %v", err)
	}

	// Interrupted: the stand-in records the signal and exits.
	marker := filepath.Join(dir, "interrupted")
	polite := script(t, `trap 'echo int > `+marker+`; exit 1' INT; echo started; while :; do sleep 0.05; done`)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = polite.Run(ctx, dir, "apply")
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "fake-terraform apply") {
		t.Errorf("a canceled run: %v", err)
	}
	if _, serr := os.Stat(marker); serr != nil {
		t.Errorf("the engine was not interrupted: %v", serr)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("an interrupted engine that stops took %v", took)
	}

	// Deaf to interrupts: killed after the delay.
	old := killDelay
	killDelay = 200 * time.Millisecond
	defer func() { killDelay = old }()
	deaf := script(t, `trap '' INT; while :; do sleep 0.05; done`)
	ctx2, cancel2 := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel2()
	start = time.Now()
	if _, err := deaf.Run(ctx2, dir, "apply"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("a killed run: %v", err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("the kill came after %v", took)
	}
}

func TestVersion(t *testing.T) {
	dir := t.TempDir()
	e := script(t, `echo '{"terraform_version": "1.11.4"}'; echo "noise" >&2`)
	if v, err := e.Version(context.Background(), dir); err != nil || v != "1.11.4" {
		t.Errorf("Version = %q, %v", v, err)
	}
	bad := script(t, `echo 'not json'`)
	if _, err := bad.Version(context.Background(), dir); err == nil || !strings.Contains(err.Error(), "version -json") {
		t.Errorf("a bad version: %v", err)
	}
}
