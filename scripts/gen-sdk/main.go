// Command gen-sdk writes a Pulumi SDK for one language from a package schema, with the
// code generators `pulumi package gen-sdk` uses (that command needs the language's host
// plugin, which the Go module proxy here refuses).
//
//	gen-sdk <schema.json> <nodejs|python|go> <out dir>
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	nodegen "github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	pygen "github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/blang/semver"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

// noPackages is the loader for a schema that refers to no other package: asking for one is an error.
type noPackages struct{}

func (noPackages) LoadPackage(pkg string, _ *semver.Version) (*schema.Package, error) {
	return nil, fmt.Errorf("the fleio schema refers to package %q, which gen-sdk does not load", pkg)
}
func (l noPackages) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return l.LoadPackage(d.Name, nil)
}
func (noPackages) LoadPackageReference(pkg string, _ *semver.Version) (schema.PackageReference, error) {
	return nil, fmt.Errorf("the fleio schema refers to package %q, which gen-sdk does not load", pkg)
}
func (l noPackages) LoadPackageReferenceV2(_ context.Context, d *schema.PackageDescriptor) (schema.PackageReference, error) {
	return l.LoadPackageReference(d.Name, nil)
}

func main() {
	if len(os.Args) != 4 {
		fail(fmt.Errorf("usage: gen-sdk <schema.json> <nodejs|python|go> <out dir>"))
	}
	text, err := os.ReadFile(os.Args[1])
	if err != nil {
		fail(err)
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(text, &spec); err != nil {
		fail(err)
	}
	pkg, diags, err := schema.BindSpec(spec, noPackages{}, schema.ValidationOptions{})
	if err != nil {
		fail(err)
	}
	if diags.HasErrors() {
		fail(diags)
	}
	const tool = "pulumi-fleio gen-sdk"
	var files map[string][]byte
	switch os.Args[2] {
	case "nodejs":
		files, err = nodegen.GeneratePackage(tool, pkg, nil, nil, false, noPackages{})
	case "python":
		files, err = pygen.GeneratePackage(tool, pkg, nil, noPackages{})
	case "go":
		files, err = gogen.GeneratePackage(tool, pkg, nil)
	default:
		err = fmt.Errorf("unknown language %q: use nodejs, python or go", os.Args[2])
	}
	if err != nil {
		fail(err)
	}
	for name, body := range files {
		path := filepath.Join(os.Args[3], name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			fail(err)
		}
		if err := os.WriteFile(path, body, 0o644); err != nil {
			fail(err)
		}
	}
	fmt.Printf("wrote %d files to %s\n", len(files), os.Args[3])
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "gen-sdk:", err)
	os.Exit(1)
}
