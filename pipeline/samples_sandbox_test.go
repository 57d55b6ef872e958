package pipeline_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/bulkload/bulkload/pipeline"
	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/report"
	"github.com/bulkload/bulkload/sandbox"
	"github.com/bulkload/bulkload/spec"
)

// Every sample, dry run and then run against the sandbox: every request body the sandbox
// received is byte for byte one in the dry run's payloads/, with the same method, URL and
// content type, and every body in payloads/ was received. An Onix Work child whose mapping reads
// its parent's id (orderId: parent.id) is compared after the same remap: its payload with the id
// the sandbox answered for its order, where the mapping puts it.
func TestSamplesSendTheirPayloads(t *testing.T) {
	specs, err := filepath.Glob("../samples/*/job.yaml")
	if err != nil || len(specs) < 4 {
		t.Fatalf("samples: %v (found %d)", err, len(specs))
	}
	for _, path := range specs {
		t.Run(filepath.Base(filepath.Dir(path)), func(t *testing.T) {
			cfg := sandbox.DefaultConfig()
			sb, err := sandbox.New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer sb.Close()
			log := &bodyLog{}
			srv := httptest.NewServer(log.wrap(sb.Handler()))
			defer srv.Close()
			user := slices.Sorted(maps.Keys(cfg.OnixWork.Users))[0]
			env := map[string]string{"ONKEY_URL": srv.URL, "ONKEY_TENANT": cfg.Tenant, "ONKEY_CONNECTION": cfg.Connection,
				"ONKEY_TOKEN": cfg.Tokens[0], "ONIX_URL": srv.URL, "ONIX_USERNAME": user, "ONIX_PASSWORD": cfg.OnixWork.Users[user]}
			job, err := spec.Load(path, func(k string) (string, bool) { v, ok := env[k]; return v, ok })
			if err != nil {
				t.Fatal(err)
			}
			dry := filepath.Join(t.TempDir(), "dry")
			if _, err := pipeline.DryRun(t.Context(), job, pipeline.Options{RunDir: dry}); err != nil {
				t.Fatal(err)
			}
			want := readPayloads(t, filepath.Join(dry, report.PayloadsDir))
			out, err := pipeline.Run(t.Context(), job, pipeline.RunOptions{Options: pipeline.Options{RunDir: filepath.Join(t.TempDir(), "run")},
				Getenv: func(k string) string { return env[k] }})
			if err != nil {
				t.Fatal(err)
			}
			got := log.sent()
			if len(got) == 0 || len(got) != len(want) {
				t.Errorf("the sandbox received %d requests, payloads/ holds %d", len(got), len(want))
			}
			ids := orderIDs(got)
			left := map[string]int{} // payload requests not yet received, by method, URL, type and body
			for _, w := range want {
				left[w.key()]++
			}
			for _, g := range got {
				k := g.key()
				if left[k] == 0 {
					k = unremapped(g, ids).key()
				}
				if left[k] == 0 {
					t.Errorf("the sandbox received a request that is not in payloads/: %s %s %s\n%s", g.method, g.url, g.contentType, g.body)
					continue
				}
				left[k]--
			}
			for k, n := range left {
				if n > 0 {
					t.Errorf("%d request(s) in payloads/ never reached the sandbox: %s", n, k)
				}
			}
			if out.Summary.Count(record.Succeeded) == 0 {
				t.Errorf("no record succeeded: %+v", out.Summary)
			}
		})
	}
}

// request is one request: as payloads/ gives it, or as the sandbox received it (with the
// answer's body).
type request struct {
	method, url, contentType string
	body, answer             []byte
}

func (r request) key() string {
	return r.method + " " + r.url + " " + r.contentType + "\n" + string(r.body)
}

// bodyLog records the requests that reach a handler under /api/ and /v1/ (the token endpoints'
// left out), with their answers.
type bodyLog struct {
	mu   sync.Mutex
	reqs []request
}

func (l *bodyLog) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		maps.Copy(w.Header(), rec.Header())
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
		p := strings.ToLower(r.URL.Path)
		if strings.HasSuffix(p, "/token") || !strings.HasPrefix(p, "/api/") && !strings.HasPrefix(p, "/v1/") || r.Method == http.MethodGet {
			return
		}
		if strings.Contains(r.Header.Get("Content-Type"), "entityexistscheckcollection") {
			return // the preflight's and the settling's lookups: no record's request
		}
		u := "http://" + r.Host + r.URL.RequestURI()
		l.mu.Lock()
		l.reqs = append(l.reqs, request{r.Method, u, r.Header.Get("Content-Type"), body, rec.Body.Bytes()})
		l.mu.Unlock()
	})
}

func (l *bodyLog) sent() []request {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.reqs)
}

// readPayloads reads payloads/ as its index lists the requests.
func readPayloads(t *testing.T, dir string) []request {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "index.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	lines := map[string][][]byte{}
	var out []request
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var l struct {
			File, Method, URL, ContentType string
			Line                           int
		}
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(dir, l.File))
		if err != nil {
			t.Fatal(err)
		}
		if l.Line > 0 { // one body per line
			if lines[l.File] == nil {
				lines[l.File] = bytes.SplitAfter(b, []byte("\n"))
			}
			b = bytes.TrimSuffix(lines[l.File][l.Line-1], []byte("\n"))
		}
		out = append(out, request{method: l.Method, url: l.URL, contentType: l.ContentType, body: b})
	}
	return out
}

// orderIDs maps each order's orderImportId to the id the sandbox answered for it.
func orderIDs(reqs []request) map[string]string {
	ids := map[string]string{}
	for _, r := range reqs {
		if !strings.HasSuffix(strings.ToLower(r.url), "/v1/orders") {
			continue
		}
		var order struct{ OrderImportID string }
		answer := bytes.TrimSpace(r.answer)
		if json.Unmarshal(r.body, &order) == nil && regexp.MustCompile(`^\d+$`).Match(answer) {
			ids[order.OrderImportID] = string(answer)
		}
	}
	return ids
}

// parentID is the leading orderId a child's mapping put in from its parent's result.
var parentID = regexp.MustCompile(`^\{"orderId":(\d+),`)

// unremapped is r without the parent's id its remap put in front, when that is the id the
// sandbox answered for the order it names; otherwise r.
func unremapped(r request, ids map[string]string) request {
	m := parentID.FindSubmatch(r.body)
	if m == nil {
		return r
	}
	rest := append([]byte("{"), r.body[len(m[0]):]...)
	var line struct{ OrderImportID string }
	if json.Unmarshal(rest, &line) != nil || ids[line.OrderImportID] != string(m[1]) {
		return r
	}
	r.body = rest
	return r
}
