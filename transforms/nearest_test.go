package transforms

import "testing"

func TestNearestColumn(t *testing.T) {
	header := []string{"OrderNo", "Qty ", " Kunde ", "description", "Leveringsdato", "Id"}
	tests := []struct {
		name, column, want string
	}{
		{name: "trailing space", column: "Qty", want: `; the file has "Qty " with a trailing space (column names are matched exactly)`},
		{name: "spaces around", column: "Kunde", want: `; the file has " Kunde " with white space around it (column names are matched exactly)`},
		{name: "case", column: "orderNo", want: `; the file has "OrderNo" in another case (column names are matched exactly)`},
		{name: "case and space", column: "qty", want: `; the file has "Qty " with a trailing space and in another case (column names are matched exactly)`},
		{name: "prefix", column: "Descr", want: `; did you mean "description"?`},
		{name: "typo", column: "Leveringsdatoo", want: `; did you mean "Leveringsdato"?`},
		{name: "short names allow one edit", column: "Ix", want: `; did you mean "Id"?`},
		{name: "nothing near", column: "Price", want: ""},
		{name: "two letters are no prefix", column: "Or", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := nearestColumn(tt.column, header); got != tt.want {
				t.Errorf("nearestColumn(%q) = %q, want %q", tt.column, got, tt.want)
			}
		})
	}
}
