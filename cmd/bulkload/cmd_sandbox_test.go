package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// `bulkload sandbox` serves until interrupted, and says where and with which token.
func TestSandboxCommandServesUntilInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	pr, pw := io.Pipe()
	var stderr bytes.Buffer
	code := make(chan int, 1)
	go func() {
		code <- run(ctx, []string{"sandbox", "--listen", "127.0.0.1:0"}, streams{out: pw, err: &stderr})
		pw.Close()
	}()
	first, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("no first line: %v", err)
	}
	go io.Copy(io.Discard, pr)
	m := regexp.MustCompile(`^sandbox: On Key at (http://127\.0\.0\.1:\d+)/api/tenants/demo/main `).FindStringSubmatch(first)
	if m == nil {
		t.Fatalf("first line %q does not give the address", first)
	}
	resp, err := http.Get(m[1] + "/_sandbox/records")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET /_sandbox/records: %s", resp.Status)
	}
	cancel()
	if c := <-code; c != exitOK {
		t.Errorf("exit %d after the interrupt, want 0; stderr: %s", c, stderr.String())
	}
}

func TestSandboxCommandRefusesNonLoopback(t *testing.T) {
	code, _, stderr := runCLI(t, "sandbox", "--listen", "0.0.0.0:0")
	if code != exitUsage || !strings.Contains(stderr, "refusing a host that is not loopback") {
		t.Errorf("exit %d, stderr %q; want a refusal", code, stderr)
	}
}
