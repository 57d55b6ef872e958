package submit

import (
	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/targets"
)

// Adapt returns the sender of one run's sending: when adaptive (submit.adaptive), a copy of
// sender with an Adaptive of its own starting at concurrency, which tells onChange each new
// limit; sender itself when not. The Adaptive is nil when not adaptive.
func Adapt(sender *targets.Sender, concurrency int, adaptive bool, onChange func(limit int)) (*targets.Sender, *targets.Adaptive) {
	if !adaptive {
		return sender, nil
	}
	s := *sender
	s.Adaptive = targets.NewAdaptive(concurrency, nil, onChange)
	return &s, s.Adaptive
}

// Account is what a, the Adaptive of a run's sending (nil when the limit was fixed at
// configured), did.
func Account(configured int, a *targets.Adaptive) *record.Concurrency {
	if a == nil {
		return &record.Concurrency{Configured: configured, Lowest: configured, Final: configured}
	}
	st := a.Stats()
	return &record.Concurrency{Configured: st.Configured, Lowest: st.Lowest, Final: st.Final, Adaptive: true, Throttled: &st.Throttled}
}

// Hold stops the sender's Adaptive, if any, from letting any more requests through: the run has
// stopped (see targets.ErrClosed). The requests in flight finish.
func Hold(s *targets.Sender) {
	if s.Adaptive != nil {
		s.Adaptive.Close()
	}
}
