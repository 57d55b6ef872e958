package report

import (
	"reflect"
	"testing"
)

func TestTopProblems(t *testing.T) {
	top := topProblems(samplePage().Findings, topProblemCount)
	type summary struct {
		source, column, code string
		findings, records    int
		samples              []sample
	}
	want := []summary{
		{"assets", "site", "parent", 3, 3, []sample{{"assets.csv:16:site", "S-004"}, {"assets.csv:60:site", "S-009"}, {"assets.csv:61:site", "S-009"}}},
		{"sites", "opened", "type", 2, 2, []sample{{"Sites!D4", "31/02/2024"}, {"Sites!D91", "next week"}}},
		{"sites", "site_type", "Core_ReferenceLookupNoMatchFound", 2, 2, []sample{{"Sites!C6", "NOPE"}, {"Sites!C9", "DEPOTT"}}},
		{"sites", "code", "duplicate", 2, 1, []sample{{"Sites!A11", "S-011"}, {"Sites!A57", "S-011"}}},
		{"assets", "qty", "type", 2, 2, []sample{{"assets.csv:14:qty", "12,5"}, {"assets.csv:22:qty", "ten"}}},
		{"sites", "name", "required", 1, 1, []sample{{"Sites!B80", ""}}},
		{"assets", "qty", "minimum", 1, 1, []sample{{"assets.csv:15:qty", "-3"}}},
		{"assets", "serial", "pattern", 1, 1, []sample{{"assets.csv:31:serial", "</script><script>alert(1)</script>"}}},
		{"assets", "", "ragged", 1, 1, []sample{{"assets.csv:40", ""}}},
		{"assets", "qty", "required", 1, 1, []sample{{"assets.csv:52:qty", ""}}},
	}
	if len(top) != len(want) {
		t.Fatalf("%d problems, want %d", len(top), len(want))
	}
	for i, p := range top {
		got := summary{p.Source, p.Column, p.Code, p.Findings, p.Records, p.Samples}
		if !reflect.DeepEqual(got, want[i]) {
			t.Errorf("problem %d:\n got %+v\nwant %+v", i+1, got, want[i])
		}
	}
	if top[2].Text != "On Key found no SiteType with Code NOPE" {
		t.Errorf("a problem's text is its first message, got %q", top[2].Text)
	}
	if !top[8].OnRow() || top[0].OnRow() {
		t.Errorf("OnRow: ragged %v, parent %v; want true, false", top[8].OnRow(), top[0].OnRow())
	}
}

func TestProblemSamplesPreferDifferentValues(t *testing.T) {
	values := []string{"x", "x", "x", "y", "x", "z", "w"}
	var fs []Finding
	for i, v := range values {
		fs = append(fs, Finding{Source: "s", Column: "c", Index: 0, Code: "type", Cell: "c" + string(rune('1'+i)), Value: v})
	}
	got := topProblems(fs, 1)[0].Samples
	// room for three: x at c1, x at c2, x at c3; then y and z replace repeats, w finds no repeat left
	want := []sample{{"c1", "x"}, {"c6", "z"}, {"c4", "y"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("samples %v, want %v", got, want)
	}
}

func TestProblemOutcome(t *testing.T) {
	tests := []struct {
		statuses []string
		want     string
	}{
		{[]string{"invalid", "invalid"}, "invalid"},
		{[]string{"failed"}, "refused by the server"},
		{[]string{"skipped", "skipped"}, "records skipped"},
		{[]string{"unknown"}, "no answer yet"},
		{[]string{"invalid", "failed"}, "records of several statuses"},
		{[]string{"failed", "failed", "invalid"}, "records of several statuses"},
	}
	for _, tt := range tests {
		var fs []Finding
		for i, s := range tt.statuses {
			fs = append(fs, Finding{Source: "s", Column: "c", Index: 0, Code: "x", UserObjectID: string(rune('a' + i)), Status: s})
		}
		if got := topProblems(fs, 1)[0].Outcome(); got != tt.want {
			t.Errorf("%v: %q, want %q", tt.statuses, got, tt.want)
		}
	}
}
