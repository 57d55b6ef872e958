package guess

// boolWord maps the words init recognises in boolean columns (lower-cased) to their value.
var boolWord = map[string]bool{
	"true": true, "false": false, "yes": true, "no": false, "y": true, "n": false,
	"1": true, "0": false, "ja": true, "nei": false, "nein": false, "j": true,
	"oui": true, "non": false, "si": true, "sí": true, "t": true, "f": false,
	"wahr": true, "falsch": false, "on": true, "off": false,
}

// defaultTrue and defaultFalse are the words the typing knows without being told.
var (
	defaultTrue  = []string{"true", "yes", "y", "1"}
	defaultFalse = []string{"false", "no", "n", "0"}
)

// isBoolean says whether the words a column used make it boolean: at least one true and one
// false word, and, when they are only 1 and 0, both of them (a column of 1s alone is a count).
func isBoolean(words map[string]bool) bool {
	var t, f bool
	for w := range words {
		if boolWord[w] {
			t = true
		} else {
			f = true
		}
	}
	return t && f
}
