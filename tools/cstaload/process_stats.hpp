#pragma once
// What /proc says about a process on this machine: its CPU time (all threads, or each thread),
// its memory, and how busy the whole machine was. Load tools read it before and after a window
// to report the server's CPU per delivered event and its RSS.

#include <sys/types.h>

#include <map>
#include <optional>
#include <string>
#include <utility>

namespace cstad::load {

/// utime + stime of the whole process (all threads), in µs; nothing when it is gone.
std::optional<double> process_cpu_us(pid_t pid);

/// A "Vm..." line of /proc/<pid>/status ("VmRSS", "VmSize", "VmHWM"), in MiB.
std::optional<double> process_status_mib(pid_t pid, const char* field);

/// The process's number of threads.
std::optional<int> process_threads(pid_t pid);

/// CPU (utime + stime, µs) of each thread of a process, by thread id, with the thread's name.
std::map<int, std::pair<std::string, double>> thread_cpu_us(pid_t pid);

/// CPU time all processes spent busy (not idle, not waiting for I/O), machine-wide, in µs.
double machine_busy_us();

/// This process's own CPU time (user + system), in µs.
double own_cpu_us();

/// The CPU time (µs) in one line of /proc/<pid>/stat or /proc/<pid>/task/<tid>/stat, and the
/// name between its parentheses; nothing when the line is not one.
std::optional<std::pair<std::string, double>> parse_stat_line(const std::string& line);

}  // namespace cstad::load
