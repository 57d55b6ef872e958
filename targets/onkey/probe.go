package onkey

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/bulkload/bulkload/spec"
	"github.com/bulkload/bulkload/targets"
)

// Probe is a call that changes nothing and shows whether the target answers and takes the
// credentials: an exists check, of the entity type of the first of entities that names one
// (Site when none does), of a Code no record has, which reveals a wrong URL, tenant, connection
// or token.
func (t *Target) Probe(entities []spec.Entity) (targets.Probe, error) {
	entityType := "Site"
	for _, e := range entities {
		if e.EntityType != "" {
			entityType = e.EntityType
			break
		}
	}
	var nonce [8]byte
	_, _ = rand.Read(nonce[:])
	code := "bulkload-preflight-" + hex.EncodeToString(nonce[:])
	body, err := json.Marshal([]ExistsCheck{{CheckType: "Code", EntityType: entityType,
		UserObjectID: "bulkload-preflight", Properties: map[string]any{"Code": code}}})
	if err != nil {
		return targets.Probe{}, err
	}
	u := ExistsURL(t.Spec)
	return targets.Probe{
		Call: targets.Call{Method: http.MethodPost, URL: u, ContentType: ExistsContentType, Body: body, Idempotent: true},
		What: "an exists check of " + entityType + " " + code + " at " + u,
		NotThere: fmt.Sprintf("there is no On Key API there for tenant %q and connection %q: check target.url, target.tenant and target.connection",
			t.Spec.Tenant, t.Spec.Connection),
	}, nil
}
