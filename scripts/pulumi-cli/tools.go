//go:build tools

// Keeps the CLI's package (and so its whole dependency graph) in go.mod/go.sum.
package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
