package safetext

import "strings"

// ShellWord is s as one POSIX shell word, for a command a message suggests
// copying: as it is when it holds only letters, digits and . _ - / (an
// entry point, a path), else in single quotes, so that a space does not
// split it and a template token's $ is not expanded.
func ShellWord(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
