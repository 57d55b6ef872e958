package sandbox

import (
	"encoding/json"
	"net/http"
)

// Message codes the sandbox answers with. The first four are the codes the On Key documents
// show; the others are the sandbox's own choices where the documents name none (README.md,
// "What the sandbox assumes").
const (
	CodeNotNull          = "Core_NotNullValidator"            // a required property is missing or null
	CodeNotConverted     = "Core_ValueCouldNotBeConverted"    // a value or converter cannot be used
	CodeNoMatch          = "Core_ReferenceLookupNoMatchFound" // a ReferenceLookup found no record
	CodeUnique           = "Core_UniqueValidator"             // a unique property's value is taken (assumed)
	CodeMultipleMatches  = "Core_ReferenceLookupMultipleMatchesFound"
	CodeReferenceMissing = "Core_ReferenceNotFound" // a literal reference id names no record of the type
	CodeRecordNotFound   = "Core_RecordNotFound"    // Update/Delete/patch of an id that is not there
	CodeUnknownProperty  = "Core_UnknownProperty"
	CodeUnknownEntity    = "Core_UnknownEntityType"
	CodeInvalidAction    = "Core_InvalidImportAction"
	CodeVersionMismatch  = "Core_ConcurrencyVersionMismatch" // batch patch/delete of a stale version
	CodeInUse            = "Core_RecordInUse"                // delete of a record others reference
	CodeRolledBack       = "Core_TransactionRolledBack"      // AllOrNone: the request was not applied
	CodeInvalidRequest   = "Core_InvalidRequest"             // body or query unusable: 400
	CodeDuplicateUOID    = "Core_DuplicateUserObjectId"      // 400
	CodeUnauthorized     = "Core_Unauthorized"               // 401
	CodeNotFound         = "Core_NotFound"                   // 404
	CodeMethodNotAllowed = "Core_MethodNotAllowed"           // 405
	CodeUnsupportedMedia = "Core_UnsupportedMediaType"       // 415
	CodeTooLarge         = "Core_RequestTooLarge"            // 413
	CodeInjectedFault    = "Sandbox_InjectedFault"           // 500/503/429 from faults
	CodeRateLimited      = "Sandbox_RateLimited"             // 429 from faults.max_rps
)

// Content types of the sandbox's answers.
const (
	contentNotification = "application/vnd.onkey.notification+json"
	contentJSON         = "application/json"
)

// message is one element of a notification body (seed 003 / the response content type docs).
type message struct {
	Code         string          `json:"code"`
	Message      string          `json:"message"`
	Severity     string          `json:"severity"`
	UserObjectID json.RawMessage `json:"userObjectId,omitempty"`
	ObjectID     string          `json:"objectId,omitempty"`
	ObjectType   string          `json:"objectType,omitempty"`
	Properties   []string        `json:"properties,omitempty"`
}

func errMsg(code, text string, props ...string) message {
	return message{Code: code, Message: text, Severity: "error", Properties: props}
}

// notification is the body of application/vnd.onkey.notification+json.
type notification struct {
	Messages []message `json:"messages"`
}

// writeNotification answers status with a notification of msgs.
func writeNotification(w http.ResponseWriter, status int, msgs ...message) {
	if msgs == nil {
		msgs = []message{}
	}
	writeJSON(w, status, contentNotification, notification{Messages: msgs})
}

// writeJSON answers status with v encoded as JSON.
func writeJSON(w http.ResponseWriter, status int, contentType string, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"messages":[{"code":"Sandbox_Internal","message":"encoding the answer failed","severity":"error"}]}`)
		contentType = contentNotification
	}
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}
