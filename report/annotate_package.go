package report

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/xuri/excelize/v2"
)

// openOwnWorkbook opens the user's workbook for annotating, first normalising two things of its
// package that excelize mishandles, as files written by openpyxl have them (both allowed by the
// Open Packaging Conventions): relationship targets written as absolute part names
// ("/xl/comments/comment1.xml") are made relative to their source part, and a sheet's comments
// and their VML drawing are renamed to the names Excel itself uses (xl/commentsN.xml and
// xl/drawings/vmlDrawingN.vml), which excelize expects. Without this excelize loses the sheet's
// comments and writes parts that Excel repairs. Nothing else of the package changes.
func openOwnWorkbook(file string) (*excelize.File, error) {
	parts, order, err := readParts(file)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Base(file), err)
	}
	changed := false
	for _, name := range order {
		if strings.HasSuffix(name, ".rels") {
			if fixed := relativeTargets(name, parts[name]); !bytes.Equal(fixed, parts[name]) {
				parts[name], changed = fixed, true
			}
		}
	}
	own := renameCommentParts(parts, &order)
	if !changed && len(own) == 0 {
		return excelize.OpenFile(file)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range order {
		w, err := zw.Create(name)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(parts[name]); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		return nil, err
	}
	names := sheetNames(parts)
	for part, cs := range own {
		for _, c := range cs {
			if err := f.AddComment(names[part], excelize.Comment{Cell: c.cell, Author: c.author,
				Paragraph: []excelize.RichTextRun{{Text: c.text}}}); err != nil {
				f.Close()
				return nil, fmt.Errorf("%s: the comment on %s!%s: %w", filepath.Base(file), names[part], c.cell, err)
			}
		}
	}
	return f, nil
}

// readParts reads every part of the package file, by name, and the names in package order.
func readParts(file string) (map[string][]byte, []string, error) {
	zr, err := zip.OpenReader(file)
	if err != nil {
		return nil, nil, err
	}
	defer zr.Close()
	parts := map[string][]byte{}
	var order []string
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", zf.Name, err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", zf.Name, err)
		}
		parts[zf.Name] = data
		order = append(order, zf.Name)
	}
	return parts, order, nil
}

const (
	relComments   = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
	relVMLDrawing = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing"
)

type relationships struct {
	Rels []struct {
		ID         string `xml:"Id,attr"`
		Type       string `xml:"Type,attr"`
		Target     string `xml:"Target,attr"`
		TargetMode string `xml:"TargetMode,attr"`
	} `xml:"Relationship"`
}

// ownComment is a comment the user had on a cell, as text.
type ownComment struct{ cell, author, text string }

// renameCommentParts gives each worksheet's comments and VML drawing parts Excel's names, with
// one number N for both, updating the sheet's relationships and the content types. The renamed
// parts are emptied (their VML is one excelize does not read back) and their comments returned,
// by the sheet's part name, to be added again through excelize.
func renameCommentParts(parts map[string][]byte, order *[]string) map[string][]ownComment {
	out := map[string][]ownComment{}
	n := 0
	for _, rels := range append([]string(nil), *order...) {
		if !strings.HasPrefix(rels, "xl/worksheets/_rels/") || !strings.HasSuffix(rels, ".rels") {
			continue
		}
		var rs relationships
		if xml.Unmarshal(parts[rels], &rs) != nil {
			continue
		}
		var comments, vml string
		for _, r := range rs.Rels {
			switch r.Type {
			case relComments:
				comments = r.Target
			case relVMLDrawing:
				vml = r.Target
			}
		}
		if comments == "" || vml == "" {
			continue
		}
		cPart, vPart := path.Join("xl/worksheets", comments), path.Join("xl/worksheets", vml)
		if _, ok := parts[cPart]; !ok {
			continue
		}
		if _, ok := parts[vPart]; !ok {
			continue
		}
		var newC, newV string
		for {
			n++
			newC, newV = fmt.Sprintf("xl/comments%d.xml", n), fmt.Sprintf("xl/drawings/vmlDrawing%d.vml", n)
			_, usedC := parts[newC]
			_, usedV := parts[newV]
			if (!usedC || newC == cPart) && (!usedV || newV == vPart) {
				break
			}
		}
		if newC == cPart && newV == vPart {
			continue
		}
		data := string(parts[rels])
		data = strings.Replace(data, `"`+comments+`"`, `"../`+strings.TrimPrefix(newC, "xl/")+`"`, 1)
		data = strings.Replace(data, `"`+vml+`"`, `"../`+strings.TrimPrefix(newV, "xl/")+`"`, 1)
		parts[rels] = []byte(data)
		sheetPart := path.Join(path.Dir(path.Dir(rels)), strings.TrimSuffix(path.Base(rels), ".rels"))
		out[sheetPart] = readComments(parts[cPart])
		renamePart(parts, order, cPart, newC)
		renamePart(parts, order, vPart, newV)
		parts[newC] = []byte(emptyComments)
		parts[newV] = []byte(fmt.Sprintf(emptyVML, n))
	}
	return out
}

const (
	emptyComments = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><authors></authors><commentList></commentList></comments>`
	emptyVML = `<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel">` +
		`<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="%d"/></o:shapelayout>` +
		`<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">` +
		`<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype></xml>`
)

// readComments reads the comments of a comments part as text.
func readComments(data []byte) []ownComment {
	var doc struct {
		Authors []string `xml:"authors>author"`
		List    []struct {
			Ref      string   `xml:"ref,attr"`
			AuthorID int      `xml:"authorId,attr"`
			T        []string `xml:"text>t"`
			R        []string `xml:"text>r>t"`
		} `xml:"commentList>comment"`
	}
	if xml.Unmarshal(data, &doc) != nil {
		return nil
	}
	out := make([]ownComment, 0, len(doc.List))
	for _, c := range doc.List {
		author := ""
		if c.AuthorID >= 0 && c.AuthorID < len(doc.Authors) {
			author = doc.Authors[c.AuthorID]
		}
		out = append(out, ownComment{cell: c.Ref, author: author, text: strings.Join(c.T, "") + strings.Join(c.R, "")})
	}
	return out
}

// sheetNames maps each worksheet's part name to its sheet name, from the workbook part and its
// relationships.
func sheetNames(parts map[string][]byte) map[string]string {
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rs relationships
	if xml.Unmarshal(parts["xl/workbook.xml"], &wb) != nil || xml.Unmarshal(parts["xl/_rels/workbook.xml.rels"], &rs) != nil {
		return nil
	}
	targets := map[string]string{}
	for _, r := range rs.Rels {
		targets[r.ID] = path.Join("xl", r.Target)
	}
	out := map[string]string{}
	for _, s := range wb.Sheets {
		out[targets[s.RID]] = s.Name
	}
	return out
}

// renamePart renames a part of the package, and its Override in [Content_Types].xml.
func renamePart(parts map[string][]byte, order *[]string, from, to string) {
	if from == to {
		return
	}
	parts[to] = parts[from]
	delete(parts, from)
	for i, name := range *order {
		if name == from {
			(*order)[i] = to
		}
	}
	const ct = "[Content_Types].xml"
	parts[ct] = bytes.ReplaceAll(parts[ct], []byte(`PartName="/`+from+`"`), []byte(`PartName="/`+to+`"`))
}

var (
	relationshipRE = regexp.MustCompile(`<Relationship\b[^>]*>`)
	absTargetRE    = regexp.MustCompile(`\bTarget=("|')/([^"']*)("|')`)
)

// relativeTargets rewrites the absolute internal targets of the relationships part rels (its
// name in the package) as paths relative to the part the relationships belong to.
func relativeTargets(rels string, data []byte) []byte {
	// "xl/worksheets/_rels/sheet1.xml.rels" belongs to "xl/worksheets/sheet1.xml".
	dir := path.Dir(path.Dir(rels))
	return relationshipRE.ReplaceAllFunc(data, func(el []byte) []byte {
		if bytes.Contains(el, []byte(`TargetMode="External"`)) || bytes.Contains(el, []byte(`TargetMode='External'`)) {
			return el
		}
		return absTargetRE.ReplaceAllFunc(el, func(attr []byte) []byte {
			m := absTargetRE.FindSubmatch(attr)
			return []byte("Target=" + string(m[1]) + relPart(dir, string(m[2])) + string(m[3]))
		})
	})
}

// relPart is the part name target (without its leading "/") relative to the folder dir ("." for
// the package root).
func relPart(dir, target string) string {
	if dir == "." || dir == "" {
		return target
	}
	from := strings.Split(dir, "/")
	to := strings.Split(target, "/")
	i := 0
	for i < len(from) && i < len(to)-1 && from[i] == to[i] {
		i++
	}
	return strings.Repeat("../", len(from)-i) + strings.Join(to[i:], "/")
}
