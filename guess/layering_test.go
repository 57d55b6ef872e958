package guess

import (
	"os/exec"
	"strings"
	"testing"
)

// TestLayering: guess imports, of this module, only readers, spec and schemas, and nothing but
// cmd/bulkload imports guess.
func TestLayering(t *testing.T) {
	const mod = "github.com/bulkload/bulkload/"
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, mod+"...").CombinedOutput()
	if err != nil {
		t.Skipf("go list: %v\n%s", err, out)
	}
	allowed := map[string]bool{mod + "readers": true, mod + "spec": true, mod + "schemas": true}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg, imports := fields[0], fields[1:]
		for _, imp := range imports {
			switch {
			case pkg == mod+"guess" && strings.HasPrefix(imp, mod) && !allowed[imp]:
				t.Errorf("guess imports %s", imp)
			case imp == mod+"guess" && pkg != mod+"cmd/bulkload":
				t.Errorf("%s imports guess", pkg)
			}
		}
	}
}
