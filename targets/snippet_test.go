package targets

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bulkload/bulkload/targets/internal/hostile"
)

func TestSnippet(t *testing.T) {
	tests := []struct {
		name string
		body string
		want string
	}{
		{name: "empty", body: "", want: "(empty body)"},
		{name: "white space only", body: " \r\n\t ", want: "(empty body)"},
		{name: "short JSON stays as it is", body: `{"oops":1}`, want: `{"oops":1}`},
		{name: "line breaks become spaces", body: "{\r\n  \"a\": 1,\n\n  \"b\": 2\n}\n", want: `{ "a": 1, "b": 2 }`},
		{name: "HTML page with a title", body: hostile.LoginPage, want: `an HTML page titled "Sign in – Acme SSO"`},
		{name: "nginx error page", body: hostile.ErrorPage, want: `an HTML page titled "500 Internal Server Error"`},
		{name: "title in upper case over lines", body: "<!DOCTYPE HTML>\n<HTML><HEAD><TITLE>\n  Service\n  Unavailable &amp; more\n</TITLE>", want: `an HTML page titled "Service Unavailable & more"`},
		{name: "HTML without a title is shown as it is", body: "<html>unsupported</html>", want: "<html>unsupported</html>"},
		{name: "an XML answer is not an HTML page", body: "<error><title>x</title></error>", want: "<error><title>x</title></error>"},
		{name: "long title cut", body: "<html><title>" + strings.Repeat("t", 150) + "</title>", want: `an HTML page titled "` + strings.Repeat("t", 100) + `…"`},
		{name: "long body cut at 200 characters", body: strings.Repeat("ab", 150), want: strings.Repeat("ab", 100) + "…"},
		{name: "exactly 200 characters", body: strings.Repeat("é", 200), want: strings.Repeat("é", 200)},
		{name: "cut between characters, not bytes", body: strings.Repeat("é", 201), want: strings.Repeat("é", 200) + "…"},
		{name: "no space before the ellipsis", body: strings.Repeat("x", 199) + "  yz", want: strings.Repeat("x", 199) + "…"},
		{name: "bytes that are not UTF-8 and control characters", body: "\x00a\xffb\x1b[0m\u202ec", want: "\ufffda\ufffdb\ufffd[0m\ufffdc"},
		{name: "huge body: only its start is looked at", body: strings.Repeat("z", 1<<20), want: strings.Repeat("z", 200) + "…"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Snippet([]byte(tc.body))
			if got != tc.want {
				t.Errorf("Snippet:\n got  %q\n want %q", got, tc.want)
			}
			if !utf8.ValidString(got) || strings.ContainsAny(got, "\r\n\t") || utf8.RuneCountInString(got) > 230 {
				t.Errorf("Snippet %q: not one short line of UTF-8", got)
			}
		})
	}
}
