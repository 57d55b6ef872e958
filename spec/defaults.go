package spec

// The defaults of a job spec, in one place. Decoding starts from these values and overwrites
// what the spec sets; finishDefaults then fills what depends on other values.

// defaultTarget is a target before its keys are read.
func defaultTarget() Target {
	return Target{Method: "POST", Auth: Auth{Kind: "none", TokenLifetime: "60m"}}
}

// defaultSubmit is submission before the submit keys are read.
func defaultSubmit() Submit {
	return Submit{
		BatchSize:   100,
		Concurrency: 4,
		Adaptive:    true,
		Mode:        "PerRecord",
		Ordered:     true,
		Breaker:     true,
		Retries:     5,
		Timeout:     "60s",
	}
}

// defaultSource is a source before its keys are read. Format, when absent, is filled from the
// file's extension by finishDefaults.
func defaultSource() Source {
	return Source{HeaderRow: 1, Typing: defaultTyping()}
}

// defaultTyping is typing before the typing keys are read.
func defaultTyping() Typing {
	return Typing{
		Empty:      EmptyAbsent,
		Decimal:    ".",
		TrueWords:  []string{"true", "yes", "y", "1"},
		FalseWords: []string{"false", "no", "n", "0"},
		Trim:       true,
	}
}

// defaultEntity is an entity before its keys are read.
func defaultEntity() Entity {
	return Entity{GroupOrder: 1}
}

// defaultReport is the report section before its keys are read: run directories go in "runs"
// beside the spec.
func defaultReport() Report {
	return Report{Dir: "runs"}
}

// finishDefaults fills the defaults that depend on other values: an "Insert" action is stored
// as "Create", and a source without a format takes the one its file implies (see formatOf).
func finishDefaults(j *Job) {
	for i := range j.Entities {
		if j.Entities[i].Action == "Insert" {
			j.Entities[i].Action = "Create"
		}
	}
	for i := range j.Sources {
		if s := &j.Sources[i]; s.Format == "" && s.File != "" {
			s.Format = formatOf(s.File)
		} else if s.Format == "" {
			s.Format = formatOf(s.Path) // the file is missing: go by its name
		}
	}
}
