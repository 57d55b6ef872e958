package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// recordsLine is the summary's counts line.
var recordsLine = regexp.MustCompile(`(?m)^  records: .*$`)

// `bulkload sandbox --print-config` prints a config that, passed back with --config, makes a
// sandbox that behaves as the default one: each sample's run gets the same outcome.
func TestSandboxPrintConfigRoundTrips(t *testing.T) {
	code, printed, stderr := runCLI(t, "sandbox", "--print-config")
	if code != exitOK || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if !strings.HasPrefix(printed, "# The sandbox's config, as `bulkload sandbox --print-config` prints it.") {
		t.Errorf("stdout does not start with the header:\n%.300s", printed)
	}
	cfg := filepath.Join(t.TempDir(), "sandbox.yaml")
	if err := os.WriteFile(cfg, []byte(printed), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, sample := range []string{"onkey-sites", "orders-csv"} {
		t.Run(sample, func(t *testing.T) {
			job := "../../samples/" + sample + "/job.yaml"
			wantCode, wantOut, _ := runCLI(t, "run", "--sandbox", "--out", t.TempDir(), job)
			code, out, stderr := runCLI(t, "run", "--sandbox", "--sandbox-config", cfg, "--out", t.TempDir(), job)
			want, got := recordsLine.FindString(wantOut), recordsLine.FindString(out)
			if code != wantCode || got != want || want == "" {
				t.Errorf("with the printed config: exit %d, %q; with the defaults: exit %d, %q\nstderr: %s", code, got, wantCode, want, stderr)
			}
		})
	}
}

// With --config, --print-config prints that file read over the defaults; a bad file is a usage
// error naming its line.
func TestSandboxPrintConfigOfAFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(good, []byte("tenant: acme\nentities: {Alarm: null}\n"), 0o644)
	os.WriteFile(bad, []byte("tenant: acme\nfaults: {http500_rate: 2}\n"), 0o644)
	tests := []struct {
		name              string
		args              []string
		code              int
		stdoutHas, errHas string
	}{
		{"merged", []string{"sandbox", "--print-config", "--config", good}, exitOK, "\ntenant: acme\nconnection: main\n", ""},
		{"removed type", []string{"sandbox", "--print-config", "--config", good}, exitOK, "  Alarm: null # a default type this config removes\n", ""},
		{"bad file", []string{"sandbox", "--print-config", "--config", bad}, exitUsage, "", "bad.yaml:2:10: faults.http500_rate: must be between 0 and 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tt.args...)
			if code != tt.code || !strings.Contains(stdout, tt.stdoutHas) || !strings.Contains(stderr, tt.errHas) {
				t.Errorf("exit %d (want %d)\nstdout: %.2000s\nstderr: %s\nwant stdout %q, stderr %q", code, tt.code, stdout, stderr, tt.stdoutHas, tt.errHas)
			}
		})
	}
}
