package main

import (
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"
)

// progressSnap is what a progress line shows: the state with its rate and estimates worked out.
type progressSnap struct {
	state
	elapsed  time.Duration
	rate     float64 // units a second over the phase
	estTotal int     // the phase's total, or the total estimated from the bytes read; 0 unknown
	estimate bool    // estTotal is an estimate
	eta      time.Duration
	etaKnown bool
}

// snapshot works out the rate and ETA of the current phase. The caller holds mu.
func (m *meter) snapshot() progressSnap {
	s := progressSnap{state: m.st, elapsed: m.now().Sub(m.st.started)}
	if secs := s.elapsed.Seconds(); secs > 0 {
		s.rate = float64(s.count) / secs
	}
	switch {
	case s.total > 0:
		s.estTotal = s.total
		if s.rate > 0 {
			s.eta, s.etaKnown = time.Duration(float64(s.total-s.count)/s.rate*float64(time.Second)), true
		}
	case s.phase == "reading" && s.bytesTotal > 0 && s.bytes > 0 && s.count > 0:
		frac := math.Min(float64(s.bytes)/float64(s.bytesTotal), 1)
		s.estTotal, s.estimate = int(math.Round(float64(s.count)/frac)), true
		s.eta, s.etaKnown = time.Duration(float64(s.elapsed)*(1-frac)/frac), true
	}
	if s.eta < 0 {
		s.eta = 0
	}
	return s
}

// fraction is how far the phase got, or -1 when not known.
func (s progressSnap) fraction() float64 {
	switch {
	case s.total > 0:
		return math.Min(float64(s.count)/float64(s.total), 1)
	case s.estimate:
		return math.Min(float64(s.bytes)/float64(s.bytesTotal), 1)
	}
	return -1
}

// countText is "84,000/~200,000 rows", "12,000/50,000 records" or "84,000 rows".
func (s progressSnap) countText() string {
	switch {
	case s.estTotal > 0 && s.estimate:
		return fmt.Sprintf("%s/~%s %s", thousands(s.count), thousands(s.estTotal), s.unit)
	case s.estTotal > 0:
		return fmt.Sprintf("%s/%s %s", thousands(s.count), thousands(s.estTotal), s.unit)
	}
	return thousands(s.count) + " " + s.unit
}

// piece is a part of the bar line; the one of lowest keep is dropped first when the line is too
// wide.
type piece struct {
	text string
	keep int
}

// pieces are the parts right of the bar, in display order.
func (s progressSnap) pieces() []piece {
	var ps []piece
	if f := s.fraction(); f >= 0 {
		ps = append(ps, piece{fmt.Sprintf("%3d%%", int(f*100)), 4})
	}
	if s.count > 0 || s.estTotal > 0 {
		ps = append(ps, piece{s.countText(), 9})
	}
	if s.count > 0 {
		ps = append(ps, piece{fmt.Sprintf("%s %s/s", thousands(int(s.rate)), s.unit), 3})
	}
	if s.sending {
		ps = append(ps, piece{thousands(s.failed) + " failed", 8})
	}
	switch {
	case s.concurrency > 0 && s.configured > 0:
		ps = append(ps, piece{fmt.Sprintf("%d of %d in flight", s.concurrency, s.configured), 6})
	case s.concurrency > 0:
		ps = append(ps, piece{fmt.Sprintf("conc %d", s.concurrency), 6})
	}
	if s.etaKnown {
		ps = append(ps, piece{"ETA " + clock(s.eta), 7})
	} else {
		ps = append(ps, piece{clock(s.elapsed), 5})
	}
	return ps
}

const (
	minDesc   = 12
	fairDesc  = 30
	minorKeep = 5 // pieces below it (rate, percent) give way to the description
	minBar    = 10
	maxBar    = 30
	barFilled = '='
)

// barLine is the line of the bar in at most width columns: "desc [=====>    ] pieces…". Pieces
// are dropped, lowest keep first, the description is shortened and the bar narrowed until it
// fits.
func barLine(s progressSnap, width int) string {
	width = max(width, 1)
	ps := s.pieces()
	desc := s.desc
	barLeft := 0
	if s.fraction() >= 0 {
		barLeft = minBar + 3 // " [" + bar + "]"
	}
	// The minor pieces give way to a description of up to fairDesc columns; then any piece, to
	// a description of minDesc.
	ps = dropPieces(ps, min(runeLen(desc), fairDesc)+barLeft, width, minorKeep)
	ps = dropPieces(ps, min(runeLen(desc), minDesc)+barLeft, width, 0)
	right := joined(ps)
	avail := width - runeLen(right) - 1 // the columns left of " right"
	bar := ""
	if f := s.fraction(); f >= 0 {
		barW := max(min(maxBar, avail-runeLen(desc)-3), min(minBar, avail-min(runeLen(desc), minDesc)-3))
		if barW >= 5 {
			bar = " [" + drawBar(f, barW) + "]"
		}
	}
	desc = truncate(desc, avail-runeLen(bar))
	line := desc + bar
	if right != "" {
		line += " " + right
	}
	return truncate(line, width)
}

// dropPieces drops pieces of keep below limit (0: any), the lowest first, until left columns
// and the pieces fit in width; the last piece always stays.
func dropPieces(ps []piece, left, width, limit int) []piece {
	for len(ps) > 1 && left+1+joinedLen(ps) > width {
		drop := 0
		for i, p := range ps {
			if p.keep < ps[drop].keep {
				drop = i
			}
		}
		if limit > 0 && ps[drop].keep >= limit {
			break
		}
		ps = append(ps[:drop:drop], ps[drop+1:]...)
	}
	return ps
}

// drawBar is a bar of w columns filled to f: "=====>    ".
func drawBar(f float64, w int) string {
	n := int(f * float64(w))
	switch {
	case n >= w:
		return strings.Repeat(string(barFilled), w)
	case n == 0:
		return strings.Repeat(" ", w)
	}
	return strings.Repeat(string(barFilled), n-1) + ">" + strings.Repeat(" ", w-n)
}

func joined(ps []piece) string {
	texts := make([]string, len(ps))
	for i, p := range ps {
		texts[i] = p.text
	}
	return strings.Join(texts, "  ")
}

func joinedLen(ps []piece) int { return runeLen(joined(ps)) }

func runeLen(s string) int { return utf8.RuneCountInString(s) }

// truncate is s in at most n columns, ending in "…" when cut.
func truncate(s string, n int) string {
	if n <= 0 {
		return ""
	}
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// thousands writes n with commas: 1,234,567.
func thousands(n int) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// clock is a duration as 12s, 3m07s or 1h02m.
func clock(d time.Duration) string {
	d = d.Round(time.Second)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	}
	return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
}
