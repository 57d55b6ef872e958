package main

import (
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// completionScript writes `bulkload completion SHELL` to a file and returns its path.
func completionScript(t *testing.T, shell string) string {
	t.Helper()
	code, script, stderr := runCLI(t, "completion", shell)
	if code != exitOK || stderr != "" {
		t.Fatalf("completion %s: exit %d, stderr %q", shell, code, stderr)
	}
	path := filepath.Join(t.TempDir(), "bulkload."+shell)
	if err := os.WriteFile(path, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// needShell returns the shell's path, skipping the test when it is not installed (apt-get
// install zsh fish).
func needShell(t *testing.T, shell string) string {
	t.Helper()
	path, err := exec.LookPath(shell)
	if err != nil {
		t.Skipf("%s is not installed", shell)
	}
	return path
}

// Each shell parses its script (bash -n, zsh -n, fish -n).
func TestCompletionScriptsParse(t *testing.T) {
	for _, shell := range completionShells {
		t.Run(shell, func(t *testing.T) {
			sh := needShell(t, shell)
			script := completionScript(t, shell)
			if out, err := exec.Command(sh, "-n", script).CombinedOutput(); err != nil {
				t.Errorf("%s -n: %v\n%s", shell, err, out)
			}
		})
	}
}

// commandFlags lists the flags of each command as its FlagSet defines them.
func commandFlags() map[string][]string {
	out := map[string][]string{}
	for _, c := range commands() {
		fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
		c.flags(fs)
		fs.VisitAll(func(f *flag.Flag) { out[c.name] = append(out[c.name], "--"+f.Name) })
	}
	return out
}

// bashComplete runs the bash script's completion function on line (the word being completed is
// the last one; a trailing space starts a new word) in dir and returns the candidates.
func bashComplete(t *testing.T, sh, script, dir, line string) []string {
	t.Helper()
	prog := `source "$1"; read -ra COMP_WORDS <<< "$2"; [[ "$2" == *" " ]] && COMP_WORDS+=(""); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _bulkload; printf '%s\n' "${COMPREPLY[@]}"`
	cmd := exec.Command(sh, "-c", prog, "bash", script, line)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("bash completion of %q: %v\n%s", line, err, out)
	}
	return strings.Fields(string(out))
}

// fishComplete asks fish what it completes line to, in dir; each candidate without its
// description.
func fishComplete(t *testing.T, sh, script, dir, line string) []string {
	t.Helper()
	cmd := exec.Command(sh, "--no-config", "-c", `source $argv[1]; complete -C $argv[2]`, script, line)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("fish completion of %q: %v\n%s", line, err, out)
	}
	var got []string
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if w, _, _ := strings.Cut(l, "\t"); w != "" {
			got = append(got, w)
		}
	}
	return got
}

// The bash and fish scripts complete commands, every flag of every command (from its FlagSet),
// flag values and operands, as those shells run them.
func TestCompletionScriptsComplete(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"job.yaml", "notes.txt"} {
		os.WriteFile(filepath.Join(dir, f), nil, 0o644)
	}
	os.Mkdir(filepath.Join(dir, "runs"), 0o755)
	flags := commandFlags()
	for _, tt := range []struct {
		shell    string
		complete func(t *testing.T, sh, script, dir, line string) []string
	}{{"bash", bashComplete}, {"fish", fishComplete}} {
		t.Run(tt.shell, func(t *testing.T) {
			sh := needShell(t, tt.shell)
			script := completionScript(t, tt.shell)
			cases := []struct {
				line      string
				want, not []string
			}{
				{"bulkload va", []string{"validate"}, []string{"run"}},
				{"bulkload ", []string{"completion", "help", "reconcile", "run", "sandbox", "schema", "test", "validate", "version"}, nil},
				{"bulkload run --mode ", []string{"PerRecord", "AllOrNone"}, []string{"job.yaml"}},
				{"bulkload completion ", []string{"bash", "zsh", "fish"}, nil},
				{"bulkload help ", []string{"validate", "reconcile"}, nil},
				{"bulkload validate ", []string{"job.yaml"}, []string{"notes.txt"}},
				{"bulkload reconcile ", []string{"runs/"}, []string{"job.yaml"}},
			}
			for name, fl := range flags {
				cases = append(cases, struct {
					line      string
					want, not []string
				}{"bulkload " + name + " --", fl, nil})
			}
			for _, c := range cases {
				got := tt.complete(t, sh, script, dir, c.line)
				if tt.shell == "bash" && c.line == "bulkload reconcile " {
					// compgen -d gives the bare name; bash adds the slash when it shows it.
					for i := range got {
						got[i] += "/"
					}
				}
				for _, w := range c.want {
					if !slices.Contains(got, w) {
						t.Errorf("%q: %q lacks %q", c.line, got, w)
					}
				}
				for _, w := range c.not {
					if slices.Contains(got, w) {
						t.Errorf("%q: %q offers %q", c.line, got, w)
					}
				}
			}
		})
	}
}

// Every flag whose values the scripts complete is a flag of some command.
func TestCompletionFlagValuesAreFlags(t *testing.T) {
	var all []string
	for _, fl := range commandFlags() {
		all = append(all, fl...)
	}
	for name := range flagValues {
		if !slices.Contains(all, "--"+name) {
			t.Errorf("flagValues names %q, which no command defines", name)
		}
	}
}

// The zsh script lists every flag of every command in its _arguments specs.
func TestZshCompletionListsEveryFlag(t *testing.T) {
	code, script, _ := runCLI(t, "completion", "zsh")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	for name, fl := range commandFlags() {
		start := strings.Index(script, "\n    "+name+")\n")
		if start < 0 {
			t.Errorf("no case for %s", name)
			continue
		}
		section, _, _ := strings.Cut(script[start+1:], ";;")
		for _, f := range fl {
			if !strings.Contains(section, "'"+f+"[") && !strings.Contains(section, "'"+f+"=[") {
				t.Errorf("%s: no spec for %s", name, f)
			}
		}
	}
}
