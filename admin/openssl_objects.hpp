#pragma once
// OpenSSL for the certificate files of admin/ (certificates.cpp reads and checks PEM,
// certificate_making.cpp makes keys, certificates and signing requests): its objects as owned
// handles, its errors as text, memory BIOs, and the reading of PEM both need (a CA's
// certificate and key sign new certificates). Only those two include this.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace cstad::admin::openssl {

// Owners of OpenSSL objects, each freed with the function OpenSSL has for it.
template <auto Free>
struct openssl_free {
  template <class T>
  void operator()(T* p) const {
    Free(p);
  }
};
struct extensions_free {
  void operator()(STACK_OF(X509_EXTENSION) * s) const { sk_X509_EXTENSION_pop_free(s, X509_EXTENSION_free); }
};
using bio_ptr = std::unique_ptr<BIO, openssl_free<BIO_free_all>>;
using key_ptr = std::unique_ptr<EVP_PKEY, openssl_free<EVP_PKEY_free>>;
using x509_ptr = std::unique_ptr<X509, openssl_free<X509_free>>;
using request_ptr = std::unique_ptr<X509_REQ, openssl_free<X509_REQ_free>>;
using extension_ptr = std::unique_ptr<X509_EXTENSION, openssl_free<X509_EXTENSION_free>>;
using extensions_ptr = std::unique_ptr<STACK_OF(X509_EXTENSION), extensions_free>;
using general_name_ptr = std::unique_ptr<GENERAL_NAME, openssl_free<GENERAL_NAME_free>>;
using general_names_ptr = std::unique_ptr<GENERAL_NAMES, openssl_free<GENERAL_NAMES_free>>;
using bignum_ptr = std::unique_ptr<BIGNUM, openssl_free<BN_free>>;

// Why OpenSSL failed: the first reason on its queue (the root cause; later ones only say
// where it surfaced), which is emptied for the next operation.
inline std::string openssl_error() {
  unsigned long first = ERR_get_error();
  ERR_clear_error();
  if (first == 0)
    return "unknown OpenSSL error";
  if (auto reason = ERR_reason_error_string(first))
    return reason;
  char text[256];
  ERR_error_string_n(first, text, sizeof text);
  return text;
}

inline std::string text_of(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  return n > 0 ? std::string(data, static_cast<std::size_t>(n)) : std::string{};
}

inline bio_ptr memory_bio() { return bio_ptr{BIO_new(BIO_s_mem())}; }

inline bio_ptr reader_of(const std::string& text) {
  return bio_ptr{BIO_new_mem_buf(text.data(), static_cast<int>(text.size()))};
}

// -- certificates.cpp -------------------------------------------------------------------------

/// Every certificate of a PEM text, in order; nothing, and why, when there is none or one
/// cannot be read.
std::optional<std::vector<x509_ptr>> read_certificates(const std::string& pem, std::string& error);
/// The one unencrypted private key of a PEM text; nothing, and why (encrypted, damaged, none).
key_ptr read_key(const std::string& pem, std::string& error);
/// A name in one line, RFC 2253 ("CN=…,O=…"), shown safely on a terminal.
std::string one_line(const X509_NAME* name);

}  // namespace cstad::admin::openssl
