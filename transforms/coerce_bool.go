package transforms

import (
	"fmt"
	"strconv"
	"strings"
)

// boolWords are the typing's words for true and false, lower-cased.
type boolWords struct {
	words map[string]bool
	list  string // for messages: "true, yes, y, 1, false, no, n, 0"
}

var (
	defaultTrueWords  = []string{"true", "yes", "y", "1"}
	defaultFalseWords = []string{"false", "no", "n", "0"}
)

// newBoolWords checks the words: none empty, none both true and false.
func newBoolWords(trueWords, falseWords []string) (boolWords, error) {
	if len(trueWords) == 0 {
		trueWords = defaultTrueWords
	}
	if len(falseWords) == 0 {
		falseWords = defaultFalseWords
	}
	w := boolWords{words: map[string]bool{}}
	var all []string
	for _, set := range []struct {
		words []string
		value bool
	}{{trueWords, true}, {falseWords, false}} {
		for _, word := range set.words {
			key := strings.ToLower(strings.TrimSpace(word))
			if key == "" {
				return w, fmt.Errorf("a boolean word is empty")
			}
			if v, dup := w.words[key]; dup && v != set.value {
				return w, fmt.Errorf("%s is both a true word and a false word", strconv.Quote(word))
			}
			w.words[key] = set.value
			all = append(all, word)
		}
	}
	w.list = strings.Join(all, ", ")
	return w, nil
}

// parse reads a boolean word, case-insensitively.
func (w boolWords) parse(s string) (value, ok bool) {
	value, ok = w.words[strings.ToLower(s)]
	return value, ok
}

// hint lists the accepted words.
func (w boolWords) hint() string { return w.list }
