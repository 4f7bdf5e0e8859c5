package jsondoc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzNormalize checks Normalize, Equal and ParseObject against each other and against
// encoding/json, on a pair of inputs.
func FuzzNormalize(f *testing.F) {
	seeds := [][2]string{
		{`{"a":1,"b":[true,false,null]}`, `{"b":[true,false,null],"a":1.0}`},
		{`{"html":"\u003cb\u003e"}`, `{"html":"<b>"}`},
		{`"\ud83d\ude00\u00e9\/"`, `"😀é/"`},
		{`[1,1.0,1e0,10E-1,0.1e1,-0]`, `[1,1,1,1,1,0]`},
		{`9007199254740993`, `9007199254740992`},
		{`0.1000000000000000055511151231257827`, `0.1`},
		{`1e999999999`, `10e999999998`},
		{`1e99999999999999999999`, `1e-99999999999999999999`},
		{`{"a":null}`, `{}`},
		{`{"a":1,"a":2}`, `{"a":2}`},
		{`"\ud800"`, `"\ufffd"`},
		{"\"\xff\"", `""`},
		{`[[[[[[]]]]]]`, `[[[[[[]]]]]] x`},
		{`{"updated":1700000000000,"updatedBy":"bot","name":"x"}`, `{"name":"x"}`},
	}
	for _, seed := range seeds {
		f.Add([]byte(seed[0]), []byte(seed[1]))
	}

	f.Fuzz(func(t *testing.T, x, y []byte) {
		checkNormalize(t, x)
		checkNormalize(t, y)
		checkEqualSymmetric(t, x, y)
	})
}

// checkNormalize checks the properties of Normalize on one input.
func checkNormalize(t *testing.T, x []byte) {
	canonical, err := Normalize(x)
	reference, clean := decodeReference(x)
	if err != nil {
		if clean {
			t.Fatalf("Normalize(%q) returned %v, but encoding/json accepts it without duplicate keys, "+
				"invalid UTF-8, unpaired surrogates or too much nesting", x, err)
		}
		return
	}

	if !json.Valid(x) {
		t.Fatalf("Normalize(%q) accepted input that encoding/json rejects", x)
	}
	if !utf8.Valid(x) {
		t.Fatalf("Normalize(%q) accepted invalid UTF-8", x)
	}
	if !json.Valid(canonical) {
		t.Fatalf("Normalize(%q) = %q, which is not valid JSON", x, canonical)
	}
	again, err := Normalize(canonical)
	if err != nil {
		t.Fatalf("Normalize(%q), the canonical form of %q, returned error: %v", canonical, x, err)
	}
	if !bytes.Equal(again, canonical) {
		t.Fatalf("Normalize is not idempotent on %q: first %q, then %q", x, canonical, again)
	}
	for _, pair := range [][2][]byte{{x, canonical}, {canonical, x}} {
		if equal, err := Equal(pair[0], pair[1]); err != nil || !equal {
			t.Fatalf("Equal(%q, %q) = %v, %v, want true, nil", pair[0], pair[1], equal, err)
		}
	}

	// An empty indent keeps json.Indent linear on deeply nested input.
	var indented bytes.Buffer
	if err := json.Indent(&indented, x, "\r\t ", ""); err != nil {
		t.Fatalf("json.Indent(%q) returned error: %v", x, err)
	}
	if equal, err := Equal(x, indented.Bytes()); err != nil || !equal {
		t.Fatalf("Equal(%q, %q), which differ only in whitespace, = %v, %v, want true, nil", x, indented.Bytes(), equal, err)
	}

	if clean {
		decoded, _ := decodeReference(canonical)
		if problem := compareDecoded(reference, decoded); problem != "" {
			t.Fatalf("encoding/json decodes %q and its canonical form %q differently: %s", x, canonical, problem)
		}
	}
	if canonical[0] == '{' {
		checkObject(t, x, canonical)
	}
}

// checkObject checks that ParseObject agrees with Normalize, and that removing a member
// and merging it back restores the object.
func checkObject(t *testing.T, x, canonical []byte) {
	o, err := ParseObject(x)
	if err != nil {
		t.Fatalf("ParseObject(%q) returned %v, but Normalize accepts it", x, err)
	}
	if !bytes.Equal(o.Canonical(), canonical) {
		t.Fatalf("ParseObject(%q).Canonical() = %q, want %q", x, o.Canonical(), canonical)
	}
	keys := o.Keys()
	if len(keys) == 0 {
		return
	}
	key := keys[len(keys)/2]
	value, found := o.Member(key)
	if !found {
		t.Fatalf("ParseObject(%q).Member(%q) found nothing, but Keys() lists it", x, key)
	}
	single := appendString([]byte("{"), []byte(key), false)
	single = append(append(append(single, ':'), value...), '}')
	member, err := ParseObject(single)
	if err != nil {
		t.Fatalf("ParseObject(%q) returned error: %v", single, err)
	}
	restored, err := o.Without(key).Merge(member)
	if err != nil {
		t.Fatalf("Without(%q).Merge(%q) returned error: %v", key, single, err)
	}
	if !bytes.Equal(restored.Canonical(), canonical) {
		t.Fatalf("Without(%q).Merge(%q) = %q, want %q", key, single, restored.Canonical(), canonical)
	}
}

// checkEqualSymmetric checks that Equal gives the same result in both orders and agrees
// with comparing the canonical forms.
func checkEqualSymmetric(t *testing.T, x, y []byte) {
	forward, errForward := Equal(x, y)
	backward, errBackward := Equal(y, x)
	if forward != backward || (errForward == nil) != (errBackward == nil) {
		t.Fatalf("Equal(%q, %q) = %v, %v but Equal(%q, %q) = %v, %v", x, y, forward, errForward, y, x, backward, errBackward)
	}
	canonicalX, errX := Normalize(x)
	canonicalY, errY := Normalize(y)
	if (errForward == nil) != (errX == nil && errY == nil) {
		t.Fatalf("Equal(%q, %q) returned error %v, but Normalize returned %v and %v", x, y, errForward, errX, errY)
	}
	if errForward == nil && forward != bytes.Equal(canonicalX, canonicalY) {
		t.Fatalf("Equal(%q, %q) = %v, but the canonical forms are %q and %q", x, y, forward, canonicalX, canonicalY)
	}
}

// decodeReference decodes x with encoding/json, keeping numbers as json.Number. clean
// reports that x is valid JSON that Normalize must accept: json.Valid accepts it, and
// it has no duplicate keys, no nesting deeper than MaxDepth and no U+FFFD in a decoded
// string. encoding/json decodes invalid UTF-8 and unpaired surrogates to U+FFFD, so this
// also excludes every input that Normalize rejects for those, and a few that it accepts.
func decodeReference(x []byte) (value any, clean bool) {
	if !json.Valid(x) {
		return nil, false
	}
	decoder := json.NewDecoder(bytes.NewReader(x))
	decoder.UseNumber()
	value, err := decodeValue(decoder, 0)
	if err != nil {
		return nil, false
	}
	if _, err := decoder.Token(); err != io.EOF {
		return nil, false
	}
	return value, true
}

var errNotClean = errors.New("input is outside what Normalize must accept")

func decodeValue(decoder *json.Decoder, depth int) (any, error) {
	token, err := decoder.Token()
	if err != nil {
		return nil, err
	}
	switch token := token.(type) {
	case json.Delim:
		if depth+1 > MaxDepth {
			return nil, errNotClean
		}
		if token == '[' {
			return decodeArray(decoder, depth+1)
		}
		return decodeObject(decoder, depth+1)
	case string:
		if strings.ContainsRune(token, utf8.RuneError) {
			return nil, errNotClean
		}
		return token, nil
	default:
		return token, nil
	}
}

func decodeArray(decoder *json.Decoder, depth int) (any, error) {
	array := []any{}
	for decoder.More() {
		element, err := decodeValue(decoder, depth)
		if err != nil {
			return nil, err
		}
		array = append(array, element)
	}
	_, err := decoder.Token() // ']'
	return array, err
}

func decodeObject(decoder *json.Decoder, depth int) (any, error) {
	object := map[string]any{}
	for decoder.More() {
		token, err := decoder.Token()
		if err != nil {
			return nil, err
		}
		key, ok := token.(string)
		if !ok {
			return nil, fmt.Errorf("object key %v is a %T, not a string", token, token)
		}
		if _, duplicate := object[key]; duplicate || strings.ContainsRune(key, utf8.RuneError) {
			return nil, errNotClean
		}
		object[key], err = decodeValue(decoder, depth)
		if err != nil {
			return nil, err
		}
	}
	_, err := decoder.Token() // '}'
	return object, err
}

// compareDecoded returns a description of the first difference between two values from
// decodeReference, or "" if they are equal. Numbers are compared with numbersEqual.
func compareDecoded(a, b any) string {
	switch a := a.(type) {
	case map[string]any:
		b, ok := b.(map[string]any)
		if !ok || len(a) != len(b) {
			return "objects differ in type or size"
		}
		for key, value := range a {
			if problem := compareDecoded(value, b[key]); problem != "" {
				return "member " + strconv.Quote(key) + ": " + problem
			}
		}
	case []any:
		b, ok := b.([]any)
		if !ok || len(a) != len(b) {
			return "arrays differ in type or length"
		}
		for i := range a {
			if problem := compareDecoded(a[i], b[i]); problem != "" {
				return "element " + strconv.Itoa(i) + ": " + problem
			}
		}
	case json.Number:
		b, ok := b.(json.Number)
		if !ok {
			return "number " + string(a) + " became another type"
		}
		if !numbersEqual(a, b) {
			return "number " + string(a) + " became " + string(b)
		}
	default:
		if a != b {
			return "value differs"
		}
	}
	return ""
}

// numbersEqual compares two numbers exactly with math/big. Numbers with exponents beyond
// ±1000 would make math/big allocate a lot, so for those only the exponent-free digits
// are compared.
func numbersEqual(a, b json.Number) bool {
	if !smallExponent(a) || !smallExponent(b) {
		return stripExponent(a) == stripExponent(b)
	}
	var ratA, ratB big.Rat
	if _, ok := ratA.SetString(string(a)); !ok {
		return false
	}
	if _, ok := ratB.SetString(string(b)); !ok {
		return false
	}
	return ratA.Cmp(&ratB) == 0
}

func smallExponent(n json.Number) bool {
	i := strings.IndexAny(string(n), "eE")
	if i < 0 {
		return true
	}
	exponent, err := strconv.Atoi(string(n[i+1:]))
	return err == nil && -1000 <= exponent && exponent <= 1000
}

// stripExponent returns the sign and significant digits of n, without decimal point,
// exponent or leading and trailing zeros. Zero of either sign is "0".
func stripExponent(n json.Number) string {
	s := string(n)
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		s = s[:i]
	}
	negative := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	s = strings.Replace(s, ".", "", 1)
	s = strings.Trim(s, "0")
	switch {
	case s == "":
		return "0"
	case negative:
		return "-" + s
	default:
		return s
	}
}
