package mockapi

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// Key is an API key that the server accepts.
type Key struct {
	// Token is the secret that clients send. It never appears in responses.
	Token string

	// Name is the identity stored in "updatedBy" on every write made with this
	// key. An empty name becomes "api-key-N", N being the key's 1-based
	// position in Options.Keys.
	Name string

	// Tenant is the only tenant this key can access.
	Tenant string

	// Scopes grant access, in the forms "<api>:<op>" and
	// "<api>:<collection>.<op>", where op is "read", "write" or "*". Examples:
	// "provisioning:*", "provisioning:read", "provisioning:users.read",
	// "provisioning:users.*".
	Scopes []string
}

// provisioningAPI is the <api> part of the scopes that the provisioning
// routes check.
const provisioningAPI = "provisioning"

type keyring struct {
	byToken map[string]*Key
}

// newKeyring copies keys and panics on an empty token or tenant and on a
// repeated token.
func newKeyring(keys []Key) *keyring {
	ring := &keyring{byToken: make(map[string]*Key, len(keys))}
	for i, key := range keys {
		if key.Token == "" {
			panic(fmt.Sprintf("mockapi: Options.Keys[%d] (name %q) has an empty Token", i, key.Name))
		}
		if key.Tenant == "" {
			panic(fmt.Sprintf("mockapi: Options.Keys[%d] (name %q) has an empty Tenant", i, key.Name))
		}
		if _, ok := ring.byToken[key.Token]; ok {
			panic(fmt.Sprintf("mockapi: Options.Keys[%d] (name %q) repeats the Token of an earlier key", i, key.Name))
		}
		if key.Name == "" {
			key.Name = fmt.Sprintf("api-key-%d", i+1)
		}
		key.Scopes = slices.Clone(key.Scopes)
		ring.byToken[key.Token] = &key
	}
	return ring
}

// authenticate returns the key of the request, or a 401 error. The
// Authorization header takes precedence over the bearer_token query
// parameter. Error messages never contain the presented token.
func (k *keyring) authenticate(r *http.Request) (*Key, *apiError) {
	var token string
	if header := r.Header.Get("Authorization"); header != "" {
		scheme, rest, found := strings.Cut(header, " ")
		if !found || !strings.EqualFold(scheme, "Bearer") {
			return nil, newAPIError(http.StatusUnauthorized, codeUnauthenticated,
				"the Authorization header must have the form \"Bearer <key>\"")
		}
		token = strings.TrimSpace(rest)
	} else {
		token = r.URL.Query().Get("bearer_token")
	}

	if token == "" {
		return nil, newAPIError(http.StatusUnauthorized, codeUnauthenticated,
			"missing API key: send it as \"Authorization: Bearer <key>\" or in the bearer_token query parameter")
	}
	key, ok := k.byToken[token]
	if !ok {
		return nil, newAPIError(http.StatusUnauthorized, codeUnauthenticated, "the API key is not valid")
	}
	return key, nil
}

// scopeOperation maps an HTTP method to the op part of a scope.
func scopeOperation(method string) string {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return "read"
	default:
		return "write"
	}
}

// acceptedScopes lists the scopes that allow method on a collection. The
// tenant document (collection "") accepts only API-level scopes, because a
// collection scope such as provisioning:users.read grants access to that
// collection and nothing else. Collection documents, their versions/current
// member and collection listings also accept the scopes of their collection.
func acceptedScopes(method, collection string) []string {
	op := scopeOperation(method)
	scopes := []string{provisioningAPI + ":*", provisioningAPI + ":" + op}
	if collection != "" {
		// Building the scope strings, instead of parsing the key's scopes,
		// keeps collection names that contain dots unambiguous.
		prefix := provisioningAPI + ":" + collection + "."
		scopes = append(scopes, prefix+"*", prefix+op)
	}
	return scopes
}

// authorize returns a 403 error unless the key has one of the scopes that
// allow method on the collection.
func (key *Key) authorize(method, collection string) *apiError {
	accepted := acceptedScopes(method, collection)
	for _, scope := range key.Scopes {
		if slices.Contains(accepted, scope) {
			return nil
		}
	}
	return newAPIError(http.StatusForbidden, codePermissionDenied,
		"the API key has no scope that allows %s on this path, which needs one of: %s",
		method, strings.Join(accepted, ", "))
}
