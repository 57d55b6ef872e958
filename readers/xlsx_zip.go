package readers

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
)

// The parts of a workbook that SheetXMLBytes bounds where they usually are, checked before the
// relationships are read: the worksheets and the shared strings table. checkSheet checks the parts
// the relationships name, wherever they are.
const (
	worksheetPrefix   = "xl/worksheets/"
	sharedStringsPart = "xl/sharedstrings.xml" // in any case
)

// oleSignature starts a compound document: an encrypted workbook, or an old .xls file.
var oleSignature = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// workbookZip is the zip directory of a workbook: its parts by name (with "/" for "\\").
type workbookZip struct {
	zr    *zip.ReadCloser
	parts map[string]*zip.File
}

// openWorkbookZip reads the zip directory of file and checks the sizes its parts declare against
// lim, before excelize inflates anything: the whole workbook against WorkbookBytes, each worksheet
// and the shared strings table against SheetXMLBytes. archive/zip fails the reading of a part that
// inflates beyond its declared size, so the declared sizes are the ones to check. The caller must
// Close the result.
func openWorkbookZip(file, display string, lim Limits) (*workbookZip, error) {
	zr, err := zip.OpenReader(file)
	if err != nil {
		return nil, notAWorkbook(file, display, err)
	}
	wz := newWorkbookZip(zr)
	var total uint64
	for _, zf := range zr.File {
		name := partName(zf)
		size := zf.UncompressedSize64
		if size > math.MaxInt64-total { // saturate: a hostile directory may declare any size
			total = math.MaxInt64
		} else {
			total += size
		}
		what := ""
		switch lower := strings.ToLower(name); {
		case strings.HasPrefix(lower, worksheetPrefix):
			what = "one sheet's XML"
		case lower == sharedStringsPart:
			what = "the shared strings"
		}
		if what != "" && size > uint64(lim.SheetXMLBytes) {
			_ = zr.Close()
			return nil, fmt.Errorf("%s: %s unpacks to %s, more than the %s limit for %s; refused as a possible zip bomb",
				display, name, declaredSize(size), formatBytes(lim.SheetXMLBytes), what)
		}
	}
	if total > uint64(lim.WorkbookBytes) {
		_ = zr.Close()
		return nil, fmt.Errorf("%s: the workbook unpacks to %s, more than the %s limit for a whole workbook; refused as a possible zip bomb",
			display, declaredSize(total), formatBytes(lim.WorkbookBytes))
	}
	return wz, nil
}

// newWorkbookZip indexes the parts of zr.
func newWorkbookZip(zr *zip.ReadCloser) *workbookZip {
	wz := &workbookZip{zr: zr, parts: make(map[string]*zip.File, len(zr.File))}
	for _, zf := range zr.File {
		wz.parts[partName(zf)] = zf // a later part of the same name wins, as in excelize
	}
	return wz
}

// partName is the name of a part as excelize knows it.
func partName(zf *zip.File) string { return strings.ReplaceAll(zf.Name, `\`, "/") }

// declaredSize renders a size a zip directory declares: "2147483648 bytes (2 GiB)".
func declaredSize(n uint64) string {
	return fmt.Sprintf("%d bytes (%s)", n, formatBytes(int64(min(n, math.MaxInt64))))
}

// notAWorkbook is the error for a file that excelize or archive/zip cannot open as a workbook.
func notAWorkbook(file, display string, err error) error {
	if errors.Is(err, zip.ErrFormat) {
		head := make([]byte, len(oleSignature))
		if f, openErr := os.Open(file); openErr == nil {
			n, _ := io.ReadFull(f, head)
			head = head[:n]
			_ = f.Close()
		}
		if bytes.Equal(head, oleSignature) {
			return fmt.Errorf("%s: not a readable XLSX workbook: it is encrypted (password protected) or an old .xls file; save it in Excel as an .xlsx workbook without a password", display)
		}
		if fi, statErr := os.Stat(file); statErr == nil {
			return fmt.Errorf("%s: not a readable XLSX workbook: %w (the file has %d bytes: is it cut short, or not a workbook?)", display, err, fi.Size())
		}
	}
	return fmt.Errorf("%s: not a readable XLSX workbook: %w", display, err)
}

// open returns a reader of the named part, whose errors are *partError, or an error when there
// is no such part.
func (wz *workbookZip) open(name string) (io.ReadCloser, error) {
	zf, ok := wz.parts[name]
	if !ok {
		return nil, fmt.Errorf("the workbook has no part %s", name)
	}
	rc, err := zf.Open()
	if err != nil {
		return nil, &partError{name: name, err: err}
	}
	return &partReader{name: name, rc: rc}, nil
}

// damaged is the error for a workbook whose directory is sound but that excelize could not open
// (err). When a part does not inflate (to more than its declared size, or with data or a
// checksum that is wrong) the first such part is named; inflating them all to find it is bounded
// by the declared sizes, already checked.
func (wz *workbookZip) damaged(display string, err error) error {
	for _, zf := range wz.zr.File {
		rc, openErr := zf.Open()
		if openErr == nil {
			_, openErr = io.Copy(io.Discard, rc)
			_ = rc.Close()
		}
		if openErr != nil {
			return fmt.Errorf("%s: not a readable XLSX workbook: %w", display, &partError{name: zf.Name, err: openErr})
		}
	}
	return fmt.Errorf("%s: not a readable XLSX workbook: %w", display, err)
}

// partError is an error inflating a part of a workbook: it inflates to more than its declared
// size, or its data or checksum is wrong. excelize passes over such errors in silence and reads
// what it got.
type partError struct {
	name string
	err  error
}

func (e *partError) Error() string {
	return fmt.Sprintf("its part %s is damaged (%v): its data does not match the size or checksum the zip declares for it", e.name, e.err)
}

func (e *partError) Unwrap() error { return e.err }

// partReader reads a part, turning errors other than io.EOF into a *partError.
type partReader struct {
	name string
	rc   io.ReadCloser
}

func (r *partReader) Read(p []byte) (int, error) {
	n, err := r.rc.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		err = &partError{name: r.name, err: err}
	}
	return n, err
}

func (r *partReader) Close() error { return r.rc.Close() }

func (wz *workbookZip) Close() error { return wz.zr.Close() }
