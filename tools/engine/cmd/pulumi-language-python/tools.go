package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
)

// The uv and poetry this host installs from PyPI when the user has none on PATH. Pinned, so every machine
// runs the same tool; a user's own uv or poetry on PATH always wins.
var pinnedTools = map[string]string{
	toolchainUv:     "0.13.9",
	toolchainPoetry: "2.5.1",
}

// toolsDirEnv overrides where installed tools live. The same default is spelled out in the dynamic-provider
// wrapper (tools/engine/dist/pulumi-resource-pulumi-python), which must find poetry too.
const toolsDirEnv = "VAPI_PYTHON_TOOLS_DIR"

var toolsMu sync.Mutex

// toolsDir is $VAPI_PYTHON_TOOLS_DIR, else <user cache>/vapi-phone-numbers/python-tools.
func toolsDir() (string, error) {
	if dir := os.Getenv(toolsDirEnv); dir != "" {
		if !filepath.IsAbs(dir) {
			// The dynamic-provider wrapper reads it too, from another working directory.
			return "", fmt.Errorf("%s must be an absolute path, got %q", toolsDirEnv, dir)
		}
		return dir, nil
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("cannot find a folder for the uv and poetry this host installs (set %s): %w",
			toolsDirEnv, err)
	}
	return filepath.Join(cache, "vapi-phone-numbers", "python-tools"), nil
}

// ensureTool makes `uv` or `poetry` runnable by name for this process and its children. When it is not on
// PATH, the pinned version is installed once into its own virtual environment under toolsDir() with pip,
// linked as toolsDir()/bin/<name>, and that folder is appended to PATH. Only the tool's own executable is in
// that folder, so the tool's Python never shadows the program's.
func ensureTool(ctx context.Context, name string, progress io.Writer) error {
	version, ok := pinnedTools[name]
	if !ok {
		return nil
	}
	toolsMu.Lock()
	defer toolsMu.Unlock()
	if _, err := exec.LookPath(name); err == nil {
		return nil
	}
	dir, err := toolsDir()
	if err != nil {
		return err
	}
	if err := installTool(ctx, dir, name, version, progress); err != nil {
		return err
	}
	bin := filepath.Join(dir, "bin")
	path := os.Getenv("PATH")
	if !strings.Contains(string(os.PathListSeparator)+path+string(os.PathListSeparator),
		string(os.PathListSeparator)+bin+string(os.PathListSeparator)) {
		if path == "" {
			path = bin
		} else {
			path = path + string(os.PathListSeparator) + bin
		}
		if err := os.Setenv("PATH", path); err != nil {
			return fmt.Errorf("cannot put %s on PATH: %w", bin, err)
		}
	}
	if _, err := exec.LookPath(name); err != nil {
		return fmt.Errorf("installed %s %s into %s, but it still cannot be run: %w", name, version, dir, err)
	}
	return nil
}

// installTool installs name==version into dir/<name>-<version> unless it is there already, and points
// dir/bin/<name> at it. A file lock serialises hosts that install at the same time.
func installTool(ctx context.Context, dir, name, version string, progress io.Writer) error {
	target := filepath.Join(dir, name+"-"+version)
	exe := filepath.Join(target, "bin", name)
	marker := filepath.Join(target, ".installed")
	if err := os.MkdirAll(filepath.Join(dir, "bin"), 0o755); err != nil {
		return fmt.Errorf("cannot create the tools folder %s (set %s to another folder): %w", dir, toolsDirEnv, err)
	}
	unlock, err := lockFile(filepath.Join(dir, ".lock"))
	if err != nil {
		return err
	}
	defer unlock()

	if _, err := os.Stat(marker); err != nil {
		python, err := toolsPython()
		if err != nil {
			return fmt.Errorf("%s is not on PATH, and it cannot be installed: %w; install %s yourself "+
				"(pip install %s==%s) or use toolchain: pip", name, err, name, name, version)
		}
		fmt.Fprintf(progress, "pulumi-language-python: %s is not on PATH; installing %s==%s from PyPI into %s "+
			"(once)\n", name, name, version, target)
		if err := os.RemoveAll(target); err != nil {
			return fmt.Errorf("cannot remove the unfinished install in %s: %w", target, err)
		}
		steps := [][]string{
			{python, "-m", "venv", target},
			{filepath.Join(target, "bin", "python"), "-m", "pip", "install", "--disable-pip-version-check",
				"--no-input", "--quiet", name + "==" + version},
		}
		for _, step := range steps {
			cmd := exec.CommandContext(ctx, step[0], step[1:]...)
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			if err := cmd.Run(); err != nil {
				return fmt.Errorf("%s is not on PATH, and installing %s==%s failed: `%s`: %w\n%s\n"+
					"Install %s yourself (pip install %s==%s) and put it on PATH, or use toolchain: pip",
					name, name, version, strings.Join(step, " "), err, strings.TrimSpace(out.String()),
					name, name, version)
			}
		}
		if _, err := os.Stat(exe); err != nil {
			return fmt.Errorf("installing %s==%s into %s did not produce %s: %w", name, version, target, exe, err)
		}
		if err := os.WriteFile(marker, []byte(name+"=="+version+"\n"), 0o644); err != nil {
			return fmt.Errorf("cannot record the install of %s in %s: %w", name, target, err)
		}
	}

	link := filepath.Join(dir, "bin", name)
	if current, err := os.Readlink(link); err == nil && current == exe {
		return nil
	}
	tmp := link + ".new"
	_ = os.Remove(tmp)
	if err := os.Symlink(exe, tmp); err != nil {
		return fmt.Errorf("cannot link %s: %w", link, err)
	}
	if err := os.Rename(tmp, link); err != nil {
		return fmt.Errorf("cannot link %s: %w", link, err)
	}
	return nil
}

// toolsPython is the interpreter that creates the tools' virtual environments: PULUMI_PYTHON_CMD, else
// python3 or python on PATH.
func toolsPython() (string, error) {
	candidates := []string{"python3", "python"}
	if cmd := os.Getenv("PULUMI_PYTHON_CMD"); cmd != "" {
		candidates = []string{cmd}
	}
	for _, c := range candidates {
		if p, err := exec.LookPath(c); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("no Python found to install it with (tried %s)", strings.Join(candidates, ", "))
}

// lockFile takes an exclusive lock on path, creating it; the returned function releases it.
func lockFile(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("cannot open the lock file %s: %w", path, err)
	}
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("cannot lock %s: %w", path, err)
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		_ = f.Close()
	}, nil
}
