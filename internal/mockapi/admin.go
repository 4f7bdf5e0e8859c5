package mockapi

import (
	"net/http"
)

// serveAdmin serves the endpoints enabled by Options.Admin. They need no key,
// so they are meant for loopback servers only:
//
//	GET  /_mock/documents    every document, keyed by DocPath.String
//	GET  /_mock/stats        the request counters (see Stats)
//	POST /_mock/stats/reset  ResetRequests, then 204
func (s *Server) serveAdmin(w http.ResponseWriter, r *http.Request, path string) {
	switch path {
	case adminPrefix + "/documents":
		if !requireMethod(w, r, http.MethodGet, http.MethodHead) {
			return
		}
		documents := make(map[string]map[string]any)
		for p, doc := range s.store.snapshot() {
			documents[p.String()] = doc
		}
		writeJSON(w, http.StatusOK, documents)

	case adminPrefix + "/stats":
		if !requireMethod(w, r, http.MethodGet, http.MethodHead) {
			return
		}
		writeJSON(w, http.StatusOK, s.Stats())

	case adminPrefix + "/stats/reset":
		if !requireMethod(w, r, http.MethodPost) {
			return
		}
		s.ResetRequests()
		w.WriteHeader(http.StatusNoContent)

	default:
		writeError(w, http.StatusNotFound, codeNotFound, "no admin endpoint at %s", path)
	}
}

// requireMethod writes a 405 and returns false unless r uses one of allowed.
func requireMethod(w http.ResponseWriter, r *http.Request, allowed ...string) bool {
	for _, method := range allowed {
		if r.Method == method {
			return true
		}
	}
	writeMethodNotAllowed(w, r.Method, allowed)
	return false
}
