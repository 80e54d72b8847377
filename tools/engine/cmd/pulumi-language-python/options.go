package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/pulumi/pulumi/sdk/v3/python/toolchain"
)

// The toolchains and type checkers this host supports, by their names in Pulumi.yaml / PulumiPolicy.yaml.
const (
	toolchainPip    = "pip"
	toolchainUv     = "uv"
	toolchainPoetry = "poetry"

	typecheckerMypy    = "mypy"
	typecheckerPyright = "pyright"
)

// runtimeOptions are the `runtime.options` of a program or policy pack, checked and resolved.
type runtimeOptions struct {
	// python is what the SDK's toolchain package needs; its Toolchain is never Auto.
	python toolchain.PythonOptions
	// toolchain is "pip", "uv" or "poetry": the value set, or the one detected from a lock file.
	toolchain string
	// typechecker is "", "mypy" or "pyright".
	typechecker string
}

// parseOptions checks the runtime options of a program or policy pack. An unknown toolchain or type checker,
// or a value of the wrong type, is an error that names the option and the values it takes.
//
// Without a `toolchain` option the toolchain is detected the way upstream does it: uv when a uv.lock is found
// in the program folder or above, poetry for a poetry.lock, pip otherwise.
func parseOptions(info *pulumirpc.ProgramInfo) (runtimeOptions, error) {
	var opts runtimeOptions
	opts.python.Root = info.GetRootDirectory()
	opts.python.ProgramDir = info.GetProgramDirectory()
	raw := map[string]any{}
	if o := info.GetOptions(); o != nil {
		raw = o.AsMap()
	}

	if v, ok := raw["virtualenv"]; ok {
		s, isString := v.(string)
		if !isString {
			return opts, fmt.Errorf("runtime option virtualenv must be a string (a folder, relative to %s), got %v",
				opts.python.Root, v)
		}
		if s != "" && !filepath.IsAbs(s) {
			s = filepath.Join(opts.python.Root, s)
		}
		opts.python.Virtualenv = s
	}

	if v, ok := raw["typechecker"]; ok {
		s, isString := v.(string)
		switch {
		case !isString:
			return opts, fmt.Errorf("runtime option typechecker must be a string (mypy or pyright), got %v", v)
		case s == typecheckerMypy:
			opts.python.Typechecker = toolchain.TypeCheckerMypy
		case s == typecheckerPyright:
			opts.python.Typechecker = toolchain.TypeCheckerPyright
		case s == "":
		default:
			return opts, fmt.Errorf("runtime option typechecker=%q is not supported; "+
				"set it to mypy or pyright, or remove it to run the program without a type check", s)
		}
		opts.typechecker = s
	}

	name := ""
	if v, ok := raw["toolchain"]; ok {
		s, isString := v.(string)
		if !isString {
			return opts, fmt.Errorf("runtime option toolchain must be a string (pip, uv or poetry), got %v", v)
		}
		name = s
	}
	if name == "" {
		detected, err := detectToolchain(opts.python.ProgramDir)
		if err != nil {
			return opts, err
		}
		name = detected
	}
	switch name {
	case toolchainPip:
		opts.python.Toolchain = toolchain.Pip
	case toolchainUv:
		opts.python.Toolchain = toolchain.Uv
	case toolchainPoetry:
		opts.python.Toolchain = toolchain.Poetry
	default:
		return opts, fmt.Errorf("runtime option toolchain=%q is not supported; set it to pip, uv or poetry", name)
	}
	opts.toolchain = name
	return opts, nil
}

// detectToolchain picks uv or poetry from the nearest lock file at or above dir, else pip.
func detectToolchain(dir string) (string, error) {
	if dir == "" {
		return toolchainPip, nil
	}
	for current := dir; ; current = filepath.Dir(current) {
		for _, candidate := range []struct{ lock, name string }{
			{"uv.lock", toolchainUv}, {"poetry.lock", toolchainPoetry},
		} {
			_, err := os.Stat(filepath.Join(current, candidate.lock))
			if err == nil {
				return candidate.name, nil
			}
			if !errors.Is(err, os.ErrNotExist) {
				return "", fmt.Errorf("cannot look for %s in %s: %w", candidate.lock, current, err)
			}
		}
		if filepath.Dir(current) == current {
			return toolchainPip, nil
		}
	}
}
