// csta_authentication: the accounts for ECMA-354 application session authentication of a
// running cstad: add (-i), change (-c), remove (-e), print (-p), as MX-ONE's command of that
// name does. Passwords are read without echo on a terminal or from standard input
// (--password-stdin), never from the command line, and leave this program only as salted hashes.

#include <algorithm>
#include <iostream>
#include <sstream>

#include <CLI/CLI.hpp>

#include "admin/admin_client.hpp"
#include "admin/command_line.hpp"
#include "admin/prompt.hpp"
#include "admin/report_format.hpp"
#include "service/device_scope.hpp"
#include "service/password_hash.hpp"

using namespace cstad::admin;

namespace {

int fail(const std::string& what, int code = 1) {
  std::cerr << "csta_authentication: " << what << std::endl;
  return code;
}

std::vector<std::string> split(const std::string& list) {
  std::vector<std::string> out;
  std::stringstream s{list};
  for (std::string item; std::getline(s, item, ',');)
    if (!item.empty())
      out.push_back(item);
  return out;
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (auto& s : v)
    out += (out.empty() ? "" : ",") + s;
  return out;
}

// A value given on the command line; else asked on a terminal (current shown); else current.
std::optional<std::string> value_of(const CLI::Option* option, const std::string& given,
                                    const std::string& question, const std::string& current) {
  if (option->count() > 0)
    return given;
  if (interactive())
    return ask(question, current);
  return current;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"csta_authentication - accounts for application session authentication of a running cstad\n"
               "  csta_authentication -i --user=NAME [--password-stdin] [--level=N] [--applications=A,B]\n"
               "                      [--max-duration=SECONDS] [--devices=1010,1020-1029]\n"
               "  csta_authentication -c --user=NAME [--password-stdin] [--level=N] [--applications=A,B]\n"
               "                      [--max-duration=SECONDS] [--devices=1010,1020-1029]\n"
               "  csta_authentication -e --user=NAME\n"
               "  csta_authentication -p [--json]\n"
               "The password is asked without echo on a terminal, or read from standard input with\n"
               "--password-stdin; it is never an option. Once any account exists, every\n"
               "StartApplicationSession must name one; with none, sessions need no credentials\n"
               "(and are refused on servers that require them).",
               "csta_authentication"};
  bool add = false, change = false, remove = false, print = false, password_stdin = false, json = false;
  std::string user, level, applications, max_duration, devices, data_dir;
  auto modes = app.add_option_group("mode");
  modes->add_flag("-i", add, "add an account");
  modes->add_flag("-c", change, "change an account (what is left out stays)");
  modes->add_flag("-e", remove, "remove an account");
  modes->add_flag("-p", print, "print the settings and the accounts (never a password)");
  modes->require_option(1);
  auto user_option = app.add_option("--user", user, "the account's user name (SessionLoginInfo/userName)");
  app.add_flag("--password-stdin", password_stdin, "read the password from the first line of standard input");
  auto level_option = app.add_option("--level", level, "authority level (default 1)");
  auto apps_option = app.add_option("--applications", applications,
                                    "applicationIDs the account may start, comma-separated (default: any)");
  auto max_option = app.add_option("--max-duration", max_duration,
                                   "longest session in seconds, 0: the server's maximum (default 0)");
  auto devices_option = app.add_option(
      "--devices", devices,
      "devices its sessions may monitor and control: numbers and ranges like 1010-1019, comma-separated; "
      "others are refused with privilegeViolationSpecifiedDevice (default: any)");
  app.add_flag("--json", json, "-p: JSON instead of tables");
  app.add_option("--data-dir", data_dir, "the server's data directory (default: as cstad --help says)");
  if (auto code = parse_command_line(app, argc, argv); code >= 0)
    return code;

  std::string error;
  auto client = admin_client::connect(data_dir, error);
  if (!client)
    return fail(error);
  auto report = client->accounts(error);
  if (!report)
    return fail(error);
  if (print) {
    std::cout << (json ? as_json(*report) : as_table(*report));
    return 0;
  }
  if (user_option->count() == 0) {
    if (!interactive())
      return fail("--user is missing", 2);
    auto answer = ask("User name", "");
    if (!answer || answer->empty())
      return fail("no user name", 2);
    user = *answer;
  }
  if (auto problem = name_problem(user); !problem.empty())
    return fail("--user: " + problem, 2);
  if (remove) {
    auto r = client->remove_account(user, error);
    if (!r)
      return fail(error);
    if (!r->error.empty())
      return fail(r->error);
    std::cout << r->message << std::endl;
    return 0;
  }
  // -i or -c: what the account has now is the default of -c.
  account_summary current;
  auto existing = std::find_if(report->accounts.begin(), report->accounts.end(),
                               [&](const account_summary& a) { return a.user == user; });
  if (change && existing == report->accounts.end())
    return fail("there is no account for \"" + user + "\"");
  if (add && existing != report->accounts.end())
    return fail("an account for \"" + user + "\" exists already (csta_authentication -c changes it)");
  if (change)
    current = *existing;
  auto lv = value_of(level_option, level, "Authority level", std::to_string(current.level));
  auto ap = value_of(apps_option, applications, "Applications it may start, comma-separated (empty: any)",
                     join(current.applications));
  auto md = value_of(max_option, max_duration, "Longest session in seconds (0: the server's maximum)",
                     std::to_string(current.max_duration));
  auto dv = value_of(devices_option, devices, "Devices it may monitor and control, like 1010,1020-1029 (empty: any)",
                     join(current.devices));
  if (!lv || !ap || !md || !dv)
    return fail("no answer", 2);
  long level_number = 0, max_number = 0;
  if (!to_number(*lv, 0, 99, level_number))
    return fail("--level: \"" + *lv + "\" is not a level (0-99)", 2);
  if (!to_number(*md, 0, 86400 * 365, max_number))
    return fail("--max-duration: \"" + *md + "\" is not a number of seconds", 2);
  std::optional<std::string> password;
  if (password_stdin) {
    password = read_line();
    if (!password || password->empty())
      return fail("no password on standard input", 2);
  } else if (interactive()) {
    std::string why;
    password = ask_password(add ? "Password" : "New password (Enter keeps the old one)", true, why);
    if (!password)
      return fail(why, 2);
  } else if (add) {
    return fail("no password: give --password-stdin, or run on a terminal", 2);
  }
  if (add && password->empty())
    return fail("an empty password is not a password", 2);
  if (password && password->size() > 1024)
    return fail("a password must not be longer than 1024 characters", 2);
  if (password && std::any_of(password->begin(), password->end(),
                              [](unsigned char ch) { return ch < 0x20 || ch == 0x7f; }))
    return fail("a password must not hold control characters", 2);
  account a;
  a.user = user;
  a.level = static_cast<int>(level_number);
  a.applications = split(*ap);
  for (auto& app : a.applications)
    if (auto problem = name_problem(app); !problem.empty())
      return fail("--applications: " + problem, 2);
  a.max_duration = static_cast<int>(max_number);
  a.devices = split(*dv);
  for (auto& d : a.devices)
    if (auto problem = cstad::service::device_scope::problem(d))
      return fail("--devices: \"" + d + "\": " + *problem, 2);
  if (password && !password->empty())
    a.password_hash = cstad::service::hash_password(*password);  // "" keeps the old one (-c)
  auto r = client->set_account(a, add, error);
  if (!r)
    return fail(error);
  if (!r->error.empty())
    return fail(r->error);
  std::cout << r->message << std::endl;
  return 0;
}
