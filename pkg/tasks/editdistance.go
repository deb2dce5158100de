package tasks

import (
	"strings"

	"github.com/bgtask/bgtask/internal/textdist"
)

// editDistance is the Levenshtein distance between a and b, in bytes.
var editDistance = textdist.Levenshtein

// nearest returns the candidate a user most likely meant by typed, or "".
// A candidate qualifies when it differs only in case, names the same class in
// another namespace (the seed's Task. vs Tasks. mistake), or is within a third
// of typed's length in edits (at least 2), so unrelated names are not offered.
func nearest(typed string, candidates []string) string {
	best, bestDist := "", -1
	for _, c := range candidates {
		if c == typed {
			continue
		}
		d := editDistance(strings.ToLower(typed), strings.ToLower(c))
		if sameClass(typed, c) {
			d = 0
		} else if d > max(2, len(typed)/3) {
			continue
		}
		if bestDist < 0 || d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// sameClass reports whether two Namespace.Class names share the class.
func sameClass(a, b string) bool {
	ia, ib := strings.LastIndexByte(a, '.'), strings.LastIndexByte(b, '.')
	if ia < 0 || ib < 0 {
		return false
	}
	return a[ia+1:] != "" && a[ia+1:] == b[ib+1:]
}
