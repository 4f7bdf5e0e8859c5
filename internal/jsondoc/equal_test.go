package jsondoc

import (
	"bytes"
	"runtime"
	"slices"
	"strings"
	"testing"
)

type jsonPair struct {
	name string
	a, b string
}

// equalPairs are documents that differ only in spelling, so Equal must report true.
var equalPairs = []jsonPair{
	{"key order", `{"a":1,"b":2}`, `{"b":2,"a":1}`},
	{"nested key order", `{"x":{"a":1,"b":[{"c":1,"d":2}]}}`, `{"x":{"b":[{"d":2,"c":1}],"a":1}}`},
	{"whitespace between tokens", `{"a":[1,2],"b":{}}`, " {\n\t\"a\" : [ 1 ,\r\n 2 ] , \"b\" : { } }\n"},
	{"empty containers with whitespace", `[{},[]]`, `[ { } , [ ] ]`},
	{"escaped less-than", `"<"`, `"\u003c"`},
	{"escaped HTML characters", `"<b>&amp;</b>"`, `"\u003cb\u003e\u0026amp;\u003c/b\u003e"`},
	{"escaped non-ASCII", `"é"`, `"\u00e9"`},
	{"uppercase hex escape", `"é"`, `"\u00E9"`},
	{"escaped solidus", `"a/b"`, `"a\/b"`},
	{"escaped ASCII letter", `"A"`, `"\u0041"`},
	{"surrogate pair", `"😀"`, `"\ud83d\ude00"`},
	{"uppercase surrogate pair", `"😀"`, `"\uD83D\uDE00"`},
	{"short and long newline escape", `"\n"`, `"\u000a"`},
	{"short and long quote escape", `"\""`, `"\u0022"`},
	{"short and long backslash escape", `"\\"`, `"\u005c"`},
	{"escaped line separator", "\"\u2028\"", `"\u2028"`},
	{"escaped key", `{"a":1}`, `{"\u0061":1}`},
	{"keys sorted after decoding", `{"é":1,"z":2}`, `{"z":2,"\u00e9":1}`},
	{"one as 1.0", `1`, `1.0`},
	{"one as 1e0", `1`, `1e0`},
	{"one as 10E-1", `1`, `10E-1`},
	{"one as 0.1e1", `1`, `0.1e1`},
	{"one as 1E+0", `1`, `1E+0`},
	{"hundred as 1e2", `100`, `1e2`},
	{"negative zero", `0`, `-0`},
	{"negative zero with fraction", `0`, `-0.0`},
	{"zero with exponent", `0`, `0e10`},
	{"zero with huge exponent", `0`, `-0.000e-99999999999999999999999`},
	{"half", `0.5`, `5e-1`},
	{"trailing fraction zeros", `1.25`, `1.2500`},
	{"negative fraction", `-1.5`, `-15e-1`},
	{"shifted decimal point", `123.456`, `0.000123456e6`},
	{"large integer in exponent notation", `1000000000000000000000`, `1e21`},
	{"large exponent", `1.5e300`, `15e299`},
	{"exponent beyond int64", `1e99999999999999999999`, `10e99999999999999999998`},
	{"negative exponent beyond int64", `1e-99999999999999999999`, `0.1e-99999999999999999998`},
	{"exponent with leading zeros", `1e5`, `1e0000000000000000000000005`},
	{"integer above 2^53", `9007199254740993`, `9007199254740993.000`},
	{"many fraction digits", `0.1000000000000000055511151231257827`, `1000000000000000055511151231257827e-34`},
	{
		"jsonencode and API response",
		`{"html":"\u003cb\u003e","id":42,"tags":["a","b"],"ratio":0.25}`,
		"{\n  \"ratio\": 2.5e-1,\n  \"tags\": [\"a\", \"b\"],\n  \"id\": 42.0,\n  \"html\": \"<b>\"\n}",
	},
}

// differentPairs are documents with different values, so Equal must report false.
var differentPairs = []jsonPair{
	{"string and number", `"1"`, `1`},
	{"boolean and string", `true`, `"true"`},
	{"null and zero", `null`, `0`},
	{"null and false", `null`, `false`},
	{"zero and false", `0`, `false`},
	{"empty string and null", `""`, `null`},
	{"array and object", `[]`, `{}`},
	{"object and null", `{}`, `null`},
	{"true and false", `true`, `false`},
	{"array order", `[1,2]`, `[2,1]`},
	{"null and missing key", `{"a":null}`, `{}`},
	{"extra member", `{"a":1}`, `{"a":1,"b":2}`},
	{"member value", `{"a":1}`, `{"a":2}`},
	{"key case", `{"a":1}`, `{"A":1}`},
	{"array and scalar member", `{"a":[1]}`, `{"a":1}`},
	{"nested and flat keys", `{"a":{"b":1}}`, `{"a.b":1}`},
	{"nested array", `[[]]`, `[]`},
	{"integers above 2^53", `9007199254740993`, `9007199254740992`},
	{"digits beyond float64", `0.1000000000000000055511151231257827`, `0.1`},
	{"large exponents", `1e999999999`, `1e999999998`},
	{"exponents beyond int64", `1e99999999999999999999`, `1e99999999999999999998`},
	{"exponent signs beyond int64", `1e-99999999999999999999`, `1e99999999999999999999`},
	{"sign", `1`, `-1`},
	{"plain range bound", `1e21`, `1e20`},
	{"power of ten", `10`, `1`},
	{"fraction position", `0.1`, `0.01`},
	{"string case", `"a"`, `"A"`},
	{"trailing space in string", `"a "`, `"a"`},
	{"NUL character", `"\u0000"`, `""`},
	{"precomposed and combining accent", `"é"`, `"e\u0301"`},
	{"replacement character", `"\ufffd"`, `"?"`},
}

func TestEqualPairs(t *testing.T) {
	for _, tc := range equalPairs {
		t.Run(tc.name, func(t *testing.T) {
			equal, err := Equal([]byte(tc.a), []byte(tc.b))
			if err != nil {
				t.Fatalf("Equal(%s, %s) returned error: %v", tc.a, tc.b, err)
			}
			if !equal {
				t.Errorf("Equal(%s, %s) = false, want true", tc.a, tc.b)
			}
		})
	}
}

func TestDifferentPairs(t *testing.T) {
	for _, tc := range differentPairs {
		t.Run(tc.name, func(t *testing.T) {
			equal, err := Equal([]byte(tc.a), []byte(tc.b))
			if err != nil {
				t.Fatalf("Equal(%s, %s) returned error: %v", tc.a, tc.b, err)
			}
			if equal {
				t.Errorf("Equal(%s, %s) = true, want false", tc.a, tc.b)
			}
		})
	}
}

func TestEqualIsSymmetric(t *testing.T) {
	for _, tc := range slices.Concat(equalPairs, differentPairs) {
		forward, errForward := Equal([]byte(tc.a), []byte(tc.b))
		backward, errBackward := Equal([]byte(tc.b), []byte(tc.a))
		if errForward != nil || errBackward != nil {
			t.Fatalf("%s: Equal returned errors %v and %v", tc.name, errForward, errBackward)
		}
		if forward != backward {
			t.Errorf("%s: Equal(%s, %s) = %v but Equal(%s, %s) = %v", tc.name, tc.a, tc.b, forward, tc.b, tc.a, backward)
		}
	}
}

func TestEqualIdenticalInput(t *testing.T) {
	equal, err := Equal([]byte(`{"a":1}`), []byte(`{"a":1}`))
	if err != nil || !equal {
		t.Errorf("Equal on identical documents = %v, %v, want true, nil", equal, err)
	}
	// Identical input still has to be valid.
	_, err = Equal([]byte(`{"a":1,"a":1}`), []byte(`{"a":1,"a":1}`))
	if err == nil {
		t.Error("Equal on identical invalid documents returned no error")
	}
}

func TestEqualNamesInvalidDocument(t *testing.T) {
	_, err := Equal([]byte(`{}`), []byte(`{"a":}`))
	if err == nil || !strings.HasPrefix(err.Error(), "second document: invalid JSON at byte offset 5") {
		t.Errorf("Equal with invalid second document returned %v, want an error naming the second document and offset 5", err)
	}
	_, err = Equal([]byte(`[`), []byte(`{}`))
	if err == nil || !strings.HasPrefix(err.Error(), "first document: invalid JSON at byte offset 1") {
		t.Errorf("Equal with invalid first document returned %v, want an error naming the first document and offset 1", err)
	}
}

// canonicalCases are inputs with their exact canonical encoding.
var canonicalCases = []struct {
	name  string
	input string
	want  string
}{
	{"literals", ` [ true , false , null ] `, `[true,false,null]`},
	{"integer", `1700000000000`, `1700000000000`},
	{"negative integer", `-42`, `-42`},
	{"integer with 21 digits", `123456789012345678901`, `123456789012345678901`},
	{"integer with 22 digits", `1234567890123456789012`, `1.234567890123456789012e+21`},
	{"integer from exponent", `1e2`, `100`},
	{"integer from fraction", `1.0`, `1`},
	{"largest plain integer", `1e20`, `100000000000000000000`},
	{"smallest exponent integer", `1e21`, `1e+21`},
	{"fraction", `0.5`, `0.5`},
	{"fraction with integer part", `12.50`, `12.5`},
	{"smallest plain fraction", `1e-6`, `0.000001`},
	{"largest exponent fraction", `1e-7`, `1e-7`},
	{"exponent fraction with digits", `123.456e-10`, `1.23456e-8`},
	{"large exponent", `-1.50e300`, `-1.5e+300`},
	{"huge exponent", `1e999999999`, `1e+999999999`},
	{"exponent beyond int64", `12e99999999999999999999`, `1.2e+100000000000000000000`},
	{"negative exponent beyond int64", `12e-99999999999999999999`, `1.2e-99999999999999999998`},
	{"zero", `-0.0e-5`, `0`},
	{"escapes re-encoded minimally", `"\u003c\u003e\u0026\/\u00e9\u2028"`, "\"<>&/é\u2028\""},
	{"control characters", `"\u0000\u001f\b\f\n\r\t\u0008"`, `"\u0000\u001f\b\f\n\r\t\b"`},
	{"quote and backslash", `"\u0022\u005c"`, `"\"\\"`},
	{"delete character kept", "\"\x7f\"", "\"\x7f\""},
	{"surrogate pair", `"\ud83d\ude00"`, `"😀"`},
	{"keys sorted by UTF-8 bytes", `{"b":1,"é":2,"aa":3,"a":4,"Z":5,"":6}`, `{"":6,"Z":5,"a":4,"aa":3,"b":1,"é":2}`},
	// UTF-16 order would put U+1F600 (D83D DE00) before U+FFFF.
	{"keys not sorted by UTF-16", `{"😀":1,"\uffff":2}`, "{\"\uffff\":2,\"😀\":1}"},
	{"escaped key sorted by decoded byte", `{"a#":1,"a\"":2}`, `{"a\"":2,"a#":1}`},
	{"nested objects sorted", `{"z":{"y":[{"b":1,"a":2}]},"a":0}`, `{"a":0,"z":{"y":[{"a":2,"b":1}]}}`},
}

func TestNormalizeCanonicalForm(t *testing.T) {
	for _, tc := range canonicalCases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Normalize([]byte(tc.input))
			if err != nil {
				t.Fatalf("Normalize(%s) returned error: %v", tc.input, err)
			}
			if string(got) != tc.want {
				t.Errorf("Normalize(%s) = %s, want %s", tc.input, got, tc.want)
			}
		})
	}
}

func TestNormalizeIdempotent(t *testing.T) {
	var inputs []string
	for _, tc := range slices.Concat(equalPairs, differentPairs) {
		inputs = append(inputs, tc.a, tc.b)
	}
	for _, tc := range canonicalCases {
		inputs = append(inputs, tc.input)
	}
	for _, input := range inputs {
		once, err := Normalize([]byte(input))
		if err != nil {
			t.Fatalf("Normalize(%s) returned error: %v", input, err)
		}
		twice, err := Normalize(once)
		if err != nil {
			t.Fatalf("Normalize(%s), the canonical form of %s, returned error: %v", once, input, err)
		}
		if !bytes.Equal(once, twice) {
			t.Errorf("Normalize is not idempotent on %s: first %s, then %s", input, once, twice)
		}
	}
}

func TestNormalizeHugeExponentIsCheap(t *testing.T) {
	input := []byte(`[1e999999999,-1e-999999999,5e99999999999999999999999999999]`)
	want := `[1e+999999999,-1e-999999999,5e+99999999999999999999999999999]`
	const runs = 10
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range runs {
		got, err := Normalize(input)
		if err != nil {
			t.Fatalf("Normalize(%s) returned error: %v", input, err)
		}
		if string(got) != want {
			t.Fatalf("Normalize(%s) = %s, want %s", input, got, want)
		}
	}
	runtime.ReadMemStats(&after)

	// Memory proportional to the exponent's value would be gigabytes, and memory
	// proportional to its spelling is a few hundred bytes.
	if perRun := (after.TotalAlloc - before.TotalAlloc) / runs; perRun > 64<<10 {
		t.Errorf("Normalize(%s) allocated %d bytes per call, want at most 64 KiB", input, perRun)
	}
}

func TestNormalizeMaxDepthAccepted(t *testing.T) {
	input := strings.Repeat("[", MaxDepth) + strings.Repeat("]", MaxDepth)
	got, err := Normalize([]byte(input))
	if err != nil {
		t.Fatalf("Normalize on %d nested arrays returned error: %v", MaxDepth, err)
	}
	if string(got) != input {
		t.Errorf("Normalize on %d nested arrays changed the document", MaxDepth)
	}
}
