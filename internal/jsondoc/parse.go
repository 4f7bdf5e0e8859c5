package jsondoc

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
)

// parser is a recursive-descent JSON parser that writes the canonical encoding while it
// reads, in one pass over the input. Objects are written in input order and reordered
// in place when they close.
type parser struct {
	data  []byte
	pos   int
	out   []byte
	depth int

	// keys contains the decoded keys of the members of every object still open, and
	// members those members, innermost object last. Both are truncated when an object
	// closes, so their size is bounded by the open objects, not the document.
	keys    []byte
	members []memberSpan

	// scratch contains the decoded content of the last string with escapes.
	scratch []byte
	// swap is a copy of an object's members while they are reordered.
	swap []byte
	// ownOut is the output buffer kept between calls when the caller does not keep the output.
	ownOut []byte

	// captureTop makes the parser record the members of a top-level object in top,
	// for ParseObject.
	captureTop bool
	top        []topMember
}

// memberSpan is one member of an open object.
type memberSpan struct {
	keyStart, keyEnd int // decoded key in parser.keys
	start, end       int // canonical `"key":value` in parser.out
	value            int // start of the canonical value in parser.out
	offset           int // byte offset of the key in the input
}

// topMember is one member of a top-level object, with offsets into the canonical output.
type topMember struct {
	key               string
	start, value, end int
}

// parse writes the canonical encoding of data to out and returns it.
func (p *parser) parse(data, out []byte) ([]byte, error) {
	p.data = data
	p.pos = 0
	p.out = out
	p.depth = 0
	p.keys = p.keys[:0]
	p.members = p.members[:0]
	p.top = p.top[:0]

	p.skipSpace()
	if err := p.parseValue(); err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.pos < len(data) {
		return nil, p.errorf(p.pos, "found %s after the end of the top-level value; "+
			"a document must contain exactly one JSON value", describeInput(data, p.pos))
	}
	return p.out, nil
}

// parseIntoOwnBuffer is parse with the parser's own reusable output buffer. The result
// is valid until the parser is used again.
func (p *parser) parseIntoOwnBuffer(data []byte) ([]byte, error) {
	out, err := p.parse(data, p.ownOut[:0])
	if cap(p.out) > cap(p.ownOut) {
		p.ownOut = p.out[:0]
	}
	return out, err
}

func (p *parser) errorf(offset int, format string, args ...any) error {
	return &SyntaxError{Offset: offset, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) skipSpace() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *parser) parseValue() error {
	if p.pos >= len(p.data) {
		return p.errorf(p.pos, "found end of input where a value was expected")
	}
	switch c := p.data[p.pos]; c {
	case '{':
		return p.parseObject()
	case '[':
		return p.parseArray()
	case '"':
		return p.parseStringValue()
	case 't':
		return p.parseLiteral("true")
	case 'f':
		return p.parseLiteral("false")
	case 'n':
		return p.parseLiteral("null")
	default:
		if c == '-' || isDigit(c) {
			return p.parseNumber()
		}
		if p.pos == 0 && bytes.HasPrefix(p.data, []byte("\xef\xbb\xbf")) {
			return p.errorf(0, "found a UTF-8 byte order mark; remove it, because JSON text must not start with one")
		}
		return p.errorf(p.pos, "found %s where a value was expected", describeInput(p.data, p.pos))
	}
}

func (p *parser) parseLiteral(literal string) error {
	end := p.pos + len(literal)
	if end > len(p.data) || string(p.data[p.pos:end]) != literal {
		// Point at the first byte that differs, so "tru" and "trux" are reported where they go wrong.
		bad := p.pos
		for bad < len(p.data) && bad < end && p.data[bad] == literal[bad-p.pos] {
			bad++
		}
		return p.errorf(bad, "found %s in what should be the literal %s", describeInput(p.data, bad), literal)
	}
	p.out = append(p.out, literal...)
	p.pos = end
	return nil
}

// enter records one more level of nesting at the '[' or '{' at p.pos.
func (p *parser) enter() error {
	p.depth++
	if p.depth > MaxDepth {
		return &DepthError{Offset: p.pos}
	}
	return nil
}

func (p *parser) parseArray() error {
	if err := p.enter(); err != nil {
		return err
	}
	open := p.pos
	p.pos++
	p.out = append(p.out, '[')
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		p.out = append(p.out, ']')
		p.depth--
		return nil
	}

	for {
		if err := p.parseValue(); err != nil {
			return err
		}
		p.skipSpace()
		if p.pos >= len(p.data) {
			return p.errorf(p.pos, "found end of input where ',' or ']' was expected in the array that starts at byte offset %d", open)
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
			p.out = append(p.out, ',')
			p.skipSpace()
			if p.pos < len(p.data) && p.data[p.pos] == ']' {
				return p.errorf(p.pos, "found ']' after ','; remove the trailing comma, which JSON does not allow")
			}
		case ']':
			p.pos++
			p.out = append(p.out, ']')
			p.depth--
			return nil
		default:
			return p.errorf(p.pos, "found %s where ',' or ']' was expected in the array that starts at byte offset %d",
				describeInput(p.data, p.pos), open)
		}
	}
}

func (p *parser) parseObject() error {
	if err := p.enter(); err != nil {
		return err
	}
	open := p.pos
	p.pos++
	p.out = append(p.out, '{')
	bodyStart := len(p.out)
	firstMember := len(p.members)
	firstKey := len(p.keys)
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		p.out = append(p.out, '}')
		p.depth--
		return nil
	}

	for {
		if err := p.parseMember(open, len(p.members) > firstMember); err != nil {
			return err
		}
		p.skipSpace()
		if p.pos >= len(p.data) {
			return p.errorf(p.pos, "found end of input where ',' or '}' was expected in the object that starts at byte offset %d", open)
		}
		if p.data[p.pos] == '}' {
			p.pos++
			break
		}
		if p.data[p.pos] != ',' {
			return p.errorf(p.pos, "found %s where ',' or '}' was expected in the object that starts at byte offset %d",
				describeInput(p.data, p.pos), open)
		}
		p.pos++
		p.skipSpace()
		if p.pos < len(p.data) && p.data[p.pos] == '}' {
			return p.errorf(p.pos, "found '}' after ','; remove the trailing comma, which JSON does not allow")
		}
	}

	if err := p.sortMembers(bodyStart, firstMember); err != nil {
		return err
	}
	p.out = append(p.out, '}')
	if p.captureTop && p.depth == 1 {
		for _, m := range p.members[firstMember:] {
			p.top = append(p.top, topMember{
				key:   string(p.keys[m.keyStart:m.keyEnd]),
				start: m.start,
				value: m.value,
				end:   m.end,
			})
		}
	}
	p.members = p.members[:firstMember]
	p.keys = p.keys[:firstKey]
	p.depth--
	return nil
}

// parseMember parses one `"key": value` member of the object that starts at byte offset
// open, and appends it to p.members.
func (p *parser) parseMember(open int, needComma bool) error {
	if p.pos >= len(p.data) || p.data[p.pos] != '"' {
		return p.errorf(p.pos, "found %s where a string key was expected in the object that starts at byte offset %d",
			describeInput(p.data, p.pos), open)
	}
	if needComma {
		p.out = append(p.out, ',')
	}
	m := memberSpan{offset: p.pos, start: len(p.out), keyStart: len(p.keys)}
	key, plain, err := p.readString()
	if err != nil {
		return err
	}
	p.keys = append(p.keys, key...)
	m.keyEnd = len(p.keys)
	p.out = appendString(p.out, key, plain)

	p.skipSpace()
	if p.pos >= len(p.data) || p.data[p.pos] != ':' {
		return p.errorf(p.pos, "found %s where ':' was expected after the key %q", describeInput(p.data, p.pos), key)
	}
	p.pos++
	p.out = append(p.out, ':')
	p.skipSpace()
	m.value = len(p.out)
	if err := p.parseValue(); err != nil {
		return err
	}
	m.end = len(p.out)
	p.members = append(p.members, m)
	return nil
}

func (p *parser) memberKey(m memberSpan) []byte {
	return p.keys[m.keyStart:m.keyEnd]
}

// sortMembers sorts the members p.members[first:] of the object whose body starts at
// p.out[bodyStart], rewrites the body in that order, and rejects duplicate keys.
func (p *parser) sortMembers(bodyStart, first int) error {
	members := p.members[first:]
	sorted := true
	for i := 1; i < len(members); i++ {
		if bytes.Compare(p.memberKey(members[i-1]), p.memberKey(members[i])) >= 0 {
			sorted = false
			break
		}
	}
	if sorted {
		return nil
	}

	// Ties keep input order, so a DuplicateKeyError names the earlier key as the first.
	slices.SortFunc(members, func(a, b memberSpan) int {
		if c := bytes.Compare(p.memberKey(a), p.memberKey(b)); c != 0 {
			return c
		}
		return cmp.Compare(a.offset, b.offset)
	})
	for i := 1; i < len(members); i++ {
		if bytes.Equal(p.memberKey(members[i-1]), p.memberKey(members[i])) {
			return &DuplicateKeyError{
				Key:         string(p.memberKey(members[i])),
				Offset:      members[i].offset,
				FirstOffset: members[i-1].offset,
			}
		}
	}

	p.swap = append(p.swap[:0], p.out[bodyStart:]...)
	out := p.out[:bodyStart]
	for i, m := range members {
		if i > 0 {
			out = append(out, ',')
		}
		start := len(out)
		out = append(out, p.swap[m.start-bodyStart:m.end-bodyStart]...)
		members[i].value = start + (m.value - m.start)
		members[i].start = start
		members[i].end = len(out)
	}
	p.out = out
	return nil
}

func (p *parser) parseStringValue() error {
	s, plain, err := p.readString()
	if err != nil {
		return err
	}
	p.out = appendString(p.out, s, plain)
	return nil
}

func isDigit(c byte) bool {
	return '0' <= c && c <= '9'
}
