package wns

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/bgtask/bgtask/internal/fsutil"
)

// The local certificate authority lives in the state folder beside
// StateFile: created once, so clients trust it once (NODE_EXTRA_CA_CERTS,
// SSL_CERT_FILE, REQUESTS_CA_BUNDLE, curl --cacert).
const (
	CACertFile = "wns-ca.pem"
	CAKeyFile  = "wns-ca-key.pem"
)

// ServiceNames are the host names real WNS clients hard-code; the server
// certificate covers them so such a client works unmodified once its DNS
// points them at serve (windows-facts.md §6: the token endpoint is
// login.live.com, channels are under notify.windows.com).
var ServiceNames = []string{"login.live.com", "notify.windows.com", "*.notify.windows.com"}

// loopbackNames are covered by every server certificate.
var loopbackNames = []string{"localhost", "127.0.0.1", "::1"}

// CA is the local certificate authority.
type CA struct {
	CertPath string
	cert     *x509.Certificate
	key      crypto.Signer
}

// CA returns the state folder's certificate authority, creating it the
// first time.
func (s Store) CA(ctx context.Context) (*CA, error) {
	if err := os.MkdirAll(s.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("creating state folder: %w", err)
	}
	certPath, keyPath := filepath.Join(s.Dir, CACertFile), filepath.Join(s.Dir, CAKeyFile)
	unlock, err := fsutil.Lock(ctx, fsutil.SiblingLockPath(certPath))
	if err != nil {
		return nil, fmt.Errorf("%s is in use by another bgtask: %w", certPath, err)
	}
	defer func() { _ = unlock() }()
	ca, err := loadCA(certPath, keyPath)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return ca, err
	}
	return createCA(certPath, keyPath)
}

// ExistingCA returns the state folder's certificate authority, or nil when
// there is none yet; it never creates one.
func (s Store) ExistingCA() (*CA, error) {
	ca, err := loadCA(filepath.Join(s.Dir, CACertFile), filepath.Join(s.Dir, CAKeyFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return ca, err
}

func loadCA(certPath, keyPath string) (*CA, error) {
	// A certificate and key take a few KiB; 1 MiB bounds a mistake, and a
	// FIFO in their place is refused instead of waited on.
	certPEM, err := fsutil.ReadRegular(certPath, 1<<20)
	if err != nil {
		return nil, err
	}
	keyPEM, err := fsutil.ReadRegular(keyPath, 1<<20)
	if err != nil {
		return nil, err
	}
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return nil, fmt.Errorf("%w: %s and %s do not hold a certificate and its key (%v); delete both to get a new authority", ErrCorrupt, certPath, keyPath, err)
	}
	key, ok := pair.PrivateKey.(crypto.Signer)
	if !ok || pair.Leaf == nil || !pair.Leaf.IsCA {
		return nil, fmt.Errorf("%w: %s is not a certificate authority; delete it and %s to get a new one", ErrCorrupt, certPath, keyPath)
	}
	return &CA{CertPath: certPath, cert: pair.Leaf, key: key}, nil
}

func createCA(certPath, keyPath string) (*CA, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serialNumber(),
		Subject:               pkix.Name{CommonName: "bgtask serve local CA", Organization: []string{"bgtask (local development only)"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.AddDate(10, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	// The key first: a CA certificate without its key would be unusable.
	if err := fsutil.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		return nil, err
	}
	if err := fsutil.WriteFile(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		return nil, err
	}
	return &CA{CertPath: certPath, cert: cert, key: key}, nil
}

// ServerCertificate issues a certificate for this run of serve covering
// the loopback names, ServiceNames and extra (host names or IP addresses,
// such as a --listen address that is not loopback).
func (ca *CA) ServerCertificate(extra ...string) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: serialNumber(),
		Subject:      pkix.Name{CommonName: "bgtask serve"},
		NotBefore:    now.Add(-time.Hour),
		// Short-lived: a new one is issued at every start.
		NotAfter:    now.AddDate(0, 0, 90),
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	for _, h := range slices.Concat(loopbackNames, ServiceNames, extra) {
		if ip := net.ParseIP(h); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else if h != "" && !slices.Contains(tmpl.DNSNames, h) {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		return tls.Certificate{}, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der, ca.cert.Raw}, PrivateKey: key, Leaf: leaf}, nil
}

// Pool is a certificate pool trusting only this authority (for Go clients
// and tests).
func (ca *CA) Pool() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(ca.cert)
	return p
}

func serialNumber() *big.Int {
	n, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	return n
}
