package runstore

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// sqlText matches a string that holds SQL, written as the run store writes it (keywords in
// capitals).
var sqlText = regexp.MustCompile(`(?s)\b(SELECT\s.+?\sFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(TABLE|INDEX)|PRAGMA\s+\w+|ATTACH\s+DATABASE)\b`)

// sqlPackage reports whether an import path speaks SQL.
func sqlPackage(path string) bool {
	return path == "database/sql" || path == "modernc.org/sqlite" || strings.HasPrefix(path, "modernc.org/sqlite/")
}

// No Go file of the module outside runstore/ imports database/sql or the SQLite driver, and no
// file outside it but the tests (which damage stores through runstore/storetest) holds SQL: the
// run store's contract is runstore's API.
func TestNoSQLOutsideRunstore(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("the module's root: %v", err)
	}
	files := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			if rel == "runstore" || strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "node_modules" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		files++
		for _, problem := range sqlProblems(t, path, !strings.HasSuffix(path, "_test.go")) {
			t.Errorf("%s: %s", rel, problem)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 50 {
		t.Fatalf("looked at %d Go files under %s: not the module", files, root)
	}
}

// sqlProblems lists the SQL imports of the Go file at path and, with text, its string literals
// that hold SQL.
func sqlProblems(t *testing.T, path string, text bool) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, imp := range f.Imports {
		if p, _ := strconv.Unquote(imp.Path.Value); sqlPackage(p) {
			out = append(out, "imports "+p)
		}
	}
	if !text {
		return out
	}
	ast.Inspect(f, func(n ast.Node) bool {
		if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			if s, err := strconv.Unquote(lit.Value); err == nil && sqlText.MatchString(s) {
				out = append(out, "holds SQL: "+strings.Join(strings.Fields(s), " "))
			}
		}
		return true
	})
	return out
}

// The checks of TestNoSQLOutsideRunstore find what they look for.
func TestSQLProblemsFindsSQL(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, src string
		text      bool
		want      int
	}{
		{"an import of database/sql", "package p\nimport _ \"database/sql\"\n", true, 1},
		{"an import of the driver", "package p\nimport _ \"modernc.org/sqlite\"\n", false, 1},
		{"a query", "package p\nconst q = `SELECT seq,\n\tuoid FROM records WHERE status = 'valid'`\n", true, 1},
		{"an update", "package p\nvar q = \"UPDATE records SET messages = ?\"\n", true, 1},
		{"a query in a test", "package p\nconst q = `DELETE FROM records`\n", false, 0},
		{"words that are not SQL", "package p\nconst m = \"select the rows to update from the file\"\n", true, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, "f.go")
			if err := os.WriteFile(path, []byte(tc.src), 0o644); err != nil {
				t.Fatal(err)
			}
			if got := sqlProblems(t, path, tc.text); len(got) != tc.want {
				t.Errorf("found %q, want %d problems", got, tc.want)
			}
		})
	}
}
