//go:build !linux

package scan

import (
	"errors"
	"io"
	"os"
)

// readWhole reads a file whole; see read_linux.go.
func readWhole(path string, maxSize int64) (data []byte, size, mtime int64, err error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, 0, 0, err
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		return nil, 0, 0, err
	}
	size, mtime = st.Size(), st.ModTime().UnixNano()
	if size > maxSize {
		return nil, size, mtime, errTooBig
	}
	data = make([]byte, size)
	// A file that shrank since the stat is read as it is now.
	n, err := io.ReadFull(fh, data)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, 0, 0, err
	}
	return data[:n], size, mtime, nil
}
