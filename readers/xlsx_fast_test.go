package readers

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

// sheetDoc wraps rows in a worksheet's XML.
func sheetDoc(rows string) string {
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:x14ac="urn:x14ac"><dimension ref="A1:C3"/><sheetData>` +
		rows + `</sheetData><pageMargins left="0.7"/></worksheet>`
}

// readSheetXML reads every row of the sheet XML doc, with the fast scanner when fast says so,
// else with the strict decoder alone, and describes what was read, one line a row and the error
// that ended reading. It also returns whether the fast scanner read to the end without falling
// back.
func readSheetXML(doc string, fast bool) (string, bool) {
	var reopen func() (io.Reader, error)
	if fast {
		reopen = func() (io.Reader, error) { return strings.NewReader(doc), nil }
	}
	rows := newSheetRows(strings.NewReader(doc), []string{"zero", "one", "two"}, numberKinds{KindNumber, KindDate}, charsetReader, reopen)
	var out strings.Builder
	for {
		r, err := rows.next()
		if err != nil {
			fmt.Fprintf(&out, "end: %s\n", describeSheetErr(err))
			return out.String(), rows.fast && !rows.noFast
		}
		fmt.Fprintf(&out, "row %d: %q %v", r.line, r.values, r.kinds)
		if r.problem != nil {
			fmt.Fprintf(&out, " problem at %d: %s", r.problemCol, r.problem.Msg)
		}
		out.WriteString("\n")
	}
}

func describeSheetErr(err error) string {
	var sf *sheetFault
	var de *dataError
	switch {
	case errors.As(err, &sf):
		return fmt.Sprintf("fault row %d col %d inRow %v done %d: %s", sf.row, sf.col, sf.inRow, sf.rowsDone, sf.fault)
	case errors.As(err, &de):
		return fmt.Sprintf("data row %d: %s", de.row, de.msg)
	}
	return err.Error()
}

// TestFastScannerAgrees reads sheets with the fast scanner and with the strict decoder alone:
// the rows, their values, kinds and problems, and the error that ends reading are the same, and
// the fast scanner reads the plain sheets itself and falls back on the rest.
func TestFastScannerAgrees(t *testing.T) {
	plainRows := `<row r="1" x14ac:dyDescent="0.25"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>a &amp; b &lt;&#233;&#x20AC;&gt;</t></is></c><c r="C1" s="1"><v>45000</v></c></row>
<row r="2"><c r='A2' t='b'><v>1</v></c><c t="e" r="B2"><f>1/0</f><v>#DIV/0!</v></c><c r="C2" t="str"><f t="shared" si="0"/><v>x_x000D_y</v></c></row>
<row r="3" spans="1:3"><c r="A3"/><c r="B3" t="inlineStr"><is><r><rPr><b/><sz val="11"/></rPr><t xml:space="preserve"> rich </t></r><r><t>text</t></r><rPh sb="0" eb="1"><t>ph</t></rPh></is></c><c r="C3" t="d"><v>2024-01-02T03:04:05</v></c></row>
<row><c><v> 7 </v></c><c t="s"><v>2</v></c><c t="n"><v>1e3</v></c></row>
<row r="6"/><row r="7"><c r="A7" t="b"><v>2</v></c><c r="B7"><v>abc</v></c><c r="C7" t="s"><v>9</v></c></row>
<row r="8"><c r="A8" t="x"><v>1</v></c><c r="C8"><extLst><ext uri="u"><y a="1"><z/></y></ext></extLst><v>3</v></c></row>`
	cases := []struct {
		name  string
		doc   string
		fast  bool // the fast scanner reads it all
		fault bool // reading ends in an error, not io.EOF
	}{
		{"plain", sheetDoc(plainRows), true, false},
		{"no rows", sheetDoc(""), true, false},
		{"empty sheetData", strings.Replace(sheetDoc(""), "<sheetData></sheetData>", "<sheetData/>", 1), false, false},
		{"comment between rows", sheetDoc(plainRows + `<!-- c --><row r="9"><c r="A9"><v>1</v></c></row>`), false, false},
		{"CDATA in a value", sheetDoc(plainRows + `<row r="9"><c r="A9" t="str"><v><![CDATA[a<b]]></v></c></row>`), false, false},
		{"processing instruction", sheetDoc(plainRows + `<row r="9"><?pi x?><c r="A9"><v>1</v></c></row>`), false, false},
		{"prefixed elements", sheetDoc(plainRows + `<x:row xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" r="9"><x:c r="A9"><x:v>1</x:v></x:c></x:row>`), false, false},
		{"carriage return", sheetDoc(plainRows + "<row r=\"9\"><c r=\"A9\" t=\"inlineStr\"><is><t>a\r\nb</t></is></c></row>"), false, false},
		{"entity in an attribute", sheetDoc(plainRows + `<row r="9"><c r="A&#57;"><v>1</v></c></row>`), false, false},
		{"unknown entity", sheetDoc(plainRows + `<row r="9"><c r="A9" t="str"><v>&nbsp;</v></c></row>`), false, true},
		{"character reference XML forbids", sheetDoc(plainRows + `<row r="9"><c r="A9" t="str"><v>&#1;</v></c></row>`), false, true},
		{"control character", sheetDoc(plainRows + "<row r=\"9\"><c r=\"A9\" t=\"str\"><v>a\x01</v></c></row>"), false, true},
		{"invalid UTF-8", sheetDoc(plainRows + "<row r=\"9\"><c r=\"A9\" t=\"str\"><v>a\xff</v></c></row>"), false, true},
		{"mismatched end tag", sheetDoc(plainRows + `<row r="9"><c r="A9"><v>1</c></v></row>`), false, true},
		{"end tag of another row element", sheetDoc(plainRows + `<row r="9"><c r="A9"><v>1</v></c></rows>`), false, true},
		{"cut short in a cell", sheetDoc(plainRows + `<row r="9"><c r="A9"><v>1`)[:len(sheetDoc(plainRows))-37], false, true},
		{"cut short in a tag", sheetDoc(plainRows)[:len(sheetDoc(plainRows))-60], false, true},
		{"attribute without a value", sheetDoc(plainRows + `<row r="9"><c r="A9" hidden><v>1</v></c></row>`), false, true},
		{"attribute without a space before it", sheetDoc(plainRows + `<row r="9"><c r="A9"t="s"><v>1</v></c></row>`), false, false},
		{"duplicate attribute", sheetDoc(plainRows + `<row r="9"><c r="A9" r="B9"><v>1</v></c></row>`), false, false},
		{"reference outside its row", sheetDoc(plainRows + `<row r="9"><c r="A10"><v>1</v></c></row>`), false, true},
		{"row beyond the sheet", sheetDoc(plainRows + `<row r="1048577"><c><v>1</v></c></row>`), false, true},
		{"column beyond XFD", sheetDoc(plainRows + `<row r="9"><c r="XFE9"><v>1</v></c></row>`), false, true},
		{"element inside a value", sheetDoc(plainRows + `<row r="9"><c r="A9"><v>1<b/>2</v></c></row>`), false, false},
		{"namespace declaration on a cell", sheetDoc(plainRows + `<row r="9"><c xmlns="urn:other" r="A9"><v>1</v></c></row>`), false, false},
		{"prefixed sheetData", strings.Replace(strings.Replace(sheetDoc(plainRows), "<sheetData>", `<x:sheetData xmlns:x="urn:x">`, 1), "</sheetData>", "</x:sheetData>", 1), false, false},
		{"other encoding", strings.Replace(sheetDoc(plainRows), `encoding="UTF-8"`, `encoding="ISO-8859-1"`, 1), false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want, _ := readSheetXML(tc.doc, false)
			got, fast := readSheetXML(tc.doc, true)
			if got != want {
				t.Errorf("the fast scanner read\n%s\nthe strict decoder\n%s", got, want)
			}
			if fast != tc.fast {
				t.Errorf("read by the fast scanner to the end: %v, want %v", fast, tc.fast)
			}
			if fault := !strings.HasSuffix(want, "end: EOF\n"); fault != tc.fault {
				t.Errorf("reading ends in an error: %v, want %v:\n%s", fault, tc.fault, want)
			}
		})
	}
}

// TestFastScannerBuffer reads a sheet whose tags and values are cut across the buffer's refills
// (values longer than the buffer among them): the fast scanner reads it all, as the strict
// decoder does.
func TestFastScannerBuffer(t *testing.T) {
	var b bytes.Buffer
	for i := 1; i <= 3000; i++ {
		fmt.Fprintf(&b, `<row r="%d"><c r="A%d" t="inlineStr"><is><t>value %d &amp; %s</t></is></c><c r="B%d"><v>%d.5</v></c></row>`,
			i, i, i, strings.Repeat("é", i%97), i, i)
		if i%1000 == 0 {
			fmt.Fprintf(&b, `<row r="%d"><c r="A%d" t="str"><v>%s</v></c></row>`, i+1000000, i+1000000, strings.Repeat("long ", sheetBufSize/3))
			break
		}
	}
	doc := sheetDoc(b.String())
	want, _ := readSheetXML(doc, false)
	got, fast := readSheetXML(doc, true)
	if got != want {
		t.Fatalf("the fast scanner and the strict decoder disagree")
	}
	if !fast || !strings.Contains(want, "row 1001000") {
		t.Errorf("read by the fast scanner to the end: %v; the long row read: %v", fast, strings.Contains(want, "row 1001000"))
	}
}

// FuzzFastScanner: for any sheet XML, the fast scanner reads what the strict decoder reads.
func FuzzFastScanner(f *testing.F) {
	f.Add(sheetDoc(`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>a &amp; b</t></is></c></row>`))
	f.Add(sheetDoc(`<row><c t="b"><v>1</v></c><c><f>1+1</f><v>2</v></c><c t="inlineStr"><is><r><rPr><b/></rPr><t>x</t></r></is></c></row>`))
	f.Add(sheetDoc(`<row r="2"><c r="B2" s="1"><v>45000</v></c></row><row r="3"/>`))
	f.Fuzz(func(t *testing.T, doc string) {
		want, _ := readSheetXML(doc, false)
		got, _ := readSheetXML(doc, true)
		if got != want {
			t.Fatalf("the fast scanner read\n%s\nthe strict decoder\n%s", got, want)
		}
	})
}
