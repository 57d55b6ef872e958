package main

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"golang.org/x/term"
)

// progressMode is the mode the flags ask for: none with --quiet or --no-progress (unless
// --progress names one), else --progress.
func (o validateOptions) progressMode() (string, error) {
	mode := strings.ToLower(o.progress)
	if !slices.Contains(progressModes, mode) {
		return "", fmt.Errorf("--progress %q: want one of %s", o.progress, strings.Join(progressModes, ", "))
	}
	if o.every <= 0 {
		return "", fmt.Errorf("--progress-interval %v: must be more than 0", o.every)
	}
	if o.noProgress || (o.quiet && mode == progressAuto) {
		return progressNone, nil
	}
	return mode, nil
}

// terminalWidth measures the columns of the terminal f, 80 when it cannot tell.
func terminalWidth(f *os.File) func() int {
	return func() int {
		if w, _, err := term.GetSize(int(f.Fd())); err == nil && w > 0 {
			return w
		}
		return 80
	}
}
