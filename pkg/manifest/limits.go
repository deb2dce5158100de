package manifest

// Limits on input, so a hostile or broken file costs bounded memory and time.
// Real manifests are a few KiB and nest fewer than 15 elements deep.
const (
	MaxFileSize = 10 << 20 // bytes
	MaxDepth    = 256      // nested elements
	// MaxAttributes bounds the attributes of one element; the Package
	// element of a real manifest, with its namespace declarations, has
	// about 30.
	MaxAttributes = 1000
)
