package sandbox

import (
	"context"
	"fmt"
	"maps"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

var _ http.Handler = (*Server)(nil)

// Server is a running sandbox. All its methods are safe for concurrent use.
type Server struct {
	cfg Config // a copy; Entities is not used after New

	mu sync.Mutex // guards st: a request's records are applied under it as one unit
	st *store

	onix *onixState // the Onix Work surface; guarded by its own mutex

	state         sync.Mutex // guards the fields below and every *Request and *task
	log           []*Request // the latest cfg.LogRequests requests
	logged        int        // requests logged since the start, dropped ones included
	apiSeq        uint64
	tokens        map[string]time.Time // issued token -> expiry
	tokenRequests int
	tasks         map[int64]*task
	nextTask      int64
	bucket        *rate.Limiter // faults.max_rps; nil: no limit
	closed        bool

	ctx    context.Context // ends at Close; background tasks watch it
	cancel context.CancelFunc
	wg     sync.WaitGroup // background tasks

	now   func() time.Time                                 // the clock; tests replace it before use
	sleep func(ctx context.Context, d time.Duration) error // background task steps; nil: a timer

	httpSrv   *http.Server
	url       string
	closeOnce sync.Once
	closeErr  error
}

// New validates cfg (nil: DefaultConfig) and builds a sandbox with its seeded records. Serve
// it with Handler (e.g. under httptest.NewServer) or use Start; call Close when done, which
// stops its background tasks.
func New(cfg *Config) (*Server, error) {
	if cfg == nil {
		cfg = DefaultConfig()
	}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("sandbox config: %w", err)
	}
	m, _ := buildModel(cfg)
	st, _ := newStore(m, cfg)
	c := *cfg
	c.Tokens = slices.Clone(cfg.Tokens)
	c.OAuth2.Clients = maps.Clone(cfg.OAuth2.Clients)
	c.Entities = nil
	c.OnixWork = cfg.OnixWork.clone()
	s := &Server{cfg: c, st: st, tokens: map[string]time.Time{}, tasks: map[int64]*task{},
		nextTask: firstTaskID, now: time.Now, onix: newOnixState(cfg.OnixWork)}
	if f := c.Faults; f.MaxRPS > 0 {
		burst := f.RateBurst
		if burst == 0 {
			burst = f.MaxRPS
		}
		s.bucket = rate.NewLimiter(rate.Limit(f.MaxRPS), burst)
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	return s, nil
}

// Start builds a sandbox with New and serves it on addr ("127.0.0.1:0" picks a free port). It
// refuses any host but a loopback one (127.0.0.0/8, ::1, localhost): the sandbox accepts fixed,
// published credentials.
func Start(cfg *Config, addr string) (*Server, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("sandbox address %q: %w", addr, err)
	}
	ip := net.ParseIP(host)
	switch {
	case strings.EqualFold(host, "localhost"):
		addr = "127.0.0.1" + addr[len(host):]
	case ip == nil || !ip.IsLoopback():
		return nil, fmt.Errorf("sandbox address %q: refusing a host that is not loopback (use 127.0.0.1, ::1 or localhost)", addr)
	}
	s, err := New(cfg)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	s.url = "http://" + ln.Addr().String()
	s.httpSrv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.httpSrv.Serve(ln) }()
	return s, nil
}

// URL is the base URL of a sandbox made by Start ("http://127.0.0.1:PORT"); "" otherwise.
func (s *Server) URL() string { return s.url }

// Handler is the sandbox's HTTP handler (the Server itself).
func (s *Server) Handler() http.Handler { return s }

// Close stops the listener of Start (closing open connections) and the background tasks, and
// waits for the tasks to stop. It may be called more than once.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		s.state.Lock()
		s.closed = true
		s.state.Unlock()
		s.cancel()
		if s.httpSrv != nil {
			s.closeErr = s.httpSrv.Close()
		}
		s.wg.Wait()
	})
	return s.closeErr
}

// ServeHTTP serves the On Key API under /api/tenants/{client}/{connection}/ with its token
// endpoint, the Onix Work OpenAPI under /v1/ with its token endpoint, and the inspection
// endpoints under /_sandbox/.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/_sandbox/") {
		s.serveInspect(w, r)
		return
	}
	api := hasPrefixFold(r.URL.Path, "/api/")
	onixToken := strings.EqualFold(strings.TrimSuffix(r.URL.Path, "/"), OnixTokenPath)
	onix := !onixToken && hasPrefixFold(r.URL.Path, onixPrefix)
	entry, seq := s.begin(r, api || onix)
	sw := &statusWriter{ResponseWriter: w}
	defer func() {
		done := time.Now()
		s.noteEntry(entry, func(e *Request) {
			if e.Status == 0 {
				e.Status = sw.status
			}
			e.Done = done
		})
	}()
	switch {
	case strings.TrimSuffix(r.URL.Path, "/") == TokenPath:
		s.handleToken(sw, r)
	case onixToken:
		s.handleOnixToken(sw, r)
	case api:
		s.serveAPI(sw, r, entry, seq, s.onKeySurface())
	case onix:
		s.serveAPI(sw, r, entry, seq, s.onixSurface())
	default:
		writeNotification(sw, http.StatusNotFound, errMsg(CodeNotFound, "Nothing is served at "+r.URL.Path+"."))
	}
}

// surface is what differs between the APIs the sandbox serves (On Key, Onix Work) once faults
// are applied: how an error is written, how a call is authorized, and where it is routed.
type surface struct {
	// fail answers status with an error body in the API's shape (code is On Key's).
	fail func(w http.ResponseWriter, status int, code, text string)
	// authorize reports whether r may proceed; when not, it has answered (401).
	authorize func(w http.ResponseWriter, r *http.Request) bool
	route     func(w http.ResponseWriter, r *http.Request, entry *Request)
}

// onKeySurface is the On Key API under /api/tenants/{client}/{connection}/.
func (s *Server) onKeySurface() surface {
	return surface{
		fail: func(w http.ResponseWriter, status int, code, text string) {
			writeNotification(w, status, errMsg(code, text))
		},
		authorize: func(w http.ResponseWriter, r *http.Request) bool {
			if s.authorized(r) {
				return true
			}
			refuse(w, r)
			return false
		},
		route: s.route,
	}
}

// serveAPI applies the faults planned for the seq-th API call (On Key and Onix Work calls are
// counted together), checks the token, and routes.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request, entry *Request, seq uint64, api surface) {
	plan := s.cfg.Faults.plan(seq)
	if retryAfter, limited := s.rateLimited(); limited {
		s.noteEntry(entry, func(e *Request) { e.Fault = FaultRateLimit })
		w.Header().Set("Retry-After", fmt.Sprint(retryAfter))
		api.fail(w, http.StatusTooManyRequests, CodeRateLimited, fmt.Sprintf("More than %d requests per second.", s.cfg.Faults.MaxRPS))
		return
	}
	if plan.latency > 0 {
		s.noteEntry(entry, func(e *Request) { e.Latency = plan.latency })
		if sleepCtx(r.Context(), plan.latency) != nil {
			return
		}
	}
	if plan.kind != "" && plan.kind != FaultDropResponse {
		s.noteEntry(entry, func(e *Request) { e.Fault = plan.kind })
		s.injectFault(w, plan.kind, api.fail)
		return
	}
	if !api.authorize(w, r) {
		return
	}
	if plan.kind == FaultDropResponse {
		var buf bufferedWriter
		api.route(&buf, r, entry)
		s.noteEntry(entry, func(e *Request) { e.Fault, e.Status = plan.kind, buf.status })
		resetConn(w)
		return
	}
	api.route(w, r, entry)
}

// route dispatches an authorized API call by its path (segments compared case-insensitively).
func (s *Server) route(w http.ResponseWriter, r *http.Request, entry *Request) {
	segs := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if len(segs) < 4 || !strings.EqualFold(segs[1], "tenants") {
		writeNotification(w, http.StatusNotFound, errMsg(CodeNotFound, "The API base is /api/tenants/{client}/{connection}/."))
		return
	}
	if !strings.EqualFold(segs[2], s.cfg.Tenant) || !strings.EqualFold(segs[3], s.cfg.Connection) {
		writeNotification(w, http.StatusNotFound, errMsg(CodeNotFound,
			fmt.Sprintf("No tenant %s/%s here; this sandbox serves %s/%s.", segs[2], segs[3], s.cfg.Tenant, s.cfg.Connection)))
		return
	}
	rest := segs[4:]
	lower := make([]string, len(rest))
	for i, x := range rest {
		lower[i] = strings.ToLower(x)
	}
	is := func(p ...string) bool { return slices.Equal(lower, p) }
	switch {
	case is("modules", "system", "imports"):
		s.handleImport(w, r, entry)
	case is("modules", "system", "existschecks"):
		s.handleExists(w, r, entry)
	case len(lower) == 4 && lower[0] == "modules" && lower[1] == "system" && lower[2] == "backgroundtasks":
		s.handleTask(w, r, rest[3])
	case len(lower) == 2 && lower[0] == "backgroundtasks":
		s.handleTask(w, r, rest[1])
	case len(lower) == 3 && lower[0] == "modules":
		if em := s.st.m.byEndpoint(rest[1], rest[2]); em != nil {
			s.handleBatch(w, r, em, entry)
			return
		}
		fallthrough
	default:
		writeNotification(w, http.StatusNotFound, errMsg(CodeNotFound, "No resource is served at "+r.URL.Path+"."))
	}
}

// allowMethods answers 405 and returns false unless r's method is one of methods.
func allowMethods(w http.ResponseWriter, r *http.Request, methods ...string) bool {
	if slices.Contains(methods, r.Method) {
		return true
	}
	w.Header().Set("Allow", strings.Join(methods, ", "))
	writeNotification(w, http.StatusMethodNotAllowed, errMsg(CodeMethodNotAllowed,
		fmt.Sprintf("%s is not allowed here; use %s.", r.Method, strings.Join(methods, " or "))))
	return false
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// statusWriter remembers the status written; Unwrap lets http.ResponseController reach the
// connection (for resets).
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
