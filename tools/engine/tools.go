//go:build tools

// Package tools pins the Pulumi engine release that scripts/bootstrap-engine builds.
package tools

import (
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
)
