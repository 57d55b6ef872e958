package transforms

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"

	"github.com/bulkload/bulkload/spec"
)

// Mappings is every compiled entity mapping of a job. It is read-only and safe for concurrent
// use.
type Mappings struct {
	all      []*Mapping
	bySource map[string][]*Mapping
}

// ForSource returns the mappings whose rows come from the named source, in spec order.
func (ms *Mappings) ForSource(name string) []*Mapping { return ms.bySource[name] }

// All returns every mapping in spec order.
func (ms *Mappings) All() []*Mapping { return ms.all }

// Mapping is one compiled entity: it turns a typed row into a record. Map is safe for
// concurrent use.
type Mapping struct {
	name, source, parent string
	distinct             bool
	kind                 string
	entityType, action   string
	endpoint             string
	groupOrder           int

	when, uoid, parentUOID, id, props *node
	columns                           *columnSet

	// head is the start of an On Key body, its values boxed once: entityType and action.
	head [2]Member
}

// Name returns the entity's name.
func (m *Mapping) Name() string { return m.name }

// Source returns the name of the source whose rows the mapping reads.
func (m *Mapping) Source() string { return m.source }

// Parent returns the name of the parent entity, or "" when records have no parent.
func (m *Mapping) Parent() string { return m.parent }

// Distinct reports whether rows with the same userObjectId build one record.
func (m *Mapping) Distinct() bool { return m.distinct }

// Env is what an expression sees. Row is the typed row (`row`). Outer is, for a row exploded
// from a nested JSON array, the fields of the row it came from (`outer`), nil otherwise. Parent
// is the parent record's result when known (`parent`: userObjectId, id, version and the
// parent's properties), nil otherwise, as in a dry run. A nil map reads as an empty one, so
// `parent.id` is nil (and a property set to it is left out) when the parent is not known.
type Env struct {
	Row    map[string]any
	Outer  map[string]any
	Parent map[string]any
}

// MapError is every problem of one record's mapping, one per failing field.
type MapError struct {
	Fields []FieldError
}

// FieldError is a problem with one field of a record: Field is "userObjectId", "when", "id",
// "parent.userObjectId" or a property path such as "properties.description". Msg is one line of
// at most 500 characters, whatever the values it quotes.
type FieldError struct {
	Field string
	Msg   string
}

// Error renders the problems as "field: message; field: message".
func (e *MapError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Msg
	}
	return strings.Join(parts, "; ")
}

// evaluators reuses an evaluator (its expr virtual machine and its environment) across rows;
// one is used by one goroutine at a time.
var evaluators = sync.Pool{New: func() any { return &evaluator{vm: new(vm.VM), env: make(map[string]any, 3)} }}

// emptyMap stands in for a nil Outer or Parent; expressions cannot modify it.
var emptyMap = map[string]any{}

// Map evaluates the mapping for one row. It evaluates `when` first: when that is false, Map
// returns ok=false and no error (the row makes no record of this entity). Otherwise (also when
// `when` fails or gives no boolean, which is a field error) ok is true and the userObjectId,
// parent.userObjectId, id and properties are evaluated, in that order.
// Every failing field is collected into one *MapError; the record then still carries its
// Entity, target fields and, when it could be computed, its UserObjectID, but no Body.
//
// A property whose value is nil (absent(), a key the row lacks, a nil result) is left out of
// the payload; the YAML literal null and the function null() give JSON null. userObjectId and
// parent.userObjectId must be non-empty text or an integer (written in decimal).
func (m *Mapping) Map(env Env) (rec Record, ok bool, err error) {
	ev := evaluators.Get().(*evaluator)
	ev.row = orEmpty(env.Row)
	ev.env["row"], ev.env["outer"], ev.env["parent"] = ev.row, orEmpty(env.Outer), orEmpty(env.Parent)
	defer ev.release()

	if m.when != nil {
		v, err := ev.eval(m.when)
		b, isBool := v.(bool)
		switch {
		case err != nil:
		case !isBool:
			ev.fail("when", "must give true or false, got %s", show(v))
		case !b:
			return Record{}, false, nil
		}
	}
	rec = Record{Entity: m.name, Kind: m.kind, EntityType: m.entityType, Action: m.action,
		Endpoint: m.endpoint, GroupOrder: m.groupOrder, Distinct: m.distinct}
	rec.UserObjectID = ev.key(m.uoid)
	if m.parentUOID != nil {
		rec.Parent = ev.key(m.parentUOID)
	}
	var id any
	if m.id != nil {
		if id, _ = ev.eval(m.id); isNil(id) && !ev.failed(m.id.field) {
			ev.fail("id", "is nil; the %s action needs an id", m.action)
		}
	}
	props := Object{}
	if m.props != nil {
		p, _ := ev.eval(m.props)
		switch pv := p.(type) {
		case nil:
		case Object:
			props = pv
		default:
			if !ev.failed(m.props.field) {
				ev.fail("properties", "must be an object, got %s", show(p))
			}
		}
	}
	if len(ev.errs) > 0 {
		return rec, true, &MapError{Fields: ev.errs}
	}
	if m.kind != spec.OnKey {
		rec.Body = props
		return rec, true, nil
	}
	rec.Body = make(Object, 0, 6)
	rec.Body = append(rec.Body, m.head[0], m.head[1], Member{"userObjectId", rec.UserObjectID})
	if m.id != nil {
		rec.Body = append(rec.Body, Member{"id", id})
	}
	rec.Body = append(rec.Body, Member{"groupOrder", m.groupOrder})
	if m.props != nil {
		rec.Body = append(rec.Body, Member{"properties", props})
	}
	return rec, true, nil
}

func orEmpty(m map[string]any) map[string]any {
	if m == nil {
		return emptyMap
	}
	return m
}

// evaluator evaluates the nodes of one record, collecting the failing fields.
type evaluator struct {
	vm   *vm.VM
	env  map[string]any
	row  map[string]any // env["row"]
	errs []FieldError
}

// release returns the evaluator to the pool, holding on to none of the record's values.
func (ev *evaluator) release() {
	ev.env["row"], ev.env["outer"], ev.env["parent"] = emptyMap, emptyMap, emptyMap
	ev.row, ev.errs = nil, nil
	evaluators.Put(ev)
}

func (ev *evaluator) fail(field, format string, args ...any) {
	ev.errs = append(ev.errs, FieldError{Field: field, Msg: shortLine(fmt.Sprintf(format, args...))})
}

// maxMessage is the most characters of the message of a mapping error or a compile error.
const maxMessage = 500

// shortLine makes a message one line of valid UTF-8 of at most maxMessage characters, cut with
// "…": a message may quote values of the row or of the spec (a list's elements, a map key, a
// regular expression), and it goes into a report cell or a list of spec errors, one per line.
func shortLine(msg string) string {
	msg = strings.ToValidUTF8(msg, "\uFFFD")
	msg = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(msg)
	if utf8.RuneCountInString(msg) <= maxMessage {
		return msg
	}
	return string([]rune(msg)[:maxMessage-1]) + "…"
}

// failed reports whether field, or a field inside it, has failed.
func (ev *evaluator) failed(field string) bool {
	for _, e := range ev.errs {
		if e.Field == field || strings.HasPrefix(e.Field, field+".") || strings.HasPrefix(e.Field, field+"[") {
			return true
		}
	}
	return false
}

// key evaluates a userObjectId ("" when the entity has none, which spec.Load refuses).
func (ev *evaluator) key(n *node) string {
	if n == nil {
		return ""
	}
	v, err := ev.eval(n)
	if err != nil {
		return ""
	}
	k, err := keyText(v)
	if err != nil {
		ev.fail(n.field, "%v", err)
	}
	return k
}

// keyText converts a userObjectId value to text: non-empty text, or an integer in decimal.
func keyText(v any) (string, error) {
	switch x := v.(type) {
	case string:
		if strings.TrimSpace(x) == "" {
			return "", fmt.Errorf("is empty")
		}
		return x, nil
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1e15 {
			return strconv.FormatFloat(x, 'f', -1, 64), nil
		}
	case json.Number:
		if _, err := x.Int64(); err == nil {
			return x.String(), nil
		}
	default:
		if isIntKind(v) {
			return asText("", v)
		}
		if isNil(v) {
			return "", fmt.Errorf("is nil (absent); it must be non-empty text or an integer")
		}
	}
	return "", fmt.Errorf("must be non-empty text or an integer, got %s", show(v))
}

// eval evaluates n into a JSON-ready value: nil for absent, Null for JSON null, Objects for
// objects with nil members left out. A failure is recorded under n's field and returned.
func (ev *evaluator) eval(n *node) (any, error) {
	switch n.kind {
	case nullNode:
		return Null, nil
	case literalNode:
		return n.lit, nil
	case objectNode:
		o := make(Object, 0, len(n.fields))
		for _, f := range n.fields {
			if v, err := ev.eval(f.node); err == nil && v != nil {
				o = append(o, Member{Key: f.name, Value: unNull(v)})
			}
		}
		return o, nil
	case arrayNode:
		items := make([]any, 0, len(n.items))
		for _, it := range n.items {
			v, _ := ev.eval(it)
			items = append(items, unNull(v))
		}
		return items, nil
	}
	var v any
	var err error
	if n.isColumn {
		v = ev.row[n.column]
	} else {
		v, err = ev.run(n)
	}
	if err == nil {
		v, err = plain(v)
	}
	if err != nil {
		ev.fail(n.field, "%s", err.Error())
		return nil, err
	}
	return v, nil
}

// run executes an expression, turning any failure (a function's error, a panic) into an error
// whose text is the one-line message.
func (ev *evaluator) run(n *node) (v any, err error) {
	defer func() {
		if r := recover(); r != nil {
			v, err = nil, fmt.Errorf("internal error: %v", r)
		}
	}()
	v, err = ev.vm.Run(n.prog, ev.env)
	if err != nil {
		var fe *file.Error
		if errors.As(err, &fe) {
			err = errors.New(fe.Message)
		}
	}
	return v, err
}
