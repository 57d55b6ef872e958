package main

import (
	"bytes"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"
)

// A phase that makes no progress of its own (a stalled target, the checks across rows) still
// gets its plain line each interval, the count unchanged and the time going on.
func TestPlainLinesWhileStalled(t *testing.T) {
	var buf bytes.Buffer
	m := newMeter(streams{err: &buf}, progressPlain, 30*time.Millisecond, "validating types")
	m.rows(5)
	m.sending(100, "sending to http://127.0.0.1:9")
	m.sent(40)
	m.failedRecords(3)
	time.Sleep(200 * time.Millisecond)
	m.finish()
	m.finish() // again: nothing more
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) < 3 {
		t.Fatalf("%d lines in 200 ms at 30 ms: %q", len(lines), buf.String())
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, "bulkload: progress: sending to http://127.0.0.1:9: 40/100 records (40%), 3 failed, ") {
			t.Errorf("line %q", l)
		}
	}
}

// The bar is measured at each redraw: after the window narrows, the next frame fits the new
// width; finish clears the line.
func TestBarFollowsTheWidth(t *testing.T) {
	var buf bytes.Buffer
	var cols atomic.Int64
	cols.Store(120)
	m := newMeter(streams{err: &buf, errIsTerminal: true, errWidth: func() int { return int(cols.Load()) }},
		progressAuto, 0, "validating a job with a rather long name indeed")
	m.rows(1000)
	m.readBytes(500, 1000)
	time.Sleep(barThrottle + 10*time.Millisecond)
	m.rows(1)
	cols.Store(40)
	time.Sleep(barThrottle + 10*time.Millisecond)
	m.rows(1)
	m.finish()
	out := buf.String()
	if !strings.HasSuffix(out, "\r\x1b[K") {
		t.Errorf("the bar is not cleared at the end: %q", out)
	}
	frames := strings.Split(strings.TrimSuffix(out, "\r\x1b[K"), "\r")
	var widths []int
	for _, f := range frames[1:] {
		widths = append(widths, utf8.RuneCountInString(strings.TrimSuffix(f, "\x1b[K")))
	}
	if len(widths) < 2 || widths[0] <= 40 || widths[len(widths)-1] > 39 {
		t.Errorf("frame widths %v: want one wider than 40 columns, then the last within 39: %q", widths, out)
	}
}

// The first frame that can show the reading's estimated total is drawn at once, within the
// throttle of the frame before it: a source read in less than barThrottle still shows its bar.
// Later frames keep the throttle.
func TestBarShowsTheEstimateAtOnce(t *testing.T) {
	var buf bytes.Buffer
	m := newMeter(streams{err: &buf, errIsTerminal: true, errWidth: func() int { return 100 }}, progressAuto, 0, "validating types")
	m.rows(1)
	m.readBytes(100, 1000) // the estimate is known: drawn now
	m.rows(1)
	m.readBytes(200, 1000) // within the throttle: not drawn
	m.finish()
	frames := strings.Split(strings.TrimSuffix(buf.String(), "\r\x1b[K"), "\r")[1:]
	if len(frames) != 2 || !spinner.MatchString("\r"+strings.TrimSuffix(frames[1], "\x1b[K")) {
		t.Errorf("frames %q: want the count alone, then the bar with its estimate, and no more", frames)
	}
}
