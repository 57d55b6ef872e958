package record

import "testing"

// TestMessageString checks the words of a message in a report cell: where it is, then its text;
// a server message traced to its cell also names the column (unless a CSV cell does) and the
// value.
func TestMessageString(t *testing.T) {
	tests := []struct {
		name string
		m    Message
		want string
	}{
		{"traced to an XLSX cell", Message{Code: "C", Property: "site_type", Field: "Site->SiteType_Id", Cell: "Sites!D6", Value: "NOPE", Line: 6, Text: "no match"},
			`Sites!D6 site_type "NOPE": no match`},
		{"traced to a CSV cell", Message{Code: "C", Property: "site_type", Field: "Site->SiteType_Id", Cell: "sites.csv:6:site_type", Value: "NOPE", Line: 6, Text: "no match"},
			`sites.csv:6:site_type "NOPE": no match`},
		{"traced to an empty cell", Message{Code: "C", Property: "site_type", Field: "Site->SiteType_Id", Cell: "Sites!D6", Line: 6, Text: "required"},
			`Sites!D6 site_type: required`},
		{"on a cell", Message{Code: "type", Property: "floors", Cell: "Sites!C3", Value: "two", Text: `"two" is not an integer`},
			`Sites!C3: "two" is not an integer`},
		{"on a column", Message{Code: "C", Property: "description", Text: "required"}, "description: required"},
		{"about the record", Message{Code: "conflict", Text: "rows disagree"}, "rows disagree"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.m.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}
