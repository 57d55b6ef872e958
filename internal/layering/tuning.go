package layering

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
	"strings"
)

// processWide lists the calls that change the whole process's scheduling, by import path and
// function name: only the command may make them (DESIGN.md: process-wide tuning lives in
// cmd/bulkload and reaches the library as options).
var processWide = map[string][]string{
	"runtime":                  {"GOMAXPROCS", "SetDefaultGOMAXPROCS"},
	"syscall":                  {"Setpriority"},
	"golang.org/x/sys/unix":    {"Setpriority", "SchedSetAttr", "SchedSetaffinity"},
	"golang.org/x/sys/windows": {"SetPriorityClass", "SetThreadPriority"},
}

// TuningCalls returns, for one Go source file, each call in it that changes process-wide
// scheduling ("file:line: runtime.GOMAXPROCS"). runtime.GOMAXPROCS(0) only reads the setting and
// is not reported.
func TuningCalls(fset *token.FileSet, filename string, src any) ([]string, error) {
	f, err := parser.ParseFile(fset, filename, src, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	names := map[string]string{} // local name -> import path, for the paths of processWide
	for _, imp := range f.Imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		if _, ok := processWide[path]; !ok {
			continue
		}
		name := path[strings.LastIndex(path, "/")+1:]
		if imp.Name != nil {
			name = imp.Name.Name
		}
		names[name] = path
	}
	var out []string
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		pkg, ok := sel.X.(*ast.Ident)
		if !ok {
			return true
		}
		path, ok := names[pkg.Name]
		if !ok || !slices.Contains(processWide[path], sel.Sel.Name) {
			return true
		}
		if sel.Sel.Name == "GOMAXPROCS" && len(call.Args) == 1 {
			if lit, ok := call.Args[0].(*ast.BasicLit); ok && lit.Value == "0" {
				return true // a read
			}
		}
		out = append(out, fmt.Sprintf("%s: %s.%s", fset.Position(call.Pos()), path, sel.Sel.Name))
		return true
	})
	return out, nil
}
