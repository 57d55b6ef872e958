package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// Progress modes, the values of --progress.
const (
	progressAuto  = "auto"  // bar on a terminal, plain lines otherwise
	progressBar   = "bar"   // one line redrawn in place, fitted to the terminal's width
	progressPlain = "plain" // a line every --progress-interval
	progressJSON  = "json"  // a JSON object a line: at each phase, every interval, at the end
	progressNone  = "none"
)

var progressModes = []string{progressAuto, progressBar, progressPlain, progressJSON, progressNone}

// barEvery is how often the bar is redrawn at most, and at least (so that a phase without
// progress of its own still shows its time going by).
const (
	barThrottle = 100 * time.Millisecond
	barTick     = time.Second
)

// meter shows the progress of a validate or run on stderr: a bar on a terminal, else plain or
// JSON lines at an interval. Its methods are the pipeline's progress callbacks; they may be
// called from several goroutines. A meter of mode none does nothing.
type meter struct {
	mode  string
	w     io.Writer
	width func() int // the terminal's columns, measured at each redraw
	every time.Duration
	now   func() time.Time

	mu    sync.Mutex
	st    state
	drawn time.Time // when the bar was last drawn
	// drawnTotal is whether the bar last drawn showed the phase's total (or its estimate): the
	// first frame that can show it is drawn at once, however soon after the one before.
	drawnTotal bool
	stop       chan struct{}
	done       chan struct{}
}

// state is what the meter knows of the current phase.
type state struct {
	phase       string // pipeline.Phase*, or phaseSending
	desc        string // what the bar says it is doing
	unit        string // rows or records
	started     time.Time
	count       int // units done in this phase
	total       int // units of this phase; 0 not known
	bytes       int64
	bytesTotal  int64
	failed      int
	concurrency int // requests in flight allowed now; 0 not known
	configured  int // of the configured concurrency; 0 not known
	sending     bool
}

const phaseSending = "sending"

// newMeter starts a meter of mode (progressAuto resolved by whether stderr is a terminal) that
// describes reading as desc.
func newMeter(io streams, mode string, every time.Duration, desc string) *meter {
	if mode == progressAuto || mode == "" {
		mode = progressPlain
		if io.errIsTerminal {
			mode = progressBar
		}
	}
	if every <= 0 {
		every = 10 * time.Second
	}
	m := &meter{mode: mode, w: io.err, width: io.errWidth, every: every, now: time.Now}
	if m.width == nil {
		m.width = func() int { return 80 }
	}
	m.st = state{phase: "reading", desc: desc, unit: "rows", started: m.now()}
	if mode == progressNone {
		return m
	}
	m.stop, m.done = make(chan struct{}), make(chan struct{})
	tick := every
	if mode == progressBar {
		tick = barTick
	}
	go m.ticker(tick)
	if mode == progressJSON {
		m.emitJSON("phase")
	}
	return m
}

func (m *meter) ticker(every time.Duration) {
	defer close(m.done)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-m.stop:
			return
		case <-t.C:
			m.mu.Lock()
			switch m.mode {
			case progressBar:
				m.draw()
			case progressPlain:
				fmt.Fprintln(m.w, plainLine(m.snapshot()))
			case progressJSON:
				m.emitJSON("tick")
			}
			m.mu.Unlock()
		}
	}
}

// rows counts rows read (Options.Progress).
func (m *meter) rows(n int) { m.update(func(s *state) { s.count += n }) }

// readBytes records how far the reading got in bytes (Options.Bytes).
func (m *meter) readBytes(done, total int64) {
	m.update(func(s *state) { s.bytes, s.bytesTotal = done, total })
}

// sent counts records that got an outcome (RunOptions.Sent).
func (m *meter) sent(n int) { m.update(func(s *state) { s.count += n }) }

// failedRecords counts records that failed (RunOptions.Failed).
func (m *meter) failedRecords(n int) { m.update(func(s *state) { s.failed += n }) }

// setConcurrency shows the requests in flight the run allows now, of the configured concurrency,
// for a run whose concurrency changes as it goes (RunOptions.Concurrency); 0 hides it.
func (m *meter) setConcurrency(n, configured int) {
	m.update(func(s *state) { s.concurrency, s.configured = n, configured })
}

// describe replaces what the bar says the current phase is doing.
func (m *meter) describe(desc string) { m.update(func(s *state) { s.desc = desc }) }

// phase starts a phase of the evaluation (Options.Phase). Reading keeps the meter's own
// description.
func (m *meter) phase(name string) {
	if name == "reading" {
		return
	}
	m.begin(state{phase: name, desc: name})
}

// sending starts the sending phase (RunOptions.Sending) towards total records.
func (m *meter) sending(total int, desc string) {
	m.begin(state{phase: phaseSending, desc: desc, unit: "records", total: total, sending: true})
}

// begin replaces the phase, keeping the failed count and concurrency of a run.
func (m *meter) begin(s state) {
	if m.mode == progressNone {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.mode == progressJSON {
		m.emitJSON("end")
	}
	s.started, s.failed, s.concurrency, s.configured = m.now(), m.st.failed, m.st.concurrency, m.st.configured
	s.sending = s.sending || m.st.sending
	if s.unit == "" {
		s.unit = m.st.unit
	}
	m.st = s
	switch m.mode {
	case progressBar:
		m.draw()
	case progressJSON:
		m.emitJSON("phase")
	}
}

func (m *meter) update(f func(*state)) {
	if m.mode == progressNone {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	f(&m.st)
	if m.mode == progressBar && (m.now().Sub(m.drawn) >= barThrottle || !m.drawnTotal && m.snapshot().estTotal > 0) {
		m.draw()
	}
}

// draw writes the bar over the line it is on. The caller holds mu.
func (m *meter) draw() {
	snap := m.snapshot()
	m.drawn, m.drawnTotal = m.now(), snap.estTotal > 0
	fmt.Fprint(m.w, "\r"+barLine(snap, m.width()-1)+"\x1b[K")
}

// finish stops the meter: the bar is cleared, a JSON meter writes its last line. Calling it
// again does nothing.
func (m *meter) finish() {
	if m.mode == progressNone || m.stop == nil {
		return
	}
	close(m.stop)
	<-m.done
	m.mu.Lock()
	defer m.mu.Unlock()
	m.stop = nil
	switch m.mode {
	case progressBar:
		fmt.Fprint(m.w, "\r\x1b[K")
	case progressJSON:
		m.emitJSON("end")
	}
}

// padRight is s in at least n columns.
func padRight(s string, n int) string {
	if k := n - runeLen(s); k > 0 {
		return s + strings.Repeat(" ", k)
	}
	return s
}
