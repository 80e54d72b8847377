// Command pulumi-language-python is this project's own, minimal Pulumi language host for Python.
//
// Why it exists: the upstream language host lives in its own Go module
// (github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3) that is only published as untagged
// pseudo-versions, and the Go module proxy reachable from our machines refuses every version of it
// ("403 This module version is not available"). The engine itself (pkg/v3) and the SDK (sdk/v3) are
// served, and sdk/v3 carries the building blocks a language host needs (the gRPC protocol, the Python
// toolchain resolver, the policy-pack proxy), so this host is assembled from those.
//
// What it does, and nothing more:
//   - Runtime options (options.go): toolchain pip, uv or poetry (detected from uv.lock / poetry.lock when not
//     set), virtualenv, typechecker mypy or pyright. Anything else is refused with a message naming the option.
//   - uv and poetry (tools.go) through the SDK's toolchain package; when the tool is not on PATH, a pinned
//     version is installed once from PyPI with pip into its own virtual environment (VAPI_PYTHON_TOOLS_DIR).
//   - Run: for uv and poetry, creates a missing environment first (as `pulumi install` does); runs the type
//     checker when the typechecker option is set (typecheck.go); then starts `python
//     <pulumi-language-python-exec> --monitor ... <entry point>` in the program's environment with
//     PULUMI_CONFIG and PULUMI_CONFIG_SECRET_KEYS, exactly the command line and environment the Python SDK's
//     exec script expects.
//   - RunPlugin: starts Python policy packs as `python -u -m pulumi.policy <engine> <pack dir>` behind the
//     SDK's policy proxy (so packs see stack name, project and config), and other Python plugins as
//     `python <plugin dir> <args>`, with any of the three toolchains.
//   - GetRequiredPackages/GetRequiredPlugins: none (dynamic providers are served by the bundled
//     pulumi-resource-pulumi-python plugin, which the engine finds next to `pulumi`).
//   - InstallDependencies, About, GetProgramDependencies, GetPluginInfo, Handshake.
//
// Not supported (the engine reports "unimplemented"): program generation and conversion, packing SDKs,
// linking packages and attaching a debugger.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"

	sdk "github.com/pulumi/pulumi/sdk/v3"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/pulumi/pulumi/sdk/v3/python/toolchain"
)

const (
	execScriptName = "pulumi-language-python-exec"
	// The Python SDK exits with this code after it has already shown the user an actionable message.
	exitCodeUserActionable = 32
)

func main() {
	showVersion := flag.Bool("version", false, "print the version and exit")
	_ = flag.String("tracing", "", "accepted for compatibility; tracing is not supported")
	executor := flag.String("use-executor", "", "use this program instead of the exec script next to the host")
	_ = flag.String("root", "", "accepted for compatibility; the root comes with each request")
	if err := flag.CommandLine.Parse(compatibleArgs(flag.CommandLine, os.Args[1:])); err != nil {
		os.Exit(2)
	}
	if *showVersion {
		fmt.Println(version.Version)
		return
	}

	execScript := *executor
	if execScript == "" {
		self, err := os.Executable()
		if err != nil {
			fail(fmt.Errorf("cannot locate this executable: %w", err))
		}
		execScript = filepath.Join(filepath.Dir(self), execScriptName)
		if _, err := os.Stat(execScript); err != nil {
			fail(fmt.Errorf("missing %s next to the language host: %w", execScriptName, err))
		}
	}

	host := &languageHost{execScript: execScript}
	if flag.NArg() > 0 {
		host.engineAddress = flag.Arg(0)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	cancel := make(chan bool)
	go func() {
		<-ctx.Done()
		close(cancel)
	}()
	if host.engineAddress != "" {
		if err := rpcutil.Healthcheck(ctx, host.engineAddress, 5*time.Minute, stop); err != nil {
			fail(fmt.Errorf("cannot start the engine health check: %w", err))
		}
	}

	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: cancel,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
	})
	if err != nil {
		fail(fmt.Errorf("cannot start the language host server: %w", err))
	}
	// The engine reads the port from the first line of stdout.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fail(fmt.Errorf("language host stopped serving: %w", err))
	}
}

// compatibleArgs drops the `-<option>=<value>` arguments of runtime options that engines before about v3.210
// pass when they start a language host (`-toolchain=pip -virtualenv=... -root=...`); the Pulumi SDK inside
// Pulumi's YAML language host is one of them, and it starts this host to run a Python provider plugin. The
// same options come with every request (its ProgramInfo), where they are checked, so an option given as an
// argument is never needed here. Flags this host defines are kept.
func compatibleArgs(flags *flag.FlagSet, args []string) []string {
	kept := make([]string, 0, len(args))
	for i, arg := range args {
		if arg == "--" || !strings.HasPrefix(arg, "-") {
			return append(kept, args[i:]...)
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(arg, "-"), "=")
		if hasValue && flags.Lookup(name) == nil {
			continue
		}
		kept = append(kept, arg)
	}
	return kept
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "pulumi-language-python: %v\n", err)
	os.Exit(1)
}

type languageHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	execScript    string
	engineAddress string
}

// pluginVenv says how a provider plugin folder (PulumiPlugin.yaml) with the pip toolchain and no
// `virtualenv` option gets one. Upstream's host then always uses `<plugin folder>/venv`: it installs the
// plugin's requirements there and runs the plugin with it.
type pluginVenv int

const (
	// noPluginVenv: a program or a policy pack; options are used as they are.
	noPluginVenv pluginVenv = iota
	// pluginVenvAlways: installing a plugin's dependencies (`pulumi plugin install`): into ./venv, never
	// into the interpreter the host found on PATH.
	pluginVenvAlways
	// pluginVenvIfPresent: running a plugin: with ./venv when it exists (as upstream); else, unlike
	// upstream, which fails, with PULUMI_PYTHON_CMD or python3, so that a plugin folder used by path in a
	// checkout runs with the program's environment.
	pluginVenvIfPresent
)

// resolve checks the runtime options of a program or plugin and returns its toolchain: for uv and poetry the
// SDK's toolchain package, with the tool installed first when it is missing (progress goes to progress); for
// pip the project's `virtualenv` (relative to the project root) when set, else PULUMI_PYTHON_CMD, python3 or
// python on PATH.
func resolve(
	ctx context.Context, info *pulumirpc.ProgramInfo, progress io.Writer, venv pluginVenv,
) (runtimeOptions, toolchain.Toolchain, error) {
	opts, err := parseOptions(info)
	if err != nil {
		return opts, nil, err
	}
	if venv != noPluginVenv && opts.toolchain == toolchainPip && opts.python.Virtualenv == "" {
		dir := filepath.Join(opts.python.Root, "venv")
		if st, statErr := os.Stat(dir); venv == pluginVenvAlways || (statErr == nil && st.IsDir()) {
			opts.python.Virtualenv = dir
		}
	}
	if err := ensureTool(ctx, opts.toolchain, progress); err != nil {
		return opts, nil, err
	}
	tc, err := toolchain.ResolveToolchain(opts.python)
	if err != nil {
		return opts, nil, err
	}
	return opts, tc, nil
}

// ensureEnvironment makes sure the program's virtual environment exists before it runs. For uv and poetry a
// missing environment is created and the dependencies installed (what `pulumi install` does), so `pulumi
// preview` works on a fresh checkout; for pip a missing `virtualenv` is an error that says how to create it.
func ensureEnvironment(ctx context.Context, tc toolchain.Toolchain, opts runtimeOptions, progress io.Writer) error {
	if err := tc.ValidateVenv(ctx); err == nil || opts.toolchain == toolchainPip {
		return err
	}
	dir := opts.python.ProgramDir
	fmt.Fprintf(progress, "pulumi-language-python: no %s environment for %s yet; installing its dependencies "+
		"(as `pulumi install` does)\n", opts.toolchain, dir)
	var out bytes.Buffer
	if err := tc.InstallDependencies(ctx, dir, false, true, &out, &out); err != nil {
		return fmt.Errorf("installing the dependencies of %s with %s failed: %w\n%s", dir, opts.toolchain, err,
			strings.TrimSpace(out.String()))
	}
	return tc.ValidateVenv(ctx)
}

func (h *languageHost) Handshake(
	_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	if req.GetEngineAddress() != "" {
		h.engineAddress = req.GetEngineAddress()
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *languageHost) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version.Version}, nil
}

func (h *languageHost) GetRequiredPlugins(
	context.Context, *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

func (h *languageHost) GetRequiredPackages(
	context.Context, *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

func (h *languageHost) RuntimeOptionsPrompts(
	context.Context, *pulumirpc.RuntimeOptionsRequest,
) (*pulumirpc.RuntimeOptionsResponse, error) {
	return &pulumirpc.RuntimeOptionsResponse{}, nil
}

func (h *languageHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	opts, tc, err := resolve(ctx, req.GetInfo(), os.Stderr, noPluginVenv)
	if err != nil {
		return nil, err
	}
	if err := ensureEnvironment(ctx, tc, opts, os.Stderr); err != nil {
		return nil, err
	}
	if opts.typechecker != "" {
		if err := typecheck(ctx, tc, opts); err != nil {
			return nil, err
		}
	}

	args := []string{h.execScript}
	flagArg := func(name, value string) {
		if value != "" {
			args = append(args, "--"+name, value)
		}
	}
	flagArg("monitor", req.GetMonitorAddress())
	flagArg("engine", h.engineAddress)
	flagArg("project", req.GetProject())
	flagArg("root_directory", req.GetInfo().GetRootDirectory())
	flagArg("stack", req.GetStack())
	flagArg("pwd", req.GetPwd())
	flagArg("dry_run", strconv.FormatBool(req.GetDryRun()))
	flagArg("parallel", strconv.Itoa(int(req.GetParallel())))
	flagArg("organization", req.GetOrganization())
	entry := req.GetInfo().GetEntryPoint()
	if entry == "" {
		entry = "."
	}
	args = append(args, entry)
	args = append(args, req.GetArgs()...)

	cmd, err := tc.Command(ctx, args...)
	if err != nil {
		return nil, err
	}
	env := cmd.Env
	if env == nil {
		env = os.Environ()
	}
	config := req.GetConfig()
	if config == nil {
		config = map[string]string{}
	}
	configJSON, err := json.Marshal(config)
	if err != nil {
		return nil, fmt.Errorf("cannot serialize the stack configuration: %w", err)
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretKeysJSON, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, fmt.Errorf("cannot serialize the secret configuration keys: %w", err)
	}
	cmd.Env = append(env, "PULUMI_CONFIG="+string(configJSON), "PULUMI_CONFIG_SECRET_KEYS="+string(secretKeysJSON))
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 5 * time.Second

	if err := cmd.Run(); err != nil {
		_ = os.Stdout.Sync()
		_ = os.Stderr.Sync()
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			if status, ok := exitErr.Sys().(syscall.WaitStatus); ok && status.ExitStatus() == exitCodeUserActionable {
				return &pulumirpc.RunResponse{Bail: true}, nil
			}
			return &pulumirpc.RunResponse{
				Error: fmt.Sprintf("program exited with non-zero exit code: %d", exitErr.ExitCode()),
			}, nil
		}
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not run the Python program: %v", err)}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}

func (h *languageHost) RunPlugin(
	req *pulumirpc.RunPluginRequest, server grpc.ServerStreamingServer[pulumirpc.RunPluginResponse],
) error {
	ctx := server.Context()
	// Progress goes to this host's stderr: the plugin's stdout carries its port to the engine.
	venv := pluginVenvIfPresent
	if req.GetKind() == string(apitype.AnalyzerPlugin) {
		venv = noPluginVenv
	}
	opts, tc, err := resolve(ctx, req.GetInfo(), os.Stderr, venv)
	if err != nil {
		return err
	}
	if opts.toolchain != toolchainPip {
		if err := ensureEnvironment(ctx, tc, opts, os.Stderr); err != nil {
			return err
		}
	}
	programDir := req.GetInfo().GetProgramDirectory()
	isPolicyPack := req.GetKind() == string(apitype.AnalyzerPlugin)

	var args []string
	if isPolicyPack {
		args = append([]string{"-u", "-m", "pulumi.policy"}, req.GetArgs()...)
		args = append(args, programDir)
	} else {
		args = append([]string{programDir}, req.GetArgs()...)
	}
	cmd, err := tc.Command(ctx, args...)
	if err != nil {
		return err
	}
	if cmd.Env == nil {
		cmd.Env = os.Environ()
	}

	closer, stdout, stderr, err := rpcutil.MakeRunPluginStreams(server, false)
	if err != nil {
		return err
	}
	defer closer.Close()

	var proxy *sdk.PolicyProxy
	if isPolicyPack {
		// Policy packs run in their own folder, and learn the stack's name, project and configuration
		// through the SDK's proxy, which answers the engine's ConfigureStack call before the pack starts.
		cmd.Dir = programDir
		proxy, stdout, err = sdk.NewPolicyProxy(ctx, stdout)
		if err != nil {
			return fmt.Errorf("cannot start the policy pack proxy: %w", err)
		}
		config, err := proxy.AwaitConfiguration(ctx)
		if err != nil {
			return fmt.Errorf("cannot get the stack configuration for the policy pack: %w", err)
		}
		if config != nil {
			setEnv := func(k, v string) {
				if v != "" {
					cmd.Env = append(cmd.Env, k+"="+v)
				}
			}
			setEnv("PULUMI_ORGANIZATION", config.GetOrganization())
			setEnv("PULUMI_PROJECT", config.GetProject())
			setEnv("PULUMI_STACK", config.GetStack())
			setEnv("PULUMI_DRY_RUN", strconv.FormatBool(config.GetDryRun()))
			if config.GetConfig() != nil {
				configJSON, err := json.Marshal(config.GetConfig())
				if err != nil {
					return fmt.Errorf("cannot serialize the stack configuration: %w", err)
				}
				setEnv("PULUMI_CONFIG", string(configJSON))
			}
		}
	} else {
		cmd.Dir = req.GetPwd()
	}
	cmd.Env = append(cmd.Env, req.GetEnv()...)
	cmd.Stdout, cmd.Stderr = stdout, stderr

	if err := cmd.Start(); err != nil {
		return fmt.Errorf("cannot start the Python plugin: %w", err)
	}
	if proxy != nil {
		if err := proxy.Attach(ctx, cmd); err != nil {
			return fmt.Errorf("cannot attach the policy pack proxy: %w", err)
		}
		return closer.Close()
	}
	if err := cmd.Wait(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			return server.Send(&pulumirpc.RunPluginResponse{
				Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: int32(exitErr.ExitCode())},
			})
		}
		return fmt.Errorf("python plugin failed: %w", err)
	}
	return closer.Close()
}

func (h *languageHost) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest,
	server grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse],
) error {
	closer, stdout, stderr, err := rpcutil.MakeInstallDependenciesStreams(server, req.GetIsTerminal())
	if err != nil {
		return err
	}
	defer closer.Close()
	venv := noPluginVenv
	if req.GetIsPlugin() {
		venv = pluginVenvAlways
	}
	_, tc, err := resolve(server.Context(), req.GetInfo(), stderr, venv)
	if err != nil {
		return err
	}
	dir := req.GetInfo().GetProgramDirectory()
	if err := tc.InstallDependencies(server.Context(), dir, req.GetUseLanguageVersionTools(), true,
		stdout, stderr); err != nil {
		return err
	}
	return closer.Close()
}

func (h *languageHost) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	_, tc, err := resolve(ctx, req.GetInfo(), os.Stderr, noPluginVenv)
	if err != nil {
		return nil, err
	}
	info, err := tc.About(ctx)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.AboutResponse{Executable: info.PythonExecutable, Version: info.PythonVersion.String()}, nil
}

func (h *languageHost) GetProgramDependencies(
	ctx context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	_, tc, err := resolve(ctx, req.GetInfo(), os.Stderr, noPluginVenv)
	if err != nil {
		return nil, err
	}
	packages, err := tc.ListPackages(ctx, req.GetTransitiveDependencies())
	if err != nil {
		return nil, err
	}
	deps := make([]*pulumirpc.DependencyInfo, 0, len(packages))
	for _, p := range packages {
		deps = append(deps, &pulumirpc.DependencyInfo{Name: p.Name, Version: p.Version})
	}
	return &pulumirpc.GetProgramDependenciesResponse{Dependencies: deps}, nil
}
