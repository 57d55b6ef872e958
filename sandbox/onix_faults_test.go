package sandbox

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestOnixFaults(t *testing.T) {
	tests := []struct {
		name   string
		faults func(*Faults)
		status int // 0: no answer
		fault  string
		stored int
	}{
		{"500", func(f *Faults) { f.HTTP500Rate = 1 }, 500, FaultHTTP500, 0},
		{"503", func(f *Faults) { f.HTTP503Rate = 1 }, 503, FaultHTTP503, 0},
		{"429", func(f *Faults) { f.HTTP429Rate = 1 }, 429, FaultHTTP429, 0},
		{"reset", func(f *Faults) { f.ResetRate = 1 }, 0, FaultReset, 0},
		{"drop the answer after applying", func(f *Faults) { f.DropResponseAfterApplyRate = 1 }, 0, FaultDropResponse, 1},
		{"rate limit", func(f *Faults) { f.MaxRPS = 1 }, 429, FaultRateLimit, 1}, // the second call is limited
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := start(t, func(c *Config) { tc.faults(&c.Faults) })
			if tc.fault == FaultRateLimit {
				onixPost(t, s, "/v1/orders", `{"orderImportId":"A"}`, 200)
			}
			a, err := onixTry(s, "POST", "/v1/orders", onixKey, `{"orderImportId":"B"}`)
			if tc.status == 0 && err == nil || tc.status != 0 && (err != nil || a.status != tc.status) {
				t.Fatalf("got %d %v, want %d", a.status, err, tc.status)
			}
			if tc.status != 0 && problem(t, a).Title == "" {
				t.Errorf("fault body %s", a.body)
			}
			reqs := s.Requests()
			if r := reqs[len(reqs)-1]; r.Fault != tc.fault {
				t.Errorf("logged fault %q, want %q", r.Fault, tc.fault)
			}
			if n := len(s.OnixOrders()); n != tc.stored {
				t.Errorf("%d orders stored, want %d", n, tc.stored)
			}
			// The token endpoint meets no faults.
			if tc.fault != FaultRateLimit {
				onixToken(t, s)
			}
		})
	}
}

// TestOnixConcurrentLines: many lines posted at once to one order all land, each once.
func TestOnixConcurrentLines(t *testing.T) {
	s := start(t, func(c *Config) { c.Faults.Latency = time.Millisecond })
	createOrder(t, s, "A")
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Go(func() {
			body := fmt.Sprintf(`{"orderImportId":"A","orderLineImportId":"A-%d"}`, i%20)
			if a, err := onixTry(s, "POST", "/v1/order-lines", onixKey, body); err != nil || a.status != 200 {
				t.Errorf("%s: %d %v", body, a.status, err)
			}
		})
	}
	wg.Wait()
	if n := len(s.OnixOrderLines()); n != 20 {
		t.Errorf("%d lines, want 20", n)
	}
}

func TestOnixConfig(t *testing.T) {
	tests := []struct {
		name, yaml string
		errs       []string // parts of the error; none: valid
	}{
		{"add links and users", "onixwork:\n  users: {ci: ci-pass}\n  company_links: {K-7: customer}\n  token_lifetime: 5m\n", nil},
		{"bad link type", "onixwork:\n  company_links: {K-7: partner}\n", []string{":2:", "onixwork.company_links.K-7"}},
		{"no statuses", "onixwork:\n  order_statuses: []\n", []string{"onixwork.order_statuses: needs at least one status"}},
		{"duplicate status", "onixwork:\n  order_line_statuses: [{id: 1, name: A}, {id: 1, name: B}]\n", []string{"id 1 is used twice"}},
		{"token lifetime", "onixwork:\n  token_lifetime: 0s\n", []string{"onixwork.token_lifetime: must be positive"}},
		{"unknown key", "onixwork:\n  colour: red\n", []string{"colour"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "sandbox.yaml")
			if err := os.WriteFile(p, []byte(tc.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			cfg, err := LoadConfig(p)
			if len(tc.errs) == 0 {
				if err != nil {
					t.Fatal(err)
				}
				if _, ok := cfg.OnixWork.Users["sandbox"]; !ok {
					t.Error("the default user is gone")
				}
				return
			}
			for _, want := range tc.errs {
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Errorf("error %v, want %q", err, want)
				}
			}
		})
	}
	s := start(t, func(c *Config) { c.OnixWork.Users["ci"] = "ci-pass"; c.OnixWork.Keys = []string{"k2"} })
	if a := onixCall(t, s, "POST", OnixTokenPath, "", `{"username":"ci","password":"ci-pass"}`); a.status != 200 {
		t.Errorf("configured user: %d", a.status)
	}
	if a := onixCall(t, s, "GET", "/v1/company/order-statuses", "Key sandbox-key", ""); a.status != 401 {
		t.Errorf("replaced key: %d", a.status)
	}
}
