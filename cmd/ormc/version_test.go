package main

import (
	"runtime"
	"runtime/debug"
	"testing"
)

// TestVersionLine checks which module's version ormc version prints for
// each way ormc is built.
func TestVersionLine(t *testing.T) {
	platform := " " + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH
	ormc := debug.Module{Path: "github.com/ormc/ormc", Version: "v1.4.0"}
	for _, tc := range []struct {
		name string
		bi   *debug.BuildInfo
		want string
	}{
		{"go install @version", &debug.BuildInfo{Path: "github.com/ormc/ormc/cmd/ormc", Main: ormc},
			"ormc v1.4.0 (github.com/ormc/ormc)"},
		{"checkout", &debug.BuildInfo{Path: "github.com/ormc/ormc/cmd/ormc", Main: debug.Module{Path: "github.com/ormc/ormc", Version: "(devel)"}},
			"ormc (devel) (github.com/ormc/ormc)"},
		{"no version", &debug.BuildInfo{Path: "github.com/ormc/ormc/cmd/ormc", Main: debug.Module{Path: "github.com/ormc/ormc"}},
			"ormc (devel) (github.com/ormc/ormc)"},
		{"go tool in another module", &debug.BuildInfo{
			Path: "github.com/ormc/ormc/cmd/ormc",
			Main: debug.Module{Path: "example.com/shop", Version: "(devel)"},
			Deps: []*debug.Module{{Path: "github.com/alecthomas/participle/v2", Version: "v2.1.4"}, &ormc},
		}, "ormc v1.4.0 (github.com/ormc/ormc)"},
		{"replaced by a directory", &debug.BuildInfo{
			Path: "github.com/ormc/ormc/cmd/ormc",
			Main: debug.Module{Path: "example.com/shop"},
			Deps: []*debug.Module{{Path: "github.com/ormc/ormc", Version: "v0.0.0-00010101000000-000000000000", Replace: &debug.Module{Path: "../ormc", Version: "(devel)"}}},
		}, "ormc (devel) (github.com/ormc/ormc v0.0.0-00010101000000-000000000000 => ../ormc)"},
		{"replaced by a directory, no version", &debug.BuildInfo{
			Path: "github.com/ormc/ormc/cmd/ormc",
			Main: debug.Module{Path: "example.com/shop"},
			Deps: []*debug.Module{{Path: "github.com/ormc/ormc", Version: "v1.4.0", Replace: &debug.Module{Path: "/src/ormc"}}},
		}, "ormc (devel) (github.com/ormc/ormc v1.4.0 => /src/ormc)"},
		{"replaced by a fork", &debug.BuildInfo{
			Path: "github.com/ormc/ormc/cmd/ormc",
			Main: debug.Module{Path: "example.com/shop"},
			Deps: []*debug.Module{{Path: "github.com/ormc/ormc", Version: "v1.4.0", Replace: &debug.Module{Path: "example.com/fork", Version: "v1.4.1"}}},
		}, "ormc v1.4.1 (github.com/ormc/ormc v1.4.0 => example.com/fork)"},
		{"nested module", &debug.BuildInfo{
			Path: "github.com/ormc/ormc/cmd/ormc",
			Main: debug.Module{Path: "github.com/ormc"},
			Deps: []*debug.Module{&ormc, {Path: "github.com/ormc/ormc/cmd", Version: "v0.1.0"}},
		}, "ormc v0.1.0 (github.com/ormc/ormc/cmd)"},
		{"test binary", &debug.BuildInfo{Path: "github.com/ormc/ormc/cmd/ormc.test", Main: ormc},
			"ormc v1.4.0 (github.com/ormc/ormc)"},
		{"no module of the main package", &debug.BuildInfo{Path: "command-line-arguments", Main: debug.Module{Path: "example.com/shop"}},
			"ormc (unknown)"},
		{"no build information", nil, "ormc (unknown)"},
	} {
		if got := versionLine(tc.bi); got != tc.want+platform {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want+platform)
		}
	}
}
