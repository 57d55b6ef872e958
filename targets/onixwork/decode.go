package onixwork

import (
	"bytes"
	"encoding/json"
	"fmt"
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
// string or key/value list; a false boolean is a refusal. 400 carries problem details
// ({"title", "errors": {field: [message]}}) or logic errors ([{memberNames, errorMessage}]),
// each turned into one Problem per field; any other status fails the record with the status and
// the start of the body (targets.Snippet: one short line). A 200 body that is empty or not JSON
// is an error: the outcome is then unknown.
func ReadAnswer(status int, body []byte) (Result, error) {
	b := bytes.TrimSpace(body)
	if status == 200 {
		if len(b) == 0 {
			return Result{}, fmt.Errorf("HTTP 200, but the answer is empty: it should hold the record's id or true")
		}
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			return Result{}, fmt.Errorf("HTTP 200, but the answer is not JSON: %s", targets.Snippet(b))
		}
		switch x := v.(type) {
		case bool:
			if !x {
				return Result{Problems: []Problem{{Code: "HTTP200", Message: "the API answered false: the record was not applied"}}}, nil
			}
			return Result{OK: true, ID: "true"}, nil
		case float64:
			return Result{OK: true, ID: strconv.FormatFloat(x, 'f', -1, 64)}, nil
		case string:
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
			out = append(out, Problem{Code: "validation", Field: field, Message: m})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Field != out[j].Field {
			return out[i].Field < out[j].Field
		}
		return out[i].Message < out[j].Message
	})
	if len(out) == 0 {
		out = []Problem{{Code: "validation", Message: pd.Title}}
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
		out = append(out, Problem{Code: "logic", Field: strings.Join(le.MemberNames, ", "), Message: le.ErrorMessage})
	}
	return out
}
