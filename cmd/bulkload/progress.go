package main

import (
	"time"

	"github.com/schollz/progressbar/v3"
)

// progress draws a progress bar on stderr when it is a terminal; otherwise it does nothing.
// Only the pipeline's collector calls add.
type progress struct {
	bar *progressbar.ProgressBar
}

func newProgress(io streams, want bool, desc string) *progress {
	if !want || !io.errIsTerminal {
		return &progress{}
	}
	return &progress{bar: progressbar.NewOptions(-1,
		progressbar.OptionSetWriter(io.err),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("rows"),
		progressbar.OptionThrottle(100*time.Millisecond),
		// No spinner of its own: progressbar's spinner goroutine reads the bar's state without
		// its lock (a data race with Add); the spinner turns on each Add instead.
		progressbar.OptionSetSpinnerChangeInterval(0),
		progressbar.OptionClearOnFinish(),
	)}
}

// newCountdown is a progress bar towards total records: done/total, rate and time left.
func newCountdown(io streams, want bool, total int, desc string) *progress {
	if !want || !io.errIsTerminal {
		return &progress{}
	}
	return &progress{bar: progressbar.NewOptions(total,
		progressbar.OptionSetWriter(io.err),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("records"),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)}
}

// describe replaces the bar's description.
func (p *progress) describe(desc string) {
	if p.bar != nil {
		p.bar.Describe(desc)
	}
}

func (p *progress) add(n int) {
	if p.bar != nil {
		_ = p.bar.Add(n)
	}
}

func (p *progress) finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}
