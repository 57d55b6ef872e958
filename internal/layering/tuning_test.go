package layering

import (
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// TestOnlyTheCommandTunesTheProcess: no Go file outside cmd/bulkload (tests included) changes
// GOMAXPROCS or a thread's priority.
func TestOnlyTheCommandTunesTheProcess(t *testing.T) {
	root := "../.."
	fset := token.NewFileSet()
	files := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			if rel == filepath.Join("cmd", "bulkload") || (rel != "." && strings.HasPrefix(d.Name(), ".")) || d.Name() == "testdata" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		files++
		calls, err := TuningCalls(fset, path, nil)
		if err != nil {
			return err
		}
		for _, c := range calls {
			t.Errorf("%s: only cmd/bulkload changes process-wide scheduling", c)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 100 {
		t.Fatalf("walked %d Go files: not the module", files)
	}
}

// TuningCalls finds each kind of call that tunes the process, under any import name, and not
// the calls that only read.
func TestTuningCalls(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      []string
	}{
		{"raising GOMAXPROCS", `package p; import "runtime"; func f() { runtime.GOMAXPROCS(runtime.GOMAXPROCS(0) + 2) }`,
			[]string{"p.go:1:41: runtime.GOMAXPROCS"}},
		{"reading GOMAXPROCS", `package p; import "runtime"; var n = runtime.GOMAXPROCS(0)`, nil},
		{"back to the default", `package p; import "runtime"; func f() { runtime.SetDefaultGOMAXPROCS() }`,
			[]string{"p.go:1:41: runtime.SetDefaultGOMAXPROCS"}},
		{"renicing a thread", `package p; import sc "syscall"; func f() { _ = sc.Setpriority(0, 0, 5) }`,
			[]string{"p.go:1:48: syscall.Setpriority"}},
		{"x/sys", `package p; import "golang.org/x/sys/unix"; func f() { _ = unix.Setpriority(0, 0, 5) }`,
			[]string{"p.go:1:59: golang.org/x/sys/unix.Setpriority"}},
		{"another package's function of the name", `package p; import "other/runtime2"; func f() { runtime2.GOMAXPROCS(4) }`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := TuningCalls(token.NewFileSet(), "p.go", tc.src)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("TuningCalls = %q, want %q", got, tc.want)
			}
		})
	}
}
