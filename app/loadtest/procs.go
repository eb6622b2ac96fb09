package loadtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// childEnv is this process's environment without the settings a serve
// process takes from env, plus those in env.
func childEnv(env map[string]string) []string {
	var out []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if k == "DATABASE_URL" || k == "ADDR" || strings.HasPrefix(k, "COPBANK_") {
			continue
		}
		out = append(out, kv)
	}
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	return out
}

// runBinary runs one command of the copbank binary to completion.
func runBinary(ctx context.Context, bin string, env map[string]string, args ...string) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = childEnv(env)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("copbank %s: %w\n%s", strings.Join(args, " "), err, lastLines(string(out), 10))
	}
	return nil
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// freeAddr is a loopback address nothing listens on at the moment.
func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// lockedBuffer keeps a child's output while the child writes it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.buf.Len() > 4<<20 {
		return len(p), nil // enough to diagnose; a long run's logs would fill memory
	}
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// server is one `copbank serve` process on a fixed address; it can be
// replaced by a new process on the same address.
type server struct {
	name, addr, bin string
	env             map[string]string

	mu     sync.Mutex
	cmd    *exec.Cmd
	exited chan struct{}
	err    error
	out    *lockedBuffer
	outs   []*lockedBuffer // every process's output, the current one last
}

func (s *server) url() string { return "http://" + s.addr }

// start starts a new process and waits until /readyz answers 200.
func (s *server) start(ctx context.Context) error {
	env := map[string]string{"ADDR": s.addr}
	for k, v := range s.env {
		env[k] = v
	}
	cmd := exec.Command(s.bin, "serve")
	cmd.Env = childEnv(env)
	out := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start serve %s: %w", s.name, err)
	}
	exited := make(chan struct{})
	s.mu.Lock()
	s.cmd, s.exited, s.out, s.err = cmd, exited, out, nil
	s.outs = append(s.outs, out)
	s.mu.Unlock()
	go func() {
		err := cmd.Wait()
		s.mu.Lock()
		s.err = err
		s.mu.Unlock()
		close(exited)
	}()
	hc := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(90 * time.Second)
	for {
		resp, err := hc.Get(s.url() + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-exited:
			return fmt.Errorf("serve %s stopped before it was ready: %v\n%s", s.name, s.exitErr(), lastLines(out.String(), 15))
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("serve %s not ready within 90s\n%s", s.name, lastLines(out.String(), 15))
		}
	}
}

func (s *server) exitErr() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// signal sends sig to the running process and waits up to wait for it to
// exit; it returns the process's exit error.
func (s *server) signal(sig syscall.Signal, wait time.Duration) error {
	s.mu.Lock()
	cmd, exited := s.cmd, s.exited
	s.mu.Unlock()
	if cmd == nil {
		return nil
	}
	select {
	case <-exited:
		return nil
	default:
	}
	_ = cmd.Process.Signal(sig)
	select {
	case <-exited:
	case <-time.After(wait):
		_ = cmd.Process.Kill()
		<-exited
		return fmt.Errorf("serve %s did not exit within %v of %v; killed", s.name, wait, sig)
	}
	err := s.exitErr()
	var ee *exec.ExitError
	if sig == syscall.SIGKILL && errors.As(err, &ee) {
		return nil // dying of the kill is what was asked
	}
	return err
}

// stop ends the process gracefully, as an operator's stop would.
func (s *server) stop() error { return s.signal(syscall.SIGTERM, 40*time.Second) }

// logTail is the end of the process's output, for a failed run.
func (s *server) logTail(w io.Writer, n int) {
	s.mu.Lock()
	out := s.out
	s.mu.Unlock()
	if out != nil {
		fmt.Fprintf(w, "--- serve %s, last lines:\n%s\n", s.name, lastLines(out.String(), n))
	}
}

// saveLogs writes the output of every process that ran as this server, in
// order, to dir/serve-<name>.log.
func (s *server) saveLogs(dir string) error {
	s.mu.Lock()
	outs := append([]*lockedBuffer(nil), s.outs...)
	s.mu.Unlock()
	var b strings.Builder
	for i, o := range outs {
		fmt.Fprintf(&b, "=== process %d of serve %s\n%s\n", i+1, s.name, o.String())
	}
	return os.WriteFile(filepath.Join(dir, "serve-"+s.name+".log"), []byte(b.String()), 0o644)
}
