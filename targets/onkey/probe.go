package onkey

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"

	"github.com/bulkload/bulkload/targets"
)

// ProbeCall is a call that changes nothing and shows whether the target answers and takes the
// credentials: an exists check of an entityType Code no record has, which reveals a wrong URL,
// tenant, connection or token. It also says what the call is, in words.
func (t *Target) ProbeCall(entityType string) (targets.Call, string, error) {
	var nonce [8]byte
	_, _ = rand.Read(nonce[:])
	code := "bulkload-preflight-" + hex.EncodeToString(nonce[:])
	body, err := json.Marshal([]ExistsCheck{{CheckType: "Code", EntityType: entityType,
		UserObjectID: "bulkload-preflight", Properties: map[string]any{"Code": code}}})
	if err != nil {
		return targets.Call{}, "", err
	}
	u := ExistsURL(t.Spec)
	return targets.Call{Method: http.MethodPost, URL: u, ContentType: ExistsContentType, Body: body, Idempotent: true},
		"an exists check of " + entityType + " " + code + " at " + u, nil
}
