package sandbox

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strings"
)

// Titles of the ASP.NET problem details the Onix Work surface answers with (seed 000).
const (
	onixTitleValidation = "One or more validation errors occurred."
	onixTitleBadRequest = "Bad Request"
)

// onixProblem is an ASP.NET problem details body (seed 000): validation errors carry Errors,
// keyed by the JSON field ("erpOrderDate", "items[0].serialNumber", "$" for the body itself),
// each message starting with the field's PascalCase name ("ErpOrderDate wrong format").
type onixProblem struct {
	Type    string              `json:"type"`
	Title   string              `json:"title"`
	Status  int                 `json:"status"`
	TraceID string              `json:"traceId"`
	Detail  string              `json:"detail,omitempty"`
	Errors  map[string][]string `json:"errors,omitempty"`
}

// onixLogicError is one element of a logic/state error body (seed 000):
// [{"memberNames":["orderImportId"],"errorMessage":"..."}].
type onixLogicError struct {
	MemberNames  []string `json:"memberNames"`
	ErrorMessage string   `json:"errorMessage"`
}

func logicErr(msg string, members ...string) onixLogicError {
	if members == nil {
		members = []string{}
	}
	return onixLogicError{MemberNames: members, ErrorMessage: msg}
}

// fieldErrors collects validation messages by field, in the order found.
type fieldErrors map[string][]string

func (fe fieldErrors) add(field, msg string) { fe[field] = append(fe[field], msg) }

// traceID is a W3C traceparent-like id, as ASP.NET puts in problem details.
func traceID() string {
	var b [24]byte
	_, _ = rand.Read(b[:])
	h := hex.EncodeToString(b[:])
	return "00-" + h[:32] + "-" + h[32:] + "-00"
}

// writeOnixProblem answers status with problem details (the seed shows type "").
func writeOnixProblem(w http.ResponseWriter, status int, title, detail string, errs fieldErrors) {
	writeJSON(w, status, contentProblem, onixProblem{Type: "", Title: title, Status: status,
		TraceID: traceID(), Detail: detail, Errors: errs})
}

// writeOnixValidation answers 400 with the validation problem details of errs.
func writeOnixValidation(w http.ResponseWriter, errs fieldErrors) {
	writeOnixProblem(w, http.StatusBadRequest, onixTitleValidation, "", errs)
}

// writeOnixLogic answers 400 with a logic/state error body.
func writeOnixLogic(w http.ResponseWriter, errs []onixLogicError) {
	writeJSON(w, http.StatusBadRequest, contentJSONUTF8, errs)
}

// onixFail writes the Onix Work error body of an injected fault or a rate limit: problem
// details titled with text (the On Key code is not used).
func onixFail(w http.ResponseWriter, status int, _ string, text string) {
	writeOnixProblem(w, status, text, "", nil)
}

// Content types of Onix Work answers.
const (
	contentJSONUTF8 = "application/json; charset=utf-8"
	contentProblem  = "application/problem+json; charset=utf-8"
)

// pascal is a JSON field name as ASP.NET messages name it: "erpOrderDate" -> "ErpOrderDate".
func pascal(field string) string {
	if field == "" {
		return field
	}
	return strings.ToUpper(field[:1]) + field[1:]
}
