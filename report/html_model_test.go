package report

import (
	"reflect"
	"testing"
)

func TestViewCounts(t *testing.T) {
	p := samplePage()
	v, err := buildView(&p)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"invalid", "failed", "unknown", "skipped", "succeeded"}; !reflect.DeepEqual(v.Statuses, want) {
		t.Errorf("statuses %v, want %v", v.Statuses, want)
	}
	tests := []struct {
		name string
		got  []countRow
		want []countRow
	}{
		{"per source", v.BySource, []countRow{
			{"sites", []int{4, 2, 0, 0, 234}, 240},
			{"assets", []int{6, 0, 1, 3, 1190}, 1200}}},
		{"per entity", v.ByEntity, []countRow{
			{"site", []int{4, 2, 0, 0, 234}, 240},
			{"asset", []int{6, 0, 1, 3, 1190}, 1200}}},
		{"per entity and group", v.ByGroup, []countRow{
			{"site · group 1", []int{4, 2, 0, 0, 234}, 240},
			{"asset · group 2", []int{6, 0, 0, 3, 1190}, 1199},
			{"asset · group 3", []int{0, 0, 1, 0, 0}, 1}}},
		{"total", []countRow{v.Total}, []countRow{{"all", []int{10, 2, 1, 3, 1424}, 1440}}},
	}
	for _, tt := range tests {
		if !reflect.DeepEqual(tt.got, tt.want) {
			t.Errorf("%s:\n got %v\nwant %v", tt.name, tt.got, tt.want)
		}
	}
	if v.Findings != 17 || v.Records != 16 {
		t.Errorf("findings %d on %d records, want 17 on 16", v.Findings, v.Records)
	}
}

func TestViewGroupsOnlyForARunWithGroups(t *testing.T) {
	dry := samplePage()
	dry.Mode = "dry-run"
	noGroups := samplePage()
	for i := range noGroups.Counts {
		noGroups.Counts[i].Group = 0
	}
	for name, p := range map[string]Page{"a dry run": dry, "a run without groups": noGroups} {
		v, err := buildView(&p)
		if err != nil {
			t.Fatal(err)
		}
		if v.ByGroup != nil {
			t.Errorf("%s has outcome counts per group: %v", name, v.ByGroup)
		}
	}
}

func TestCountRecordsWithoutUserObjectID(t *testing.T) {
	fs := []Finding{
		{Source: "s", File: "a.csv", Line: 2, Entity: "e", Code: "uoid"},
		{Source: "s", File: "a.csv", Line: 2, Entity: "e", Code: "type"},
		{Source: "s", File: "a.csv", Line: 3, Entity: "e", Code: "uoid"},
		{Source: "s", File: "a.csv", Line: 4, Entity: "e", UserObjectID: "X"},
		{Source: "s", File: "a.csv", Line: 5, Entity: "e", UserObjectID: "X"},
		{Source: "s", File: "a.csv", Line: 5, Entity: "f", UserObjectID: "X"},
	}
	// lines 2 and 3 are two records without id, X of e is one record over two rows, X of f another
	if got := countRecords(fs); got != 4 {
		t.Errorf("countRecords = %d, want 4", got)
	}
}

func TestChart(t *testing.T) {
	ch := buildChart(samplePage().Findings)
	type seg struct {
		code string
		n    int
	}
	want := []struct {
		label string
		total int
		segs  []seg
	}{
		{"qty · assets", 4, []seg{{"type", 2}, {"required", 1}, {"minimum", 1}}},
		{"site · assets", 3, []seg{{"parent", 3}}},
		{"opened · sites", 2, []seg{{"type", 2}}},
		{"site_type · sites", 2, []seg{{"Core_ReferenceLookupNoMatchFound", 2}}},
		{"code · sites", 2, []seg{{"duplicate", 2}}},
		{"(whole row) · assets", 2, []seg{{"ragged", 1}, {"unanswered", 1}}},
		{"name · sites", 1, []seg{{"required", 1}}},
		{"serial · assets", 1, []seg{{"pattern", 1}}},
	}
	if len(ch.Bars) != len(want) {
		t.Fatalf("%d bars, want %d: %+v", len(ch.Bars), len(want), ch.Bars)
	}
	for i, w := range want {
		b := ch.Bars[i]
		var segs []seg
		x := 0.0
		for _, s := range b.Segments {
			segs = append(segs, seg{s.Code, s.Count})
			if s.X != x {
				t.Errorf("bar %q: segment %s starts at %.2f, want %.2f", b.Label, s.Code, s.X, x)
			}
			x += s.W
		}
		if b.Label != w.label || b.Total != w.total || !reflect.DeepEqual(segs, w.segs) {
			t.Errorf("bar %d = %q %d %v, want %q %d %v", i, b.Label, b.Total, segs, w.label, w.total, w.segs)
		}
		if want := 100 * float64(w.total) / 4; b.Width != want {
			t.Errorf("bar %q is %.1f%% wide, want %.1f%%", b.Label, b.Width, want)
		}
	}
	var legend []string
	for _, l := range ch.Legend {
		legend = append(legend, l.Code)
	}
	wantLegend := []string{"type", "parent", "Core_ReferenceLookupNoMatchFound", "duplicate", "required", "minimum", "pattern", "ragged", "other rules"}
	if !reflect.DeepEqual(legend, wantLegend) {
		t.Errorf("legend %v, want %v", legend, wantLegend)
	}
	if last := ch.Legend[len(ch.Legend)-1]; last.Colour != otherColour || last.Count != 1 {
		t.Errorf("the rules beyond the palette: %+v, want 1 in %s", last, otherColour)
	}
}

func TestChartCutsColumnsBeyondMax(t *testing.T) {
	var fs []Finding
	for c := 0; c < maxBars+3; c++ {
		for i := 0; i <= c; i++ { // column c has c+1 findings
			fs = append(fs, Finding{Source: "s", Column: string(rune('A'+c%26)) + string(rune('a'+c/26)), Index: c, Code: "type"})
		}
	}
	ch := buildChart(fs)
	if len(ch.Bars) != maxBars || ch.MoreColumns != 3 || ch.MoreFindings != 1+2+3 {
		t.Errorf("%d bars, %d more columns with %d findings; want %d, 3, 6", len(ch.Bars), ch.MoreColumns, ch.MoreFindings, maxBars)
	}
	if ch.Bars[0].Total != maxBars+3 || ch.Bars[0].Width != 100 {
		t.Errorf("widest bar %+v, want %d at 100%%", ch.Bars[0], maxBars+3)
	}
}
