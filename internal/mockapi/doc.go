// Package mockapi is an in-memory mock of the Crescendo Platform API
// (provisioning routes of the vendor's OpenAPI 1.6.0 reference), for tests of
// the Terraform provider and for the crescendo-mock command.
//
// The mock is deliberately strict where a lenient server would hide client
// bugs:
//
//   - Responses never echo the request bytes. Documents are decoded with
//     json.Decoder.UseNumber, so every digit of a number survives, and are
//     re-encoded with sorted keys and two-space indentation. Clients must
//     compare JSON semantically.
//   - Collection listings come back in reverse creation order, not sorted,
//     so clients must sort them.
//   - Path segments are split on the escaped path and then unescaped, so an
//     ID containing "%2F" stays one segment.
//
// Where the reference is silent, the mock makes these choices, each
// documented where it is implemented:
//
//   - PUT merges objects recursively. Any other value, null and arrays
//     included, replaces the stored value, so null is stored rather than
//     deleting the member (unlike RFC 7396 JSON Merge Patch).
//   - .../versions/current reads and writes the versions.current member of
//     the parent document (see routes.go).
//   - A request for another tenant gets 403 PermissionDenied. The tenant
//     document needs an API-level scope, and collection documents also
//     accept the collection scopes (see auth.go).
//   - Every POST and PUT stamps "updated" (epoch milliseconds from
//     Options.Clock) and "updatedBy" (Key.Name, never the token).
//   - DELETE, and any other method a path does not support, gets 405
//     MethodNotAllowed with a JSON error body and an Allow header.
package mockapi
