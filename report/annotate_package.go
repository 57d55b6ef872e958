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
	if renameCommentParts(parts, &order) {
		changed = true
	}
	if !changed {
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
	return excelize.OpenReader(&buf)
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

// renameCommentParts gives each worksheet's comments and VML drawing parts Excel's names, with
// one number N for both, updating the sheet's relationships and the content types. It reports
// whether it renamed anything.
func renameCommentParts(parts map[string][]byte, order *[]string) bool {
	changed := false
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
		renamePart(parts, order, cPart, newC)
		renamePart(parts, order, vPart, newV)
		changed = true
	}
	return changed
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
