package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/bulkload/bulkload/schemas"
)

// onixModels compiles the Onix Work request models of package schemas once per process; the
// compiled schemas are safe for concurrent validation.
var onixModels = sync.OnceValues(func() (map[string]*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.AssertFormat = true
	names := schemas.OnixWorkModels()
	for _, n := range names {
		b, _ := schemas.OnixWorkModel(n)
		if err := c.AddResource(schemas.OnixWorkModelURL(n), bytes.NewReader(b)); err != nil {
			return nil, fmt.Errorf("onix work model %s: %w", n, err)
		}
	}
	out := make(map[string]*jsonschema.Schema, len(names))
	for _, n := range names {
		sch, err := c.Compile(schemas.OnixWorkModelURL(n))
		if err != nil {
			return nil, fmt.Errorf("onix work model %s: %w", n, err)
		}
		out[n] = sch
	}
	return out, nil
})

// readOnixBody reads r's JSON object body and validates it against the model. On any problem
// it answers (413, 415, or 400 validation problem details) and returns false. Numbers are kept
// as json.Number.
func (s *Server) readOnixBody(w http.ResponseWriter, r *http.Request, model string) (map[string]any, bool) {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil ||
		!(mt == "application/json" || mt == "text/json" || strings.HasSuffix(mt, "+json")) {
		writeOnixProblem(w, http.StatusUnsupportedMediaType, "Unsupported Media Type", "Send Content-Type: application/json.", nil)
		return nil, false
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		writeOnixProblem(w, http.StatusRequestEntityTooLarge, "Payload Too Large", "", nil)
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err == nil {
		err = dec.Decode(&v)
	}
	if err == nil && dec.More() {
		err = errors.New("more than one JSON value")
	}
	if err != nil {
		writeOnixValidation(w, fieldErrors{"$": {"The JSON value could not be read: " + err.Error()}})
		return nil, false
	}
	obj, ok := v.(map[string]any)
	if !ok {
		writeOnixValidation(w, fieldErrors{"$": {"The JSON value could not be converted to " + model + "."}})
		return nil, false
	}
	models, err := onixModels()
	if err != nil {
		writeOnixProblem(w, http.StatusInternalServerError, "Sandbox models do not compile", err.Error(), nil)
		return nil, false
	}
	if errs := validationErrors(models[model], obj, model); len(errs) > 0 {
		writeOnixValidation(w, errs)
		return nil, false
	}
	return obj, true
}

// validationErrors turns the schema's failures on v into ASP.NET-style field errors, one
// message per leaf, in a deterministic order.
func validationErrors(sch *jsonschema.Schema, v any, model string) fieldErrors {
	err := sch.Validate(v)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return fieldErrors{"$": {err.Error()}}
	}
	leaves := leaves(ve)
	sort.SliceStable(leaves, func(i, j int) bool {
		a, b := leaves[i], leaves[j]
		if a.InstanceLocation != b.InstanceLocation {
			return a.InstanceLocation < b.InstanceLocation
		}
		return a.KeywordLocation < b.KeywordLocation
	})
	errs := fieldErrors{}
	for _, l := range leaves {
		segs := pointer(l.InstanceLocation)
		kw := l.KeywordLocation[strings.LastIndex(l.KeywordLocation, "/")+1:]
		switch {
		case kw == "required":
			for _, n := range quoted(l.Message) {
				p := append(segs[:len(segs):len(segs)], n)
				errs.add(fieldKey(p), pascal(n)+" is required")
			}
			continue
		case kw == "additionalProperties" || l.Message == "not allowed":
			names := quoted(l.Message)
			sort.Strings(names)
			for _, n := range names {
				p := append(segs[:len(segs):len(segs)], n)
				errs.add(fieldKey(p), pascal(n)+" is not a field of "+model)
			}
			continue
		}
		name := fieldName(segs)
		switch kw {
		case "format", "pattern":
			errs.add(fieldKey(segs), name+" wrong format")
		case "enum", "const":
			errs.add(fieldKey(segs), name+" is invalid")
		default:
			errs.add(fieldKey(segs), name+" is invalid: "+l.Message)
		}
	}
	return errs
}

func leaves(ve *jsonschema.ValidationError) []*jsonschema.ValidationError {
	if len(ve.Causes) == 0 {
		return []*jsonschema.ValidationError{ve}
	}
	var out []*jsonschema.ValidationError
	for _, c := range ve.Causes {
		out = append(out, leaves(c)...)
	}
	return out
}

// pointer splits a JSON pointer into unescaped segments.
func pointer(p string) []string {
	if p == "" || p == "/" {
		return nil
	}
	segs := strings.Split(strings.TrimPrefix(p, "/"), "/")
	for i, s := range segs {
		segs[i] = strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
	}
	return segs
}

// fieldKey writes pointer segments the ASP.NET way: items[0].serialNumber; "$" for the root.
func fieldKey(segs []string) string {
	if len(segs) == 0 {
		return "$"
	}
	var b strings.Builder
	for _, s := range segs {
		if _, err := strconv.Atoi(s); err == nil && b.Len() > 0 {
			b.WriteString("[" + s + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s)
	}
	return b.String()
}

// fieldName is the PascalCase name of the last property among segs ("Items" for items/0).
func fieldName(segs []string) string {
	for i := len(segs) - 1; i >= 0; i-- {
		if _, err := strconv.Atoi(segs[i]); err != nil {
			return pascal(segs[i])
		}
	}
	return "The request"
}

// quoted returns the 'single-quoted' names in a library message, in order.
func quoted(msg string) []string {
	var out []string
	for {
		i := strings.IndexByte(msg, '\'')
		if i < 0 {
			return out
		}
		j := strings.IndexByte(msg[i+1:], '\'')
		if j < 0 {
			return out
		}
		out = append(out, msg[i+1:i+1+j])
		msg = msg[i+2+j:]
	}
}
