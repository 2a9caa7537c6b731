package testutil_test

import "runtime"

func runtimePlatform() string { return runtime.GOOS + "_" + runtime.GOARCH }
