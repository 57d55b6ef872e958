package report

import "sort"

// topProblemCount is how many problems report.html describes in words.
const topProblemCount = 10

// samplesPerProblem is how many example cells a problem shows.
const samplesPerProblem = 3

// problem is one rule broken on one column of one source: how often, on how many records, the
// first message, and a few example cells with different values where there are some.
type problem struct {
	Source, Column, Code string
	// Findings is how many messages, Records how many records they are about.
	Findings, Records int
	// Status is the status of every record of the problem, or "" when they differ.
	Status  string
	Text    string
	Samples []sample
	first   int
	records map[recordKey]bool
}

// sample is one example of a problem: where, and what the cell held.
type sample struct{ Cell, Value string }

// Outcome says in words what happened to the problem's records.
func (p problem) Outcome() string {
	switch p.Status {
	case "invalid":
		return "invalid"
	case "failed":
		return "refused by the server"
	case "skipped":
		return "records skipped"
	case "unknown":
		return "no answer yet"
	}
	return "records of several statuses"
}

// OnRow reports whether the problem is about whole rows rather than one column.
func (p problem) OnRow() bool { return p.Column == "" }

// topProblems groups findings by source, column and rule and returns the n largest groups, most
// messages first; groups of equal size keep the order in which they first occur.
func topProblems(fs []Finding, n int) []problem {
	type key struct {
		column columnKey
		code   string
	}
	groups := map[key]*problem{}
	var order []*problem
	for i, f := range fs {
		k := key{columnOf(f), f.Code}
		p := groups[k]
		if p == nil {
			p = &problem{Source: f.Source, Column: k.column.column, Code: f.Code, Status: f.Status, Text: f.Text,
				first: i, records: map[recordKey]bool{}}
			groups[k] = p
			order = append(order, p)
		}
		p.Findings++
		if p.Status != f.Status {
			p.Status = ""
		}
		p.records[recordKey{f.Source, f.Entity, f.UserObjectID}] = true
		p.addSample(f)
	}
	sort.SliceStable(order, func(i, j int) bool { return order[i].Findings > order[j].Findings })
	if len(order) > n {
		order = order[:n]
	}
	out := make([]problem, len(order))
	for i, p := range order {
		p.Records = len(p.records)
		p.records = nil
		out[i] = *p
	}
	return out
}

// addSample keeps f as an example while there is room, preferring a value not yet shown; once
// full, a later cell with a new value replaces a repeated one.
func (p *problem) addSample(f Finding) {
	s := sample{Cell: f.Cell, Value: f.Value}
	for _, have := range p.Samples {
		if have.Value == s.Value {
			if len(p.Samples) < samplesPerProblem && have.Cell != s.Cell {
				p.Samples = append(p.Samples, s)
			}
			return
		}
	}
	if len(p.Samples) < samplesPerProblem {
		p.Samples = append(p.Samples, s)
		return
	}
	// full: replace the last sample whose value repeats an earlier one
	for i := len(p.Samples) - 1; i > 0; i-- {
		for j := 0; j < i; j++ {
			if p.Samples[j].Value == p.Samples[i].Value {
				p.Samples[i] = s
				return
			}
		}
	}
}
