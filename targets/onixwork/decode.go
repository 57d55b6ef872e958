package onixwork

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"sort"
	"strconv"
	"strings"

	"github.com/bulkload/bulkload/targets"
)

// Problem is one thing the Onix Work OpenAPI said was wrong with a record: Field is the member
// it names (empty for the request as a whole), Code "validation" (400 problem details),
// "logic" (400 [{memberNames, errorMessage}]) or "HTTP<status>".
type Problem struct {
	Code    string
	Field   string
	Message string
}

// Result is what one call's answer says about its record.
type Result struct {
	OK bool
	// ID is the answer of a successful call as text: the new or updated record's id for orders
	// and order lines ("100001"), "true" for items and properties.
	ID       string
	Problems []Problem
}

// ReadAnswer interprets the answer to one call (seed 000). 200 carries a bare integer, boolean,
// string or key/value list; a false boolean is a refusal; an integer id is kept exactly as written,
// whatever its size. 400 carries problem details ({"title", "errors": {field: [message]}}) or
// logic errors ([{memberNames, errorMessage}]), each turned into one Problem per field; any other
// status fails the record with the status and the start of the body. Every field and message is
// one short line (targets.Snippet), and a message the answer leaves empty quotes the body. A 200
// body that is empty, not JSON, null or an empty string is an error: the outcome is then unknown.
func ReadAnswer(status int, body []byte) (Result, error) {
	b := bytes.TrimSpace(body)
	if status == 200 {
		if len(b) == 0 {
			return Result{}, fmt.Errorf("HTTP 200, but the answer is empty: it should hold the record's id or true")
		}
		var v any
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		if !json.Valid(b) || dec.Decode(&v) != nil {
			return Result{}, fmt.Errorf("HTTP 200, but the answer is not JSON: %s", targets.Snippet(b))
		}
		switch x := v.(type) {
		case nil:
			return Result{}, fmt.Errorf("HTTP 200, but the answer is null: it should hold the record's id or true")
		case bool:
			if !x {
				return Result{Problems: []Problem{{Code: "HTTP200", Message: "the API answered false: the record was not applied"}}}, nil
			}
			return Result{OK: true, ID: "true"}, nil
		case json.Number:
			return Result{OK: true, ID: numberID(x)}, nil
		case string:
			if strings.TrimSpace(x) == "" {
				return Result{}, fmt.Errorf("HTTP 200, but the answer is an empty string: it should hold the record's id or true")
			}
			return Result{OK: true, ID: x}, nil
		default:
			return Result{OK: true}, nil // a key/value list: nothing to keep
		}
	}
	if status == 400 {
		if ps := problemDetails(b); len(ps) > 0 {
			return Result{Problems: ps}, nil
		}
		if ps := logicErrors(b); len(ps) > 0 {
			return Result{Problems: ps}, nil
		}
	}
	return Result{Problems: []Problem{{Code: "HTTP" + strconv.Itoa(status),
		Message: fmt.Sprintf("HTTP %d: %s", status, targets.Snippet(b))}}}, nil
}

// numberID is the text of an id given as a number: an integer in decimal exactly (a float64
// would change the digits of one beyond 2^53), other numbers in their shortest decimal form.
func numberID(n json.Number) string {
	if i, ok := new(big.Int).SetString(n.String(), 10); ok {
		return i.String()
	}
	if f, err := n.Float64(); err == nil {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return n.String()
}

// line makes a field or message from the answer one short line; a blank one is "".
func line(s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	return targets.Snippet([]byte(s))
}

// say makes a message from a 400 answer one short line; a blank one quotes the answer, so that a
// problem always says what came back.
func say(msg string, b []byte) string {
	if m := line(msg); m != "" {
		return m
	}
	return "HTTP 400 without a message: " + targets.Snippet(b)
}

// problemDetails reads an ASP.NET validation answer, one Problem per field and message, sorted.
func problemDetails(b []byte) []Problem {
	var pd struct {
		Title  string              `json:"title"`
		Errors map[string][]string `json:"errors"`
	}
	if json.Unmarshal(b, &pd) != nil || (pd.Title == "" && len(pd.Errors) == 0) {
		return nil
	}
	var out []Problem
	for field, msgs := range pd.Errors {
		for _, m := range msgs {
			out = append(out, Problem{Code: "validation", Field: line(field), Message: say(m, b)})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Field != out[j].Field {
			return out[i].Field < out[j].Field
		}
		return out[i].Message < out[j].Message
	})
	if len(out) == 0 {
		out = []Problem{{Code: "validation", Message: say(pd.Title, b)}}
	}
	return out
}

// logicErrors reads [{memberNames, errorMessage}].
func logicErrors(b []byte) []Problem {
	var les []struct {
		MemberNames  []string `json:"memberNames"`
		ErrorMessage string   `json:"errorMessage"`
	}
	if json.Unmarshal(b, &les) != nil {
		return nil
	}
	var out []Problem
	for _, le := range les {
		out = append(out, Problem{Code: "logic", Field: line(strings.Join(le.MemberNames, ", ")), Message: say(le.ErrorMessage, b)})
	}
	return out
}
