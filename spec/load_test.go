package spec

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// head is the start of a valid On Key spec; cases append entities or replace it.
const head = `version: 1
name: t
target: {kind: onkey, url: "http://h", tenant: a, connection: b}
sources: [{name: s, file: s.csv, schema: s.schema.json}]
`

// loadIn writes files (job.yaml among them) into a new folder, makes it the working directory,
// loads job.yaml with env as the environment and returns the job and the error's text with the
// folder written as $DIR. s.csv and s.schema.json exist unless files says otherwise.
func loadIn(t *testing.T, files map[string]string, env map[string]string) (*Job, string) {
	t.Helper()
	dir := t.TempDir()
	all := map[string]string{"s.csv": "id\n", "s.schema.json": "{}"}
	for name, body := range files {
		all[name] = body
	}
	for name, body := range all {
		if body == "-" {
			continue
		}
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	job, err := Load("job.yaml", func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err == nil {
		return job, ""
	}
	if job != nil {
		t.Errorf("Load returned a job and an error")
	}
	var errs Errors
	if !errors.As(err, &errs) || len(errs) == 0 {
		t.Fatalf("Load error is %T, want a non-empty Errors: %v", err, err)
	}
	text := err.Error()
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		text = strings.ReplaceAll(text, real, "$DIR")
	}
	return nil, strings.ReplaceAll(text, dir, "$DIR")
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		env   map[string]string
		want  []string
	}{
		{
			name: "unknown key with suggestion",
			files: map[string]string{"job.yaml": head + `entities:
  - name: e
    source: s
    entityType: Site
    action: Create
    userObjectId: row.id
    grouporder: 2
`},
			want: []string{`job.yaml:11:5: entities[0].grouporder: unknown key "grouporder"; did you mean "groupOrder"?`},
		},
		{
			name: "limits that do not fit the source",
			files: map[string]string{"job.yaml": `version: 1
name: t
target: {kind: onkey, url: "http://h", tenant: a, connection: b}
sources:
  - {name: s, file: s.csv, schema: s.schema.json, limits: {workbook_size: 1GiB, cell_size: lots, record_size: 0}}
  - {name: d, file: d.json, schema: s.schema.json, limits: {columns: 5}}
entities: [{name: e, source: s, entityType: Site, action: Create, userObjectId: row.id}]
`, "d.json": "{}"},
			want: []string{
				`job.yaml:5:60: sources[0].limits.workbook_size: applies to xlsx sources only; this source is csv`,
				`job.yaml:5:92: sources[0].limits.cell_size: must be a size such as 512KiB, 16MiB or 2GiB (or a number of bytes), got "lots"`,
				`job.yaml:5:111: sources[0].limits.record_size: must be >= 1`,
				`job.yaml:6:52: sources[1].limits: applies to csv or xlsx sources only; this source is json`,
			},
		},
		{
			name:  "unknown key far from every known key",
			files: map[string]string{"job.yaml": head + "colour: blue\n" + `entities: [{name: e, source: s, entityType: Site, action: Create, userObjectId: row.id}]`},
			want:  []string{`job.yaml:5:1: colour: unknown key "colour"`},
		},
		{
			name:  "a secret in the spec",
			files: map[string]string{"job.yaml": strings.Replace(head, "connection: b}", "connection: b, auth: {kind: bearer, token: abc}}", 1) + `entities: [{name: e, source: s, entityType: Site, action: Create, userObjectId: row.id}]`},
			want: []string{
				`job.yaml:3:72: target.auth: bearer needs token_env or token_file`,
				`job.yaml:3:87: target.auth.token: unknown key "token"; did you mean "token_env"? (secrets never appear in a spec: name the environment variable that holds it)`,
			},
		},
		{
			name: "wrong type",
			files: map[string]string{"job.yaml": head + `submit:
  batch_size: many
  ordered: "yes"
entities: [{name: e, source: s, entityType: Site, action: Create, userObjectId: row.id}]
`},
			want: []string{
				`job.yaml:6:15: submit.batch_size: must be an integer, got "many"`,
				`job.yaml:7:12: submit.ordered: must be true or false, got "yes"`,
			},
		},
		{
			name:  "number where text is needed",
			files: map[string]string{"job.yaml": strings.Replace(head, "tenant: a", "tenant: 12345", 1) + `entities: [{name: e, source: s, entityType: Site, action: Create, userObjectId: row.id}]`},
			want:  []string{`job.yaml:3:48: target.tenant: must be a string, got 12345; write it in quotes to make it text`},
		},
		{
			name: "missing required keys",
			files: map[string]string{"job.yaml": head + `entities:
  - name: e
    entityType: Site
    action: Create
`},
			want: []string{
				`job.yaml:6:5: entities[0]: missing required key "source"`,
				`job.yaml:6:5: entities[0]: missing required key "userObjectId"`,
			},
		},
		{
			name:  "missing top-level keys",
			files: map[string]string{"job.yaml": "version: 1\nname: t\n"},
			want: []string{
				`job.yaml:1:1: missing required key "sources"`,
			},
		},
		{
			name:  "bad enum",
			files: map[string]string{"job.yaml": strings.Replace(head, "kind: onkey", "kind: onkye", 1) + `entities: [{name: e, source: s, entityType: Site, action: Create, userObjectId: row.id}]`},
			want:  []string{`job.yaml:3:16: target.kind: must be one of "onkey", "onixwork", got "onkye"; did you mean "onkey"?`},
		},
		{
			name:  "bad version",
			files: map[string]string{"job.yaml": strings.Replace(head, "version: 1", "version: 2", 1) + `entities: [{name: e, source: s, entityType: Site, action: Create, userObjectId: row.id}]`},
			want:  []string{`job.yaml:1:10: version: must be 1, got 2`},
		},
		{
			name: "bad groupOrder",
			files: map[string]string{"job.yaml": head + `entities:
  - {name: e, source: s, entityType: Site, action: Create, userObjectId: row.id}
  - name: f
    source: s
    entityType: Site
    action: Create
    userObjectId: row.id
    groupOrder: 0
`},
			want: []string{`job.yaml:12:17: entities[1].groupOrder: must be >= 1`},
		},
		{
			name: "bad names and endpoint pattern",
			files: map[string]string{"job.yaml": `version: 1
name: my job
target: {kind: onixwork, url: "http://h"}
sources: [{name: 1s, file: s.csv, schema: s.schema.json}]
entities: [{name: e, source: 1s, endpoint: v1/orders, userObjectId: row.id}]
`},
			want: []string{
				`job.yaml:2:7: name: must be letters, digits, _, - and ., starting with a letter or digit, got "my job"`,
				`job.yaml:4:18: sources[0].name: must be a name of letters, digits and _, not starting with a digit, got "1s"`,
				`job.yaml:5:30: entities[0].source: must be a name of letters, digits and _, not starting with a digit, got "1s"`,
				`job.yaml:5:44: entities[0].endpoint: must start with "/", got "v1/orders"`,
			},
		},
		{
			name:  "bad url",
			files: map[string]string{"job.yaml": strings.Replace(head, `url: "http://h"`, `url: "not a url"`, 1) + `entities: [{name: e, source: s, entityType: Site, action: Create, userObjectId: row.id}]`},
			want:  []string{`job.yaml:3:28: target.url: must be an absolute URL such as https://example.com, got "not a url"`},
		},
		{
			name:  "missing env var",
			files: map[string]string{"job.yaml": strings.Replace(head, `url: "http://h"`, `url: "${ONKEY_URL}"`, 1) + `entities: [{name: e, source: s, entityType: Site, action: Create, userObjectId: row.id}]`},
			want:  []string{`job.yaml:3:28: target.url: environment variable ONKEY_URL is not set (give a default with ${ONKEY_URL:-default})`},
		},
		{
			name: "bad env references",
			files: map[string]string{"job.yaml": head + `report:
  dir: runs/${A-B}/${C
entities: [{name: e, source: s, entityType: Site, action: Create, userObjectId: row.id}]`},
			want: []string{
				`job.yaml:6:8: report.dir: bad reference "${A-B}": write ${NAME} or ${NAME:-default}, or $${ for a literal ${`,
				`job.yaml:6:8: report.dir: unclosed "${C": write ${NAME} or ${NAME:-default}, or $${ for a literal ${`,
			},
		},
		{
			name: "duplicate names",
			files: map[string]string{"job.yaml": head + `lookups:
  - {name: l, file: s.csv}
  - {name: l, file: s.csv}
entities:
  - {name: e, source: s, entityType: Site, action: Create, userObjectId: row.id}
  - {name: e, source: s, entityType: Site, action: Create, userObjectId: row.id}
sources_again: 1
`},
			want: []string{
				`job.yaml:7:12: lookups[1].name: duplicate lookup name "l" (first at line 6)`,
				`job.yaml:10:12: entities[1].name: duplicate entity name "e" (first at line 9)`,
				`job.yaml:11:1: sources_again: unknown key "sources_again"`,
			},
		},
		{
			name: "duplicate source name",
			files: map[string]string{"job.yaml": `version: 1
name: t
target: {kind: onkey, url: "http://h", tenant: a, connection: b}
sources:
  - {name: s, file: s.csv, schema: s.schema.json}
  - {name: s, file: s.csv, schema: s.schema.json}
entities: [{name: e, source: s, entityType: Site, action: Create, userObjectId: row.id}]
`},
			want: []string{`job.yaml:6:12: sources[1].name: duplicate source name "s" (first at line 5)`},
		},
		{
			name: "missing source and parent entity",
			files: map[string]string{"job.yaml": head + `entities:
  - {name: order, source: s, entityType: Site, action: Create, userObjectId: row.id}
  - name: line
    source: t
    entityType: Site
    action: Create
    userObjectId: row.id
    parent: {entity: ordr, userObjectId: row.order}
  - name: self
    source: s
    entityType: Site
    action: Create
    userObjectId: row.id
    parent: {entity: self, userObjectId: row.id}
`},
			want: []string{
				`job.yaml:8:13: entities[1].source: no source is named "t"; did you mean "s"?`,
				`job.yaml:12:22: entities[1].parent.entity: no entity is named "ordr"; did you mean "order"?`,
				`job.yaml:18:22: entities[2].parent.entity: an entity cannot be its own parent`,
			},
		},
		{
			name: "parent cycle",
			files: map[string]string{"job.yaml": head + `entities:
  - {name: a, source: s, entityType: Site, action: Create, userObjectId: row.id, parent: {entity: b, userObjectId: x}}
  - {name: b, source: s, entityType: Site, action: Create, userObjectId: row.id, parent: {entity: a, userObjectId: x}}
`},
			want: []string{
				`job.yaml:6:99: entities[0].parent.entity: parents form a cycle through "a"`,
				`job.yaml:7:99: entities[1].parent.entity: parents form a cycle through "b"`,
			},
		},
		{
			name: "On Key entity without id for Merge, without action",
			files: map[string]string{"job.yaml": head + `entities:
  - name: e
    source: s
    entityType: Site
    action: Merge
    userObjectId: row.id
  - {name: f, source: s, userObjectId: row.id, endpoint: /v1/x}
`},
			want: []string{
				`job.yaml:6:5: entities[0]: missing required key "id": action Merge needs the record's id`,
				`job.yaml:11:5: entities[1]: missing required key "action" for an On Key target`,
				`job.yaml:11:5: entities[1]: missing required key "entityType" for an On Key target`,
				`job.yaml:11:48: entities[1].endpoint: applies to Onix Work targets only; this target is onkey`,
			},
		},
		{
			name: "Onix Work entity without endpoint, with On Key keys",
			files: map[string]string{"job.yaml": `version: 1
name: t
target: {kind: onixwork, url: "http://h", tenant: a, auth: {kind: bearer, token_env: T}}
sources: [{name: s, file: s.csv, schema: s.schema.json}]
entities:
  - {name: e, source: s, entityType: Site, userObjectId: row.id}
`},
			want: []string{
				`job.yaml:3:43: target.tenant: applies to On Key targets only; this target is onixwork`,
				`job.yaml:3:67: target.auth.kind: "bearer" does not work with a onixwork target, which takes password, key or none`,
				`job.yaml:6:5: entities[0]: missing required key "endpoint" for an Onix Work target`,
				`job.yaml:6:26: entities[0].entityType: applies to On Key targets only; this target is onixwork`,
			},
		},
		{
			name: "source settings that do not fit the format",
			files: map[string]string{"s.dat": "", "job.yaml": `version: 1
name: t
target: {kind: onkey, url: "http://h", tenant: a, connection: b}
sources:
  - {name: s, file: s.csv, schema: s.schema.json, sheet: One, explode: a..b}
  - {name: u, file: s.dat, schema: s.schema.json}
  - {name: v, file: s.csv, schema: s.schema.json, typing: {decimal: ",", thousands: " ,"}}
entities: [{name: e, source: s, entityType: Site, action: Create, userObjectId: row.id}]
`},
			want: []string{
				`job.yaml:5:51: sources[0].sheet: applies to xlsx sources only; this source is csv`,
				`job.yaml:5:63: sources[0].explode: applies to json or jsonl sources only; this source is csv`,
				`job.yaml:5:72: sources[0].explode: must be a path of keys such as Orderlines or Orderlines.ERPSerials, got "a..b"`,
				`job.yaml:6:21: sources[1].file: cannot tell the format from the file name; add format: csv, xlsx, json or jsonl`,
				`job.yaml:7:85: sources[2].typing.thousands: must not contain the decimal separator ","`,
			},
		},
		{
			name:  "bad timeout",
			files: map[string]string{"job.yaml": head + "submit: {timeout: 10 minutes}\n" + `entities: [{name: e, source: s, entityType: Site, action: Create, userObjectId: row.id}]`},
			want:  []string{`job.yaml:5:19: submit.timeout: must be a duration such as 30s or 2m, got "10 minutes"`},
		},
		{
			name: "bad token lifetime",
			files: map[string]string{"job.yaml": `version: 1
name: t
target: {kind: onixwork, url: "http://h", auth: {kind: password, username_env: U, password_env: P, token_lifetime: an hour}}
sources: [{name: s, file: s.csv, schema: s.schema.json}]
entities: [{name: e, source: s, endpoint: /v1/orders, userObjectId: row.id}]`},
			want: []string{`job.yaml:3:116: target.auth.token_lifetime: must be a duration such as 60m or 30s, got "an hour"`},
		},
		{
			name: "several errors at once, in order",
			files: map[string]string{"job.yaml": `version: 1
name: t
target:
  kind: onkey
  url: ${URL}
  tenant: a
sources:
  - {name: s, file: missing.csv, schema: s.schema.json}
entities:
  - name: e
    source: s
    entityType: Site
    action: Delete
    userObjectId: row.id
    grouporder: 2
`},
			want: []string{
				`job.yaml:4:3: target: missing required key "connection" for an On Key target`,
				`job.yaml:5:8: target.url: environment variable URL is not set (give a default with ${URL:-default})`,
				`job.yaml:8:21: sources[0].file: file not found: $DIR/missing.csv`,
				`job.yaml:10:5: entities[0]: missing required key "id": action Delete needs the record's id`,
				`job.yaml:15:5: entities[0].grouporder: unknown key "grouporder"; did you mean "groupOrder"?`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, got := loadIn(t, tt.files, tt.env)
			if want := strings.Join(tt.want, "\n"); got != want {
				t.Errorf("errors:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

func TestLoadUnreadable(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "nope.yaml"), nil)
	var errs Errors
	if !errors.As(err, &errs) || len(errs) != 1 {
		t.Fatalf("err = %v, want one Error", err)
	}
	if want := "cannot read the spec: no such file or directory"; errs[0].Msg != want || errs[0].Line != 0 {
		t.Errorf("got %+v, want Msg %q and no position", errs[0], want)
	}
}
