package onixwork

import (
	"bytes"
	"math/big"
	"strings"
	"testing"
	"unicode/utf8"
)

// maxLine is the most characters a problem's field or message may have: targets.Snippet's 200
// and the words around it.
const maxLine = 400

// checkLine fails unless s is one line of valid UTF-8 within maxLine characters.
func checkLine(t *testing.T, what, s string) {
	t.Helper()
	if strings.ContainsAny(s, "\r\n") || !utf8.ValidString(s) || utf8.RuneCountInString(s) > maxLine {
		t.Fatalf("%s is not one short line (%d characters): %.300q", what, utf8.RuneCountInString(s), s)
	}
}

// FuzzReadAnswer reads arbitrary answers with any status. Whatever the answer: nothing panics;
// only a 200 can be unreadable (the outcome is then unknown), and the error is one short line; a
// record succeeds only on a 200, and then carries its id (an integer exactly as the answer writes
// it) or "true", unless the answer is a key/value list; a failed record has at least one problem,
// each with a code and a message that says something; and every field and message is one short
// line.
func FuzzReadAnswer(f *testing.F) {
	long := strings.Repeat("9", 400)
	for _, s := range []struct {
		status int
		body   string
	}{
		{200, `100001`},
		{200, `true`},
		{200, `false`},
		{200, `"abc"`},
		{200, `[{"key":"1","value":"Open"}]`},
		{200, `{"1":"Open"}`},
		{200, `12345678901234567890`}, // once the id 12345678901234567000
		{200, `1e2`},
		{200, `-0`},
		{200, `null`}, // once a success without an id
		{200, `""`},   // once a success with the id ""
		{200, ""},
		{200, "<html><title>Sign in</title></html>"},
		{200, `{"id":100`},
		{201, `100001`},
		{400, `{"type":"","title":"One or more validation errors occurred.","status":400,"traceId":"00-1","errors":{"source":["Source is invalid"],"erpOrderDate":["ErpOrderDate wrong format"]}}`},
		{400, `{"title":"","errors":{"a":[]}}`}, // once a problem without a message
		{400, `{"errors":{"a":[""]}}`},
		{400, `{"title":"x","errors":{"` + long + `":["line one\nline two ` + long + `"]}}`}, // once as it came
		{400, `[{"memberNames":["workflowStatusId"],"errorMessage":"Invalid Workflow Status Id"}]`},
		{400, `[{}]`},
		{400, `[]`},
		{400, `not json`},
		{400, "Bad Request\r\n\r\nline two"},
		{401, ""},
		{500, `{"oops":1}`},
		{-7, "\xff\x00"},
	} {
		f.Add(s.status, []byte(s.body))
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		r, err := ReadAnswer(status, body)
		if err != nil {
			if status != 200 {
				t.Fatalf("HTTP %d: error %v; only a 200 may be unreadable", status, err)
			}
			if r.OK || r.ID != "" || len(r.Problems) > 0 {
				t.Fatalf("error %v and result %+v", err, r)
			}
			checkLine(t, "the error", err.Error())
			return
		}
		b := bytes.TrimSpace(body)
		if r.OK {
			if status < 200 || status > 299 {
				t.Fatalf("HTTP %d: OK", status)
			}
			if len(r.Problems) > 0 {
				t.Fatalf("OK with problems %+v", r.Problems)
			}
			if r.ID == "" && b[0] != '[' && b[0] != '{' {
				t.Fatalf("OK without an id for %.100q", b)
			}
			if n, isInt := new(big.Int).SetString(string(b), 10); isInt && r.ID != n.String() {
				t.Fatalf("id %q for the integer %s", r.ID, b)
			}
			return
		}
		if r.ID != "" || len(r.Problems) == 0 {
			t.Fatalf("failed with id %q and problems %+v", r.ID, r.Problems)
		}
		for _, p := range r.Problems {
			if p.Code == "" || strings.TrimSpace(p.Message) == "" {
				t.Fatalf("a problem without a code or message: %+v", p)
			}
			checkLine(t, "a field", p.Field)
			checkLine(t, "a message", p.Message)
		}
	})
}
