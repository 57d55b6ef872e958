package main

import (
	"fmt"
	"sync"

	"github.com/bulkload/bulkload/pipeline"
)

// sendingBar describes the sending bar: what is being sent (a group, a background task) and the
// requests in flight allowed now, of the configured concurrency:
//
//	sending group 2 to https://… · 12 of 32 in flight
//
// Its methods are safe for concurrent use: the run tells it from several goroutines.
type sendingBar struct {
	mu         sync.Mutex
	bar        *progress // nil until sending starts
	desc       string
	limit      int
	configured int
}

// start is sending's start: the bar to describe, and its first description.
func (s *sendingBar) start(bar *progress, desc string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.bar, s.desc = bar, desc
	s.show()
}

// what replaces the description of what is being sent.
func (s *sendingBar) what(desc string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.desc = desc
	s.show()
}

// limitIs is told each new limit of requests in flight (pipeline.RunOptions.Concurrency).
func (s *sendingBar) limitIs(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limit = n
	s.show()
}

func (s *sendingBar) show() {
	if s.bar != nil {
		s.bar.describe(fmt.Sprintf("%s · %d of %d in flight", s.desc, s.limit, s.configured))
	}
}

// describeConcurrency is the summary's line about the requests in flight:
//
//	32 configured, lowest 4, final 12 (adaptive: 17 answers 429 or 503)
//	8 (fixed: submit.adaptive is false)
func describeConcurrency(c *pipeline.Concurrency) string {
	if !c.Adaptive {
		return fmt.Sprintf("%d (fixed: submit.adaptive is false)", c.Configured)
	}
	throttled := 0
	if c.Throttled != nil {
		throttled = *c.Throttled
	}
	return fmt.Sprintf("%d configured, lowest %d, final %d (adaptive: %d answers 429 or 503)", c.Configured, c.Lowest, c.Final, throttled)
}
