// csta: initiate (-i), remove (-e) and print (-p) the CSTA servers of a running cstad, as
// MX-ONE's command of that name does.

#include <iostream>
#include <optional>
#include <utility>

#include <CLI/CLI.hpp>

#include "admin/admin_client.hpp"
#include "admin/command_line.hpp"
#include "admin/prompt.hpp"
#include "admin/report_format.hpp"

using namespace cstad::admin;

namespace {

int fail(const std::string& what, int code = 1) {
  std::cerr << "csta: " << what << std::endl;
  return code;
}

// -t on|off with at most one of --client, --session, --device (none with off); the server
// checks that what they name exists.
std::optional<cstad::trace_selection> trace_selection_of(const std::string& on_off, const CLI::Option* client,
                                                         const CLI::Option* session, const CLI::Option* device,
                                                         std::string& error) {
  using by = cstad::trace_selection::by;
  cstad::trace_selection s;
  int chosen = 0;
  const CLI::Option* named = nullptr;
  for (auto [option, who] : {std::pair{client, by::client}, {session, by::session}, {device, by::device}}) {
    if (option->count() == 0)
      continue;
    ++chosen;
    named = option;
    s.who = who;
    s.value = option->as<std::string>();
  }
  if (on_off == "off") {
    if (chosen > 0) {
      error = "-t off takes no --client, --session or --device";
      return std::nullopt;
    }
    return cstad::trace_selection{};
  }
  if (on_off != "on") {
    error = "-t: \"" + on_off + "\" is not on or off";
    return std::nullopt;
  }
  if (chosen > 1) {
    error = "-t on: --client, --session and --device each choose what is traced; give one of them";
    return std::nullopt;
  }
  if (chosen == 0) {
    s.who = by::everyone;
  } else if (s.value.empty()) {
    error = "-t on: " + named->get_name() + " needs a value";
    return std::nullopt;
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"csta - initiate, remove and print the CSTA servers of a running cstad\n"
               "  csta -i [--lim=N] --type=xml|tr87 [--port=P] [--host=ADDR] [--tls=yes|no]\n"
               "          [--auth=optional|mandatory] [--max-sessions=N] [--system-status-on-connect=yes|no]\n"
               "  csta -e [--lim=N] --port=P\n"
               "  csta -p [--lim=N] [--devices] [--json]\n"
               "  csta -t on [--client=ADDR[:PORT] | --session=ID | --device=NUMBER]   the wire trace\n"
               "  csta -t off\n"
               "A parameter left out is asked for on a terminal (its default shown); in a script it\n"
               "takes its default, or is an error when it has none.",
               "csta"};
  bool initiate = false, remove = false, print = false, devices = false, json = false;
  std::string data_dir;
  auto modes = app.add_option_group("mode");
  modes->add_flag("-i", initiate, "initiate a CSTA server (it listens at once)");
  modes->add_flag("-e", remove, "remove a CSTA server: its clients' sessions end, its connections close");
  modes->add_flag("-p", print, "print the CSTA servers and their sessions");
  std::string trace;
  modes->add_option("-t", trace,
                    "on or off: every message to and from the clients chosen (all, or by --client, --session "
                    "or --device), whole, passwords masked, into trace.log in the data directory (rotated at "
                    "10 MB, 5 kept)");
  std::string trace_client, trace_session, trace_device;
  auto client_option = app.add_option(
      "--client", trace_client, "-t on: only the clients from this address, or the one connection ADDR:PORT");
  auto session_option = app.add_option(
      "--session", trace_session, "-t on: only the session with this id: its ECMA-354 sessionID, or its TR/87 dialog's "
      "(csta -p shows it)");
  auto device_option = app.add_option(
      "--device", trace_device,
      "-t on: only the sessions of this device: those with a monitor on it, a TR/87 dialog of its line, "
      "and any session from its first request naming it on; each traced whole until the selection changes");
  modes->require_option(1);
  parameter lim{"1", app.add_option("--lim", lim.value, "the LIM (default 1)"), "LIM", "1"};
  parameter type{"", app.add_option("--type", type.value, "xml (CSTA XML) or tr87 (uaCSTA over SIP)"),
                 "Server type (xml, tr87)", "xml"};
  parameter port{"", app.add_option("--port", port.value, "8882 for XML, 8883 with TLS, 5062 for TR/87"), "Port", ""};
  parameter host{"", app.add_option("--host", host.value, "address to listen on (default 127.0.0.1)"),
                 "Address to listen on", "127.0.0.1"};
  parameter tls{"", app.add_option("--tls", tls.value, "yes or no (default no)"), "TLS (yes, no)", "no"};
  parameter auth{"", app.add_option("--auth", auth.value, "application sessions optional or mandatory (default optional)"),
                 "Application sessions (optional, mandatory)", "optional"};
  parameter max{"", app.add_option("--max-sessions", max.value, "connections at once, 0: no limit (default 0)"),
                "Maximum number of sessions (0: no limit)", "0"};
  std::string status_on_connect = "no";
  app.add_option("--system-status-on-connect", status_on_connect,
                 "yes: a SystemStatus to each client as it connects, for clients that wait for one "
                 "(OpenScape style; XML servers; default no)");
  app.add_flag("--devices", devices, "-p: also every monitored device with its kind and monitors");
  app.add_flag("--json", json, "-p: JSON instead of a table");
  app.add_option("--data-dir", data_dir, "the server's data directory (default: as cstad --help says)");
  if (auto code = parse_command_line(app, argc, argv); code >= 0)
    return code;

  std::string error;
  long lim_number = 1;
  if (!lim.resolve(false, error) || !to_number(lim.value, 1, 999, lim_number))
    return fail(error.empty() ? "--lim: \"" + lim.value + "\" is not a LIM" : error, 2);
  auto client = admin_client::connect(data_dir, error);
  if (!client)
    return fail(error);

  if (!trace.empty()) {
    auto selection = trace_selection_of(trace, client_option, session_option, device_option, error);
    if (!selection)
      return fail(error, 2);
    auto r = client->trace(*selection, error);
    if (!r)
      return fail(error);
    if (!r->error.empty())
      return fail(r->error);
    std::cout << r->message << std::endl;
    return 0;
  }
  if (print) {
    auto r = client->report(devices, error);
    if (!r)
      return fail(error);
    std::cout << (json ? as_json(*r, devices) : as_table(*r, devices));
    return 0;
  }
  if (remove) {
    long p = 0;
    port.question = "Port of the server to remove";
    if (!port.resolve(true, error))
      return fail(error, 2);
    if (!to_number(port.value, 1, 65535, p))
      return fail("--port: \"" + port.value + "\" is not a port", 2);
    auto r = client->remove_server(static_cast<int>(lim_number), static_cast<std::uint16_t>(p), error);
    if (!r)
      return fail(error);
    if (!r->error.empty())
      return fail(r->error);
    std::cout << r->message << std::endl;
    return 0;
  }
  // -i
  server_config c;
  c.lim = static_cast<int>(lim_number);
  if (!type.resolve(true, error) || !tls.resolve(false, error))
    return fail(error, 2);
  if (tls.value != "yes" && tls.value != "no")
    return fail("--tls: \"" + tls.value + "\" is not yes or no", 2);
  c.type = type.value;
  c.tls = tls.value == "yes";
  port.fallback = std::to_string(default_port(c.type, c.tls));
  long p = 0, m = 0;
  if (!port.resolve(false, error) || !host.resolve(false, error) || !auth.resolve(false, error) ||
      !max.resolve(false, error))
    return fail(error, 2);
  if (!to_number(port.value, 1, 65535, p))
    return fail("--port: \"" + port.value + "\" is not a port", 2);
  if (!to_number(max.value, 0, 1000000, m))
    return fail("--max-sessions: \"" + max.value + "\" is not a number of sessions", 2);
  if (status_on_connect != "yes" && status_on_connect != "no")
    return fail("--system-status-on-connect: \"" + status_on_connect + "\" is not yes or no", 2);
  c.status_on_connect = status_on_connect == "yes";
  c.port = static_cast<std::uint16_t>(p);
  c.host = host.value;
  c.auth = auth.value;
  c.max_sessions = static_cast<int>(m);
  auto r = client->add_server(c, error);
  if (!r)
    return fail(error);
  if (!r->error.empty())
    return fail(r->error);
  std::cout << r->message << std::endl;
  return 0;
}
