package spec

import (
	"reflect"
	"testing"
)

func TestInterpolate(t *testing.T) {
	env := map[string]string{"HOST": "h.example", "EMPTY": "", "PORT": "8080"}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	tests := []struct {
		name    string
		in      string
		want    string
		changed bool
		msgs    []string
	}{
		{name: "no reference", in: "row.code", want: "row.code"},
		{name: "a dollar alone", in: "cost $5 and $x", want: "cost $5 and $x"},
		{name: "set variable", in: "https://${HOST}:${PORT}/api", want: "https://h.example:8080/api", changed: true},
		{name: "default unused", in: "${HOST:-other}", want: "h.example", changed: true},
		{name: "default for unset", in: "${NOPE:-http://127.0.0.1:8680}", want: "http://127.0.0.1:8680", changed: true},
		{name: "default for empty", in: "${EMPTY:-x}", want: "x", changed: true},
		{name: "empty default", in: "a${NOPE:-}b", want: "ab", changed: true},
		{name: "empty without default", in: "a${EMPTY}b", want: "ab", changed: true},
		{name: "escape", in: "$${HOST} is ${HOST}", want: "${HOST} is h.example", changed: true},
		{name: "unset", in: "x${NOPE}y", want: "xy", changed: true,
			msgs: []string{"environment variable NOPE is not set (give a default with ${NOPE:-default})"}},
		{name: "bad name", in: "${1X}", want: "", changed: true,
			msgs: []string{`bad reference "${1X}": write ${NAME} or ${NAME:-default}, or $${ for a literal ${`}},
		{name: "empty name", in: "${}", want: "", changed: true,
			msgs: []string{`bad reference "${}": write ${NAME} or ${NAME:-default}, or $${ for a literal ${`}},
		{name: "unclosed", in: "a ${HOST", want: "a ", changed: true,
			msgs: []string{`unclosed "${HOST": write ${NAME} or ${NAME:-default}, or $${ for a literal ${`}},
		{name: "every problem", in: "${A}${B}", want: "", changed: true, msgs: []string{
			"environment variable A is not set (give a default with ${A:-default})",
			"environment variable B is not set (give a default with ${B:-default})",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, changed, msgs := interpolate(tt.in, lookup)
			if got != tt.want || changed != tt.changed || !reflect.DeepEqual(msgs, tt.msgs) {
				t.Errorf("interpolate(%q) = %q, %v, %q; want %q, %v, %q", tt.in, got, changed, msgs, tt.want, tt.changed, tt.msgs)
			}
		})
	}
}

func TestLoadInterpolation(t *testing.T) {
	spec := `version: 1
name: ${JOB:-t}
target:
  kind: onkey
  url: ${URL}
  tenant: "${TENANT}"
  connection: ${CONN:-prod}
submit:
  batch_size: ${BATCH:-25}
  ordered: ${ORDERED}
sources: [{name: s, file: s.csv, schema: s.schema.json}]
entities:
  - name: e
    source: s
    entityType: Site
    action: Create
    userObjectId: '"$${literal}" + row.id'
`
	env := map[string]string{"URL": "https://onkey.example", "TENANT": "12345", "ORDERED": "false"}
	job, errs := loadIn(t, map[string]string{"job.yaml": spec}, env)
	if errs != "" {
		t.Fatal(errs)
	}
	tests := []struct {
		name string
		got  any
		want any
	}{
		{name: "default", got: job.Name, want: "t"},
		{name: "set", got: job.Target.URL, want: "https://onkey.example"},
		{name: "quoted stays text", got: job.Target.Tenant, want: "12345"},
		{name: "default in block", got: job.Target.Connection, want: "prod"},
		{name: "plain default typed as integer", got: job.Submit.BatchSize, want: 25},
		{name: "plain value typed as boolean", got: job.Submit.Ordered, want: false},
		{name: "escape in an expression", got: job.Entities[0].UserObjectID.Expr, want: `"${literal}" + row.id`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %#v, want %#v", tt.got, tt.want)
			}
		})
	}
}
