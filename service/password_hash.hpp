#pragma once
// Passwords are kept only as salted slow hashes: PBKDF2-HMAC-SHA256 (OpenSSL), encoded as
// "pbkdf2-sha256$<iterations>$<salt, hex>$<hash, hex>". Verification compares in constant time.

#include <string>
#include <string_view>

namespace cstad::service {

/// Iterations of new hashes: about 20 ms of one core here, slow for guessing, bearable for a
/// log-on (verification runs off the scheduler's threads, see actors/authenticator.cpp).
inline constexpr int password_hash_iterations = 60000;

/// More would make a log-on take minutes: a hash that asks for more is not one of ours.
inline constexpr int max_password_hash_iterations = 10'000'000;

std::string hash_password(std::string_view password, int iterations = password_hash_iterations);

/// False also for an encoding that is not ours.
bool verify_password(std::string_view password, std::string_view encoded);

/// Whether encoded is a hash in our encoding (for checking a configuration).
bool is_password_hash(std::string_view encoded);

}  // namespace cstad::service
