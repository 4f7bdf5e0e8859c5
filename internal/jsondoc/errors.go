package jsondoc

import (
	"fmt"
	"unicode/utf8"
)

// SyntaxError is an error for input that is not valid JSON, including invalid UTF-8,
// unpaired UTF-16 surrogate escapes and data after the top-level value.
type SyntaxError struct {
	// Offset is the byte offset in the input where the problem was found.
	Offset int
	// Msg describes the problem, for example "found '}' where a value was expected".
	Msg string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("invalid JSON at byte offset %d: %s", e.Offset, e.Msg)
}

// DuplicateKeyError is an error for an object that contains the same key twice.
// Keys are compared after decoding escapes, so "a" and "\u0061" are duplicates.
type DuplicateKeyError struct {
	Key string
	// Offset is the byte offset of the repeated key, and FirstOffset that of the
	// earlier key with the same name.
	Offset      int
	FirstOffset int
}

func (e *DuplicateKeyError) Error() string {
	return fmt.Sprintf("invalid JSON at byte offset %d: duplicate key %q, first defined at byte offset %d; "+
		"remove one of them, because an object with repeated keys has no single meaning",
		e.Offset, e.Key, e.FirstOffset)
}

// DepthError is an error for arrays and objects nested deeper than MaxDepth.
type DepthError struct {
	// Offset is the byte offset of the '[' or '{' that opens level MaxDepth+1.
	Offset int
}

func (e *DepthError) Error() string {
	return fmt.Sprintf("invalid JSON at byte offset %d: arrays and objects are nested deeper than the maximum of %d levels; "+
		"reduce the nesting", e.Offset, MaxDepth)
}

// NotObjectError is the error from NormalizeObject and ParseObject for a valid JSON
// document whose top-level value is not an object.
type NotObjectError struct {
	// Found is the kind of value found: "an array", "a string", "a number",
	// "a boolean" or "null".
	Found string
}

func (e *NotObjectError) Error() string {
	return fmt.Sprintf("the document must be a JSON object ({...}), but found %s", e.Found)
}

// MergeConflictError is the error from Object.Merge when both objects have a member
// with the same key.
type MergeConflictError struct {
	Key string
}

func (e *MergeConflictError) Error() string {
	return fmt.Sprintf("cannot merge JSON objects: key %q is present in both; remove it from one of them", e.Key)
}

// describeValueKind returns the NotObjectError.Found text for the canonical encoding
// of a value, which starts with the value's first byte.
func describeValueKind(canonical []byte) string {
	switch canonical[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	default:
		return "a number"
	}
}

// describeInput names the character at data[pos] for an error message.
func describeInput(data []byte, pos int) string {
	if pos >= len(data) {
		return "end of input"
	}
	c := data[pos]
	if c < utf8.RuneSelf {
		return fmt.Sprintf("%q", rune(c))
	}
	r, size := utf8.DecodeRune(data[pos:])
	if r == utf8.RuneError && size == 1 {
		return fmt.Sprintf("invalid UTF-8 byte 0x%02x", c)
	}
	return fmt.Sprintf("%q (%U)", r, r)
}
