//go:build tools

// Package tools pins the release of Pulumi's YAML language host that scripts/bootstrap-engine builds. It is a
// module of its own because pulumi-yaml requires an older Pulumi SDK than tools/engine does.
package tools

import (
	_ "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml"
)
