package main

import (
	"flag"
	"reflect"
	"testing"
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
