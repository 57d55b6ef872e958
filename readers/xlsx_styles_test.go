package readers

import (
	"strings"
	"testing"
)

// A number format makes a number cell a date when it shows a year, month or day, a date-time
// when it shows a time of day; anything else (scientific notation, durations, quoted words,
// colours and locales in brackets) leaves it a number.
func TestFormatKind(t *testing.T) {
	tests := []struct {
		code string
		want CellKind
	}{
		{"yyyy-mm-dd", KindDate},
		{"dd.mm.yyyy", KindDate},
		{`[$-409]mmmm d, yyyy;@`, KindDate},
		{`d\-m`, KindDate},
		{"mmm-yy", KindDate},
		{"dd.mm.yyyy hh:mm", KindDateTime},
		{"yyyy-mm-dd hh:mm:ss.000", KindDateTime},
		{"h:mm AM/PM", KindDateTime},
		{"mm:ss", KindDateTime},
		{"[h]:mm:ss", KindNumber},
		{"[mm]:ss", KindNumber},
		{"General", KindNumber},
		{"0.00", KindNumber},
		{"0.00E+00", KindNumber},
		{"##0.0E-0", KindNumber},
		{`#,##0;[Red]-#,##0`, KindNumber},
		{`#,##0 "days"`, KindNumber},
		{`0 "m"`, KindNumber},
		{`_-* #,##0.00\ "kr"_-;\-* #,##0.00\ "kr"_-`, KindNumber},
		{"@", KindNumber},
		{`"Year "0`, KindNumber},
	}
	for _, tt := range tests {
		if got := formatKind(tt.code); got != tt.want {
			t.Errorf("formatKind(%q) = %s, want %s", tt.code, got, tt.want)
		}
	}
	for id, want := range map[int]CellKind{0: KindNumber, 2: KindNumber, 14: KindDate, 17: KindDate, 20: KindDateTime, 22: KindDateTime, 46: KindNumber, 49: KindNumber} {
		if got := builtinFormatKind(id); got != want {
			t.Errorf("builtinFormatKind(%d) = %s, want %s", id, got, want)
		}
	}
}

// A custom format overrides the built-in one of the same id, and a style beyond the table is a
// number, as Excel shows it.
func TestReadNumberKinds(t *testing.T) {
	styles := `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/><numFmt numFmtId="14" formatCode="0.00"/></numFmts>
<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="14"/><xf numFmtId="22"/></cellXfs></styleSheet>`
	kinds, err := readNumberKinds(strings.NewReader(styles), nil)
	if err != nil {
		t.Fatal(err)
	}
	for style, want := range []CellKind{KindNumber, KindDate, KindNumber, KindDateTime, KindNumber} {
		if got := kinds.of(style); got != want {
			t.Errorf("style %d: %s, want %s", style, got, want)
		}
	}
}
