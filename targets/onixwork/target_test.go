package onixwork

import (
	"fmt"
	"testing"

	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/targets"
)

// A Target builds one POST per record with its body as it is, and reads the answer into the
// record's result: an id, a boolean, problems, or an answer it cannot read.
func TestTarget(t *testing.T) {
	tg := Target{URL: "https://h/"}
	e := record.Entry{Seq: 5, Endpoint: "/v1/orders", Body: []byte(`{"orderImportId":"7"}`)}
	c := tg.Call([]record.Entry{e})
	if c.Method != "POST" || c.URL != "https://h/v1/orders" || c.ContentType != ContentType || string(c.Body) != string(e.Body) || !c.Idempotent {
		t.Errorf("call %+v", c)
	}
	tests := []struct {
		status int
		body   string
		want   string
	}{
		{200, "123", "5 succeeded id=123"},
		{200, "true", "5 succeeded id="},
		{400, `{"title":"One or more validation errors occurred.","status":400,"errors":{"source":["Source is invalid"]}}`, "5 failed 1 message(s)"},
		{200, "<html>", "5 unknown 1 message(s)"},
	}
	for _, tc := range tests {
		got := tg.Read(t.Context(), &targets.Answer{Status: tc.status, Body: []byte(tc.body), Attempts: 1}, []record.Entry{e})
		r := got[0]
		line := fmt.Sprintf("%d %s", r.Seq, r.Status)
		if r.Status == record.Succeeded {
			line += " id=" + r.ServerID
		} else {
			line += fmt.Sprintf(" %d message(s)", len(r.Messages))
		}
		if len(got) != 1 || line != tc.want || r.HTTPStatus != tc.status {
			t.Errorf("HTTP %d %s: got %s (HTTP %d), want %s", tc.status, tc.body, line, r.HTTPStatus, tc.want)
		}
	}
	if tg.Repeatable(record.Entry{Endpoint: "/v1/orders", Body: []byte(`{"source":"x"}`)}) {
		t.Error("an order without its id or import id is repeatable")
	}
}

// The probe reads the company's order statuses: a GET that changes nothing, at the target's URL.
func TestProbe(t *testing.T) {
	p := Target{URL: "https://h/"}.Probe()
	if p.Call.Method != "GET" || p.Call.URL != "https://h/v1/company/order-statuses" || !p.Call.Idempotent ||
		p.What != "GET https://h/v1/company/order-statuses" || p.NotThere != "there is no Onix Work API there: check target.url" {
		t.Errorf("probe %+v", p)
	}
}
