// Package jsondoc compares JSON documents by meaning and encodes them in a canonical form.
//
// Two documents are equal when they differ only in object key order, insignificant
// whitespace, the spelling of string escapes and the spelling of numbers. Values, types,
// array order and the difference between null and a missing key all count. Numbers are
// compared exactly as decimals, never through float64, so 9007199254740993 and
// 9007199254740992 differ.
//
// The canonical form is:
//   - no whitespace between tokens;
//   - object members sorted by the bytes of their decoded UTF-8 keys;
//   - strings as UTF-8, escaping only '"', '\' and the control characters U+0000 to
//     U+001F. The escapes are \", \\, \b, \f, \n, \r and \t where they exist, and \u00xx
//     with lowercase hex otherwise. '<', '>', '&', U+007F, U+2028 and U+2029 are not
//     escaped;
//   - numbers as their exact decimal value with every significant digit and no leading
//     or trailing zeros. When the decimal exponent of the first significant digit is
//     from -6 to 20 the number is in plain notation (100, 0.5, 0.000001), and otherwise
//     in exponent notation (1e+21, 1.5e-7). These are the bounds of ECMAScript's
//     Number::toString. Zero, including -0, is 0.
//
// The parser rejects some input that other parsers accept: duplicate keys in one object,
// whose meaning RFC 8259 leaves open, invalid UTF-8, and \u escapes of unpaired UTF-16
// surrogates such as "\ud800", which have no UTF-8 encoding. It also rejects nesting
// deeper than MaxDepth.
package jsondoc

import (
	"bytes"
	"fmt"
	"sync"
)

// MaxDepth is the deepest nesting of arrays and objects accepted: "[]" has depth 1 and
// "[[]]" depth 2. The limit bounds the parser's recursion on hostile input.
const MaxDepth = 1000

// Normalize returns the canonical encoding of the JSON value in data. See the package
// documentation for the canonical form and the input it rejects. The error is a
// *SyntaxError, *DuplicateKeyError or *DepthError.
func Normalize(data []byte) ([]byte, error) {
	p := getParser()
	defer putParser(p)
	return p.parse(data, make([]byte, 0, len(data)))
}

// NormalizeObject is Normalize for documents whose top-level value must be an object.
// For any other valid value it returns a *NotObjectError.
func NormalizeObject(data []byte) ([]byte, error) {
	out, err := Normalize(data)
	if err != nil {
		return nil, err
	}
	if out[0] != '{' {
		return nil, &NotObjectError{Found: describeValueKind(out)}
	}
	return out, nil
}

// Equal reports whether a and b encode the same JSON value. It returns an error,
// wrapping the one from Normalize, if either is not valid.
func Equal(a, b []byte) (bool, error) {
	pa := getParser()
	defer putParser(pa)
	canonicalA, err := pa.parseIntoOwnBuffer(a)
	if err != nil {
		return false, fmt.Errorf("first document: %w", err)
	}
	if bytes.Equal(a, b) {
		// Identical input needs validating only once.
		return true, nil
	}

	pb := getParser()
	defer putParser(pb)
	canonicalB, err := pb.parseIntoOwnBuffer(b)
	if err != nil {
		return false, fmt.Errorf("second document: %w", err)
	}

	return bytes.Equal(canonicalA, canonicalB), nil
}

// parserPool keeps parsers with their work buffers, so that calls on documents of
// similar size allocate little after the first.
var parserPool = sync.Pool{New: func() any { return new(parser) }}

func getParser() *parser {
	p, ok := parserPool.Get().(*parser)
	if !ok {
		p = new(parser)
	}
	return p
}

func putParser(p *parser) {
	// The input and output belong to the caller, so the pool must not keep them alive.
	p.data = nil
	p.out = nil
	clear(p.top)
	p.top = p.top[:0]
	parserPool.Put(p)
}
