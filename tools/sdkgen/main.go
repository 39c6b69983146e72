// Command pulumi-sinch-sdkgen writes the Python, Node.js and Go SDKs of a Pulumi package from its
// schema, with Pulumi's own generators (the code `pulumi package gen-sdk` runs inside each language
// host). It exists because gen-sdk asks the Node.js and Go language hosts for their SDKs, and those
// hosts cannot be built here; calling the generators directly makes all three SDKs from one bound
// schema, consistently, with no network and no plugin.
//
//	pulumi-sinch-sdkgen SCHEMA_JSON OUT_DIR [LANGUAGE...]
//
// writes OUT_DIR/python, OUT_DIR/nodejs and OUT_DIR/go (or only the languages named), each emptied
// first, except the files the generator does not make and this repository keeps by hand
// (sdk/go/go.mod and go.sum: the generator writes no Go module file).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/blang/semver"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

// The name each generator reports in its "do not edit" banners: the language host's, so the files
// read as `pulumi package gen-sdk` would write them.
const (
	pythonTool = "pulumi-language-python"
	nodejsTool = "pulumi-language-nodejs"
	goTool     = "pulumi-language-go"
)

// keptByHand are the files of an output folder that survive its regeneration.
var keptByHand = map[string][]string{"go": {"go.mod", "go.sum"}}

// noOtherPackages answers every request for another package's schema with an error: this schema
// refers to none (its pulumi.json# types are built in), and nothing may be fetched.
type noOtherPackages struct{}

func (noOtherPackages) LoadPackage(name string, _ *semver.Version) (*schema.Package, error) {
	return nil, fmt.Errorf("the schema refers to package %q, which this offline tool cannot load", name)
}

func (l noOtherPackages) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return l.LoadPackage(d.Name, nil)
}

func (noOtherPackages) LoadPackageReference(name string, _ *semver.Version) (schema.PackageReference, error) {
	return nil, fmt.Errorf("the schema refers to package %q, which this offline tool cannot load", name)
}

func (l noOtherPackages) LoadPackageReferenceV2(
	_ context.Context, d *schema.PackageDescriptor,
) (schema.PackageReference, error) {
	return l.LoadPackageReference(d.Name, nil)
}

// bind reads and validates the schema, as a language host does before it generates: a fresh bind
// per language, since each generator writes its own language section into the package.
func bind(path string) (*schema.Package, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	pkg, diags, err := schema.BindSpec(spec, noOtherPackages{}, schema.ValidationOptions{})
	if err != nil {
		return nil, err
	}
	if diags.HasErrors() {
		return nil, fmt.Errorf("%s: %s", path, diags.Error())
	}
	return pkg, nil
}

func generate(language string, pkg *schema.Package) (map[string][]byte, error) {
	switch language {
	case "python":
		return python.GeneratePackage(pythonTool, pkg, nil, noOtherPackages{})
	case "nodejs":
		files, err := nodejs.GeneratePackage(nodejsTool, pkg, nil, nil, false, noOtherPackages{})
		if err != nil {
			return nil, err
		}
		// The Node.js generator leaves the version to a release step; this package's version is
		// the schema's.
		if pkg.Version != nil {
			for name, text := range files {
				files[name] = []byte(strings.ReplaceAll(string(text), "${VERSION}", pkg.Version.String()))
			}
		}
		return files, nil
	case "go":
		return gogen.GeneratePackage(goTool, pkg, nil)
	}
	return nil, fmt.Errorf("unknown language %q (python, nodejs, go)", language)
}

// write empties dir (but for the files kept by hand) and writes files into it.
func write(dir string, files map[string][]byte, keep []string) error {
	kept := map[string][]byte{}
	for _, name := range keep {
		if text, err := os.ReadFile(filepath.Join(dir, name)); err == nil {
			kept[name] = text
		} else if !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	for name, text := range kept {
		if _, made := files[name]; !made {
			files[name] = text
		}
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, files[name], 0o644); err != nil {
			return err
		}
	}
	return nil
}

func run(args []string) error {
	if len(args) < 2 {
		return errors.New("usage: pulumi-sinch-sdkgen SCHEMA_JSON OUT_DIR [python|nodejs|go ...]")
	}
	languages := args[2:]
	if len(languages) == 0 {
		languages = []string{"python", "nodejs", "go"}
	}
	for _, language := range languages {
		pkg, err := bind(args[0])
		if err != nil {
			return err
		}
		files, err := generate(language, pkg)
		if err != nil {
			return fmt.Errorf("%s: %w", language, err)
		}
		dir := filepath.Join(args[1], language)
		if err := write(dir, files, keptByHand[language]); err != nil {
			return fmt.Errorf("%s: %w", language, err)
		}
		fmt.Printf("%s: %d files\n", dir, len(files))
	}
	return nil
}

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "pulumi-sinch-sdkgen:", err)
		os.Exit(1)
	}
}
