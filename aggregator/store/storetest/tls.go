package storetest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// TLSRedis is a redis-server that speaks only TLS (no plain port), with
// certificates from a CA made for the test.
type TLSRedis struct {
	Addr string
	// CAFile is the PEM of the CA that signed the server's certificate
	// (valid for 127.0.0.1 and localhost) and the client's.
	CAFile string
	// ClientCertFile and ClientKeyFile are a client certificate, which the
	// server requires when started with clientAuth.
	ClientCertFile, ClientKeyFile string
	// OtherCAFile is a CA that signed nothing here: trusting it instead of
	// CAFile must fail verification.
	OtherCAFile string
}

// StartRedisTLS starts a TLS-only redis-server on a free 127.0.0.1 port,
// killed in Cleanup; with clientAuth it refuses clients without a
// certificate from the CA. Skips the test when redis-server is not in
// PATH; fails it when that redis-server was built without TLS.
func StartRedisTLS(tb testing.TB, clientAuth bool) TLSRedis {
	tb.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		tb.Skip("redis-server not found in PATH: install it (apt-get install redis-server) to run this test")
	}
	dir := tb.TempDir()
	r, err := writeTestPKI(dir)
	if err != nil {
		tb.Fatalf("test certificates: %v", err)
	}
	var errs []error
	for range startAttempts {
		addr, err := startRedisTLSOnce(tb, bin, dir, r, clientAuth)
		if err == nil {
			r.Addr = addr
			return r
		}
		errs = append(errs, err)
	}
	tb.Fatalf("start redis-server with TLS: %d attempts failed: %v", startAttempts, errs)
	return TLSRedis{}
}

func startRedisTLSOnce(tb testing.TB, bin, dir string, r TLSRedis, clientAuth bool) (string, error) {
	port, err := freePort()
	if err != nil {
		return "", err
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	auth := "no"
	if clientAuth {
		auth = "yes"
	}
	var out syncBuffer
	cmd := exec.Command(bin,
		"--port", "0", "--tls-port", strconv.Itoa(port), "--bind", "127.0.0.1",
		"--tls-cert-file", filepath.Join(dir, "server.pem"), "--tls-key-file", filepath.Join(dir, "server.key"),
		"--tls-ca-cert-file", r.CAFile, "--tls-auth-clients", auth,
		"--save", "", "--appendonly", "no", "--dir", dir)
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.SysProcAttr = dieWithParent()
	if err := cmd.Start(); err != nil {
		return "", fmt.Errorf("run %s: %w", bin, err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	cfg, err := r.ClientTLS(clientAuth)
	if err != nil {
		return "", err
	}
	if err := waitForPingWith(&redis.Options{Addr: addr, TLSConfig: cfg}, exited); err != nil {
		_ = cmd.Process.Kill()
		<-exited
		return "", fmt.Errorf("port %d: %w; output: %s", port, err, out.String())
	}
	tb.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-exited
	})
	return addr, nil
}

// ClientTLS is a client configuration trusting the test CA, with the
// client certificate when withCert.
func (r TLSRedis) ClientTLS(withCert bool) (*tls.Config, error) {
	pemCA, err := os.ReadFile(r.CAFile)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pemCA)
	cfg := &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	if withCert {
		cert, err := tls.LoadX509KeyPair(r.ClientCertFile, r.ClientKeyFile)
		if err != nil {
			return nil, err
		}
		cfg.Certificates = []tls.Certificate{cert}
	}
	return cfg, nil
}

// writeTestPKI writes a CA, a server certificate for 127.0.0.1 and
// localhost, a client certificate and an unrelated CA into dir.
func writeTestPKI(dir string) (TLSRedis, error) {
	ca, caKey, err := newCert(nil, nil, "tributary test CA", true)
	if err != nil {
		return TLSRedis{}, err
	}
	other, _, err := newCert(nil, nil, "unrelated CA", true)
	if err != nil {
		return TLSRedis{}, err
	}
	server, serverKey, err := newCert(ca, caKey, "127.0.0.1", false)
	if err != nil {
		return TLSRedis{}, err
	}
	client, clientKey, err := newCert(ca, caKey, "tributary", false)
	if err != nil {
		return TLSRedis{}, err
	}
	r := TLSRedis{
		CAFile:         filepath.Join(dir, "ca.pem"),
		OtherCAFile:    filepath.Join(dir, "other-ca.pem"),
		ClientCertFile: filepath.Join(dir, "client.pem"),
		ClientKeyFile:  filepath.Join(dir, "client.key"),
	}
	files := []struct {
		path string
		pem  []byte
	}{
		{r.CAFile, certPEM(ca)},
		{r.OtherCAFile, certPEM(other)},
		{filepath.Join(dir, "server.pem"), certPEM(server)},
		{filepath.Join(dir, "server.key"), keyPEM(serverKey)},
		{r.ClientCertFile, certPEM(client)},
		{r.ClientKeyFile, keyPEM(clientKey)},
	}
	for _, f := range files {
		if f.pem == nil {
			return TLSRedis{}, fmt.Errorf("encode %s", f.path)
		}
		if err := os.WriteFile(f.path, f.pem, 0o600); err != nil {
			return TLSRedis{}, err
		}
	}
	return r, nil
}

// newCert makes a certificate signed by parent (self-signed when nil).
func newCert(parent *x509.Certificate, parentKey *ecdsa.PrivateKey, name string, isCA bool) (*x509.Certificate, *ecdsa.PrivateKey, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	serial, err := rand.Int(rand.Reader, big.NewInt(1<<62))
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: name},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
	}
	if isCA {
		tmpl.IsCA, tmpl.BasicConstraintsValid = true, true
		tmpl.KeyUsage |= x509.KeyUsageCertSign
		tmpl.ExtKeyUsage = nil
	} else {
		tmpl.IPAddresses = []net.IP{net.ParseIP("127.0.0.1")}
		tmpl.DNSNames = []string{"localhost"}
	}
	signer, signerKey := parent, parentKey
	if parent == nil {
		signer, signerKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, signer, &key.PublicKey, signerKey)
	if err != nil {
		return nil, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	return cert, key, err
}

func certPEM(c *x509.Certificate) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
}

func keyPEM(k *ecdsa.PrivateKey) []byte {
	der, err := x509.MarshalECPrivateKey(k)
	if err != nil {
		return nil
	}
	return pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der})
}
