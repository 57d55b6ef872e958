package spec

import "testing"

func TestErrorText(t *testing.T) {
	tests := []struct {
		name string
		err  Error
		want string
	}{
		{name: "full", err: Error{File: "job.yaml", Pos: Pos{14, 7}, Path: "entities[1].groupOrder", Msg: "must be >= 1"},
			want: "job.yaml:14:7: entities[1].groupOrder: must be >= 1"},
		{name: "no path", err: Error{File: "job.yaml", Pos: Pos{1, 1}, Msg: "the spec is empty"},
			want: "job.yaml:1:1: the spec is empty"},
		{name: "line only", err: Error{File: "a/job.yaml", Pos: Pos{Line: 3}, Msg: "YAML syntax: x"},
			want: "a/job.yaml:3: YAML syntax: x"},
		{name: "no position", err: Error{File: "job.yaml", Msg: "cannot read the spec: permission denied"},
			want: "job.yaml: cannot read the spec: permission denied"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestProblemsSorted(t *testing.T) {
	p := &problems{file: "j.yaml"}
	if p.sorted() != nil {
		t.Fatal("no problems must give nil")
	}
	p.add(Pos{9, 1}, "b", "late")
	p.add(Pos{2, 5}, "a", "second")
	p.add(Pos{2, 3}, "a", "first")
	p.add(Pos{9, 1}, "b", "late")
	p.add(Pos{9, 1}, "a", "late, but a comes before b")
	want := "j.yaml:2:3: a: first\nj.yaml:2:5: a: second\nj.yaml:9:1: a: late, but a comes before b\nj.yaml:9:1: b: late"
	if got := p.sorted().Error(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
