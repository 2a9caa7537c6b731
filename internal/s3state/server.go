// Package s3state serves the S3 API in memory on loopback, so that tests can run the
// real Terraform CLI against an S3 backend: state objects, the S3 lock file and its
// conditional write (If-None-Match: *), with no AWS account and no network.
//
// It is a module of its own (github.com/tapstack/infra/internal/s3state) so that
// gofakes3 and its dependencies, and their go directive, stay out of the library's
// module graph. The test of this package proves the TapStack's synthesized S3 backend
// block with Terraform: see s3state_test.go and docs/runbook.md ("State").
package s3state

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sort"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// Server is an in-memory S3 API listening on 127.0.0.1.
type Server struct {
	// URL is the endpoint, "http://127.0.0.1:<port>", for path-style requests.
	URL string

	backend *s3mem.Backend
	http    *http.Server
	served  chan error
}

// Start serves a new in-memory S3 API on 127.0.0.1 at a port the system picks, with
// the given buckets created empty. Close stops it.
func Start(buckets ...string) (*Server, error) {
	backend := s3mem.New()
	for _, b := range buckets {
		if err := backend.CreateBucket(b); err != nil {
			return nil, fmt.Errorf("create bucket %q: %w", b, err)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen on loopback: %w", err)
	}
	s := &Server{
		URL:     "http://" + ln.Addr().String(),
		backend: backend,
		http: &http.Server{
			Handler:           gofakes3.New(backend).Server(),
			ReadHeaderTimeout: 10 * time.Second,
		},
		served: make(chan error, 1),
	}
	go func() { s.served <- s.http.Serve(ln) }()
	return s, nil
}

// Close stops the server, waiting at most 5 seconds for requests in flight.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := s.http.Shutdown(ctx)
	if serr := <-s.served; !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	return err
}

// Keys returns the keys of every object in bucket, sorted.
func (s *Server) Keys(bucket string) ([]string, error) {
	list, err := s.backend.ListBucket(bucket, nil, gofakes3.ListBucketPage{})
	if err != nil {
		return nil, fmt.Errorf("list bucket %q: %w", bucket, err)
	}
	keys := make([]string, 0, len(list.Contents))
	for _, c := range list.Contents {
		keys = append(keys, c.Key)
	}
	sort.Strings(keys)
	return keys, nil
}

// Object returns the content of the object key in bucket; found is false when there is
// no such object.
func (s *Server) Object(bucket, key string) (content []byte, found bool, err error) {
	obj, err := s.backend.GetObject(bucket, key, nil)
	if gofakes3.HasErrorCode(err, gofakes3.ErrNoSuchKey) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("get s3://%s/%s: %w", bucket, key, err)
	}
	defer func() { _ = obj.Contents.Close() }()
	content, err = io.ReadAll(obj.Contents)
	if err != nil {
		return nil, false, fmt.Errorf("read s3://%s/%s: %w", bucket, key, err)
	}
	return content, true, nil
}
