package verify

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tapstack/infra/internal/awsfake"
)

const verifyDoc = "../docs/verify.md"

// section returns the generated section name of docs/verify.md; with UPDATE_GOLDEN=1
// it writes content there instead and returns content.
func section(t *testing.T, name, content string) string {
	t.Helper()
	begin, end := "<!-- generated:"+name+" begin -->\n", "<!-- generated:"+name+" end -->"
	raw, err := os.ReadFile(verifyDoc)
	if err != nil {
		t.Fatal(err)
	}
	text := string(raw)
	i, j := strings.Index(text, begin), strings.Index(text, end)
	if i < 0 || j < i {
		t.Fatalf("%s has no section %q ... %q", verifyDoc, begin, end)
	}
	if content != "" && os.Getenv("UPDATE_GOLDEN") == "1" {
		if err := os.WriteFile(verifyDoc, []byte(text[:i+len(begin)]+content+text[j:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return content
	}
	return text[i+len(begin) : j]
}

// TestAPIDoc: the API table of docs/verify.md names every exported identifier of the
// package: types, functions, constants, variables, methods (as "Type).Method") and the
// fields of exported structs.
func TestAPIDoc(t *testing.T) {
	table := section(t, "api", "")
	fset := token.NewFileSet()
	paths, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	for _, p := range paths {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, p, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	var names []string
	for _, f := range files {
		for _, decl := range f.Decls {
			switch d := decl.(type) {
			case *ast.FuncDecl:
				if !d.Name.IsExported() {
					continue
				}
				if d.Recv == nil {
					names = append(names, d.Name.Name)
					continue
				}
				recv := d.Recv.List[0].Type
				if star, ok := recv.(*ast.StarExpr); ok {
					recv = star.X
				}
				if id, ok := recv.(*ast.Ident); ok && id.IsExported() {
					names = append(names, id.Name+").")
					names = append(names, id.Name+")."+d.Name.Name)
				}
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					switch s := spec.(type) {
					case *ast.TypeSpec:
						if !s.Name.IsExported() {
							continue
						}
						names = append(names, s.Name.Name)
						if st, ok := s.Type.(*ast.StructType); ok {
							for _, field := range st.Fields.List {
								for _, n := range field.Names {
									if n.IsExported() {
										names = append(names, n.Name)
									}
								}
							}
						}
					case *ast.ValueSpec:
						for _, n := range s.Names {
							if n.IsExported() {
								names = append(names, n.Name)
							}
						}
					}
				}
			}
		}
	}
	if len(names) < 30 {
		t.Fatalf("found only %d exported names: %v", len(names), names)
	}
	for _, n := range names {
		if !regexp.MustCompile(`(^|[^A-Za-z0-9_])`+regexp.QuoteMeta(n)+`($|[^A-Za-z0-9_])`).MatchString(table) && !strings.Contains(table, n) {
			t.Errorf("docs/verify.md's API table does not name %s", n)
		}
	}
}

// TestStatefulDoc: the table of the stateful kinds in docs/verify.md is Stateful and
// StatefulReason (make golden writes it).
func TestStatefulDoc(t *testing.T) {
	var b strings.Builder
	b.WriteString("| kind | what a replacement loses |\n|---|---|\n")
	for _, typ := range Stateful() {
		fmt.Fprintf(&b, "| `%s` | %s |\n", typ, StatefulReason(typ))
	}
	if diff := cmp.Diff(section(t, "stateful", b.String()), b.String()); diff != "" {
		t.Errorf("docs/verify.md: the stateful kinds are out of date (-file +computed); run make golden:\n%s", diff)
	}
	for _, typ := range Stateful() {
		if !strings.HasPrefix(typ, "aws_") || StatefulReason(typ) == "" {
			t.Errorf("%s: %q", typ, StatefulReason(typ))
		}
	}
	if StatefulReason("aws_security_group") != "" {
		t.Error("a security group is not stateful")
	}
	s := Stateful()
	s[0] = "changed"
	if Stateful()[0] == "changed" {
		t.Error("Stateful returns the package's own slice")
	}
}

// TestReadsDoc: the list of data sources and ephemeral resources in docs/verify.md is
// the table of internal/awsfake (make golden writes it).
func TestReadsDoc(t *testing.T) {
	list := func(types []string, pure bool, get func(string) (awsfake.Read, bool)) string {
		var out []string
		for _, typ := range types {
			if r, _ := get(typ); r.Pure == pure {
				out = append(out, "`"+typ+"`")
			}
		}
		return strings.Join(out, ", ")
	}
	content := "| | computed by the provider, kept | faked by verify |\n|---|---|---|\n" +
		"| data sources | " + list(awsfake.DataSourceTypes(), true, awsfake.DataSource) + " | " + list(awsfake.DataSourceTypes(), false, awsfake.DataSource) + " |\n" +
		"| ephemeral resources | " + list(awsfake.EphemeralTypes(), true, awsfake.Ephemeral) + " | " + list(awsfake.EphemeralTypes(), false, awsfake.Ephemeral) + " |\n"
	if diff := cmp.Diff(section(t, "reads", content), content); diff != "" {
		t.Errorf("docs/verify.md: the reads are out of date (-file +computed); run make golden:\n%s", diff)
	}
}
