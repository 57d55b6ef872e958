package targets_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bulkload/bulkload/sandbox"
	"github.com/bulkload/bulkload/spec"
	"github.com/bulkload/bulkload/targets"
)

func startOnix(t *testing.T, lifetime time.Duration) *sandbox.Server {
	t.Helper()
	cfg := sandbox.DefaultConfig()
	cfg.OnixWork.TokenLifetime = lifetime
	sb, err := sandbox.Start(cfg, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	return sb
}

func passwordAuth(t *testing.T, sb *sandbox.Server, user, pass, lifetime string) targets.Authorizer {
	t.Helper()
	env := map[string]string{"U": user, "P": pass}
	a, err := targets.NewAuthorizer(spec.Auth{Kind: "password", UsernameEnv: "U", PasswordEnv: "P",
		TokenURL: sb.URL() + "/v1/Account/token", TokenLifetime: lifetime}, func(k string) string { return env[k] }, nil)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// Eight workers asking for the header for 1.2 s, with tokens that last 300 ms: a token is
// fetched about once per lifetime, not once per worker, and every header is accepted.
func TestPasswordAuthSharesOneTokenPerLifetime(t *testing.T) {
	sb := startOnix(t, 300*time.Millisecond)
	a := passwordAuth(t, sb, "sandbox", "sandbox-password", "300ms")
	ctx := context.Background()
	end := time.Now().Add(1200 * time.Millisecond)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(end) {
				h, err := a.Header(ctx)
				if err != nil || !strings.HasPrefix(h, "Bearer ") {
					t.Errorf("header %q, %v", h, err)
					return
				}
				time.Sleep(5 * time.Millisecond)
			}
		}()
	}
	wg.Wait()
	// 1.2 s / (300 ms - 30 ms margin) = 4.4 lifetimes: 5 fetches, give or take one.
	if n := sb.OnixTokenRequests(); n < 3 || n > 7 {
		t.Errorf("%d token requests for 8 workers over 4.4 token lifetimes, want about 5", n)
	}
}

// A refusal seen by many workers at once fetches one new token.
func TestPasswordAuthRefreshIsSingleFlight(t *testing.T) {
	sb := startOnix(t, time.Hour)
	a := passwordAuth(t, sb, "sandbox", "sandbox-password", "60m")
	stale, err := a.Header(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := a.Refresh(context.Background(), stale); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := sb.OnixTokenRequests(); n != 2 {
		t.Errorf("%d token requests, want 2 (the first and one refresh)", n)
	}
	if fresh, _ := a.Header(context.Background()); fresh == stale {
		t.Error("the token was not replaced")
	}
}

// Wrong credentials: a clear error that names the endpoint and the 400, and not the password.
func TestPasswordAuthRefused(t *testing.T) {
	sb := startOnix(t, time.Hour)
	a := passwordAuth(t, sb, "sandbox", "wrong-Secret-42", "60m")
	_, err := a.Header(context.Background())
	if err == nil || !strings.Contains(err.Error(), "HTTP 400") || !strings.Contains(err.Error(), "/v1/Account/token") {
		t.Fatalf("error %v, want the endpoint's 400", err)
	}
	if strings.Contains(err.Error(), "wrong-Secret-42") {
		t.Errorf("the error shows the password: %v", err)
	}
}
