package report

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"os"
	"path"
	"sort"
	"strings"

	"github.com/xuri/excelize/v2"
)

// note is one comment of the annotated workbook: the user's own, bulkload's, or both in one.
type note struct {
	col, line    int // 0-based column, 1-based row
	author, text string
}

// sheetNotes are the comments of one sheet, by cell name.
type sheetNotes map[string]*note

// notes are the comments of the annotated workbook, by sheet. excelize adds a comment in time
// that grows with the comments and rows before it, so the comment parts are written whole by
// writeNotes once the workbook is saved; excelize only creates and links them (prepare).
type notes map[string]sheetNotes

// userComments returns the comments a sheet has.
func userComments(f *excelize.File, sheet string) (sheetNotes, error) {
	cs, err := f.GetComments(sheet)
	if err != nil {
		return nil, err
	}
	out := make(sheetNotes, len(cs))
	for _, c := range cs {
		col, line, err := excelize.CellNameToCoordinates(c.Cell)
		if err != nil {
			continue
		}
		text := c.Text
		for _, r := range c.Paragraph {
			text += r.Text
		}
		out[c.Cell] = &note{col: col - 1, line: line, author: c.Author, text: text}
	}
	return out, nil
}

// add puts the findings' messages in the comment of a cell, after the comment the user had on it.
func (sn sheetNotes) add(col, line int, fs []Finding) {
	cell, err := excelize.CoordinatesToCellName(col+1, line)
	if err != nil {
		return
	}
	text := commentText(fs)
	if n, ok := sn[cell]; ok {
		n.text += "\n\n" + text
		return
	}
	sn[cell] = &note{col: col, line: line, author: commentAuthor, text: text}
}

// prepare has excelize create and link the comment parts of each sheet that gets comments and
// has none yet, by adding one of them.
func (nb notes) prepare(f *excelize.File) error {
	for sheet, sn := range nb {
		existing, err := f.GetComments(sheet)
		if err != nil {
			return err
		}
		if len(existing) > 0 || len(sn) == 0 {
			continue
		}
		for cell, n := range sn {
			if err := f.AddComment(sheet, excelize.Comment{Cell: cell, Author: n.author,
				Paragraph: []excelize.RichTextRun{{Text: n.text}}}); err != nil {
				return err
			}
			break
		}
	}
	return nil
}

// writeNotes rewrites, in the saved workbook file, the comments part and the VML drawing of each
// sheet of nb with all of the sheet's notes.
func writeNotes(file string, nb notes) error {
	parts, order, err := readParts(file)
	if err != nil {
		return err
	}
	names := sheetNames(parts)
	sheets := make([]string, 0, len(names))
	for part := range names {
		sheets = append(sheets, part)
	}
	sort.Strings(sheets)
	block := 1
	for _, sheetPart := range sheets {
		sn := nb[names[sheetPart]]
		if len(sn) == 0 {
			continue
		}
		rels := path.Join(path.Dir(sheetPart), "_rels", path.Base(sheetPart)+".rels")
		var rs relationships
		if err := xml.Unmarshal(parts[rels], &rs); err != nil {
			return fmt.Errorf("%s: %w", rels, err)
		}
		var commentsPart, vmlPart string
		for _, r := range rs.Rels {
			target := path.Join(path.Dir(sheetPart), r.Target)
			if strings.HasPrefix(r.Target, "/") {
				target = strings.TrimPrefix(r.Target, "/")
			}
			switch r.Type {
			case relComments:
				commentsPart = target
			case relVMLDrawing:
				vmlPart = target
			}
		}
		if _, ok := parts[commentsPart]; !ok {
			return fmt.Errorf("sheet %s: no comments part", names[sheetPart])
		}
		if _, ok := parts[vmlPart]; !ok {
			return fmt.Errorf("sheet %s: no VML drawing", names[sheetPart])
		}
		list := sortedNotes(sn)
		blocks := (len(list) + 1022) / 1023
		parts[commentsPart] = commentsXML(list)
		parts[vmlPart] = vmlXML(list, block, blocks)
		block += blocks
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range order {
		w, err := zw.Create(name)
		if err != nil {
			return err
		}
		if _, err := w.Write(parts[name]); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return os.WriteFile(file, buf.Bytes(), 0o644)
}

func sortedNotes(sn sheetNotes) []*note {
	list := make([]*note, 0, len(sn))
	for _, n := range sn {
		list = append(list, n)
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].line != list[j].line {
			return list[i].line < list[j].line
		}
		return list[i].col < list[j].col
	})
	return list
}

func escape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// commentsXML is a comments part holding list.
func commentsXML(list []*note) []byte {
	var authors []string
	ids := map[string]int{}
	for _, n := range list {
		if _, ok := ids[n.author]; !ok {
			ids[n.author] = len(authors)
			authors = append(authors, n.author)
		}
	}
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n")
	b.WriteString(`<comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><authors>`)
	for _, a := range authors {
		fmt.Fprintf(&b, `<author>%s</author>`, escape(a))
	}
	b.WriteString(`</authors><commentList>`)
	for _, n := range list {
		cell, _ := excelize.CoordinatesToCellName(n.col+1, n.line)
		fmt.Fprintf(&b, `<comment ref="%s" authorId="%d"><text><t xml:space="preserve">%s</t></text></comment>`,
			cell, ids[n.author], escape(n.text))
	}
	b.WriteString(`</commentList></comments>`)
	return b.Bytes()
}

// vmlXML is a VML drawing with one hidden note shape per comment of list, its shape ids in the
// blocks of 1024 from first on, as the drawing's idmap declares them.
func vmlXML(list []*note, first, blocks int) []byte {
	idmap := make([]string, blocks)
	for i := range idmap {
		idmap[i] = fmt.Sprint(first + i)
	}
	var b bytes.Buffer
	b.WriteString(`<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel">`)
	fmt.Fprintf(&b, `<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="%s"/></o:shapelayout>`, strings.Join(idmap, ","))
	b.WriteString(`<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">` +
		`<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>`)
	for i, n := range list {
		id := (first+i/1023)*1024 + i%1023 + 1
		lines := strings.Count(n.text, "\n") + 1
		fmt.Fprintf(&b, `<v:shape id="_x0000_s%d" type="#_x0000_t202" style="position:absolute;margin-left:80pt;margin-top:2pt;width:240pt;height:%dpt;z-index:%d;visibility:hidden" fillcolor="#ffffe1" o:insetmode="auto">`,
			id, min(30+lines*12, 300), i+1)
		b.WriteString(`<v:fill color2="#ffffe1"/><v:shadow on="t" color="black" obscured="t"/><v:path o:connecttype="none"/>` +
			`<v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div></v:textbox>`)
		// Anchor: from (column, offset, row, offset) to (column, offset, row, offset), 0-based.
		fmt.Fprintf(&b, `<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/><x:Anchor>%d, 15, %d, 2, %d, 15, %d, 4</x:Anchor>`,
			n.col+1, max(n.line-2, 0), n.col+4, max(n.line-2, 0)+min(2+lines, 20))
		fmt.Fprintf(&b, `<x:AutoFill>False</x:AutoFill><x:Row>%d</x:Row><x:Column>%d</x:Column></x:ClientData></v:shape>`, n.line-1, n.col)
	}
	b.WriteString(`</xml>`)
	return b.Bytes()
}
