package onixwork

import (
	"fmt"
	"testing"
)

func TestReadAnswer(t *testing.T) {
	tests := []struct {
		status int
		body   string
		want   string
	}{
		{200, `100001`, `ok id=100001 []`},
		{200, `true`, `ok id=true []`},
		{200, `"abc"`, `ok id=abc []`},
		{200, `[{"key":"1","value":"Open"}]`, `ok id= []`},
		{200, `false`, `failed id= [{HTTP200  the API answered false: the record was not applied}]`},
		{400, `{"type":"","title":"One or more validation errors occurred.","status":400,"traceId":"00-1","errors":{"source":["Source is invalid"],"erpOrderDate":["ErpOrderDate wrong format"]}}`,
			`failed id= [{validation erpOrderDate ErpOrderDate wrong format} {validation source Source is invalid}]`},
		{400, `[{"memberNames":["workflowStatusId"],"errorMessage":"Invalid Workflow Status Id"}]`,
			`failed id= [{logic workflowStatusId Invalid Workflow Status Id}]`},
		{400, `not json`, `failed id= [{HTTP400  HTTP 400: not json}]`},
		{500, `{"oops":1}`, `failed id= [{HTTP500  HTTP 500: {"oops":1}}]`},
	}
	for _, tt := range tests {
		r, err := ReadAnswer(tt.status, []byte(tt.body))
		if err != nil {
			t.Fatalf("%d %s: %v", tt.status, tt.body, err)
		}
		state := "failed"
		if r.OK {
			state = "ok"
		}
		if got := fmt.Sprintf("%s id=%s %v", state, r.ID, r.Problems); got != tt.want {
			t.Errorf("%d %s:\n got %s\nwant %s", tt.status, tt.body, got, tt.want)
		}
	}
	if _, err := ReadAnswer(200, []byte("<html>")); err == nil {
		t.Error("a 200 that is not JSON: no error")
	}
}
