package layering

import (
	"fmt"
	"slices"
	"strings"
)

// Module is the import path of bulkload's module.
const Module = "github.com/bulkload/bulkload"

// Graph is an import graph: each package's import path (relative to Module for the module's
// packages) with the packages it imports (likewise relative, or full for other modules and the
// standard library). Test-only imports are not part of it.
type Graph map[string][]string

// Layers lists the module's components from the top down. A package belongs to the component
// that is the longest prefix of its path ("targets/onkey/answers" to targets/onkey,
// "targets/internal/x" to targets), and may import packages of its own component and of the
// layers below its own; none of a layer above or of another component of its own layer.
// Components that do not exist yet are listed so that the rule holds the day they appear.
// maptest and preview sit beside pipeline: each evaluates rows (evaluate) and needs what a layer
// below evaluate cannot give it, the cross-row rules (runstore) or the request builders
// (targets/*), and the CLI alone uses them.
var Layers = [][]string{
	{"cmd/bulkload"},
	{"pipeline", "guess", "sandbox", "maptest", "preview"},
	{"rundir"},
	{"report", "submit", "runstore", "evaluate"},
	{"targets/onkey", "targets/onixwork"},
	{"record"},
	{"targets"},
	{"transforms"},
	{"readers"},
	{"spec"},
	{"schemas", "internal/benchdata", "internal/layering"},
}

// Only limits what a component imports of the module to the components named, whatever its
// layer allows.
var Only = map[string][]string{
	"sandbox":            {"schemas"},
	"guess":              {"readers", "spec", "schemas"},
	"internal/benchdata": {},
	"internal/layering":  {},
}

// Never forbids imports between components that the layers would allow: the component on the
// left imports none of those on the right (a prefix "targets/" stands for every target).
var Never = map[string][]string{
	"rundir":   {"evaluate", "submit", "report", "targets", "targets/"},
	"runstore": {"evaluate", "submit", "report", "targets", "targets/"},
	"submit":   {"runstore", "targets/"},
	"report":   {"runstore"},
}

// Exclusive names, for a package outside the module, the only component that may import it
// once that component exists in the graph (before, the rule does not apply).
var Exclusive = map[string]string{
	"database/sql":       "runstore",
	"modernc.org/sqlite": "runstore",
}

// component returns the component of package pkg (a path relative to Module), and false for a
// package that belongs to none.
func component(pkg string) (string, bool) {
	best := ""
	for _, layer := range Layers {
		for _, c := range layer {
			if (pkg == c || strings.HasPrefix(pkg, c+"/")) && len(c) > len(best) {
				best = c
			}
		}
	}
	return best, best != ""
}

// layer returns the index in Layers of component c.
func layer(c string) int {
	for i, l := range Layers {
		if slices.Contains(l, c) {
			return i
		}
	}
	return -1
}

// matches reports whether component c is named by pattern: itself, or a prefix ending in "/".
func matches(c, pattern string) bool {
	if strings.HasSuffix(pattern, "/") {
		return strings.HasPrefix(c, pattern)
	}
	return c == pattern
}

// Check returns every import of g against the rules (Layers, Only, Never, Exclusive), one
// sentence each, sorted; none when g follows them. A package of the module that belongs to no
// component is reported too: the rules must say where it goes.
func Check(g Graph) []string {
	var out []string
	present := map[string]bool{}
	for pkg := range g {
		if c, ok := component(pkg); ok {
			present[c] = true
		}
	}
	for pkg, imports := range g {
		from, ok := component(pkg)
		if !ok {
			out = append(out, fmt.Sprintf("%s belongs to no component of the layout", pkg))
			continue
		}
		for _, imp := range imports {
			if owner, ok := Exclusive[imp]; ok && present[owner] && from != owner {
				out = append(out, fmt.Sprintf("%s imports %s, which only %s may", pkg, imp, owner))
			}
			to, inModule := component(imp)
			if !inModule || to == from {
				continue
			}
			if only, limited := Only[from]; limited && !slices.Contains(only, to) {
				out = append(out, fmt.Sprintf("%s imports %s: %s imports only %v of the module", pkg, imp, from, only))
				continue
			}
			if slices.ContainsFunc(Never[from], func(p string) bool { return matches(to, p) }) {
				out = append(out, fmt.Sprintf("%s imports %s: %s never imports %s", pkg, imp, from, to))
				continue
			}
			switch lf, lt := layer(from), layer(to); {
			case lt < lf:
				out = append(out, fmt.Sprintf("%s imports %s, a layer above it", pkg, imp))
			case lt == lf:
				out = append(out, fmt.Sprintf("%s imports %s, of its own layer", pkg, imp))
			}
		}
	}
	slices.Sort(out)
	return out
}
