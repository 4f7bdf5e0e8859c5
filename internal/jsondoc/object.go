package jsondoc

import (
	"slices"
	"strings"
)

// Object is a JSON object in canonical form, split into its top-level members so that
// callers can inspect, remove and add members without parsing again. An Object is
// immutable and safe for concurrent use. The byte slices its methods return share
// memory with it and must not be modified. The zero value is the empty object.
type Object struct {
	canonical []byte
	members   []objectMember // sorted by key
}

// objectMember is one top-level member of an Object.
type objectMember struct {
	key string
	// entry is the canonical `"key":value`, and value its value part. Both are
	// subslices of Object.canonical.
	entry []byte
	value []byte
}

// ParseObject parses a JSON document whose top-level value must be an object. It
// rejects the same input as NormalizeObject, with the same errors.
func ParseObject(data []byte) (*Object, error) {
	p := getParser()
	defer putParser(p)
	p.captureTop = true
	defer func() { p.captureTop = false }()

	canonical, err := p.parse(data, make([]byte, 0, len(data)))
	if err != nil {
		return nil, err
	}
	if canonical[0] != '{' {
		return nil, &NotObjectError{Found: describeValueKind(canonical)}
	}

	members := make([]objectMember, len(p.top))
	for i, m := range p.top {
		members[i] = objectMember{
			key:   m.key,
			entry: canonical[m.start:m.end:m.end],
			value: canonical[m.value:m.end:m.end],
		}
	}
	return &Object{canonical: canonical, members: members}, nil
}

// newObject builds an Object from members sorted by key, copying their entries into
// one new canonical encoding.
func newObject(members []objectMember) *Object {
	size := len("{}")
	for _, m := range members {
		size += len(m.entry) + len(",")
	}
	canonical := make([]byte, 0, size)
	canonical = append(canonical, '{')
	copied := make([]objectMember, len(members))
	for i, m := range members {
		if i > 0 {
			canonical = append(canonical, ',')
		}
		start := len(canonical)
		canonical = append(canonical, m.entry...)
		end := len(canonical)
		valueStart := end - len(m.value)
		copied[i] = objectMember{
			key:   m.key,
			entry: canonical[start:end:end],
			value: canonical[valueStart:end:end],
		}
	}
	canonical = append(canonical, '}')
	return &Object{canonical: canonical, members: copied}
}

// Keys returns the keys of the top-level members, sorted by their UTF-8 bytes.
func (o *Object) Keys() []string {
	keys := make([]string, len(o.members))
	for i, m := range o.members {
		keys[i] = m.key
	}
	return keys
}

// find returns the index of the member with the given key.
func (o *Object) find(key string) (int, bool) {
	return slices.BinarySearchFunc(o.members, key, func(m objectMember, key string) int {
		return strings.Compare(m.key, key)
	})
}

// Has reports whether the object has a top-level member with the given key.
func (o *Object) Has(key string) bool {
	_, found := o.find(key)
	return found
}

// Member returns the canonical encoding of the value of the top-level member with the
// given key, and whether the member exists.
func (o *Object) Member(key string) ([]byte, bool) {
	i, found := o.find(key)
	if !found {
		return nil, false
	}
	return o.members[i].value, true
}

// Without returns the object without the top-level members with the given keys. Keys
// that are not present are ignored, and if none is present the result is o itself.
func (o *Object) Without(keys ...string) *Object {
	remove := make([]bool, len(o.members))
	removed := 0
	for _, key := range keys {
		if i, found := o.find(key); found && !remove[i] {
			remove[i] = true
			removed++
		}
	}
	if removed == 0 {
		return o
	}

	kept := make([]objectMember, 0, len(o.members)-removed)
	for i, m := range o.members {
		if !remove[i] {
			kept = append(kept, m)
		}
	}
	return newObject(kept)
}

// Merge returns an object with the top-level members of both o and other. It returns a
// *MergeConflictError naming the first key, in sorted order, that both contain.
func (o *Object) Merge(other *Object) (*Object, error) {
	merged := make([]objectMember, 0, len(o.members)+len(other.members))
	i, j := 0, 0
	for i < len(o.members) && j < len(other.members) {
		switch c := strings.Compare(o.members[i].key, other.members[j].key); {
		case c < 0:
			merged = append(merged, o.members[i])
			i++
		case c > 0:
			merged = append(merged, other.members[j])
			j++
		default:
			return nil, &MergeConflictError{Key: o.members[i].key}
		}
	}
	merged = append(merged, o.members[i:]...)
	merged = append(merged, other.members[j:]...)
	return newObject(merged), nil
}

// emptyCanonical is the canonical encoding of the zero Object.
var emptyCanonical = []byte("{}")

// Canonical returns the canonical encoding of the object, as NormalizeObject would.
// The encoding is built when the Object is created, so Canonical does no work.
func (o *Object) Canonical() []byte {
	if o.canonical == nil {
		return emptyCanonical
	}
	return o.canonical
}
