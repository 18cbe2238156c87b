#include "net/identity.h"

#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace weft::net {
namespace {

constexpr char kBase32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr char kFileName[] = "device.pem";
constexpr std::size_t kMaxFileBytes = 64 * 1024;

struct BioDeleter {
  void operator()(BIO* b) const { BIO_free(b); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;
using CertPtr = std::unique_ptr<X509, X509Deleter>;
using KeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

std::string PathIn(const std::string& dir) { return dir + "/" + kFileName; }

// Reads the identity file, refusing anything but a private regular file.
Result<std::string> ReadPrivateFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Fail(ErrorCode::kNotFound, "{} does not exist", path);
    if (errno == ELOOP) return Fail(ErrorCode::kIo, "{} is a symlink; refusing to use it", path);
    return Fail(ErrorCode::kIo, "cannot read {}: {}", path, std::strerror(errno));
  }
  struct stat st {};
  std::string out;
  auto done = [&](Result<std::string> r) {
    ::close(fd);
    return r;
  };
  if (::fstat(fd, &st) != 0) return done(Fail(ErrorCode::kIo, "cannot stat {}", path));
  if (!S_ISREG(st.st_mode)) return done(Fail(ErrorCode::kIo, "{} is not a regular file", path));
  if ((st.st_mode & 077) != 0) {
    return done(Fail(ErrorCode::kIo,
                     "{} holds this device's private key and is readable by others (mode {:o}); "
                     "run: chmod 600 {}",
                     path, st.st_mode & 0777, path));
  }
  if (static_cast<std::size_t>(st.st_size) > kMaxFileBytes) {
    return done(Fail(ErrorCode::kCorruption, "{} is too large to be a device identity", path));
  }
  out.resize(static_cast<std::size_t>(st.st_size));
  std::size_t got = 0;
  while (got < out.size()) {
    ssize_t n = ::read(fd, out.data() + got, out.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return done(Fail(ErrorCode::kIo, "cannot read {}", path));
    got += static_cast<std::size_t>(n);
  }
  return done(std::move(out));
}

Result<KeyPtr> NewKey() {
  KeyPtr key(EVP_EC_gen("P-256"));
  if (!key) return Fail(ErrorCode::kIo, "cannot make a device key: {}", OpenSslError());
  return key;
}

// A self-signed certificate for `key`, valid with no expiry (RFC 5280 4.1.2.5).
Result<CertPtr> SelfSign(EVP_PKEY* key, const std::string& instance_name) {
  CertPtr cert(X509_new());
  if (!cert) return Fail(ErrorCode::kIo, "cannot make a certificate: {}", OpenSslError());
  X509_set_version(cert.get(), 2);
  // A random serial, so two certificates of one name never look alike to a TLS stack.
  unsigned char serial[16];
  if (RAND_bytes(serial, sizeof serial) != 1) {
    return Fail(ErrorCode::kIo, "cannot make a certificate serial: {}", OpenSslError());
  }
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  if (bn != nullptr) {
    BN_set_bit(bn, 0);  // never zero
    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
    BN_free(bn);
  }
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -24 * 3600);
  ASN1_TIME_set_string(X509_getm_notAfter(cert.get()), "99991231235959Z");
  X509_NAME* name = X509_get_subject_name(cert.get());
  const std::string cn = ("weft " + instance_name).substr(0, 64);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  if (X509_set_pubkey(cert.get(), key) != 1 || X509_sign(cert.get(), key, EVP_sha256()) <= 0) {
    return Fail(ErrorCode::kIo, "cannot sign the device certificate: {}", OpenSslError());
  }
  return cert;
}

Result<std::string> ToPem(EVP_PKEY* key, X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio ||
      PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1 ||
      PEM_write_bio_X509(bio.get(), cert) != 1) {
    return Fail(ErrorCode::kIo, "cannot encode the device identity: {}", OpenSslError());
  }
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

// Writes `pem` as the identity file unless one is there already (link(2) does
// not clobber): the first process to get there wins, and every other one reads
// what it wrote.
Status WriteOnce(const std::string& dir, const std::string& pem) {
  const std::string path = PathIn(dir);
  const std::string tmp = fmt::format("{}.{}.tmp", path, ::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return Fail(ErrorCode::kIo, "cannot write {}: {}", tmp, std::strerror(errno));
  std::size_t put = 0;
  bool ok = true;
  while (ok && put < pem.size()) {
    ssize_t n = ::write(fd, pem.data() + put, pem.size() - put);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) put += static_cast<std::size_t>(n);
  }
  const int saved = errno;
  ok = ok && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) {
    ::unlink(tmp.c_str());
    return Fail(ErrorCode::kIo, "cannot write {}: {}", path, std::strerror(saved));
  }
  const bool linked = ::link(tmp.c_str(), path.c_str()) == 0;
  const int link_errno = errno;
  ::unlink(tmp.c_str());
  if (!linked && link_errno != EEXIST) {
    return Fail(ErrorCode::kIo, "cannot write {}: {}", path, std::strerror(link_errno));
  }
  if (int d = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); d >= 0) {
    (void)::fsync(d);
    ::close(d);
  }
  return {};
}

}  // namespace

void X509Deleter::operator()(X509* x) const { X509_free(x); }
void PkeyDeleter::operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }

std::string OpenSslError() {
  unsigned long e = ERR_get_error();
  if (e == 0) return "unknown OpenSSL error";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  ERR_clear_error();
  return buf;
}

Result<DeviceId> DeviceId::OfCertificate(X509* cert) {
  EVP_PKEY* pub = cert == nullptr ? nullptr : X509_get0_pubkey(cert);
  if (pub == nullptr) return Fail(ErrorCode::kInvalidArgument, "the certificate has no public key");
  unsigned char* der = nullptr;
  int n = i2d_PUBKEY(pub, &der);
  if (n <= 0) return Fail(ErrorCode::kInvalidArgument, "the certificate's public key is unusable");
  DeviceId id;
  SHA256(der, static_cast<std::size_t>(n), id.digest_.data());
  OPENSSL_free(der);
  return id;
}

std::string DeviceId::ToString() const {
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  std::size_t written = 0;
  auto put = [&](char c) {
    if (written > 0 && written % 13 == 0) out += '-';
    out += c;
    ++written;
  };
  for (unsigned char b : digest_) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      put(kBase32[(acc >> (bits - 5)) & 31]);
      bits -= 5;
    }
  }
  if (bits > 0) put(kBase32[(acc << (5 - bits)) & 31]);
  return out;
}

Result<DeviceId> DeviceId::Parse(const std::string& text) {
  auto bad = [&] {
    return Fail(ErrorCode::kInvalidArgument,
                "'{}' is not a device id (52 letters and digits 2-7, as `weft id` prints it)",
                text.size() > 80 ? text.substr(0, 80) + "…" : text);
  };
  DeviceId id;
  std::uint32_t acc = 0;
  int bits = 0;
  std::size_t chars = 0;
  std::size_t byte = 0;
  for (char c : text) {
    if (c == '-' || c == ' ') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    const char* p = std::strchr(kBase32, c);
    if (c == '\0' || p == nullptr) return bad();
    if (++chars > 52) return bad();
    acc = (acc << 5) | static_cast<std::uint32_t>(p - kBase32);
    bits += 5;
    if (bits >= 8) {
      if (byte < id.digest_.size()) {
        id.digest_[byte++] = static_cast<unsigned char>((acc >> (bits - 8)) & 0xff);
      }
      bits -= 8;
    }
    acc &= (1u << bits) - 1;
  }
  if (chars != 52 || byte != 32 || acc != 0) return bad();
  return id;
}

Result<DeviceIdentity> DeviceIdentity::Load(const std::string& store_dir) {
  const std::string path = PathIn(store_dir);
  WEFT_ASSIGN_OR_RETURN(std::string pem, ReadPrivateFile(path));
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  KeyPtr key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  CertPtr cert(key ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  ERR_clear_error();
  if (!key || !cert) {
    return Fail(ErrorCode::kCorruption,
                "{} is damaged (it must hold a private key and then its certificate)", path);
  }
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    ERR_clear_error();
    return Fail(ErrorCode::kCorruption, "{}: the certificate does not match the key", path);
  }
  WEFT_ASSIGN_OR_RETURN(DeviceId id, DeviceId::OfCertificate(cert.get()));
  return DeviceIdentity(std::move(cert), std::move(key), id);
}

Result<DeviceIdentity> DeviceIdentity::LoadOrCreate(const std::string& store_dir,
                                                    const std::string& instance_name) {
  auto loaded = Load(store_dir);
  if (loaded || loaded.error().code() != ErrorCode::kNotFound) return loaded;
  WEFT_ASSIGN_OR_RETURN(KeyPtr key, NewKey());
  WEFT_ASSIGN_OR_RETURN(CertPtr cert, SelfSign(key.get(), instance_name));
  WEFT_ASSIGN_OR_RETURN(std::string pem, ToPem(key.get(), cert.get()));
  WEFT_TRY(WriteOnce(store_dir, pem));
  return Load(store_dir);
}

}  // namespace weft::net
