package sandbox

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"strings"
)

// OnixTokenPath is the Onix Work short-lived token endpoint (seed 000), matched
// case-insensitively. It needs no token and meets no faults.
const OnixTokenPath = "/v1/Account/token"

// onixPrefix starts every Onix Work OpenAPI path.
const onixPrefix = "/v1/"

// handleOnixToken serves POST /v1/Account/token: a TokenRequest {"username","password"} of a
// configured user is answered 200 with a JSON string, a token accepted with the Bearer scheme
// for onixwork.token_lifetime. Wrong credentials answer 400 problem details titled
// "Bad Request" (seed 000); a body that is not a TokenRequest answers 400 validation problem
// details. Every call counts in OnixTokenRequests.
func (s *Server) handleOnixToken(w http.ResponseWriter, r *http.Request) {
	o := s.onix
	o.mu.Lock()
	o.tokenRequests++
	o.mu.Unlock()
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeOnixProblem(w, http.StatusMethodNotAllowed, "Method Not Allowed", "", nil)
		return
	}
	body, ok := s.readOnixBody(w, r, "TokenRequest")
	if !ok {
		return
	}
	user, _ := body["username"].(string)
	pass, _ := body["password"].(string)
	want, known := s.cfg.OnixWork.Users[user]
	if !known || want == "" || subtle.ConstantTimeCompare([]byte(want), []byte(pass)) != 1 {
		writeOnixProblem(w, http.StatusBadRequest, onixTitleBadRequest, "", nil)
		return
	}
	var b [24]byte
	_, _ = rand.Read(b[:])
	tok := "onx-" + hex.EncodeToString(b[:])
	now := s.now()
	o.mu.Lock()
	for t, exp := range o.tokens { // forget expired tokens so the map stays small
		if !now.Before(exp) {
			delete(o.tokens, t)
		}
	}
	o.tokens[tok] = now.Add(s.cfg.OnixWork.TokenLifetime)
	o.mu.Unlock()
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, contentJSONUTF8, tok)
}

// onixAuthorize accepts "Bearer <issued, unexpired token>", "Key <configured key>" or a bare
// configured key (seed 000: the Key scheme may be omitted). Otherwise it answers 401 problem
// details: no token, a wrong scheme, an unknown or expired token.
func (s *Server) onixAuthorize(w http.ResponseWriter, r *http.Request) bool {
	h := strings.TrimSpace(r.Header.Get("Authorization"))
	scheme, tok, hasScheme := strings.Cut(h, " ")
	tok = strings.TrimSpace(tok)
	if !hasScheme {
		scheme, tok = "Key", h
	}
	why := ""
	switch {
	case tok == "":
		why = "A token is required: Authorization: Bearer <short-lived token> or Key <long-lived token>."
	case strings.EqualFold(scheme, "Key"):
		for _, k := range s.cfg.OnixWork.Keys {
			if subtle.ConstantTimeCompare([]byte(k), []byte(tok)) == 1 {
				return true
			}
		}
		why = "The long-lived token is not valid (or a short-lived token was sent without the Bearer scheme)."
	case strings.EqualFold(scheme, "Bearer"):
		s.onix.mu.Lock()
		exp, issued := s.onix.tokens[tok]
		s.onix.mu.Unlock()
		if issued && s.now().Before(exp) {
			return true
		}
		why = "The short-lived token is not valid or has expired."
		if issued {
			why = "The short-lived token has expired."
		}
	default:
		why = "Unknown scheme " + scheme + ": use Bearer for short-lived tokens, Key for long-lived ones."
	}
	w.Header().Set("WWW-Authenticate", `Bearer, Key`)
	writeOnixProblem(w, http.StatusUnauthorized, "Unauthorized", why, nil)
	return false
}
