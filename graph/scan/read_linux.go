package scan

import (
	"io/fs"
	"syscall"
)

// readWhole reads a file with four system calls (open, fstat, read,
// close). os.Open adds a fifth, registering the descriptor with the
// poller, which fails for regular files, and an os.File with a finalizer:
// a large workspace's scan is mostly system calls.
// size < 0 returns the size of a file over maxSize without reading it.
func readWhole(path string, maxSize int64) (data []byte, size, mtime int64, err error) {
	var fd int
	for {
		fd, err = syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return nil, 0, 0, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		return nil, 0, 0, &fs.PathError{Op: "stat", Path: path, Err: err}
	}
	size, mtime = st.Size, st.Mtim.Nano()
	if size > maxSize {
		return nil, size, mtime, errTooBig
	}
	data = make([]byte, size)
	n := 0
	// A file that shrank since the stat is read as it is now.
	for n < len(data) {
		m, err := syscall.Read(fd, data[n:])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, 0, 0, &fs.PathError{Op: "read", Path: path, Err: err}
		}
		if m == 0 {
			break
		}
		n += m
	}
	return data[:n], size, mtime, nil
}
