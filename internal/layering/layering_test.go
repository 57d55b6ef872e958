package layering

import (
	"os/exec"
	"strings"
	"testing"
)

// moduleGraph lists the module's packages and their imports with go list (test files left out).
func moduleGraph(t *testing.T) Graph {
	t.Helper()
	cmd := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, Module+"/...")
	cmd.Dir = "../.."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	g := Graph{}
	rel := func(p string) string { return strings.TrimPrefix(strings.TrimPrefix(p, Module), "/") }
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		var imports []string
		for _, imp := range fields[1:] {
			imports = append(imports, rel(imp))
		}
		g[rel(fields[0])] = imports
	}
	return g
}

// TestModuleFollowsLayout: no package of the module imports against the direction of the layout.
func TestModuleFollowsLayout(t *testing.T) {
	g := moduleGraph(t)
	for _, must := range []string{"cmd/bulkload", "pipeline", "readers", "schemas"} {
		if _, ok := g[must]; !ok {
			t.Fatalf("go list did not list %s: the graph is not the module's", must)
		}
	}
	for _, v := range Check(g) {
		t.Error(v)
	}
}

// Check reports each kind of wrong import in a graph made up for it, and nothing for one that
// follows the rules.
func TestCheck(t *testing.T) {
	good := Graph{
		"cmd/bulkload":        {"pipeline", "rundir", "cmd/bulkload/tuning", "guess", "sandbox", "fmt"},
		"cmd/bulkload/tuning": {"runtime"},
		"pipeline":            {"evaluate", "runstore", "submit", "report", "rundir", "targets/onkey", "record", "spec"},
		"rundir":              {"runstore", "record", "spec"},
		"evaluate":            {"transforms", "readers", "record", "schemas"},
		"runstore":            {"record", "database/sql", "modernc.org/sqlite"},
		"submit":              {"record", "targets"},
		"report":              {"record", "targets/onkey"},
		"targets/onkey":       {"targets", "record", "spec"},
		"targets/onkey/x":     {"targets/onkey"},
		"targets/internal/h":  {"net/http"},
		"targets":             {"spec", "targets/internal/h"},
		"transforms":          {"readers", "spec", "schemas"},
		"readers":             {"spec"},
		"spec":                {"schemas"},
		"sandbox":             {"schemas", "net/http"},
		"guess":               {"readers", "spec"},
	}
	with := func(pkg string, imports ...string) Graph {
		g := Graph{}
		for k, v := range good {
			g[k] = v
		}
		g[pkg] = append(append([]string(nil), g[pkg]...), imports...)
		return g
	}
	for _, tc := range []struct {
		name  string
		graph Graph
		want  string // the one violation expected; "" for none
	}{
		{"the layout", good, ""},
		{"a layer below imports one above", with("readers", "transforms"), "readers imports transforms, a layer above it"},
		{"the library imports the command", with("pipeline", "cmd/bulkload/tuning"), "pipeline imports cmd/bulkload/tuning, a layer above it"},
		{"a stage imports a sibling", with("evaluate", "report"), "evaluate imports report, of its own layer"},
		{"runstore imports a target", with("runstore", "targets/onkey"), "runstore imports targets/onkey: runstore never imports targets/onkey"},
		{"runstore imports the sender", with("runstore", "targets"), "runstore imports targets: runstore never imports targets"},
		{"submit imports a target", with("submit", "targets/onixwork"), "submit imports targets/onixwork: submit never imports targets/onixwork"},
		{"run directories import the orchestration", with("rundir", "pipeline"), "rundir imports pipeline, a layer above it"},
		{"run directories import the reports", with("rundir", "report"), "rundir imports report: rundir never imports report"},
		{"the store imports run directories", with("runstore", "rundir"), "runstore imports rundir, a layer above it"},
		{"report imports runstore", with("report", "runstore"), "report imports runstore: report never imports runstore"},
		{"sandbox imports more than schemas", with("sandbox", "spec"), "sandbox imports spec: sandbox imports only [schemas] of the module"},
		{"record imports a stage", with("record", "evaluate"), "record imports evaluate, a layer above it"},
		{"SQL outside runstore", with("pipeline", "database/sql"), "pipeline imports database/sql, which only runstore may"},
		{"a package the layout does not know", with("extra", "fmt"), "extra belongs to no component of the layout"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Check(tc.graph)
			switch {
			case tc.want == "" && len(got) > 0:
				t.Errorf("Check = %q, want nothing", got)
			case tc.want != "" && (len(got) != 1 || got[0] != tc.want):
				t.Errorf("Check = %q, want [%q]", got, tc.want)
			}
		})
	}
}

// SQL may be anywhere until runstore exists: the rule applies from the day it does.
func TestExclusiveOnceOwnerExists(t *testing.T) {
	g := Graph{"pipeline": {"database/sql"}}
	if got := Check(g); len(got) != 0 {
		t.Errorf("without runstore: Check = %q, want nothing", got)
	}
	g["runstore"] = []string{"database/sql"}
	if got := Check(g); len(got) != 1 {
		t.Errorf("with runstore: Check = %q, want pipeline's import of database/sql", got)
	}
}
