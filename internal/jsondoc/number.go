package jsondoc

import (
	"math/big"
	"strconv"
)

// Canonical numbers use plain notation when the exponent of their first significant digit
// is in [minPlainExponent, maxPlainExponent], and exponent notation otherwise. These are
// the bounds of Number::toString in ECMA-262, which JSON.stringify uses, so 1e20 is
// written 100000000000000000000, 1e21 is 1e+21, 0.000001 stays plain and 1e-7 is 1e-7.
// The bounds also cap the zeros that plain notation adds at 20.
const (
	minPlainExponent = -6
	maxPlainExponent = 20
)

// maxInt64ExponentDigits is the longest exponent, without leading zeros, that is added
// up in an int64. Adding an offset that is at most the input length cannot overflow it.
// Longer exponents use math/big.
const maxInt64ExponentDigits = 17

func (p *parser) parseNumber() error {
	data := p.data
	i := p.pos
	negative := data[i] == '-'
	if negative {
		i++
	}

	intStart := i
	switch {
	case i >= len(data) || !isDigit(data[i]):
		return p.errorf(i, "found %s where a digit was expected after '-'", describeInput(data, i))
	case data[i] == '0':
		i++
		if i < len(data) && isDigit(data[i]) {
			return p.errorf(intStart, "found a number with a leading zero, which JSON does not allow; remove the zero")
		}
	default:
		for i < len(data) && isDigit(data[i]) {
			i++
		}
	}
	intDigits := data[intStart:i]

	var fracDigits []byte
	if i < len(data) && data[i] == '.' {
		i++
		fracStart := i
		for i < len(data) && isDigit(data[i]) {
			i++
		}
		if i == fracStart {
			return p.errorf(i, "found %s where a digit was expected after the decimal point", describeInput(data, i))
		}
		fracDigits = data[fracStart:i]
	}

	var exponentDigits []byte
	exponentNegative := false
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			exponentNegative = data[i] == '-'
			i++
		}
		exponentStart := i
		for i < len(data) && isDigit(data[i]) {
			i++
		}
		if i == exponentStart {
			return p.errorf(i, "found %s where a digit of the exponent was expected", describeInput(data, i))
		}
		exponentDigits = data[exponentStart:i]
	}

	if fracDigits == nil && exponentDigits == nil && len(intDigits) <= maxPlainExponent+1 {
		// An integer in plain range is already canonical, except for -0.
		if negative && intDigits[0] != '0' {
			p.out = append(p.out, '-')
		}
		p.out = append(p.out, intDigits...)
	} else {
		p.out = appendCanonicalNumber(p.out, negative, decimalDigits{intDigits, fracDigits}, exponentNegative, exponentDigits)
	}
	p.pos = i
	return nil
}

// decimalDigits is the digit sequence of a number's integer part followed by its
// fraction part, without the decimal point.
type decimalDigits struct {
	integer, fraction []byte
}

func (d decimalDigits) len() int {
	return len(d.integer) + len(d.fraction)
}

func (d decimalDigits) at(i int) byte {
	if i < len(d.integer) {
		return d.integer[i]
	}
	return d.fraction[i-len(d.integer)]
}

// appendRange appends the digits [from, to) to out.
func (d decimalDigits) appendRange(out []byte, from, to int) []byte {
	n := len(d.integer)
	if from < n {
		out = append(out, d.integer[from:min(to, n)]...)
	}
	if to > n {
		out = append(out, d.fraction[max(from-n, 0):to-n]...)
	}
	return out
}

// appendCanonicalNumber appends the canonical encoding of the number with the given
// sign, digits and decimal exponent. The encoding keeps every significant digit and is
// the same for every spelling of the same value:
//   - zero, including -0 and 0e5, is 0;
//   - otherwise the value is d1.d2…dk × 10^X with d1 and dk non-zero;
//   - for minPlainExponent ≤ X ≤ maxPlainExponent it is in plain notation without a
//     trailing decimal point or trailing fraction zeros: 100, 1.5, 0.001;
//   - otherwise it is d1[.d2…dk]e±X: 1e+21, 1.5e-7.
//
// The work and memory are linear in the length of the digits, so an exponent such as
// 1e999999999 costs no more than its spelling.
func appendCanonicalNumber(out []byte, negative bool, digits decimalDigits, exponentNegative bool, exponentDigits []byte) []byte {
	first := 0
	for first < digits.len() && digits.at(first) == '0' {
		first++
	}
	if first == digits.len() {
		return append(out, '0')
	}
	last := digits.len() - 1
	for digits.at(last) == '0' {
		last--
	}
	count := last - first + 1
	// The decimal exponent of the first significant digit, not counting the written exponent.
	offset := int64(len(digits.integer) - 1 - first)

	for len(exponentDigits) > 1 && exponentDigits[0] == '0' {
		exponentDigits = exponentDigits[1:]
	}
	if negative {
		out = append(out, '-')
	}
	if len(exponentDigits) > maxInt64ExponentDigits {
		return appendBigExponentNumber(out, digits, first, last, offset, exponentNegative, exponentDigits)
	}

	var exponent int64
	for _, c := range exponentDigits {
		exponent = exponent*10 + int64(c-'0')
	}
	if exponentNegative {
		exponent = -exponent
	}
	exponent += offset

	switch {
	case exponent < minPlainExponent || exponent > maxPlainExponent:
		out = appendMantissa(out, digits, first, last)
		out = append(out, 'e')
		if exponent >= 0 {
			out = append(out, '+')
		}
		return strconv.AppendInt(out, exponent, 10)
	case exponent >= int64(count-1):
		// An integer: the significant digits followed by zeros.
		out = digits.appendRange(out, first, last+1)
		for range exponent - int64(count-1) {
			out = append(out, '0')
		}
		return out
	case exponent >= 0:
		split := first + int(exponent) + 1
		out = digits.appendRange(out, first, split)
		out = append(out, '.')
		return digits.appendRange(out, split, last+1)
	default:
		out = append(out, '0', '.')
		for range -exponent - 1 {
			out = append(out, '0')
		}
		return digits.appendRange(out, first, last+1)
	}
}

// appendMantissa appends d1[.d2…dk] for exponent notation.
func appendMantissa(out []byte, digits decimalDigits, first, last int) []byte {
	out = append(out, digits.at(first))
	if last > first {
		out = append(out, '.')
		out = digits.appendRange(out, first+1, last+1)
	}
	return out
}

// appendBigExponentNumber is the part of appendCanonicalNumber for exponents too long
// for an int64. Their magnitude is at least 10^17, so the result is always in exponent
// notation.
func appendBigExponentNumber(out []byte, digits decimalDigits, first, last int, offset int64, exponentNegative bool, exponentDigits []byte) []byte {
	var exponent big.Int
	// parseNumber passes only ASCII digits, so SetString cannot fail.
	exponent.SetString(string(exponentDigits), 10)
	if exponentNegative {
		exponent.Neg(&exponent)
	}
	exponent.Add(&exponent, big.NewInt(offset))

	out = appendMantissa(out, digits, first, last)
	out = append(out, 'e')
	if exponent.Sign() >= 0 {
		out = append(out, '+')
	}
	return exponent.Append(out, 10)
}
