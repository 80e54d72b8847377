package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/python/toolchain"
)

// exitNotInstalled is what probeScript exits with when the type checker's module is missing.
const exitNotInstalled = 3

// probeScript prints the interpreter's path and exits with exitNotInstalled when module argv[1] is missing.
const probeScript = `import importlib.util, sys
print(sys.executable)
sys.exit(0 if importlib.util.find_spec(sys.argv[1]) else 3)`

// typecheck runs the program's type checker the way the upstream host does, before the program runs: in the
// program's own environment, as `python -m mypy <program dir>` (leaving out a virtual environment inside that
// folder) or `python -m pyright <program dir>`, from the program folder. The checker must be installed in
// that environment, like the program's other dependencies; the error says how. A non-zero exit fails the
// run with the checker's output.
func typecheck(ctx context.Context, tc toolchain.Toolchain, opts runtimeOptions) error {
	checker := opts.typechecker
	programDir := opts.python.ProgramDir

	probe, err := tc.Command(ctx, "-c", probeScript, checker)
	if err != nil {
		return err
	}
	probe.Dir = programDir
	var probeErr bytes.Buffer
	probe.Stderr = &probeErr
	out, err := probe.Output()
	if err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) && exitErr.ExitCode() == exitNotInstalled {
			return notInstalledError(opts, strings.TrimSpace(string(out)))
		}
		return fmt.Errorf("cannot check that %s is installed in the program's environment: %w: %s",
			checker, err, strings.TrimSpace(probeErr.String()))
	}
	python := strings.TrimSpace(string(out))

	args := []string{"-m", checker}
	switch checker {
	case typecheckerMypy:
		if venv, err := tc.VirtualEnvPath(ctx); err == nil && venv != "" {
			if rel, err := filepath.Rel(programDir, venv); err == nil && rel != ".." &&
				!strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
				args = append(args, "--exclude", "(^|/)"+regexp.QuoteMeta(filepath.ToSlash(rel))+"/")
			}
		}
	case typecheckerPyright:
		// Point pyright at the program's interpreter, so it resolves imports from the program's packages.
		args = append(args, "--pythonpath", python)
	}
	args = append(args, programDir)

	cmd, err := tc.Command(ctx, args...)
	if err != nil {
		return err
	}
	cmd.Dir = programDir
	var output bytes.Buffer
	cmd.Stdout, cmd.Stderr = &output, &output
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			return fmt.Errorf("the type checker %s found problems in the program (exit code %d); fix them, "+
				"or remove runtime.options.typechecker to run the program unchecked:\n%s",
				checker, exitErr.ExitCode(), strings.TrimSpace(output.String()))
		}
		return fmt.Errorf("cannot run the type checker %s: %w", checker, err)
	}
	return nil
}

// notInstalledError says how to install the type checker for the program's toolchain.
func notInstalledError(opts runtimeOptions, python string) error {
	checker := opts.typechecker
	spec := checker
	if checker == typecheckerPyright {
		// pyright[nodejs] brings Node.js from PyPI; plain pyright needs node on PATH or downloads it.
		spec = "pyright[nodejs]"
	}
	dir := opts.python.ProgramDir
	var how string
	switch opts.toolchain {
	case toolchainUv:
		how = fmt.Sprintf("run `uv add --dev '%s'` in %s", spec, dir)
	case toolchainPoetry:
		how = fmt.Sprintf("run `poetry add --group dev '%s'` in %s", spec, dir)
	default:
		how = fmt.Sprintf("add %s to the program's requirements.txt and run `pulumi install`, or run "+
			"`%s -m pip install '%s'`", spec, python, spec)
	}
	return fmt.Errorf("runtime option typechecker is %s, but %s is not installed in the program's Python "+
		"environment (%s): %s", checker, checker, python, how)
}
