package spec

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadPathErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{
			name:  "escaping path",
			files: map[string]string{"job.yaml": strings.Replace(head, "file: s.csv", "file: ../s.csv", 1) + `entities: [{name: e, source: s, entityType: Site, action: Create, userObjectId: row.id}]`},
			want:  []string{`job.yaml:4:27: sources[0].file: "../s.csv" leaves the spec's folder; keep the job's files inside $DIR`},
		},
		{
			name:  "escaping path through a subfolder",
			files: map[string]string{"job.yaml": strings.Replace(head, "schema: s.schema.json", "schema: sub/../../x.json", 1) + `entities: [{name: e, source: s, entityType: Site, action: Create, userObjectId: row.id}]`},
			want:  []string{`job.yaml:4:42: sources[0].schema: "sub/../../x.json" leaves the spec's folder; keep the job's files inside $DIR`},
		},
		{
			name:  "absolute path",
			files: map[string]string{"job.yaml": strings.Replace(head, "file: s.csv", "file: /etc/hosts", 1) + `entities: [{name: e, source: s, entityType: Site, action: Create, userObjectId: row.id}]`},
			want:  []string{`job.yaml:4:27: sources[0].file: must be a path relative to the spec's folder, not an absolute path`},
		},
		{
			name:  "missing files",
			files: map[string]string{"s.csv": "-", "job.yaml": head + "lookups: [{name: l, file: l.csv}]\n" + `entities: [{name: e, source: s, entityType: Site, action: Create, userObjectId: row.id}]`},
			want: []string{
				`job.yaml:4:27: sources[0].file: file not found: $DIR/s.csv`,
				`job.yaml:5:27: lookups[0].file: file not found: $DIR/l.csv`,
			},
		},
		{
			name:  "folder where a file is needed",
			files: map[string]string{"sub/x": "", "job.yaml": strings.Replace(head, "schema: s.schema.json", "schema: sub", 1) + `entities: [{name: e, source: s, entityType: Site, action: Create, userObjectId: row.id}]`},
			want:  []string{`job.yaml:4:42: sources[0].schema: $DIR/sub is a folder, not a file`},
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

func TestLoadSymlinkEscape(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "secret.csv")
	if err := os.WriteFile(outside, []byte("id\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.Symlink(outside, filepath.Join(dir, "data.csv")); err != nil {
		t.Skipf("no symlinks here: %v", err)
	}
	if err := os.Symlink(filepath.Dir(outside), filepath.Join(dir, "linked")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "s.schema.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	spec := filepath.Join(dir, "job.yaml")
	body := `version: 1
name: t
target: {kind: onkey, url: "http://h", tenant: a, connection: b}
sources:
  - {name: s, file: data.csv, schema: s.schema.json}
  - {name: u, file: linked/secret.csv, schema: s.schema.json}
entities: [{name: e, source: s, entityType: Site, action: Create, userObjectId: row.id}]
`
	if err := os.WriteFile(spec, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(spec, nil)
	real, _ := filepath.EvalSymlinks(outside)
	want := spec + `:5:21: sources[0].file: "data.csv" leads outside the spec's folder through a symbolic link (to ` + real + ")\n" +
		spec + `:6:21: sources[1].file: "linked/secret.csv" leads outside the spec's folder through a symbolic link (to ` + real + ")"
	if err == nil || err.Error() != want {
		t.Errorf("errors:\n%v\nwant:\n%s", err, want)
	}
}

func TestLoadSymlinkInside(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"data/real.csv": "id\n", "s.schema.json": "{}",
		"job.yaml": strings.Replace(head, "file: s.csv", "file: link.csv", 1) +
			`entities: [{name: e, source: s, entityType: Site, action: Create, userObjectId: row.id}]`,
	} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(filepath.Join("data", "real.csv"), filepath.Join(dir, "link.csv")); err != nil {
		t.Skipf("no symlinks here: %v", err)
	}
	job, err := Load(filepath.Join(dir, "job.yaml"), nil)
	if err != nil {
		t.Fatalf("a symlink to a file inside the folder is refused: %v", err)
	}
	if want := filepath.Join(dir, "link.csv"); job.Sources[0].File != want {
		t.Errorf("File = %q, want %q", job.Sources[0].File, want)
	}
}
