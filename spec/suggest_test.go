package spec

import "testing"

func TestSuggest(t *testing.T) {
	keys := []string{"entityType", "groupOrder", "header_row", "id", "sheet_index", "token_env", "when"}
	tests := []struct {
		name, word, want string
	}{
		{name: "case", word: "grouporder", want: "groupOrder"},
		{name: "case of a short word", word: "ID", want: "id"},
		{name: "one typo", word: "entityTyp", want: "entityType"},
		{name: "two typos", word: "heder_rw", want: "header_row"},
		{name: "three typos", word: "hdr_rw", want: ""},
		{name: "short word, two typos", word: "wen", want: "when"},
		{name: "short word, too far", word: "base", want: ""},
		{name: "secret written in place of its variable", word: "token", want: "token_env"},
		{name: "nothing close", word: "colour", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := suggest(tt.word, keys); got != tt.want {
				t.Errorf("suggest(%q) = %q, want %q", tt.word, got, tt.want)
			}
		})
	}
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"abc", "", 3}, {"kitten", "sitting", 3}, {"groupOrder", "grouporder", 1}, {"æøå", "æoå", 1},
	}
	for _, tt := range tests {
		t.Run(tt.a+"-"+tt.b, func(t *testing.T) {
			if got := editDistance(tt.a, tt.b); got != tt.want {
				t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
			}
		})
	}
}
