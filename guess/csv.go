package guess

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// sniffBytes bounds how much of a CSV file the sniffing reads; lookAhead bounds the records it
// parses to find the delimiter and the header.
const (
	sniffBytes = 1 << 20
	lookAhead  = 50
)

// delimiters are the delimiters the readers accept, in order of preference on a tie.
var delimiters = []rune{',', ';', '\t', '|'}

// csvSniff is what the first bytes of a CSV file say.
type csvSniff struct {
	encoding  string // "" (UTF-8, or UTF-16 with a BOM, which the readers recognise) or windows-1252
	encNote   string // why, for the comment
	delimiter rune
	header    headerGuess
}

// sniffCSV reads the start of a CSV file and guesses its encoding, delimiter and header row.
func sniffCSV(path, display string) (csvSniff, error) {
	f, err := os.Open(path)
	if err != nil {
		return csvSniff{}, err
	}
	defer f.Close()
	raw, err := io.ReadAll(io.LimitReader(f, sniffBytes))
	if err != nil {
		return csvSniff{}, fmt.Errorf("%s: %w", display, err)
	}
	var s csvSniff
	text, err := decodeSample(raw, len(raw) == sniffBytes, &s)
	if err != nil {
		return s, fmt.Errorf("%s: %w", display, err)
	}
	best := -1
	var rows []rawRow
	for _, d := range delimiters {
		r, score := parseSample(text, d)
		if score > best {
			best, s.delimiter, rows = score, d, r
		}
	}
	h, ok := findHeader(rows)
	if !ok {
		return s, fmt.Errorf("%s: no header found in the first %d lines", display, lookAhead)
	}
	s.header = h
	return s, nil
}

// decodeSample returns the sample as UTF-8 text and records the encoding in s. A byte order mark
// decides; without one, the sample is UTF-8 when it is valid UTF-8 and windows-1252 otherwise.
// cut says the sample is a prefix of the file, whose last line may be cut inside a character.
func decodeSample(raw []byte, cut bool, s *csvSniff) (string, error) {
	if cut {
		if i := bytes.LastIndexByte(raw, '\n'); i > 0 {
			raw = raw[:i+1]
		}
	}
	switch {
	case bytes.HasPrefix(raw, []byte{0xEF, 0xBB, 0xBF}):
		s.encNote = "UTF-8 (it starts with a byte order mark)"
		raw = raw[3:]
	case bytes.HasPrefix(raw, []byte{0xFF, 0xFE}), bytes.HasPrefix(raw, []byte{0xFE, 0xFF}):
		s.encNote = "UTF-16 (it starts with a byte order mark)"
		out, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(raw)
		return string(out), err
	case bytes.IndexByte(raw, 0) >= 0:
		return "", errors.New("holds NUL bytes: binary, or UTF-16 without a byte order mark; declare its encoding by hand")
	case !utf8.Valid(raw):
		i := firstInvalid(raw)
		s.encoding = "windows-1252"
		s.encNote = fmt.Sprintf("windows-1252: not UTF-8 (byte 0x%02X at offset %d); check that letters such as æ ø å é read right", raw[i], i)
		out, err := charmap.Windows1252.NewDecoder().Bytes(raw)
		return string(out), err
	default:
		s.encNote = "UTF-8"
		if cut {
			s.encNote = fmt.Sprintf("UTF-8 (its first %d KiB are)", sniffBytes>>10)
		}
	}
	return string(raw), nil
}

func firstInvalid(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return 0
}

// parseSample parses up to lookAhead records of text with delimiter d and scores how well d fits:
// the number of records that have the most common field count, when that count is above one.
func parseSample(text string, d rune) ([]rawRow, int) {
	r := csv.NewReader(strings.NewReader(text))
	r.Comma, r.FieldsPerRecord, r.LazyQuotes = d, -1, true
	var rows []rawRow
	counts := map[int]int{}
	for len(rows) < lookAhead {
		rec, err := r.Read()
		if err != nil {
			break
		}
		line, _ := r.FieldPos(0)
		rows = append(rows, rawRow{line: line, cells: rec})
		counts[len(rec)]++
	}
	best, mode := 0, 0
	for n, c := range counts {
		if n > 1 && (c > best || c == best && n > mode) {
			best, mode = c, n
		}
	}
	return rows, best
}
