package sandbox

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
)

// TokenPath is the OAuth2 client-credentials token endpoint. On Key's tokens come from the
// tenant's identity provider, whose endpoint is not On Key's: the sandbox plays both roles.
const TokenPath = "/oauth2/token"

// authorized reports whether r carries "Authorization: Bearer <token>" with a configured
// token or an issued one that has not expired.
func (s *Server) authorized(r *http.Request) bool {
	scheme, tok, ok := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
	tok = strings.TrimSpace(tok)
	if !ok || !strings.EqualFold(scheme, "Bearer") || tok == "" {
		return false
	}
	for _, t := range s.cfg.Tokens {
		if subtle.ConstantTimeCompare([]byte(t), []byte(tok)) == 1 {
			return true
		}
	}
	s.state.Lock()
	exp, issued := s.tokens[tok]
	s.state.Unlock()
	return issued && s.now().Before(exp)
}

// refuse answers 401 with a notification.
func refuse(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="onkey-sandbox"`)
	text := "A bearer token is required (Authorization: Bearer <token>)."
	if r.Header.Get("Authorization") != "" {
		text = "The bearer token is not valid or has expired."
	}
	writeNotification(w, http.StatusUnauthorized, errMsg(CodeUnauthorized, text))
}

// handleToken serves POST /oauth2/token: the client-credentials grant (RFC 6749 4.4) with the
// client authenticated by HTTP Basic or by client_id/client_secret form fields. It answers
// {access_token, token_type: "Bearer", expires_in} or an RFC 6749 error: 400
// unsupported_grant_type / invalid_request, 401 invalid_client.
func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	s.state.Lock()
	s.tokenRequests++
	s.state.Unlock()
	oauthErr := func(status int, code, text string) {
		writeJSON(w, status, contentJSON, map[string]string{"error": code, "error_description": text})
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		oauthErr(http.StatusMethodNotAllowed, "invalid_request", "use POST")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		oauthErr(http.StatusBadRequest, "invalid_request", "the body is not a form: "+err.Error())
		return
	}
	if g := r.PostForm.Get("grant_type"); g != "client_credentials" {
		oauthErr(http.StatusBadRequest, "unsupported_grant_type", "only grant_type=client_credentials is supported, not "+g)
		return
	}
	id, secret, basic := r.BasicAuth()
	if basic { // RFC 6749 2.3.1: form-urlencoded before Basic encoding
		if u, err := url.QueryUnescape(id); err == nil {
			id = u
		}
		if u, err := url.QueryUnescape(secret); err == nil {
			secret = u
		}
	} else {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	want, known := s.cfg.OAuth2.Clients[id]
	if !known || want == "" || subtle.ConstantTimeCompare([]byte(want), []byte(secret)) != 1 {
		if basic {
			w.Header().Set("WWW-Authenticate", `Basic realm="onkey-sandbox"`)
		}
		oauthErr(http.StatusUnauthorized, "invalid_client", "unknown client or wrong secret")
		return
	}
	var b [16]byte
	_, _ = rand.Read(b[:])
	tok := "sbx-" + hex.EncodeToString(b[:])
	lifetime := s.cfg.OAuth2.TokenLifetime
	s.state.Lock()
	s.tokens[tok] = s.now().Add(lifetime)
	s.state.Unlock()
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, contentJSON, map[string]any{
		"access_token": tok, "token_type": "Bearer", "expires_in": int64(lifetime.Seconds()),
	})
}
