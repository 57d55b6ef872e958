package rundir

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// Stamp is the time layout in the names of the run directories New makes, after the
// job's name and a dash: UTC to the millisecond, fixed width, so that names sort as times do.
const Stamp = "20060102T150405.000Z"

// LatestSuffix is what the job's name is followed by in the name of its latest link.
const LatestSuffix = "-latest"

// LatestLink is the path of the link beside the run directories of job (in base, the job's
// report.dir) that points at the run directory made last: <job>-latest. It is a relative
// symbolic link, so runs/<job>-latest/run.db is the newest run's store; where the file system
// has no symbolic links it is a small file holding the run directory's name and a newline.
func LatestLink(base, job string) string {
	return filepath.Join(base, job+LatestSuffix)
}

// runDirName matches the name of a run directory New made for a job: the job's name, a dash
// and Stamp, or the second-resolution stamp older versions wrote (with -2, -3 ... added
// within one second).
var runDirName = regexp.MustCompile(`^(.+)-(\d{8}T\d{6}(?:\.\d{3})?Z)(?:-(\d+))?$`)

// IsNameOf says whether name is the name of a run directory New makes for job.
func IsNameOf(name, job string) bool {
	m := runDirName.FindStringSubmatch(name)
	return m != nil && m[1] == job
}

// linkLatest points the latest link of job in base at dir, replacing the link in one rename so
// that a reader finds the old target or the new one, never none. Without symbolic links it
// writes the name into a file of that name, the same way.
func linkLatest(base, job, dir string) error {
	link := LatestLink(base, job)
	if fi, err := os.Lstat(link); err == nil && fi.IsDir() {
		return fmt.Errorf("cannot point %s at the new run directory: it is a directory of its own; move it away", link)
	}
	tmp := filepath.Join(base, fmt.Sprintf(".%s%s.tmp-%d", job, LatestSuffix, os.Getpid()))
	_ = os.Remove(tmp)
	name := filepath.Base(dir)
	if err := os.Symlink(name, tmp); err != nil {
		// No symbolic links here (some Windows accounts, some network file systems): a file
		// naming the directory instead.
		if err := os.WriteFile(tmp, []byte(name+"\n"), 0o644); err != nil {
			return fmt.Errorf("latest link %s: %w", link, err)
		}
	}
	if err := os.Rename(tmp, link); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("latest link %s: %w", link, err)
	}
	return nil
}

// readLatest returns the name of the run directory the latest link at link points at, "" when
// there is no link.
func readLatest(link string) (string, error) {
	fi, err := os.Lstat(link)
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	if fi.Mode()&os.ModeSymlink != 0 {
		target, err := os.Readlink(link)
		return filepath.Base(target), err
	}
	b, err := os.ReadFile(link)
	return strings.TrimSpace(string(b)), err
}
