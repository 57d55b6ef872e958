package sandbox

import (
	"encoding/json"
	"net/http"
	"slices"
)

// Answers chooses the shapes of the On Key answers the documents leave open (the success body
// of a bulk request, the result of an exists check), so that a client can be tried against each
// one. The zero value is the sandbox's own choice for each.
type Answers struct {
	// PerRecord is the body of a 200 answer to a mode=PerRecord import or batch request (each
	// record applied or refused on its own):
	//   - "" or "results": an array of per-record results
	//     [{userObjectId, id, version, status: Succeeded|Failed, messages}];
	//   - "empty": 200 with an empty body; "204": 204 No Content (both say every record
	//     succeeded, so a request with a refused record gets the "messages" answer instead);
	//   - "messages": a notification {"messages": [...]} holding the failed records' messages
	//     (an empty array when all succeeded);
	//   - "items": {"items": [{userObjectId, objectId, objectVersion, status, messages}]};
	//   - "object": {"status": "done"}, an object of a shape no client knows;
	//   - "status_word": the array of "results" with the status "Done" for the records applied.
	PerRecord string `yaml:"per_record"`
	// PerRecordRefusal is how a PerRecord request some of whose records are refused is answered:
	// "" (200, with the body PerRecord says) or "400": 400 with a notification of the refused
	// records' messages only, the others being applied all the same.
	PerRecordRefusal string `yaml:"per_record_refusal"`
	// Exists is the shape of an exists-check answer:
	//   - "" or "exists": [{userObjectId, entityType, exists, id, version, matches, messages}];
	//   - "count": [{userObjectId, count, ids: [...]}];
	//   - "items": {"items": [...]} of the "exists" results;
	//   - "unknown": [{userObjectId, found: true|false}], a shape no client knows.
	Exists string `yaml:"exists"`
}

// The shapes each Answers field takes.
var (
	perRecordShapes = []string{"", "results", "empty", "204", "messages", "items", "object", "status_word"}
	refusalShapes   = []string{"", "400"}
	existsShapes    = []string{"", "exists", "count", "items", "unknown"}
)

func (a *Answers) problems() []fieldError {
	var errs []fieldError
	for _, f := range []struct {
		key, v string
		shapes []string
	}{{"per_record", a.PerRecord, perRecordShapes}, {"per_record_refusal", a.PerRecordRefusal, refusalShapes},
		{"exists", a.Exists, existsShapes}} {
		if !slices.Contains(f.shapes, f.v) {
			errs = append(errs, fieldError{[]string{"answers", f.key}, "must be one of " + quoteAll(f.shapes[1:])})
		}
	}
	return errs
}

func quoteAll(ss []string) string {
	b, _ := json.Marshal(ss)
	return string(b)
}

// writePerRecord answers a PerRecord request whose records' results are results, in the shape
// s.cfg.Answers says.
func (s *Server) writePerRecord(w http.ResponseWriter, results []result) {
	var refused []message
	for _, r := range results {
		if r.failed() {
			refused = append(refused, r.Messages...)
		}
	}
	a := s.cfg.Answers
	if a.PerRecordRefusal == "400" && len(refused) > 0 {
		writeNotification(w, http.StatusBadRequest, refused...)
		return
	}
	switch a.PerRecord {
	case "empty", "204":
		if len(refused) > 0 {
			writeNotification(w, http.StatusOK, refused...) // an empty body says all succeeded
		} else if a.PerRecord == "204" {
			w.WriteHeader(http.StatusNoContent)
		} else {
			w.WriteHeader(http.StatusOK)
		}
	case "messages":
		writeNotification(w, http.StatusOK, refused...)
	case "items":
		type item struct {
			UserObjectID  json.RawMessage `json:"userObjectId,omitempty"`
			ObjectID      *int64          `json:"objectId,omitempty"`
			ObjectVersion *int64          `json:"objectVersion,omitempty"`
			Status        string          `json:"status"`
			Messages      []message       `json:"messages"`
		}
		items := make([]item, len(results))
		for i, r := range results {
			items[i] = item{UserObjectID: r.UserObjectID, ObjectID: r.ID, ObjectVersion: r.Version, Status: r.Status, Messages: r.Messages}
		}
		writeJSON(w, http.StatusOK, contentJSON, map[string]any{"items": items})
	case "object":
		writeJSON(w, http.StatusOK, contentJSON, map[string]any{"status": "done"})
	case "status_word":
		out := slices.Clone(results)
		for i := range out {
			if !out[i].failed() {
				out[i].Status = "Done"
			}
		}
		writeJSON(w, http.StatusOK, contentJSON, out)
	default:
		writeJSON(w, http.StatusOK, contentJSON, results)
	}
}

// writeExists answers an exists-check request whose results are results, in the shape
// s.cfg.Answers says.
func (s *Server) writeExists(w http.ResponseWriter, results []existsResult) {
	switch s.cfg.Answers.Exists {
	case "count":
		type counted struct {
			UserObjectID json.RawMessage `json:"userObjectId"`
			Count        int             `json:"count"`
			IDs          []int64         `json:"ids"`
		}
		out := make([]counted, len(results))
		for i, r := range results {
			out[i] = counted{UserObjectID: r.UserObjectID, Count: r.Matches, IDs: []int64{}}
			if r.ID != nil {
				out[i].IDs = append(out[i].IDs, *r.ID)
			}
		}
		writeJSON(w, http.StatusOK, contentExistsResult, out)
	case "items":
		writeJSON(w, http.StatusOK, contentExistsResult, map[string]any{"items": results})
	case "unknown":
		type found struct {
			UserObjectID json.RawMessage `json:"userObjectId"`
			Found        bool            `json:"found"`
		}
		out := make([]found, len(results))
		for i, r := range results {
			out[i] = found{UserObjectID: r.UserObjectID, Found: r.Exists}
		}
		writeJSON(w, http.StatusOK, contentExistsResult, out)
	default:
		writeJSON(w, http.StatusOK, contentExistsResult, results)
	}
}
