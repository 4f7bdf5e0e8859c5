package jsondoc

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestNormalizeSyntaxErrors(t *testing.T) {
	tests := []struct {
		name   string
		input  string
		offset int
		want   string // a substring of the message
	}{
		{"empty input", ``, 0, "found end of input where a value was expected"},
		{"only whitespace", " \n\t", 3, "found end of input where a value was expected"},
		{"unclosed object", `{`, 1, "found end of input where a string key was expected"},
		{"unclosed object after member", `{"a":1`, 6, "where ',' or '}' was expected in the object that starts at byte offset 0"},
		{"unclosed array", `[1`, 2, "where ',' or ']' was expected in the array that starts at byte offset 0"},
		{"missing comma in array", `[1 2]`, 3, "found '2' where ',' or ']' was expected"},
		{"missing comma in object", `{"a":1 "b":2}`, 7, `found '"' where ',' or '}' was expected`},
		{"trailing comma in array", `[1,]`, 3, "remove the trailing comma"},
		{"trailing comma in object", `{"a":1,}`, 7, "remove the trailing comma"},
		{"unquoted key", `{a:1}`, 1, "found 'a' where a string key was expected"},
		{"missing colon", `{"a" 1}`, 5, `found '1' where ':' was expected after the key "a"`},
		{"missing value", `{"a":}`, 5, "found '}' where a value was expected"},
		{"single-quoted string", `'a'`, 0, `found '\'' where a value was expected`},
		{"truncated true", `tru`, 3, "found end of input in what should be the literal true"},
		{"misspelled null", `nul1`, 3, "found '1' in what should be the literal null"},
		{"capitalized True", `True`, 0, "found 'T' where a value was expected"},
		{"NaN", `NaN`, 0, "found 'N' where a value was expected"},
		{"leading zero", `01`, 0, "leading zero"},
		{"negative leading zero", `-01`, 1, "leading zero"},
		{"lone minus", `-`, 1, "found end of input where a digit was expected after '-'"},
		{"minus before letter", `-x`, 1, "found 'x' where a digit was expected after '-'"},
		{"missing fraction digits", `1.`, 2, "where a digit was expected after the decimal point"},
		{"missing exponent digits", `1e+`, 3, "where a digit of the exponent was expected"},
		{"leading decimal point", `.5`, 0, "found '.' where a value was expected"},
		{"leading plus", `+1`, 0, "found '+' where a value was expected"},
		{"unterminated string", `"abc`, 4, "found end of input in the string that starts at byte offset 0"},
		{"unterminated string after backslash", `"abc\`, 5, "found end of input in the string that starts at byte offset 0"},
		{"invalid escape", `"a\x"`, 2, `invalid escape '\x'`},
		{"short unicode escape", `"\u12"`, 5, `found '"' in a \u escape`},
		{"non-hex unicode escape", `"\u12G4"`, 5, `found 'G' in a \u escape`},
		{"raw newline in string", "\"a\nb\"", 2, `found control character '\n' in a string`},
		{"raw tab in string", "\"a\tb\"", 2, `found control character '\t' in a string`},
		{"byte order mark", "\xef\xbb\xbf{}", 0, "byte order mark"},
		{"closing brace first", `}`, 0, "found '}' where a value was expected"},
		{"trailing bracket", `[1]]`, 3, "found ']' after the end of the top-level value"},
		{"two documents", `{} {}`, 3, "found '{' after the end of the top-level value"},
		{"two numbers", `1 2`, 2, "found '2' after the end of the top-level value"},
		{"lone high surrogate", `"\ud800"`, 1, `\ud800 is an unpaired UTF-16 surrogate`},
		{"lone low surrogate", `"\uDC00"`, 1, `\uDC00 is an unpaired UTF-16 surrogate`},
		{"high surrogate before other escape", `"\ud83d\u0041"`, 1, `\ud83d is an unpaired UTF-16 surrogate`},
		{"high surrogate before letter", `"\ud83dx"`, 1, `\ud83d is an unpaired UTF-16 surrogate`},
		{"two high surrogates", `"\ud83d\ud83d"`, 1, `\ud83d is an unpaired UTF-16 surrogate`},
		{"invalid UTF-8 byte", "\"a\xffb\"", 2, "found byte 0xff in a string, which is not valid UTF-8"},
		{"invalid UTF-8 after escape", "\"\\n\xff\"", 3, "found byte 0xff in a string, which is not valid UTF-8"},
		{"truncated UTF-8 sequence", "\"\xc3\"", 1, "found byte 0xc3 in a string, which is not valid UTF-8"},
		{"overlong UTF-8 encoding", "\"\xc0\xaf\"", 1, "found byte 0xc0 in a string, which is not valid UTF-8"},
		{"UTF-8 encoded surrogate", "\"\xed\xa0\x80\"", 1, "found byte 0xed in a string, which is not valid UTF-8"},
		{"invalid UTF-8 in key", "{\"\xff\":1}", 2, "found byte 0xff in a string, which is not valid UTF-8"},
		{"invalid UTF-8 outside string", "\xff", 0, "found invalid UTF-8 byte 0xff where a value was expected"},
		{"non-ASCII outside string", "é", 0, "found 'é' (U+00E9) where a value was expected"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Normalize([]byte(tc.input))
			var syntaxErr *SyntaxError
			if !errors.As(err, &syntaxErr) {
				t.Fatalf("Normalize(%q) returned %v, want a *SyntaxError", tc.input, err)
			}
			if syntaxErr.Offset != tc.offset {
				t.Errorf("Normalize(%q) reported byte offset %d, want %d: %v", tc.input, syntaxErr.Offset, tc.offset, err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Normalize(%q) returned %q, want it to contain %q", tc.input, err, tc.want)
			}
		})
	}
}

func TestNormalizeDuplicateKeys(t *testing.T) {
	tests := []struct {
		name        string
		input       string
		key         string
		offset      int
		firstOffset int
	}{
		{"adjacent", `{"a":1,"a":2}`, "a", 7, 1},
		{"same value", `{"a":1,"a":1}`, "a", 7, 1},
		{"escaped spelling", `{"a":1,"\u0061":2}`, "a", 7, 1},
		{"separated", `{"b":1,"a":1,"b":2}`, "b", 13, 1},
		{"nested", `{"x":{"k":1,"k":2}}`, "k", 12, 6},
		{"in array element", `[{},{"id":1,"name":"x","id":2}]`, "id", 23, 5},
		{"three times", `{"a":1,"a":2,"a":3}`, "a", 7, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Normalize([]byte(tc.input))
			var duplicateErr *DuplicateKeyError
			if !errors.As(err, &duplicateErr) {
				t.Fatalf("Normalize(%s) returned %v, want a *DuplicateKeyError", tc.input, err)
			}
			if duplicateErr.Key != tc.key {
				t.Errorf("Normalize(%s) reported key %q, want %q", tc.input, duplicateErr.Key, tc.key)
			}
			if duplicateErr.Offset != tc.offset || duplicateErr.FirstOffset != tc.firstOffset {
				t.Errorf("Normalize(%s) reported offsets %d and first %d, want %d and first %d",
					tc.input, duplicateErr.Offset, duplicateErr.FirstOffset, tc.offset, tc.firstOffset)
			}
			if want := `duplicate key "` + tc.key + `"`; !strings.Contains(err.Error(), want) {
				t.Errorf("Normalize(%s) returned %q, want it to contain %q", tc.input, err, want)
			}
		})
	}
}

func TestNormalizeTooDeep(t *testing.T) {
	const levels = 100_000
	tests := []struct {
		name  string
		input string
	}{
		{"arrays", strings.Repeat("[", levels) + strings.Repeat("]", levels)},
		{"unclosed arrays", strings.Repeat("[", levels)},
		{"objects", strings.Repeat(`{"a":`, levels) + "1" + strings.Repeat("}", levels)},
		{"one level too deep", strings.Repeat("[", MaxDepth+1) + strings.Repeat("]", MaxDepth+1)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			_, err := Normalize([]byte(tc.input))
			elapsed := time.Since(start)

			var depthErr *DepthError
			if !errors.As(err, &depthErr) {
				t.Fatalf("Normalize on deep input returned %v, want a *DepthError", err)
			}
			wantOffset := MaxDepth * len(levelPrefix(tc.input))
			if depthErr.Offset != wantOffset {
				t.Errorf("DepthError.Offset = %d, want %d", depthErr.Offset, wantOffset)
			}
			if want := fmt.Sprintf("maximum of %d levels", MaxDepth); !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not name the maximum depth", err)
			}
			// The parser stops at level MaxDepth+1 and never reads the rest of the input.
			if elapsed > time.Second {
				t.Errorf("Normalize on deep input took %v, want well under a second", elapsed)
			}
		})
	}
}

// levelPrefix returns the text that opens one level in the inputs of TestNormalizeTooDeep.
func levelPrefix(input string) string {
	if input[0] == '{' {
		return `{"a":`
	}
	return "["
}

func TestNormalizeObjectRejectsOtherValues(t *testing.T) {
	tests := []struct {
		input string
		found string
	}{
		{`[]`, "an array"},
		{` [{"a":1}] `, "an array"},
		{`"{}"`, "a string"},
		{`1`, "a number"},
		{`-1.5e3`, "a number"},
		{`true`, "a boolean"},
		{`false`, "a boolean"},
		{`null`, "null"},
	}
	for _, tc := range tests {
		t.Run(tc.found+" "+tc.input, func(t *testing.T) {
			for name, normalize := range map[string]func([]byte) error{
				"NormalizeObject": func(data []byte) error { _, err := NormalizeObject(data); return err },
				"ParseObject":     func(data []byte) error { _, err := ParseObject(data); return err },
			} {
				err := normalize([]byte(tc.input))
				var notObjectErr *NotObjectError
				if !errors.As(err, &notObjectErr) {
					t.Fatalf("%s(%s) returned %v, want a *NotObjectError", name, tc.input, err)
				}
				if notObjectErr.Found != tc.found {
					t.Errorf("%s(%s) reported Found %q, want %q", name, tc.input, notObjectErr.Found, tc.found)
				}
				if want := "must be a JSON object ({...}), but found " + tc.found; !strings.Contains(err.Error(), want) {
					t.Errorf("%s(%s) returned %q, want it to contain %q", name, tc.input, err, want)
				}
			}
		})
	}
}

func TestNormalizeObjectReportsSyntaxFirst(t *testing.T) {
	_, err := NormalizeObject([]byte(`[1,`))
	var syntaxErr *SyntaxError
	if !errors.As(err, &syntaxErr) {
		t.Errorf("NormalizeObject on a truncated array returned %v, want a *SyntaxError", err)
	}
}
