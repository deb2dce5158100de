//go:build !windows

package cmd

import "os"

// enableEscapeCodes: terminals outside Windows render escape codes as they are.
func enableEscapeCodes(*os.File) bool { return true }
