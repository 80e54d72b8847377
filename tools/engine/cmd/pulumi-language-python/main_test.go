package main

import (
	"context"
	"flag"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/structpb"
)

func TestCompatibleArgsDropsRuntimeOptionsOnly(t *testing.T) {
	flags := flag.NewFlagSet("host", flag.ContinueOnError)
	flags.String("tracing", "", "")
	flags.String("root", "", "")
	got := compatibleArgs(flags, []string{
		"-toolchain=pip", "-virtualenv=/venv", "-root=/plugin", "--tracing=x", "127.0.0.1:1234",
	})
	want := []string{"-root=/plugin", "--tracing=x", "127.0.0.1:1234"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("compatibleArgs = %q, want %q", got, want)
	}
	if err := flags.Parse(got); err != nil || flags.Arg(0) != "127.0.0.1:1234" {
		t.Fatalf("parse: %v, address %q", err, flags.Arg(0))
	}
}

func TestPluginVenvDefault(t *testing.T) {
	root := t.TempDir()
	opts, err := structpb.NewStruct(map[string]any{"toolchain": "pip"})
	if err != nil {
		t.Fatal(err)
	}
	info := &pulumirpc.ProgramInfo{RootDirectory: root, ProgramDirectory: root, EntryPoint: ".", Options: opts}
	venvOf := func(mode pluginVenv) string {
		t.Helper()
		resolved, _, err := resolve(context.Background(), info, io.Discard, mode)
		if err != nil {
			t.Fatal(err)
		}
		return resolved.python.Virtualenv
	}
	venv := filepath.Join(root, "venv")
	if got := venvOf(pluginVenvAlways); got != venv {
		t.Fatalf("installing: virtualenv %q, want %q", got, venv)
	}
	if got := venvOf(pluginVenvIfPresent); got != "" {
		t.Fatalf("running without ./venv: virtualenv %q, want none", got)
	}
	if err := os.Mkdir(venv, 0o755); err != nil {
		t.Fatal(err)
	}
	if got := venvOf(pluginVenvIfPresent); got != venv {
		t.Fatalf("running with ./venv: virtualenv %q, want %q", got, venv)
	}
	if got := venvOf(noPluginVenv); got != "" {
		t.Fatalf("a program: virtualenv %q, want none", got)
	}
}
