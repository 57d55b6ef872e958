package main

import (
	"slices"
	"testing"
)

func TestSuggest(t *testing.T) {
	cmds := []string{"completion", "help", "reconcile", "run", "sandbox", "schema", "validate", "version"}
	flags := []string{"batch-size", "concurrency", "force", "json", "out", "quiet", "resume", "retry-failed", "sandbox", "sandbox-config", "target", "workers"}
	tests := []struct {
		word       string
		candidates []string
		want       []string
	}{
		{"vaildate", cmds, []string{"validate"}},       // two letters swapped
		{"valdate", cmds, []string{"validate"}},        // one missing
		{"Validate", cmds, []string{"validate"}},       // case
		{"rn", cmds, []string{"run"}},                  // short word, distance 1
		{"sandbx", cmds, []string{"sandbox"}},          // one missing
		{"recon", cmds, []string{"reconcile"}},         // the only one it begins
		{"s", cmds, nil},                               // too short to guess
		{"frobnicate", cmds, nil},                      // nothing near
		{"sc", cmds, nil},                              // distance 2 is too far for a short word
		{"concurency", flags, []string{"concurrency"}}, // one missing
		{"quite", flags, []string{"quiet"}},            // swapped
		{"sandbox-confg", flags, []string{"sandbox-config"}},
		{"retry", flags, []string{"retry-failed"}}, // prefix
		{"re", flags, nil},
		{"run", cmds, nil}, // the word itself is no suggestion
	}
	for _, tt := range tests {
		if got := suggest(tt.word, tt.candidates); !slices.Equal(got, tt.want) {
			t.Errorf("suggest(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}

func TestEditDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		d    int
	}{{"", "", 0}, {"abc", "", 3}, {"", "ab", 2}, {"vaildate", "validate", 1}, {"kitten", "sitting", 3}, {"ca", "abc", 3}, {"ö", "o", 1}} {
		if got := editDistance(tt.a, tt.b); got != tt.d {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.d)
		}
	}
}
