package onkey

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
)

func TestReadExistsAnswer(t *testing.T) {
	tests := []struct {
		name, body string
		want       string // "uoid presence id" per result, sorted by uoid; or "error: ..."
	}{
		{"exists", `[{"userObjectId":"A","exists":true,"id":5000001001,"version":3},{"userObjectId":"B","exists":false}]`, "A present 5000001001; B absent"},
		{"count and ids", `[{"userObjectId":"T-1","count":1,"ids":[7000000001]},{"userObjectId":"T-2","count":0,"ids":[]}]`, "T-1 present 7000000001; T-2 absent"},
		{"items wrapper", `{"items":[{"userObjectId":"A","exists":true,"id":"7"},{"userObjectId":"B","exists":false}]}`, "A present 7; B absent"},
		{"results wrapper, an id alone", `{"results":[{"userObjectId":7,"id":9}]}`, "7 present 9"},
		{"unknown shape", `[{"userObjectId":"A","found":true}]`, `A unknown: the result says nothing bulkload knows ("exists", "count", "ids" or "id"): {"userObjectId":"A","found":true}`},
		{"evidence that disagrees", `[{"userObjectId":"A","exists":true,"count":0}]`, "A unknown: the result says both that the record exists and that it does not"},
		{"exists not a boolean", `[{"userObjectId":"A","exists":"yes"}]`, `A unknown: "exists" is not true or false`},
		{"an error", `[{"userObjectId":"A","exists":false,"messages":[{"code":"Core_UnknownEntityType","message":"no such type","severity":"error"}]}]`, "A unknown: the check answered with an error"},
		{"a notification", `{"messages":[]}`, "error: the answer to exists checks is a JSON object without a list of results: {\"messages\":[]}"},
		{"HTML", `<html><title>Sign in</title></html>`, `error: the answer to exists checks is not a JSON array of results: invalid character '<' looking for beginning of value: an HTML page titled "Sign in"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadExistsAnswer([]byte(tc.body))
			var line string
			if err != nil {
				line = "error: " + err.Error()
			} else {
				var parts []string
				for _, k := range slices.Sorted(maps.Keys(got)) {
					r := got[k]
					p := fmt.Sprintf("%s %v", k, r.Presence)
					if r.ID != "" {
						p += " " + r.ID
					}
					if r.Why != "" {
						p += ": " + r.Why
					}
					parts = append(parts, p)
				}
				line = strings.Join(parts, "; ")
			}
			if !strings.HasPrefix(line, tc.want) {
				t.Errorf("got  %s\nwant %s…", line, tc.want)
			}
		})
	}
}
