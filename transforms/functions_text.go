package transforms

import (
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/language"
)

// textFunctions are the string functions. Each takes text (numbers and booleans are converted)
// and returns nil for a nil first argument, unless its entry in FUNCTIONS.md says otherwise.
func textFunctions() []funcDef {
	return []funcDef{
		{"trim", fnTrim, []any{new(func(any) any), new(func(any, string) any)}},
		{"upper", unary("upper", strings.ToUpper), []any{new(func(any) any)}},
		{"lower", unary("lower", strings.ToLower), []any{new(func(any) any)}},
		{"title", unary("title", func(s string) string { return cases.Title(language.Und).String(s) }), []any{new(func(any) any)}},
		{"concat", fnConcat, []any{new(func(...any) any)}},
		{"replace", fnReplace, []any{new(func(any, string, string) any)}},
		{"regex_match", fnRegexMatch, []any{new(func(any, string) bool)}},
		{"regex_replace", fnRegexReplace, []any{new(func(any, string, string) any)}},
		{"regex_find", fnRegexFind, []any{new(func(any, string) any)}},
		{"split", fnSplit, []any{new(func(any, string) any)}},
		{"join", fnJoin, []any{new(func(any) any), new(func(any, string) any)}},
		{"pad", padder("pad", true), []any{new(func(any, int) any), new(func(any, int, string) any)}},
		{"pad_right", padder("pad_right", false), []any{new(func(any, int) any), new(func(any, int, string) any)}},
		{"substr", fnSubstr, []any{new(func(any, int) any), new(func(any, int, int) any)}},
	}
}

// unary makes a nil-safe function of one text argument.
func unary(name string, f func(string) string) func(args ...any) (any, error) {
	return func(args ...any) (any, error) {
		if isNil(args[0]) {
			return nil, nil
		}
		s, err := asText(name, args[0])
		if err != nil {
			return nil, err
		}
		return f(s), nil
	}
}

func fnTrim(args ...any) (any, error) {
	if len(args) == 1 {
		return unary("trim", strings.TrimSpace)(args...)
	}
	cutset, _ := args[1].(string)
	return unary("trim", func(s string) string { return strings.Trim(s, cutset) })(args[0])
}

// fnConcat joins its arguments as text, nil counting as "". When every argument is a list it
// concatenates the lists instead, as expr's builtin concat does.
func fnConcat(args ...any) (any, error) {
	if lists, ok := allLists(args); ok {
		var out []any
		for _, l := range lists {
			out = append(out, l...)
		}
		return out, nil
	}
	var b strings.Builder
	for _, a := range args {
		if isNil(a) {
			continue
		}
		s, err := asText("concat", a)
		if err != nil {
			return nil, err
		}
		b.WriteString(s)
	}
	return b.String(), nil
}

// allLists returns the arguments as lists when there is at least one and all are lists.
func allLists(args []any) ([][]any, bool) {
	if len(args) == 0 {
		return nil, false
	}
	out := make([][]any, len(args))
	for i, a := range args {
		l, ok := asList(a)
		if !ok {
			return nil, false
		}
		out[i] = l
	}
	return out, true
}

// asList returns the elements of a slice or array value.
func asList(v any) ([]any, bool) {
	if l, ok := v.([]any); ok {
		return l, true
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array {
		return nil, false
	}
	out := make([]any, rv.Len())
	for i := range out {
		out[i] = rv.Index(i).Interface()
	}
	return out, true
}

func fnReplace(args ...any) (any, error) {
	old, _ := args[1].(string)
	repl, _ := args[2].(string)
	return unary("replace", func(s string) string { return strings.ReplaceAll(s, old, repl) })(args[0])
}

// regexes caches compiled patterns by their source; patterns written as literals are compiled
// (and checked) when the job is compiled.
var regexes sync.Map // string -> *regexp.Regexp

// compileRegex returns the compiled pattern, compiling it once.
func compileRegex(pattern string) (*regexp.Regexp, error) {
	if re, ok := regexes.Load(pattern); ok {
		return re.(*regexp.Regexp), nil
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, err
	}
	regexes.Store(pattern, re)
	return re, nil
}

// regexArgs returns the subject text (ok false when it is nil) and the compiled pattern.
func regexArgs(name string, args []any) (s string, re *regexp.Regexp, ok bool, err error) {
	pattern, isStr := args[1].(string)
	if !isStr {
		return "", nil, false, fmt.Errorf("%s: the pattern must be text, got %s", name, show(args[1]))
	}
	if re, err = compileRegex(pattern); err != nil {
		return "", nil, false, fmt.Errorf("%s: %v", name, err)
	}
	if isNil(args[0]) {
		return "", re, false, nil
	}
	s, err = asText(name, args[0])
	return s, re, err == nil, err
}

func fnRegexMatch(args ...any) (any, error) {
	s, re, ok, err := regexArgs("regex_match", args)
	if err != nil || !ok {
		return false, err
	}
	return re.MatchString(s), nil
}

func fnRegexReplace(args ...any) (any, error) {
	s, re, ok, err := regexArgs("regex_replace", args)
	if err != nil || !ok {
		return nil, err
	}
	repl, _ := args[2].(string)
	return re.ReplaceAllString(s, repl), nil
}

// fnRegexFind returns the first submatch of the first match, or the whole match when the
// pattern has no groups; nil when nothing matches.
func fnRegexFind(args ...any) (any, error) {
	s, re, ok, err := regexArgs("regex_find", args)
	if err != nil || !ok {
		return nil, err
	}
	m := re.FindStringSubmatch(s)
	switch {
	case m == nil:
		return nil, nil
	case len(m) > 1:
		return m[1], nil
	}
	return m[0], nil
}

func fnSplit(args ...any) (any, error) {
	if isNil(args[0]) {
		return nil, nil
	}
	s, err := asText("split", args[0])
	if err != nil {
		return nil, err
	}
	sep, _ := args[1].(string)
	return strings.Split(s, sep), nil
}

// fnJoin joins the elements of a list as text, leaving nil elements out.
func fnJoin(args ...any) (any, error) {
	if isNil(args[0]) {
		return nil, nil
	}
	l, ok := asList(args[0])
	if !ok {
		return nil, fmt.Errorf("join: expected a list, got %s", show(args[0]))
	}
	sep := ""
	if len(args) > 1 {
		sep, _ = args[1].(string)
	}
	parts := make([]string, 0, len(l))
	for _, e := range l {
		if isNil(e) {
			continue
		}
		s, err := asText("join", e)
		if err != nil {
			return nil, err
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, sep), nil
}

// maxPadWidth is the widest pad and pad_right fill to (expr's repeat has the same limit): a width
// from the data must not allocate gigabytes and end the run.
const maxPadWidth = 1_000_000

// padder makes pad (left) or pad_right: pad(s, width, char?) fills s with char (default a
// space) up to width characters, at most maxPadWidth; longer text is left as it is.
func padder(name string, left bool) func(args ...any) (any, error) {
	return func(args ...any) (any, error) {
		if isNil(args[0]) {
			return nil, nil
		}
		s, err := asText(name, args[0])
		if err != nil {
			return nil, err
		}
		width, err := asInt(name, "the width", args[1])
		if err != nil {
			return nil, err
		}
		if width > maxPadWidth {
			return nil, fmt.Errorf("%s: the width must be at most %d, got %d", name, maxPadWidth, width)
		}
		fill := " "
		if len(args) > 2 {
			fill, _ = args[2].(string)
		}
		if utf8.RuneCountInString(fill) != 1 {
			return nil, fmt.Errorf("%s: the fill must be one character, got %q", name, fill)
		}
		n := width - utf8.RuneCountInString(s)
		if n <= 0 {
			return s, nil
		}
		if left {
			return strings.Repeat(fill, n) + s, nil
		}
		return s + strings.Repeat(fill, n), nil
	}
}

// fnSubstr returns length characters (default: the rest) from the 0-based start; a negative
// start counts from the end. Out-of-range bounds are clamped.
func fnSubstr(args ...any) (any, error) {
	if isNil(args[0]) {
		return nil, nil
	}
	s, err := asText("substr", args[0])
	if err != nil {
		return nil, err
	}
	r := []rune(s)
	start, err := asInt("substr", "the start", args[1])
	if err != nil {
		return nil, err
	}
	if start < 0 {
		start = max(len(r)+start, 0)
	}
	start = min(start, len(r))
	end := len(r)
	if len(args) > 2 {
		n, err := asInt("substr", "the length", args[2])
		if err != nil {
			return nil, err
		}
		if n < 0 {
			return nil, fmt.Errorf("substr: the length must not be negative, got %d", n)
		}
		end = min(start+n, len(r))
	}
	return string(r[start:end]), nil
}
