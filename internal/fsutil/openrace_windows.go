package fsutil

import (
	"errors"

	"golang.org/x/sys/windows"
)

// openRaced says whether opening a lock file failed only because another
// process is removing it: os.Remove holds the file open with DELETE access
// for a moment, and an open that does not share delete access (Go's never
// does) fails meanwhile with a sharing violation.
func openRaced(err error) bool { return errors.Is(err, windows.ERROR_SHARING_VIOLATION) }
