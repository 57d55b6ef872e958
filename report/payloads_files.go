package report

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// appenders are the open payload files of one body per line, each written through a buffer.
type appenders struct {
	dir   string
	files map[string]*appender
}

type appender struct {
	f     *os.File
	w     *bufio.Writer
	lines int
}

// append adds body and end to the file name (created on first use) and returns how many bodies
// the file then holds.
func (a *appenders) append(name string, body []byte, end byte) (int, error) {
	ap, ok := a.files[name]
	if !ok {
		f, err := os.Create(filepath.Join(a.dir, name))
		if err != nil {
			return 0, err
		}
		if a.files == nil {
			a.files = map[string]*appender{}
		}
		ap = &appender{f: f, w: bufio.NewWriterSize(f, 64<<10)}
		a.files[name] = ap
	}
	ap.lines++
	if _, err := ap.w.Write(body); err != nil {
		return 0, err
	}
	return ap.lines, ap.w.WriteByte(end)
}

func (a *appenders) close() error {
	var errs []error
	for name, ap := range a.files {
		errs = append(errs, ap.w.Flush(), ap.f.Close())
		delete(a.files, name)
	}
	return errors.Join(errs...)
}

// bucket is a file of the records of one group (depth) that wait for the groups before them:
// each a userObjectId, entity, endpoint, group and body, length-prefixed.
type bucket struct {
	f   *os.File
	w   *bufio.Writer
	buf []byte
}

func newBucket(path string) (*bucket, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	return &bucket{f: f, w: bufio.NewWriterSize(f, 64<<10)}, nil
}

func (b *bucket) add(uoid, entity, endpoint string, group int, body []byte) error {
	b.buf = b.buf[:0]
	for _, s := range []string{uoid, entity, endpoint} {
		b.buf = binary.AppendUvarint(b.buf, uint64(len(s)))
		b.buf = append(b.buf, s...)
	}
	b.buf = binary.AppendVarint(b.buf, int64(group))
	b.buf = binary.AppendUvarint(b.buf, uint64(len(body)))
	b.buf = append(b.buf, body...)
	if _, err := b.w.Write(b.buf); err != nil {
		return fmt.Errorf("payloads: %w", err)
	}
	return nil
}

// each reads the bucket back, calling fn with each record in the order added (a body of its
// own, which fn may keep), then removes it.
func (b *bucket) each(fn func(uoid, entity, endpoint string, group int, body []byte) error) error {
	defer b.discard()
	if err := b.w.Flush(); err != nil {
		return err
	}
	if _, err := b.f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	r := bufio.NewReaderSize(b.f, 64<<10)
	var strs [3]string
	for {
		for i := range strs {
			n, err := binary.ReadUvarint(r)
			if err == io.EOF && i == 0 {
				return nil
			}
			if err != nil {
				return fmt.Errorf("waiting records: %w", err)
			}
			s := make([]byte, n)
			if _, err := io.ReadFull(r, s); err != nil {
				return fmt.Errorf("waiting records: %w", err)
			}
			strs[i] = string(s)
		}
		group, err := binary.ReadVarint(r)
		if err != nil {
			return fmt.Errorf("waiting records: %w", err)
		}
		n, err := binary.ReadUvarint(r)
		if err != nil {
			return fmt.Errorf("waiting records: %w", err)
		}
		body := make([]byte, n) // fn may keep it
		if _, err := io.ReadFull(r, body); err != nil {
			return fmt.Errorf("waiting records: %w", err)
		}
		if err := fn(strs[0], strs[1], strs[2], int(group), body); err != nil {
			return err
		}
	}
}

// discard closes and removes the bucket's file.
func (b *bucket) discard() {
	b.f.Close()
	os.Remove(b.f.Name())
}
