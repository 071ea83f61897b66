package main

import (
	"flag"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"
)

func versionCmd() *command {
	c := &command{
		name:    "version",
		usage:   "ormc version",
		summary: "print ormc's version",
		help: `Version prints the version of ormc's module as the build recorded it, the
module's path, and the Go version and platform ormc was built with:

  ormc v1.4.0 (github.com/ormc/ormc) go1.26.8 linux/amd64

When a replace directive gave the module another source, the version is
the replacement's, and the version required and the replacement follow
the path:

  ormc (devel) (github.com/ormc/ormc v1.4.0 => ../ormc) go1.26.8 linux/amd64

A build that knows no module version, such as go build in a checkout
without version control information, or a directory replacement, says
(devel). ormc -version and ormc --version print the same.
`,
	}
	c.run = func(args []string, _ io.Reader, stdout, stderr io.Writer) int {
		fs := flag.NewFlagSet("version", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		if done, code := c.parseFlags(fs, args, stdout, stderr); done {
			return code
		}
		if fs.NArg() > 0 {
			return usageError(c, stderr, "unexpected argument %q", fs.Arg(0))
		}
		bi, _ := debug.ReadBuildInfo()
		fmt.Fprintln(stdout, versionLine(bi))
		return exitOK
	}
	return c
}

// versionLine describes the build bi (nil when the binary has no build
// information) in one line: ormc, its module's version, the module's path
// (with the version required and the replacement, if replaced), and the
// Go version and platform.
//
// The module is the one that provides the main package. It is bi.Main
// after go install …@version or go build in ormc's own module, and one of
// bi.Deps when another module builds ormc as its tool (go tool ormc,
// go run): that module is then the main one.
func versionLine(bi *debug.BuildInfo) string {
	platform := runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH
	m := ormcModule(bi)
	if m == nil {
		return "ormc (unknown) " + platform
	}
	// The version is that of the code built: a replacement's when a
	// replace directive gave one, (devel) for a directory.
	version, path := m.Version, m.Path
	if r := m.Replace; r != nil {
		version = r.Version
		path += " " + m.Version + " => " + r.Path
	}
	if version == "" {
		version = "(devel)"
	}
	return "ormc " + version + " (" + path + ") " + platform
}

// ormcModule returns the module of bi that provides the main package (the
// longest whose path is a prefix of it), or nil.
func ormcModule(bi *debug.BuildInfo) *debug.Module {
	if bi == nil {
		return nil
	}
	var best *debug.Module
	for _, m := range append([]*debug.Module{&bi.Main}, bi.Deps...) {
		if m.Path == "" || bi.Path != m.Path && !strings.HasPrefix(bi.Path, m.Path+"/") {
			continue
		}
		if best == nil || len(m.Path) > len(best.Path) {
			best = m
		}
	}
	return best
}
