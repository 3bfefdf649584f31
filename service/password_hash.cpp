#include "service/password_hash.hpp"

#include <optional>
#include <string>
#include <vector>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

namespace cstad::service {
namespace {

constexpr const char* scheme = "pbkdf2-sha256";
constexpr std::size_t salt_size = 16;
constexpr std::size_t hash_size = 32;

std::string to_hex(const std::vector<unsigned char>& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (auto b : bytes) {
    out += digits[b >> 4];
    out += digits[b & 15];
  }
  return out;
}

bool from_hex(std::string_view text, std::vector<unsigned char>& out) {
  auto value = [](char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
  };
  if (text.size() % 2 != 0)
    return false;
  out.clear();
  for (std::size_t i = 0; i < text.size(); i += 2) {
    int hi = value(text[i]), lo = value(text[i + 1]);
    if (hi < 0 || lo < 0)
      return false;
    out.push_back(static_cast<unsigned char>(hi * 16 + lo));
  }
  return true;
}

std::vector<unsigned char> derive(std::string_view password, const std::vector<unsigned char>& salt,
                                  int iterations, std::size_t size) {
  std::vector<unsigned char> out(size);
  PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), salt.data(),
                    static_cast<int>(salt.size()), iterations, EVP_sha256(),
                    static_cast<int>(out.size()), out.data());
  return out;
}

}  // namespace

std::string hash_password(std::string_view password, int iterations) {
  std::vector<unsigned char> salt(salt_size);
  RAND_bytes(salt.data(), static_cast<int>(salt.size()));
  return std::string{scheme} + "$" + std::to_string(iterations) + "$" + to_hex(salt) + "$" +
         to_hex(derive(password, salt, iterations, hash_size));
}

namespace {

struct decoded_hash {
  int iterations = 0;
  std::vector<unsigned char> salt, hash;
};

// scheme $ iterations $ salt $ hash; nothing for anything else. The iterations are capped so
// that a configuration cannot make every log-on take minutes.
std::optional<decoded_hash> decode(std::string_view encoded) {
  std::vector<std::string_view> parts;
  for (std::size_t from = 0;;) {
    auto to = encoded.find('$', from);
    parts.push_back(encoded.substr(from, to == std::string_view::npos ? to : to - from));
    if (to == std::string_view::npos)
      break;
    from = to + 1;
  }
  if (parts.size() != 4 || parts[0] != scheme || parts[1].empty() || parts[1].size() > 8 ||
      parts[1].find_first_not_of("0123456789") != std::string_view::npos)
    return std::nullopt;
  decoded_hash d;
  d.iterations = std::stoi(std::string{parts[1]});
  if (d.iterations < 1 || d.iterations > max_password_hash_iterations || !from_hex(parts[2], d.salt) ||
      d.salt.empty() || !from_hex(parts[3], d.hash) || d.hash.size() != hash_size)
    return std::nullopt;
  return d;
}

}  // namespace

bool is_password_hash(std::string_view encoded) { return decode(encoded).has_value(); }

bool verify_password(std::string_view password, std::string_view encoded) {
  auto d = decode(encoded);
  if (!d)
    return false;
  auto actual = derive(password, d->salt, d->iterations, d->hash.size());
  return CRYPTO_memcmp(actual.data(), d->hash.data(), d->hash.size()) == 0;
}

}  // namespace cstad::service
