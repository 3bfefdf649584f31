// mxone_certificate: the certificate of cstad's TLS servers and the CA its clients'
// certificates must chain to, as files in the data directory: makes a self-signed one, or a
// signing request for a CA and installs what the CA signed; installs or removes the client CA;
// prints what is installed. It needs no running server: the TLS listeners notice replaced
// files at their next connection.

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cstring>
#include <iostream>
#include <sstream>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "admin/certificates.hpp"
#include "admin/command_line.hpp"
#include "admin/data_directory.hpp"

using namespace cstad::admin;

namespace {

int fail(const std::string& what, int code = 1) {
  std::cerr << "mxone_certificate: " << what << std::endl;
  return code;
}

// "DNS:a, IP:b" as the library takes them: one entry each, spaces around them dropped.
std::vector<std::string> split_names(const std::string& list) {
  std::vector<std::string> out;
  std::stringstream s{list};
  for (std::string item; std::getline(s, item, ',');) {
    auto first = item.find_first_not_of(" \t");
    if (first != std::string::npos)
      out.push_back(item.substr(first, item.find_last_not_of(" \t") - first + 1));
  }
  return out;
}

std::string joined(const std::vector<std::string>& v, const char* separator) {
  std::string out;
  for (auto& s : v)
    out += (out.empty() ? "" : separator) + s;
  return out;
}

// A path as a shell takes it back, so a printed command can be pasted as it is.
std::string shell_word(const std::string& s) {
  bool plain = !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return std::isalnum(c) || std::strchr("_./-=:,+@%", c) != nullptr;
  });
  if (plain)
    return s;
  std::string out = "'";
  for (char c : s)
    out += c == '\'' ? std::string{"'\\''"} : std::string(1, c);
  return out + "'";
}

// Whole days, rounded: a certificate made for 90 days has 90 left, not 89 and some hours.
long days_left(std::time_t until) {
  auto seconds = static_cast<long long>(until - std::time(nullptr));
  return static_cast<long>((seconds + (seconds < 0 ? -43200 : 43200)) / 86400);
}

std::string validity(const certificate_facts& f) {
  auto text = format_utc(f.not_before) + " to " + format_utc(f.not_after);
  if (std::time(nullptr) < f.not_before)
    return text + " (not valid yet)";
  if (!f.valid_now)
    return text + " (expired)";
  return text + " (" + std::to_string(days_left(f.not_after)) + " days left)";
}

void print_facts(const certificate_facts& f) {
  std::cout << "  subject    " << f.subject << "\n"
            << "  issuer     " << f.issuer << "\n"
            << "  names      " << (f.sans.empty() ? "none" : joined(f.sans, ", ")) << "\n"
            << "  valid      " << validity(f) << "\n"
            << "  sha256     " << f.sha256 << "\n";
}

nlohmann::json json_of(const certificate_facts& f) {
  return {{"subject", f.subject},       {"issuer", f.issuer},     {"sans", f.sans},
          {"not_before", f.not_before}, {"not_after", f.not_after}, {"sha256", f.sha256},
          {"valid_now", f.valid_now}};
}

bool exists(const std::string& path) { return ::access(path.c_str(), F_OK) == 0; }

// The key first, the certificate last: a listener that looks in between sees a new key with
// the old certificate, refuses the pair and keeps its context until the certificate follows.
bool install_pair(const data_directory& dir, const std::string& key_pem, const std::string& cert_pem,
                  std::string& error) {
  return dir.create_tls_directory(error) && write_file_atomically(dir.tls_key_file(), key_pem, error) &&
         write_file_atomically(dir.tls_certificate_file(), cert_pem, error);
}

// What an installed certificate (with its chain) is, after it was written.
int report_installed(const std::string& cert_pem) {
  std::string error;
  auto chain = describe_certificates(cert_pem, error);
  if (!chain)
    return fail(error);
  auto& f = chain->front();
  std::cout << "installed: " << f.subject << ", valid until " << format_utc(f.not_after) << " ("
            << days_left(f.not_after) << " days)\n";
  for (std::size_t i = 0; i < chain->size(); ++i) {
    if (i > 0)
      std::cout << "chain certificate " << i + 1 << "\n";
    print_facts((*chain)[i]);
  }
  return 0;
}

// What the modes that make a key share: the common name, the names, the key's kind.
struct request_parameters {
  parameter cn, sans, days;
  bool rsa = false;

  // The request; nothing when a parameter is missing or wrong (error says which).
  std::optional<certificate_request> resolve(bool with_days, std::string& error) {
    if (!cn.resolve(true, error))
      return std::nullopt;
    sans.question = "Names (DNS:host,IP:address; Enter: " + cn.value + ")";
    long n = 0;
    if (!sans.resolve(false, error) || (with_days && !days.resolve(false, error)))
      return std::nullopt;
    if (with_days && !to_number(days.value, INT_MIN, INT_MAX, n)) {
      error = "--days: \"" + days.value + "\" is not a number of days";
      return std::nullopt;
    }
    certificate_request r;
    r.common_name = cn.value;
    r.sans = split_names(sans.value);
    r.days = with_days ? static_cast<int>(n) : r.days;
    r.rsa = rsa;
    error = request_problem(r);
    return error.empty() ? std::optional{r} : std::nullopt;
  }
};

int create_self_signed_mode(const data_directory& dir, request_parameters& p) {
  std::string error;
  auto r = p.resolve(true, error);
  if (!r)
    return fail(error, 2);
  auto made = create_self_signed(*r, error);
  if (!made)
    return fail(error);
  if (!install_pair(dir, made->key_pem, made->cert_pem, error))
    return fail(error);
  return report_installed(made->cert_pem);
}

int request_mode(const data_directory& dir, request_parameters& p, parameter& out) {
  std::string error;
  auto r = p.resolve(false, error);
  if (!r)
    return fail(error, 2);
  out.fallback = r->common_name + ".csr";
  if (!out.resolve(true, error))
    return fail(error, 2);
  auto made = create_signing_request(*r, error);
  if (!made)
    return fail(error);
  auto key_file = dir.tls_request_key_file();
  bool replaces = exists(key_file);
  // The key first: a request whose key was lost is worth nothing.
  if (!dir.create_tls_directory(error) || !write_file_atomically(key_file, made->key_pem, error) ||
      !write_file_atomically(out.value, made->csr_pem, error))
    return fail(error);
  auto names = r->sans.empty() ? std::string{} : ", " + joined(r->sans, ", ");
  auto stem = out.value.size() > 4 && out.value.compare(out.value.size() - 4, 4, ".csr") == 0
                  ? out.value.substr(0, out.value.size() - 4)
                  : out.value;
  std::cout << "signing request for CN=" << r->common_name << names << " written to " << out.value << "\n"
            << "its key stays in " << key_file << (replaces ? " (it replaces the key of an earlier request)" : "")
            << "\nonce the CA has signed it, install the certificate with:\n"
            << "  mxone_certificate --install --cert=" << shell_word(stem + ".crt")
            << " --key=" << shell_word(key_file) << " --data-dir=" << shell_word(dir.path()) << "\n"
            << "(add --chain=FILE when the CA sent intermediate certificates with it)\n";
  return 0;
}

int install_mode(const data_directory& dir, parameter& cert, parameter& key, parameter& chain) {
  std::string error;
  if (!cert.resolve(true, error) || !key.resolve(true, error) || !chain.resolve(false, error))
    return fail(error, 2);
  auto cert_pem = read_file(cert.value, error);
  auto key_pem = cert_pem ? read_file(key.value, error) : std::nullopt;
  auto chain_pem = chain.value.empty() || !key_pem ? std::optional{std::string{}} : read_file(chain.value, error);
  if (!cert_pem || !key_pem || !chain_pem)
    return fail(error);
  if (!chain_pem->empty() && !cert_pem->empty() && cert_pem->back() != '\n')
    *cert_pem += '\n';
  *cert_pem += *chain_pem;
  if (auto problem = check_certificate_and_key(*cert_pem, *key_pem); !problem.empty())
    return fail("not installed: " + problem);
  if (!install_pair(dir, *key_pem, *cert_pem, error))
    return fail(error);
  return report_installed(*cert_pem);
}

int remove_client_ca(const data_directory& dir) {
  auto file = dir.tls_client_ca_file();
  if (::unlink(file.c_str()) != 0) {
    if (errno == ENOENT) {
      std::cout << "no client CA is installed\n";
      return 0;
    }
    return fail("cannot remove " + file + ": " + std::strerror(errno));
  }
  std::cout << "client CA removed: TLS servers no longer ask for client certificates\n";
  return 0;
}

int client_ca_mode(const data_directory& dir, const std::string& file) {
  if (file == "none")
    return remove_client_ca(dir);
  std::string error;
  auto pem = read_file(file, error);
  if (!pem)
    return fail(error);
  auto cas = describe_certificates(*pem, error);
  if (!cas)
    return fail(file + ": " + error);
  // The file is kept with the server's files; a CA's key has no business there.
  if (pem->find("PRIVATE KEY-----") != std::string::npos)
    return fail(file + ": it holds a private key; give the CA's certificate alone");
  if (std::none_of(cas->begin(), cas->end(), [](const certificate_facts& f) { return f.valid_now; }))
    return fail("not installed: " + file + ": no certificate in it is valid now (" + validity(cas->front()) + ")");
  if (!dir.create_tls_directory(error) || !write_file_atomically(dir.tls_client_ca_file(), *pem, error))
    return fail(error);
  std::cout << "client CA installed: TLS servers now require client certificates that chain to it\n";
  for (auto& f : *cas)
    print_facts(f);
  return 0;
}

// The certificates of a file that may be missing; nothing, and why, when it cannot be read.
std::optional<std::vector<certificate_facts>> installed(const std::string& file, std::string& error) {
  if (!exists(file))
    return std::vector<certificate_facts>{};
  auto pem = read_file(file, error);
  if (!pem)
    return std::nullopt;
  auto facts = describe_certificates(*pem, error);
  if (!facts)
    error = file + ": " + error;
  return facts;
}

// Why the installed pair would not serve; empty when it would.
std::string installed_problem(const data_directory& dir) {
  std::string error;
  auto cert = read_file(dir.tls_certificate_file(), error);
  auto key = cert ? read_file(dir.tls_key_file(), error) : std::nullopt;
  return key ? check_certificate_and_key(*cert, *key) : error;
}

int print_mode(const data_directory& dir, bool json) {
  std::string error;
  auto chain = installed(dir.tls_certificate_file(), error);
  auto cas = chain ? installed(dir.tls_client_ca_file(), error) : std::nullopt;
  if (!chain || !cas)
    return fail(error);
  auto problem = chain->empty() ? std::string{} : installed_problem(dir);
  if (json) {
    nlohmann::json out{{"certificate", nullptr}, {"client_ca", nullptr}};
    if (!chain->empty()) {
      out["certificate"] = {{"file", dir.tls_certificate_file()}, {"key_file", dir.tls_key_file()},
                            {"chain", nlohmann::json::array()}, {"problem", problem}};
      for (auto& f : *chain)
        out["certificate"]["chain"].push_back(json_of(f));
    }
    if (!cas->empty()) {
      out["client_ca"] = {{"file", dir.tls_client_ca_file()}, {"certificates", nlohmann::json::array()}};
      for (auto& f : *cas)
        out["client_ca"]["certificates"].push_back(json_of(f));
    }
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  if (chain->empty())
    std::cout << "no certificate is installed (mxone_certificate --create-self-signed --cn=NAME makes one)\n";
  for (std::size_t i = 0; i < chain->size(); ++i) {
    std::cout << (i == 0 ? "certificate  " + dir.tls_certificate_file() : "chain certificate " + std::to_string(i + 1))
              << "\n";
    print_facts((*chain)[i]);
  }
  if (!chain->empty())
    std::cout << "key          " << dir.tls_key_file() << "\n"
              << "state        " << (problem.empty() ? "ready" : problem) << "\n";
  if (cas->empty())
    std::cout << "client CA    none: TLS servers do not ask for client certificates\n";
  else
    std::cout << "client CA    " << dir.tls_client_ca_file()
              << ": TLS servers require client certificates that chain to it\n";
  for (auto& f : *cas)
    print_facts(f);
  return 0;
}

// Options that mean nothing in the mode chosen are refused rather than ignored: whoever gives
// --days to --install expects it to count.
std::string misplaced(const std::vector<const CLI::Option*>& parameters, const std::vector<const CLI::Option*>& taken,
                      const std::string& mode) {
  for (auto* option : parameters)
    if (option->count() > 0 && std::find(taken.begin(), taken.end(), option) == taken.end())
      return option->get_name() + " does not go with " + mode;
  return {};
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"mxone_certificate - the certificate of cstad's TLS servers, and the CA of its clients\n"
               "  mxone_certificate --create-self-signed --cn=NAME [--san=DNS:host,IP:addr] [--days=N] [--rsa]\n"
               "  mxone_certificate --request --cn=NAME --out=FILE.csr [--san=DNS:host,IP:addr] [--rsa]\n"
               "  mxone_certificate --install --cert=FILE --key=FILE [--chain=FILE]\n"
               "  mxone_certificate --ca=FILE|none\n"
               "  mxone_certificate --print [--json]\n"
               "Keys are ECDSA P-256 (RSA 2048 with --rsa). The files live in DATA/tls/; TLS servers\n"
               "pick up a replacement at their next connection, no restart needed. A parameter left\n"
               "out is asked for on a terminal; in a script it takes its default, or is an error when\n"
               "it has none.",
               "mxone_certificate"};
  bool self_signed = false, request = false, install = false, print = false, json = false;
  std::string ca_file, data_dir;
  auto modes = app.add_option_group("mode");
  modes->add_flag("--create-self-signed", self_signed, "make a key and a certificate it signs, and install them");
  modes->add_flag("--request", request, "make a key (kept in DATA/tls/request.key) and a signing request for a CA");
  modes->add_flag("--install", install, "install a certificate a CA signed, with its key (and the CA's chain)");
  modes->add_option("--ca", ca_file,
                    "from now on, require client certificates that chain to the CA in FILE (mutual TLS); "
                    "none: no longer");
  modes->add_flag("--print", print, "print the installed certificate and client CA");
  modes->require_option(1);
  request_parameters req{
      {"", app.add_option("--cn", req.cn.value, "common name: the server's host name (or address)"),
       "Common name (the server's host name)", ""},
      {"", app.add_option("--san", req.sans.value, "the names clients reach the server by, comma-separated: "
                                                   "DNS:host or IP:address (default: the common name)")
               ->join(','),
       "Names", ""},
      {"", app.add_option("--days", req.days.value, "validity in days (default 365)"), "Valid for how many days",
       "365"}};
  auto rsa_option = app.add_flag("--rsa", req.rsa, "RSA 2048 instead of ECDSA P-256");
  parameter out{"", app.add_option("--out", out.value, "--request: where the signing request goes"),
                "Signing request file", ""};
  parameter cert{"", app.add_option("--cert", cert.value, "--install: the certificate (PEM)"), "Certificate file", ""};
  parameter key{"", app.add_option("--key", key.value, "--install: its key (PEM, unencrypted)"), "Key file", ""};
  parameter chain{"", app.add_option("--chain", chain.value, "--install: the CA's intermediate certificates (PEM)"),
                  "Chain file (Enter: none)", ""};
  auto json_option = app.add_flag("--json", json, "--print: JSON instead of text");
  app.add_option("--data-dir", data_dir, "the server's data directory (default: as cstad --help says)");
  if (auto code = parse_command_line(app, argc, argv); code >= 0)
    return code;

  std::vector<const CLI::Option*> parameters{req.cn.option, req.sans.option, req.days.option, rsa_option,
                                             out.option,    cert.option,     key.option,      chain.option,
                                             json_option};
  std::string mode = self_signed ? "--create-self-signed" : request ? "--request" : install ? "--install"
                                                            : print ? "--print"
                                                                    : "--ca";
  std::vector<const CLI::Option*> taken;
  if (self_signed)
    taken = {req.cn.option, req.sans.option, req.days.option, rsa_option};
  else if (request)
    taken = {req.cn.option, req.sans.option, rsa_option, out.option};
  else if (install)
    taken = {cert.option, key.option, chain.option};
  else if (print)
    taken = {json_option};
  if (auto problem = misplaced(parameters, taken, mode); !problem.empty())
    return fail(problem, 2);

  data_directory dir{data_directory::resolve(data_dir)};
  if (self_signed)
    return create_self_signed_mode(dir, req);
  if (request)
    return request_mode(dir, req, out);
  if (install)
    return install_mode(dir, cert, key, chain);
  if (print)
    return print_mode(dir, json);
  return client_ca_mode(dir, ca_file);
}
