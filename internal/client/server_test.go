package client

import (
	"context"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
)

// startHTTPServer serves h on 127.0.0.1, over TLS when tls is true, and returns the
// server and its URL. The cleanup cancels running handlers before closing the server.
func startHTTPServer(t *testing.T, h http.Handler, tls bool, configure ...func(*http.Server)) (*httptest.Server, string) {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	ctx, cancel := context.WithCancel(context.Background())
	srv.Config.BaseContext = func(net.Listener) context.Context { return ctx }
	// Refused handshakes and reset connections are expected in these tests.
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	for _, f := range configure {
		f(srv.Config)
	}
	if tls {
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	t.Cleanup(cancel)
	return srv, srv.URL
}
