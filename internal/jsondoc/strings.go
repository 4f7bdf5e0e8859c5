package jsondoc

import (
	"unicode/utf16"
	"unicode/utf8"
)

// plainASCII marks the bytes that stand for themselves inside a JSON string and need
// no escaping in the canonical form: 0x20 to 0x7f except '"' and '\'.
var plainASCII = func() (table [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		table[c] = c != '"' && c != '\\'
	}
	return table
}()

// readString decodes the string token at p.pos and moves past it. The result aliases
// the input or p.scratch, so the caller must use it before the next call. plain reports
// that the token had no escapes, so the result needs no escaping either.
func (p *parser) readString() (decoded []byte, plain bool, err error) {
	data := p.data
	start := p.pos + 1
	i := start
	for i < len(data) {
		c := data[i]
		switch {
		case plainASCII[c]:
			i++
		case c == '"':
			p.pos = i + 1
			return data[start:i], true, nil
		case c == '\\':
			return p.readEscapedString(start, i)
		case c < 0x20:
			return nil, false, p.errorf(i, "found control character %s in a string; write it as an escape such as \\n or \\u001f",
				describeInput(data, i))
		default:
			size, err := p.checkUTF8(i)
			if err != nil {
				return nil, false, err
			}
			i += size
		}
	}
	return nil, false, p.unterminatedString()
}

// unterminatedString returns the error for the string that starts at p.pos and has no
// closing quote.
func (p *parser) unterminatedString() error {
	return p.errorf(len(p.data), "found end of input in the string that starts at byte offset %d; close it with '\"'", p.pos)
}

// checkUTF8 returns the length of the valid UTF-8 sequence at p.data[i].
func (p *parser) checkUTF8(i int) (int, error) {
	r, size := utf8.DecodeRune(p.data[i:])
	if r == utf8.RuneError && size == 1 {
		return 0, p.errorf(i, "found byte 0x%02x in a string, which is not valid UTF-8; encode the document as UTF-8", p.data[i])
	}
	return size, nil
}

// readEscapedString continues readString from the first '\' at p.data[i], decoding
// into p.scratch.
func (p *parser) readEscapedString(start, i int) ([]byte, bool, error) {
	data := p.data
	buf := append(p.scratch[:0], data[start:i]...)
	defer func() { p.scratch = buf[:0] }()

	for i < len(data) {
		c := data[i]
		switch {
		case plainASCII[c]:
			runStart := i
			for i < len(data) && plainASCII[data[i]] {
				i++
			}
			buf = append(buf, data[runStart:i]...)
		case c == '"':
			p.pos = i + 1
			return buf, false, nil
		case c == '\\':
			var err error
			buf, i, err = p.decodeEscape(buf, i)
			if err != nil {
				return nil, false, err
			}
		case c < 0x20:
			return nil, false, p.errorf(i, "found control character %s in a string; write it as an escape such as \\n or \\u001f",
				describeInput(data, i))
		default:
			size, err := p.checkUTF8(i)
			if err != nil {
				return nil, false, err
			}
			buf = append(buf, data[i:i+size]...)
			i += size
		}
	}
	return nil, false, p.unterminatedString()
}

// decodeEscape appends the character of the escape at p.data[i] to buf and returns the
// offset after the escape.
func (p *parser) decodeEscape(buf []byte, i int) ([]byte, int, error) {
	data := p.data
	if i+1 >= len(data) {
		return nil, 0, p.unterminatedString()
	}
	switch data[i+1] {
	case '"', '\\', '/':
		return append(buf, data[i+1]), i + 2, nil
	case 'b':
		return append(buf, '\b'), i + 2, nil
	case 'f':
		return append(buf, '\f'), i + 2, nil
	case 'n':
		return append(buf, '\n'), i + 2, nil
	case 'r':
		return append(buf, '\r'), i + 2, nil
	case 't':
		return append(buf, '\t'), i + 2, nil
	case 'u':
		r, err := p.readHex4(i)
		if err != nil {
			return nil, 0, err
		}
		if !utf16.IsSurrogate(r) {
			return utf8.AppendRune(buf, r), i + 6, nil
		}
		// UTF-8 cannot encode a surrogate on its own, so only a high surrogate followed
		// by a low one is accepted, as the pair that encodes one character.
		if r < 0xdc00 && i+7 < len(data) && data[i+6] == '\\' && data[i+7] == 'u' {
			low, err := p.readHex4(i + 6)
			if err != nil {
				return nil, 0, err
			}
			if 0xdc00 <= low && low <= 0xdfff {
				return utf8.AppendRune(buf, utf16.DecodeRune(r, low)), i + 12, nil
			}
		}
		return nil, 0, p.errorf(i, "\\u%s is an unpaired UTF-16 surrogate, which has no UTF-8 encoding; "+
			"write the character itself or a complete surrogate pair such as \\ud83d\\ude00", data[i+2:i+6])
	default:
		return nil, 0, p.errorf(i, "found invalid escape '\\%s' in a string; the valid escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX",
			describeEscapeByte(data, i+1))
	}
}

// describeEscapeByte returns the character after a '\' for an error message.
func describeEscapeByte(data []byte, i int) string {
	if c := data[i]; c >= 0x20 && c < utf8.RuneSelf {
		return string(c)
	}
	return describeInput(data, i)
}

// readHex4 reads the four hex digits of the \u escape at p.data[i].
func (p *parser) readHex4(i int) (rune, error) {
	var r rune
	for j := i + 2; j < i+6; j++ {
		if j >= len(p.data) {
			return 0, p.errorf(j, "found end of input in a \\u escape, which needs four hexadecimal digits")
		}
		c := p.data[j]
		var digit byte
		switch {
		case '0' <= c && c <= '9':
			digit = c - '0'
		case 'a' <= c && c <= 'f':
			digit = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			digit = c - 'A' + 10
		default:
			return 0, p.errorf(j, "found %s in a \\u escape, which needs four hexadecimal digits", describeInput(p.data, j))
		}
		r = r<<4 | rune(digit)
	}
	return r, nil
}

// appendString appends the canonical encoding of the decoded string s. plain reports
// that s contains no byte that needs escaping.
func appendString(out, s []byte, plain bool) []byte {
	out = append(out, '"')
	if plain {
		out = append(out, s...)
		return append(out, '"')
	}
	runStart := 0
	for i, c := range s {
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		out = append(out, s[runStart:i]...)
		runStart = i + 1
		switch c {
		case '"', '\\':
			out = append(out, '\\', c)
		case '\b':
			out = append(out, '\\', 'b')
		case '\f':
			out = append(out, '\\', 'f')
		case '\n':
			out = append(out, '\\', 'n')
		case '\r':
			out = append(out, '\\', 'r')
		case '\t':
			out = append(out, '\\', 't')
		default:
			const hex = "0123456789abcdef"
			out = append(out, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		}
	}
	out = append(out, s[runStart:]...)
	return append(out, '"')
}
