package main

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"
)

// plainLine is the progress line written without a terminal: "bulkload: progress: reading
// orders: 84,000/~200,000 rows (42%), 15,000 rows/s, 6s elapsed, ETA 8s".
func plainLine(s progressSnap) string {
	parts := []string{s.countText()}
	if f := s.fraction(); f >= 0 {
		parts[0] += fmt.Sprintf(" (%d%%)", int(f*100))
	}
	if s.sending {
		parts = append(parts, thousands(s.failed)+" failed")
	}
	parts = append(parts, fmt.Sprintf("%s %s/s", thousands(int(s.rate)), s.unit))
	if s.concurrency > 0 {
		parts = append(parts, fmt.Sprintf("concurrency %d", s.concurrency))
	}
	parts = append(parts, clock(s.elapsed)+" elapsed")
	if s.etaKnown {
		parts = append(parts, "ETA "+clock(s.eta))
	}
	return "bulkload: progress: " + s.desc + ": " + strings.Join(parts, ", ")
}

// progressEvent is one line of --progress=json. Event is "phase" when a phase starts, "tick"
// every --progress-interval, "end" when a phase ends (the last one when the command finishes).
type progressEvent struct {
	Time  string `json:"time"`
	Event string `json:"event"`
	// Phase is reading, "checking keys and parents across rows", sending or "writing reports";
	// Description says what it does ("validating orders", "sending to https://…").
	Phase       string `json:"phase"`
	Description string `json:"description"`
	Unit        string `json:"unit"`
	Done        int    `json:"done"`
	// Total is the phase's units when known; TotalEstimated says it is worked out from the
	// bytes read (BytesRead of BytesTotal).
	Total          int     `json:"total,omitempty"`
	TotalEstimated bool    `json:"totalEstimated,omitempty"`
	BytesRead      int64   `json:"bytesRead,omitempty"`
	BytesTotal     int64   `json:"bytesTotal,omitempty"`
	Failed         *int    `json:"failed,omitempty"` // while and after sending
	Concurrency    int     `json:"concurrency,omitempty"`
	RatePerSecond  float64 `json:"ratePerSecond"`
	ElapsedSeconds float64 `json:"elapsedSeconds"`
	ETASeconds     *int64  `json:"etaSeconds,omitempty"`
}

// emitJSON writes one line of --progress=json. The caller holds mu.
func (m *meter) emitJSON(event string) {
	s := m.snapshot()
	e := progressEvent{Time: m.now().UTC().Format(time.RFC3339Nano), Event: event, Phase: s.phase, Description: s.desc,
		Unit: s.unit, Done: s.count, Total: s.estTotal, TotalEstimated: s.estimate, Concurrency: s.concurrency,
		RatePerSecond: math.Round(s.rate*10) / 10, ElapsedSeconds: math.Round(s.elapsed.Seconds()*1000) / 1000}
	if s.phase == "reading" {
		e.BytesRead, e.BytesTotal = s.bytes, s.bytesTotal
	}
	if s.sending {
		failed := s.failed
		e.Failed = &failed
	}
	if s.etaKnown {
		eta := int64(math.Ceil(s.eta.Seconds()))
		e.ETASeconds = &eta
	}
	b, err := json.Marshal(e)
	if err != nil {
		return // a struct of plain fields always marshals
	}
	fmt.Fprintf(m.w, "%s\n", b)
}
