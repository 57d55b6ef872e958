package onixwork

import (
	"testing"

	"github.com/bulkload/bulkload/record"
)

// TestUnanswered: an order or line whose outcome a run did not learn is sent again when it
// carries what Onix Work updates it by, and stays unknown, saying what to check, when not.
func TestUnanswered(t *testing.T) {
	cases := []struct {
		name, endpoint, body string
		want                 record.Status
		text                 string
	}{
		{"an order with its import id", "/v1/orders", `{"orderImportId":"O1","customer":"C1"}`, record.Pending, ""},
		{"a line with its id", "/v1/order-lines", `{"orderLineId":12}`, record.Pending, ""},
		{"an order with neither id", "/v1/orders", `{"customer":"C1"}`, record.Unknown,
			"sent, but no answer was recorded, and it has no id or import id by which Onix Work would update it instead of " +
				"creating it again: check whether Onix Work has O1 before sending it again"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := Unanswered(record.Entry{Seq: 4, UserObjectID: "O1", Endpoint: c.endpoint, Body: []byte(c.body), Status: record.Unknown})
			text := ""
			if len(res.Messages) == 1 && res.Messages[0].Code == "unanswered" {
				text = res.Messages[0].Text
			}
			if res.Seq != 4 || res.Status != c.want || text != c.text || (c.text == "" && len(res.Messages) > 0) {
				t.Errorf("got %+v, want %s %q", res, c.want, c.text)
			}
		})
	}
}
