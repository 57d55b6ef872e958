package pipeline

import (
	"github.com/bulkload/bulkload/spec"
	"github.com/bulkload/bulkload/targets"
)

// adaptiveSender is sender for one run's sending: a copy with an Adaptive of its own, starting
// at submit.concurrency, when the job's submit.adaptive is on (onChange is told each new limit);
// sender itself when it is off. The Adaptive is nil when off.
func adaptiveSender(job *spec.Job, sender *targets.Sender, onChange func(limit int)) (*targets.Sender, *targets.Adaptive) {
	if !job.Submit.Adaptive {
		return sender, nil
	}
	s := *sender
	s.Adaptive = targets.NewAdaptive(job.Submit.Concurrency, nil, onChange)
	return &s, s.Adaptive
}

// concurrencyOf is what a, the Adaptive of a run's sending (nil when fixed), did.
func concurrencyOf(job *spec.Job, a *targets.Adaptive) *Concurrency {
	if a == nil {
		c := job.Submit.Concurrency
		return &Concurrency{Configured: c, Lowest: c, Final: c}
	}
	st := a.Stats()
	return &Concurrency{Configured: st.Configured, Lowest: st.Lowest, Final: st.Final, Adaptive: true, Throttled: &st.Throttled}
}

// holdSending stops the sender's Adaptive, if any, from letting any more requests through: the
// run has stopped (see targets.ErrClosed). The requests in flight finish.
func holdSending(s *targets.Sender) {
	if s.Adaptive != nil {
		s.Adaptive.Close()
	}
}
