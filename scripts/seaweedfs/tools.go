//go:build tools

// Keeps the `weed` command's package (and so its dependency graph) in go.mod/go.sum.
package tools

import _ "github.com/seaweedfs/seaweedfs/weed"
