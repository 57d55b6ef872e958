package spec

import (
	"strings"
	"testing"
)

// TestLoadYAMLErrors covers problems found while reading the YAML itself, before the schema.
func TestLoadYAMLErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{
			name:  "duplicate YAML key",
			files: map[string]string{"job.yaml": head + "name: u\n" + `entities: [{name: e, source: s, entityType: Site, action: Create, userObjectId: row.id}]`},
			want:  []string{`job.yaml:5:1: name: duplicate key "name" (first at line 2)`},
		},
		{
			name:  "YAML syntax error",
			files: map[string]string{"job.yaml": head + "entities:\n  - id: custom({\"a\": row.code})\n"},
			want:  []string{`job.yaml:6: YAML syntax: mapping values are not allowed in this context`},
		},
		{
			name:  "character that cannot start a value",
			files: map[string]string{"job.yaml": "version: 1\nname: t\ntarget: @x\n"},
			want:  []string{`job.yaml:3: YAML syntax: found character that cannot start any token`},
		},
		{
			name:  "empty spec",
			files: map[string]string{"job.yaml": "# nothing yet\n"},
			want:  []string{`job.yaml:1:1: the spec is empty`},
		},
		{
			name:  "not a mapping",
			files: map[string]string{"job.yaml": "- a\n- b\n"},
			want:  []string{`job.yaml:1:1: the spec must be a mapping, got a list`},
		},
		{
			name:  "two documents",
			files: map[string]string{"job.yaml": head + `entities: [{name: e, source: s, entityType: Site, action: Create, userObjectId: row.id}]` + "\n---\nversion: 1\n"},
			want:  []string{`job.yaml:6:1: a spec is one YAML document; this is a second one`},
		},
		{
			name:  "alias inside its own anchor",
			files: map[string]string{"job.yaml": head + "entities: &e [*e]\n"},
			want:  []string{`job.yaml:5:15: entities[0]: alias *e refers to a value that contains it`},
		},
		{
			name:  "merge key",
			files: map[string]string{"job.yaml": head + "base: &b {source: s}\nentities: [{<<: *b, name: e, entityType: Site, action: Create, userObjectId: row.id}]\n"},
			want: []string{
				`job.yaml:5:1: base: unknown key "base"`,
				`job.yaml:6:12: entities[0]: missing required key "source"`,
				`job.yaml:6:13: entities[0]: merge keys (<<) are not supported; write the keys out`,
			},
		},
		{
			name:  "not a finite number",
			files: map[string]string{"job.yaml": head + "submit: {rate: .inf}\n" + `entities: [{name: e, source: s, entityType: Site, action: Create, userObjectId: row.id}]`},
			want:  []string{`job.yaml:5:16: submit.rate: .inf is not a finite number`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, got := loadIn(t, tt.files, nil)
			if want := strings.Join(tt.want, "\n"); got != want {
				t.Errorf("errors:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

func TestLoadAliases(t *testing.T) {
	t.Run("an unset variable in an anchor used twice is reported once", func(t *testing.T) {
		_, got := loadIn(t, map[string]string{"job.yaml": head + `entities:
  - {name: e, source: s, entityType: Site, action: Create, userObjectId: &id "${ID}"}
  - {name: f, source: s, entityType: Site, action: Create, userObjectId: *id}
`}, nil)
		want := `job.yaml:6:74: entities[0].userObjectId: environment variable ID is not set (give a default with ${ID:-default})`
		if got != want {
			t.Errorf("got\n%s\nwant\n%s", got, want)
		}
	})
	t.Run("an alias bomb is cut short", func(t *testing.T) {
		ten := func(x string) string { return "[" + strings.Repeat(x+",", 9) + x + "]" }
		bomb := "x0: &a " + ten("x") + "\nx1: &b " + ten("*a") + "\nx2: &c " + ten("*b") + "\nx3: &d " + ten("*c") +
			"\nx4: &e " + ten("*d") + "\nx5: " + ten("*e") + "\n"
		_, got := loadIn(t, map[string]string{"job.yaml": bomb}, nil)
		if !strings.Contains(got, "the spec expands to more than 100000 values (aliases?)") || strings.Count(got, "\n") > 20 {
			t.Errorf("got\n%s", got)
		}
	})
}
