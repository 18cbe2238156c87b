// A device's identity: an EC P-256 key pair and a self-signed certificate, kept
// in the store directory in one file, `device.pem` (mode 0600; written once, with
// no-clobber, so two processes never pair one key with another's certificate). The device id
// is the SHA-256 of the certificate's public key (its DER SubjectPublicKeyInfo),
// written in base32 as four groups of 13 characters. Peers pin each other by this
// id, as Syncthing does: no certificate authority, no shared secret.
#pragma once

#include <openssl/types.h>

#include <array>
#include <memory>
#include <string>

#include "core/error.h"

namespace weft::net {

class DeviceId {
 public:
  // Accepts the printed form, with or without dashes, in either case.
  static Result<DeviceId> Parse(const std::string& text);
  // kInvalidArgument when the certificate carries no usable public key.
  static Result<DeviceId> OfCertificate(X509* cert);

  std::string ToString() const;  // "ABCDEFGHIJKLM-NOPQRSTUVWXYZ23-..."
  bool operator==(const DeviceId&) const = default;

 private:
  std::array<unsigned char, 32> digest_{};
};

struct X509Deleter {
  void operator()(X509* x) const;
};
struct PkeyDeleter {
  void operator()(EVP_PKEY* k) const;
};

class DeviceIdentity {
 public:
  // Reads the identity kept in `store_dir`, creating it when there is none.
  // Refuses a file that is a symlink, not a regular file, or readable by
  // others, and a certificate that does not match the key.
  static Result<DeviceIdentity> LoadOrCreate(const std::string& store_dir,
                                             const std::string& instance_name);
  // Reads it only; kNotFound when the store has none yet.
  static Result<DeviceIdentity> Load(const std::string& store_dir);

  X509* certificate() const { return cert_.get(); }
  EVP_PKEY* key() const { return key_.get(); }
  const DeviceId& id() const { return id_; }

 private:
  DeviceIdentity(std::unique_ptr<X509, X509Deleter> cert,
                 std::unique_ptr<EVP_PKEY, PkeyDeleter> key, DeviceId id)
      : cert_(std::move(cert)), key_(std::move(key)), id_(id) {}

  std::unique_ptr<X509, X509Deleter> cert_;
  std::unique_ptr<EVP_PKEY, PkeyDeleter> key_;
  DeviceId id_;
};

// OpenSSL's latest error, as one line.
std::string OpenSslError();

}  // namespace weft::net
