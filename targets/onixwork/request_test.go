package onixwork

import "testing"

func TestRepeatable(t *testing.T) {
	for _, tc := range []struct {
		endpoint, body string
		want           bool
	}{
		{"/v1/orders", `{"orderImportId": "A1", "source": "x"}`, true},
		{"/v1/orders", `{"orderId": 12}`, true},
		{"/v1/orders", `{"source": "x"}`, false},
		{"/v1/orders", `{"orderImportId": ""}`, false},
		{"/v1/order-lines", `{"orderImportId": "A1", "orderLineImportId": "A1-1"}`, true},
		{"/v1/order-lines", `{"orderImportId": "A1", "productName": "Bolt"}`, false},
		{"/v1/order-lines/items", `{"orderImportId": "A1"}`, true},
		{"/v1/orders", `not json`, false},
	} {
		if got := Repeatable(tc.endpoint, []byte(tc.body)); got != tc.want {
			t.Errorf("Repeatable(%s, %s) = %v, want %v", tc.endpoint, tc.body, got, tc.want)
		}
	}
}
