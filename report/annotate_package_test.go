package report

import (
	"archive/zip"
	"encoding/xml"
	"io"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// checkPackage asserts what Excel checks before it offers to repair a workbook: every part the
// content types name and every internal relationship target exists, no part name starts with
// "/", and every sheet name is at most 31 characters.
func checkPackage(t *testing.T, file string) {
	t.Helper()
	zr, err := zip.OpenReader(file)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	parts := map[string]string{}
	for _, f := range zr.File {
		if strings.HasPrefix(f.Name, "/") {
			t.Errorf("%s: part name %q starts with /", file, f.Name)
		}
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		parts[f.Name] = string(b)
	}
	for _, m := range regexp.MustCompile(`PartName="/([^"]+)"`).FindAllStringSubmatch(parts["[Content_Types].xml"], -1) {
		if _, ok := parts[m[1]]; !ok {
			t.Errorf("%s: content types name %s, which is missing", file, m[1])
		}
	}
	for name, data := range parts {
		if !strings.HasSuffix(name, ".rels") {
			continue
		}
		var rs relationships
		if err := xml.Unmarshal([]byte(data), &rs); err != nil {
			t.Errorf("%s: %s: %v", file, name, err)
		}
		for _, r := range rs.Rels {
			if r.TargetMode == "External" {
				continue
			}
			target := strings.TrimPrefix(r.Target, "/")
			if !strings.HasPrefix(r.Target, "/") {
				target = path.Join(path.Dir(path.Dir(name)), r.Target)
			}
			if _, ok := parts[target]; !ok {
				t.Errorf("%s: %s targets %s, which is missing", file, name, target)
			}
		}
	}
	for name, data := range parts {
		if !strings.HasSuffix(name, ".vml") && !strings.HasSuffix(name, ".xml") {
			continue
		}
		declared := map[string]bool{"xml": true}
		for _, m := range regexp.MustCompile(`xmlns:([\w.-]+)=`).FindAllStringSubmatch(data, -1) {
			declared[m[1]] = true
		}
		for _, m := range regexp.MustCompile(`</?([\w.-]+):`).FindAllStringSubmatch(data, -1) {
			if !declared[m[1]] {
				t.Errorf("%s: %s uses the namespace prefix %s without declaring it", file, name, m[1])
				break
			}
		}
	}
	for _, m := range regexp.MustCompile(`<sheet [^>]*name="([^"]+)"`).FindAllStringSubmatch(parts["xl/workbook.xml"], -1) {
		if n := len([]rune(m[1])); n > maxSheetName {
			t.Errorf("%s: sheet name %q has %d characters", file, m[1], n)
		}
	}
}

func TestRelPart(t *testing.T) {
	tests := []struct{ name, dir, target, want string }{
		{"sibling folder", "xl/worksheets", "xl/comments/comment1.xml", "../comments/comment1.xml"},
		{"same folder", "xl", "xl/styles.xml", "styles.xml"},
		{"root", ".", "xl/workbook.xml", "xl/workbook.xml"},
		{"deeper", "xl/worksheets", "xl/worksheets/sub/a.xml", "sub/a.xml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := relPart(tt.dir, tt.target); got != tt.want {
				t.Errorf("relPart(%q, %q) = %q, want %q", tt.dir, tt.target, got, tt.want)
			}
		})
	}
}

// A workbook written by openpyxl (absolute relationship targets, its own names for comment
// parts) keeps its owner's comment next to bulkload's, and its package stays whole.
func TestAnnotateOpenpyxlWorkbook(t *testing.T) {
	src := filepath.Join("..", "samples", "onkey-sites-mistakes", "sites.xlsx")
	dir := t.TempDir()
	files, err := Annotate(t.Context(), dir, []Source{{Name: "sites", File: "sites.xlsx", Path: src, Sheet: "Sites"}},
		[]Finding{{Source: "sites", Sheet: "Sites", Line: 3, Column: "code", Index: 1, Status: "invalid", Code: "pattern", Text: "bad code"},
			{Source: "sites", Sheet: "Sites", Line: 4, Column: "code", Index: 1, Status: "invalid", Code: "pattern", Text: "bad too"}})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, files[0])
	checkPackage(t, path)
	cs, err := open(t, path).GetComments("Sites")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, c := range cs {
		for _, r := range c.Paragraph {
			got[c.Cell] += r.Text
		}
		got[c.Cell] += c.Text
	}
	if got["B3"] != "Kari: is this the new code?\n\n[pattern] bad code" || got["B4"] != "[pattern] bad too" || len(got) != 2 {
		t.Errorf("comments %q", got)
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	notes := 0
	for _, zf := range zr.File {
		if strings.HasSuffix(zf.Name, ".vml") {
			rc, _ := zf.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			notes += strings.Count(string(b), `ObjectType="Note"`)
		}
	}
	if notes != 2 {
		t.Errorf("the VML drawings hold %d comment shapes, want one per comment (2)", notes)
	}
}

// readPart returns one part of a workbook package.
func readPart(t *testing.T, file, name string) string {
	t.Helper()
	zr, err := zip.OpenReader(file)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, zf := range zr.File {
		if zf.Name == name {
			rc, _ := zf.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			return string(b)
		}
	}
	t.Fatalf("%s has no part %s", file, name)
	return ""
}
