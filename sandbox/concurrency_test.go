package sandbox

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/bulkload/bulkload/spec"
	"github.com/bulkload/bulkload/targets"
)

// TestConcurrentRequests: concurrent imports, each of whose records is applied as a unit, under
// the race detector. Every worker merges the same 10 codes in AllOrNone requests and creates
// its own 10 in PerRecord requests, while others read the records and the log.
func TestConcurrentRequests(t *testing.T) {
	s := start(t, nil)
	const workers = 8
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var shared, own []string
			for i := range 10 {
				shared = append(shared, siteType(fmt.Sprintf("s%d", i), "Merge", fmt.Sprintf("SH%d", i), ""))
				own = append(own, siteType(fmt.Sprintf("o%d", i), "Create", fmt.Sprintf("W%dN%d", w, i), ""))
			}
			for _, req := range []struct{ query, body string }{{"?mode=AllOrNone", importBody(shared...)}, {"?mode=PerRecord", importBody(own...)}} {
				a, err := try(s, "POST", importPath+req.query, contentImport, req.body)
				if err != nil || a.status != 200 {
					t.Errorf("worker %d: %d %v %s", w, a.status, err, a.body)
				}
			}
			_ = s.Records("SiteType")
			_ = s.Requests()
		}()
	}
	wg.Wait()
	recs := s.Records("SiteType")
	if len(recs) != 1+10+workers*10 {
		t.Fatalf("%d SiteTypes, want %d", len(recs), 1+10+workers*10)
	}
	versions := map[int64]int{}
	for _, r := range recs {
		versions[r.Version]++
	}
	// The 10 shared codes were created by one request and merged by the 7 others, in turn.
	if versions[workers] != 10 {
		t.Errorf("versions %v: want the 10 shared records at version %d", versions, workers)
	}
}

// TestSenderRetriesThroughFaults: targets.Sender retries the injected 503s and 429s until the
// sandbox answers, and the sandbox's log shows each attempt with its fault.
func TestSenderRetriesThroughFaults(t *testing.T) {
	s := start(t, func(c *Config) { c.Faults.HTTP503Rate, c.Faults.HTTP429Rate, c.Faults.Seed = 0.3, 0.3, 11 })
	auth, err := targets.NewAuthorizer(spec.Auth{Kind: "bearer", TokenEnv: "TOKEN"}, func(string) string { return "sandbox-token" }, nil)
	if err != nil {
		t.Fatal(err)
	}
	sender := &targets.Sender{Auth: auth, Retries: 30, Sleep: func(context.Context, time.Duration) error { return nil }}
	for i := range 5 {
		ans, err := sender.Send(t.Context(), targets.Call{Method: "POST", URL: s.URL() + "/api/tenants/demo/main" + importPath + "?mode=PerRecord",
			ContentType: contentImport, Body: []byte(importBody(siteType("A", "Merge", "OFF", ""))), Idempotent: true})
		if err != nil || ans.Status != 200 {
			t.Fatalf("send %d: %v %+v", i, err, ans)
		}
	}
	faults := map[string]int{}
	for _, r := range s.Requests() {
		faults[r.Fault]++
	}
	if faults[""] != 5 || faults[FaultHTTP503] == 0 || faults[FaultHTTP429] == 0 {
		t.Errorf("faults met %v: want 5 answered and some 503s and 429s", faults)
	}
	if r := s.Records("SiteType"); r[len(r)-1].Version != 5 {
		t.Errorf("OFF merged to version %d, want 5", r[len(r)-1].Version)
	}
}
