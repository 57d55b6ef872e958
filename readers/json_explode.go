package readers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// documentRows turns one syntactically valid document into the rows it yields: the document's
// own row when explode is empty, otherwise the rows exploded from it (explodeRows). A document
// that is not an object is an error row.
func documentRows(o Origin, raw []byte, explode []string) []Row {
	if kind := kindOf(raw); kind != "an object" {
		return []Row{errorRow(o, nil, "is %s, not an object", kind)}
	}
	row, raws := objectRow(o, raw, nil)
	if len(explode) == 0 || row.Err != nil {
		return []Row{row}
	}
	var out []Row
	explodeRows(&row, raws, explode, &out)
	return out
}

// explodeRows appends to out the rows of the nested array at path in the object row (whose
// values, undecoded, are raws): each element of the array at path[0] is a row whose Parent is
// row and whose Origin.Path extends row's with the key and the element's 0-based index; when
// path has more keys, each such row is exploded in turn and only the innermost elements are
// rows. A missing or null array yields nothing. A value that is not an array, an element that
// is not an object, and an element with a duplicate key are error rows (Parent: the row that
// holds them), so nothing is dropped silently.
func explodeRows(row *Row, raws []json.RawMessage, path []string, out *[]Row) {
	key := path[0]
	i := slices.Index(row.Columns, key)
	if i < 0 {
		return
	}
	at := row.Origin
	at.Path += "/" + pointerEscape(key)
	switch kind := kindOf(raws[i]); kind {
	case "null":
		return
	case "an array":
	default:
		*out = append(*out, errorRow(at, row, "is %s, not an array", kind))
		return
	}
	for j, el := range splitArray(raws[i]) {
		o := at
		o.Path += "/" + strconv.Itoa(j)
		if kind := kindOf(el); kind != "an object" {
			*out = append(*out, errorRow(o, row, "is %s, not an object", kind))
			continue
		}
		child, childRaws := objectRow(o, el, row)
		if len(path) == 1 || child.Err != nil {
			*out = append(*out, child)
			continue
		}
		explodeRows(&child, childRaws, path[1:], out)
	}
}

// objectRow makes the row of the JSON object raw: its keys in document order and their decoded
// values. It also returns the undecoded values. A duplicate key keeps both entries and sets Err.
func objectRow(o Origin, raw []byte, parent *Row) (Row, []json.RawMessage) {
	row := Row{Origin: o, Parent: parent}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil { // '{'; raw was checked by the caller
		row.Err = &RowError{Origin: o, Index: -1, Msg: err.Error()}
		return row, nil
	}
	var raws []json.RawMessage
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		key, ok := tok.(string)
		var v json.RawMessage
		if err == nil && ok {
			err = dec.Decode(&v)
		}
		if err != nil || !ok {
			row.Err = &RowError{Origin: o, Index: -1, Msg: fmt.Sprintf("malformed object: %v", err)}
			return row, raws
		}
		if seen[key] && row.Err == nil {
			row.Err = &RowError{Origin: o, Column: key, Index: len(row.Columns), Msg: "duplicate key"}
		}
		seen[key] = true
		row.Columns = append(row.Columns, key)
		row.Values = append(row.Values, decodeValue(v))
		raws = append(raws, v)
	}
	return row, raws
}

// splitArray returns the undecoded elements of the JSON array raw.
func splitArray(raw []byte) []json.RawMessage {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil { // '['; raw was checked by the caller
		return nil
	}
	var out []json.RawMessage
	for dec.More() {
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			break
		}
		out = append(out, v)
	}
	return out
}

// decodeValue decodes one valid JSON value with numbers as json.Number.
func decodeValue(raw []byte) any {
	switch raw[0] {
	case 'n':
		return nil
	case 't':
		return true
	case 'f':
		return false
	case '"':
		if text := raw[1 : len(raw)-1]; bytes.IndexByte(text, '\\') < 0 && utf8.Valid(text) {
			return string(text) // no escapes: the text is the string
		}
	case '{', '[':
	default:
		return json.Number(raw)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return string(raw) // cannot happen: raw was decoded once already
	}
	return v
}

// kindOf names the kind of the valid JSON value raw for messages: "an object", "a string"...
func kindOf(raw []byte) string {
	if len(raw) == 0 {
		return "empty"
	}
	switch raw[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	default:
		return "a number"
	}
}

// pointerEscaper escapes a key for a JSON pointer (RFC 6901): "~" -> "~0", "/" -> "~1".
var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")

// pointerEscape escapes key for a JSON pointer.
func pointerEscape(key string) string { return pointerEscaper.Replace(key) }
