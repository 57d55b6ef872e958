package submit

import (
	"strings"
	"testing"

	"github.com/bulkload/bulkload/record"
)

// The breaker trips on the request that completes a window of requests that all failed the same
// way, and never once a request did not; off, it never trips.
func TestBreaker(t *testing.T) {
	failed := func(status int, code, prop string) record.Result {
		return record.Result{Status: record.Failed, Outcome: record.Outcome{HTTPStatus: status}, Messages: []record.Message{{Code: code, Property: prop, Text: "bad " + code}}}
	}
	refusedAll := []record.Result{failed(400, "Core_X", "Code"), failed(400, "Core_X", "Code")}
	notFound := []record.Result{failed(404, "Core_NotFound", ""), failed(404, "Core_NotFound", "")}
	unsupported := []record.Result{failed(415, "A", ""), failed(415, "B", "")}
	mixedCodes := []record.Result{failed(400, "Core_X", "Code"), failed(400, "Core_Y", "Code")}
	otherField := []record.Result{failed(400, "Core_X", "Name"), failed(400, "Core_X", "Name")}
	oneGood := []record.Result{failed(200, "Core_X", "Code"), {Status: record.Succeeded, Outcome: record.Outcome{HTTPStatus: 200}}}
	oneUnknown := []record.Result{failed(400, "Core_X", "Code"), {Status: record.Unknown, Outcome: record.Outcome{HTTPStatus: 400}}}
	repeat := func(n int, outs []record.Result) [][]record.Result {
		var reqs [][]record.Result
		for range n {
			reqs = append(reqs, outs)
		}
		return reqs
	}
	tests := []struct {
		name     string
		on       bool
		requests [][]record.Result
		tripAt   int    // 1-based request that trips it; 0: none
		reason   string // what the message must say
	}{
		{name: "every record the same code", on: true, requests: repeat(20, refusedAll), tripAt: breakerWindow,
			reason: `HTTP 400, every record refused with code Core_X on Code; the first said "Code: bad Core_X"`},
		{name: "every request 404", on: true, requests: repeat(20, notFound), tripAt: breakerWindow, reason: "HTTP 404"},
		{name: "the same status refusing the request, codes differ", on: true, requests: repeat(20, unsupported), tripAt: breakerWindow,
			reason: "(HTTP 415)"},
		{name: "off", on: false, requests: repeat(20, refusedAll)},
		{name: "400 with different codes", on: true, requests: repeat(20, mixedCodes)},
		{name: "a record succeeded", on: true, requests: append([][]record.Result{oneGood}, repeat(20, refusedAll)...)},
		{name: "a record unknown", on: true, requests: append(repeat(3, refusedAll), append([][]record.Result{oneUnknown}, repeat(20, refusedAll)...)...)},
		{name: "the same code on another field", on: true, requests: append(repeat(breakerWindow-1, refusedAll), repeat(20, otherField)...)},
		{name: "only the first requests count", on: true, requests: append(repeat(breakerWindow-1, refusedAll), append(repeat(1, mixedCodes), repeat(20, refusedAll)...)...)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tl := NewTally(0, tc.on)
			at := 0
			for i, outs := range tc.requests {
				if err := tl.add(outs); err != nil {
					at = i + 1
					if !strings.Contains(err.Error(), tc.reason) || !strings.Contains(err.Error(), "--no-breaker") {
						t.Errorf("message %q: want %q and the way to turn the breaker off", err, tc.reason)
					}
					break
				}
			}
			if at != tc.tripAt {
				t.Errorf("tripped at request %d, want %d", at, tc.tripAt)
			}
		})
	}
}

// max_errors keeps its own limit, below the breaker's window and with the breaker off.
func TestMaxErrorsBesideTheBreaker(t *testing.T) {
	outs := []record.Result{{Status: record.Failed, Outcome: record.Outcome{HTTPStatus: 400}, Messages: []record.Message{{Code: "A"}}},
		{Status: record.Failed, Outcome: record.Outcome{HTTPStatus: 400}, Messages: []record.Message{{Code: "B"}}}}
	for _, on := range []bool{true, false} {
		tl := NewTally(5, on)
		var err error
		n := 0
		for err == nil && n < 100 {
			err = tl.add(outs)
			n++
		}
		if n != 3 || err == nil || !strings.Contains(err.Error(), "6 records failed, the limit is 5") {
			t.Errorf("breaker %v: stopped after %d requests with %v; want after 3, by max_errors", on, n, err)
		}
	}
}
