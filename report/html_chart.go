package report

import "sort"

// maxBars is how many columns the chart shows; the rest are summed in one line under it.
const maxBars = 25

// palette colours the rules of the chart, most frequent rule first (Okabe-Ito, readable by
// colour-blind readers); rules beyond it share otherColour.
var palette = []string{"#d55e00", "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#8c6d1f", "#332288"}

const otherColour = "#999999"

// chart is the bar chart of errors by column and rule: one bar per column with findings, split
// into one segment per rule.
type chart struct {
	Bars   []bar
	Legend []legendEntry
	// MoreColumns columns with MoreFindings findings between them are not drawn.
	MoreColumns, MoreFindings int
}

// bar is one column's findings. Label is the column's header, with its source when the findings
// come from several sources; a finding about a whole row is counted under "(whole row)".
type bar struct {
	Label    string
	Total    int
	Width    float64 // percent of the widest bar
	Segments []segment
}

// segment is one rule's share of a bar, placed in percent of the bar's own width.
type segment struct {
	Code   string
	Count  int
	X, W   float64
	Colour string
}

type legendEntry struct {
	Code, Colour string
	Count        int
}

// columnKey names a column across sources; an empty Column is the row as a whole.
type columnKey struct{ source, column string }

func columnOf(f Finding) columnKey {
	if !f.OnCell() {
		return columnKey{f.Source, ""}
	}
	return columnKey{f.Source, f.Column}
}

func buildChart(fs []Finding) chart {
	type col struct {
		key   columnKey
		total int
		rules map[string]int
		first int
	}
	cols := map[columnKey]*col{}
	ruleTotal := map[string]int{}
	sources := map[string]bool{}
	for i, f := range fs {
		k := columnOf(f)
		c := cols[k]
		if c == nil {
			c = &col{key: k, rules: map[string]int{}, first: i}
			cols[k] = c
		}
		c.total++
		c.rules[f.Code]++
		ruleTotal[f.Code]++
		sources[f.Source] = true
	}
	var order []*col
	for _, c := range cols {
		order = append(order, c)
	}
	sort.Slice(order, func(i, j int) bool {
		if order[i].total != order[j].total {
			return order[i].total > order[j].total
		}
		return order[i].first < order[j].first
	})
	rules := make([]string, 0, len(ruleTotal))
	for r := range ruleTotal {
		rules = append(rules, r)
	}
	sort.Slice(rules, func(i, j int) bool {
		if ruleTotal[rules[i]] != ruleTotal[rules[j]] {
			return ruleTotal[rules[i]] > ruleTotal[rules[j]]
		}
		return rules[i] < rules[j]
	})
	colour := map[string]string{}
	var ch chart
	other := 0
	for i, r := range rules {
		if i < len(palette) {
			colour[r] = palette[i]
			ch.Legend = append(ch.Legend, legendEntry{Code: r, Colour: palette[i], Count: ruleTotal[r]})
			continue
		}
		colour[r] = otherColour
		other += ruleTotal[r]
	}
	if other > 0 {
		ch.Legend = append(ch.Legend, legendEntry{Code: "other rules", Colour: otherColour, Count: other})
	}
	for i, c := range order {
		if i >= maxBars {
			ch.MoreColumns++
			ch.MoreFindings += c.total
			continue
		}
		b := bar{Label: columnLabel(c.key, len(sources) > 1), Total: c.total,
			Width: 100 * float64(c.total) / float64(order[0].total)}
		x := 0.0
		for _, r := range rules { // in legend order, so colours line up bar after bar
			n := c.rules[r]
			if n == 0 {
				continue
			}
			w := 100 * float64(n) / float64(c.total)
			b.Segments = append(b.Segments, segment{Code: r, Count: n, X: x, W: w, Colour: colour[r]})
			x += w
		}
		ch.Bars = append(ch.Bars, b)
	}
	return ch
}

func columnLabel(k columnKey, withSource bool) string {
	l := k.column
	if l == "" {
		l = "(whole row)"
	}
	if withSource {
		l += " · " + k.source
	}
	return l
}
