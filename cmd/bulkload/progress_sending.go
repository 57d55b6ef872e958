package main

import (
	"fmt"

	"github.com/bulkload/bulkload/record"
)

// describeConcurrency is the summary's line about the requests in flight:
//
//	32 configured, lowest 4, final 12 (adaptive: 17 answers 429 or 503)
//	8 (fixed: submit.adaptive is false)
func describeConcurrency(c *record.Concurrency) string {
	if !c.Adaptive {
		return fmt.Sprintf("%d (fixed: submit.adaptive is false)", c.Configured)
	}
	throttled := 0
	if c.Throttled != nil {
		throttled = *c.Throttled
	}
	return fmt.Sprintf("%d configured, lowest %d, final %d (adaptive: %d answers 429 or 503)", c.Configured, c.Lowest, c.Final, throttled)
}
