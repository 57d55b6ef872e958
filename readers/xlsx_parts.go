package readers

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"golang.org/x/net/html/charset"
)

// The parts of a workbook are found as the package's relationships say, not by their
// conventional names: _rels/.rels names the workbook part (its officeDocument), and the
// workbook's own relationships part (_rels/<name>.rels in the workbook's folder) names each
// sheet's XML, the shared strings table and the styles. "xl/workbook.xml" and
// "xl/sharedStrings.xml" are only the names most writers choose.

// charsetReader reads the encodings an XML declaration may name (ISO-8859-1, windows-1252,
// UTF-16 ...), as Excel does.
var charsetReader = charset.NewReaderLabel

// relationships is the part of a relationships part that the readers use.
type relationships struct {
	Rels []struct {
		ID         string `xml:"Id,attr"`
		Type       string `xml:"Type,attr"`
		Target     string `xml:"Target,attr"`
		TargetMode string `xml:"TargetMode,attr"`
	} `xml:"Relationship"`
}

// workbookXML is the part of the workbook part that the reader uses. Attributes are matched by
// their local names, so that Strict OOXML's namespaces read as Transitional's do.
type workbookXML struct {
	Pr struct {
		Date1904 string `xml:"date1904,attr"`
	} `xml:"workbookPr"`
	Views []struct {
		ActiveTab int `xml:"activeTab,attr"`
	} `xml:"bookViews>workbookView"`
	Sheets []struct {
		Name string `xml:"name,attr"`
		RID  string `xml:"id,attr"` // r:id
	} `xml:"sheets>sheet"`
}

// book is what the reader knows of a workbook once its package is read: its sheets and the parts
// its relationships name.
type book struct {
	wz                    *workbookZip
	sheets                []string          // the sheet names in workbook order
	sheetPart             map[string]string // sheet name -> the zip part of its XML ("" when none)
	sheetType             map[string]string // sheet name -> its relationship type's last element
	active                int               // the index of the active sheet
	dates                 DateSystem
	sharedStrings, styles string // zip parts, "" when the workbook has none
}

// readBook reads the package's relationships and the workbook part.
func readBook(wz *workbookZip) (*book, error) {
	var root relationships
	if err := wz.unmarshal("_rels/.rels", &root); err != nil {
		return nil, err
	}
	wbPath := ""
	for _, r := range root.Rels {
		if strings.HasSuffix(r.Type, "/officeDocument") {
			wbPath = resolveTarget("", r.Target)
			break
		}
	}
	if wbPath == "" {
		return nil, errors.New("_rels/.rels names no workbook part (officeDocument)")
	}
	var wb workbookXML
	if err := wz.unmarshal(wbPath, &wb); err != nil {
		return nil, err
	}
	relsPath := strings.TrimPrefix(path.Dir(wbPath)+"/_rels/"+path.Base(wbPath)+".rels", "./")
	var rels relationships
	if err := wz.unmarshal(relsPath, &rels); err != nil {
		return nil, err
	}
	b := &book{wz: wz, sheetPart: map[string]string{}, sheetType: map[string]string{}, dates: Excel1900}
	if v := wb.Pr.Date1904; v == "1" || v == "true" {
		b.dates = Excel1904
	}
	targets, types := map[string]string{}, map[string]string{}
	for _, r := range rels.Rels {
		if strings.EqualFold(r.TargetMode, "External") {
			continue
		}
		target := resolveTarget(wbPath, r.Target)
		name, ok := wz.find(target)
		switch {
		case strings.HasSuffix(r.Type, "/sharedStrings") && b.sharedStrings == "":
			if !ok {
				return nil, fmt.Errorf("%s: the shared strings table is %s, which the workbook does not hold", relsPath, target)
			}
			b.sharedStrings = name
		case strings.HasSuffix(r.Type, "/styles") && b.styles == "" && ok:
			b.styles = name
		case ok:
			targets[r.ID], types[r.ID] = name, path.Base(r.Type)
		}
	}
	for _, s := range wb.Sheets {
		b.sheets = append(b.sheets, s.Name)
		b.sheetPart[s.Name], b.sheetType[s.Name] = targets[s.RID], types[s.RID]
	}
	if len(wb.Views) > 0 && wb.Views[0].ActiveTab > 0 && wb.Views[0].ActiveTab < len(b.sheets) {
		b.active = wb.Views[0].ActiveTab
	}
	return b, nil
}

// resolveTarget resolves a relationship's target against the folder of the part it belongs to
// ("" for the package's own relationships).
func resolveTarget(from, target string) string {
	target = strings.ReplaceAll(target, `\`, "/")
	if strings.HasPrefix(target, "/") {
		return strings.TrimPrefix(path.Clean(target), "/")
	}
	return strings.TrimPrefix(path.Clean(path.Dir(from)+"/"+target), "/")
}

// find returns the zip's name of a part: the name itself, or the one that equals it in another
// case (part names are case-insensitive in a package).
func (wz *workbookZip) find(name string) (string, bool) {
	if _, ok := wz.parts[name]; ok {
		return name, true
	}
	for n := range wz.parts {
		if strings.EqualFold(n, name) {
			return n, true
		}
	}
	return "", false
}

// maxSmallPart bounds the relationships and workbook parts, which are read whole: a workbook
// part lists sheet names, some hundred bytes each.
const maxSmallPart = 64 << 20

// unmarshal decodes one of the small parts (relationships, the workbook) strictly.
func (wz *workbookZip) unmarshal(name string, v any) error {
	found, ok := wz.find(name)
	if !ok {
		return fmt.Errorf("the workbook has no part %s", name)
	}
	if size := wz.parts[found].UncompressedSize64; size > maxSmallPart {
		return fmt.Errorf("its part %s unpacks to %s, more than the %s such a part can need", found, declaredSize(size), formatBytes(maxSmallPart))
	}
	rc, err := wz.open(found)
	if err != nil {
		return err
	}
	defer rc.Close()
	dec := xml.NewDecoder(rc)
	dec.CharsetReader = charsetReader
	if err := dec.Decode(v); err != nil {
		var pe *partError
		if errors.As(err, &pe) {
			return pe
		}
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return fmt.Errorf("%s: %w", found, err)
	}
	return nil
}
