// cli/jobs.cpp: `run --jobs N`: N processes (the engine runs one execution per process at a time),
// with seeds seed .. seed+N-1 (a bounded search: each with its share of the search tree), each
// exploring as `run --keep-going`; the parent prints each distinct failure once (a later job's
// schedule of the same failure is removed) and the totals.
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "cli/catalogue.h"
#include "cli/commands.h"

namespace sf::cli {

namespace {

// One record per line: "F\t<token>\t<path>\t<the FAIL line>" or
// "D\t<executions>\t<seconds>\t<SearchState>".
void write_all(int fd, const std::string& s) {
  size_t done = 0;
  while (done < s.size()) {
    ssize_t n = ::write(fd, s.data() + done, s.size() - done);
    if (n <= 0) return;  // the parent is gone: nothing to report to
    done += static_cast<size_t>(n);
  }
}

std::vector<std::string> split_tabs(const std::string& line, size_t parts) {
  std::vector<std::string> out;
  size_t start = 0;
  while (out.size() + 1 < parts) {
    size_t tab = line.find('\t', start);
    if (tab == std::string::npos) break;
    out.push_back(line.substr(start, tab - start));
    start = tab + 1;
  }
  out.push_back(line.substr(start));
  return out;
}

}  // namespace

void report_failure(int fd, const std::string& token, const std::string& path, const std::string& line) {
  write_all(fd, "F\t" + token + "\t" + path + "\t" + line + "\n");
}

void report_done(int fd, uint64_t executions, double seconds, SearchState search) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "D\t%" PRIu64 "\t%.6f\t%d\n", executions, seconds, static_cast<int>(search));
  write_all(fd, buf);
}

int run_jobs(const RunArgs& a) {
  std::fflush(stdout);
  std::fflush(stderr);
  std::vector<pid_t> pids;
  std::vector<pollfd> fds;
  for (uint32_t i = 0; i < a.jobs; ++i) {
    int p[2];
    if (::pipe(p) != 0) return usage_error("cannot create a pipe for the jobs");
    pid_t pid = ::fork();
    if (pid < 0) return usage_error("cannot fork the jobs");
    if (pid == 0) {
      ::close(p[0]);
      for (const pollfd& f : fds) ::close(f.fd);
      RunArgs b = a;
      b.jobs = 1;
      b.keep_going = true;
      b.seed = a.seed + i;
      b.share = i;
      b.shares = a.jobs;
      b.report_fd = p[1];
      int code = cmd_run(b);
      std::fflush(stdout);
      std::fflush(stderr);
      ::_exit(code);
    }
    ::close(p[1]);
    pids.push_back(pid);
    fds.push_back(pollfd{p[0], POLLIN, 0});
  }

  std::map<std::string, std::string> kept;  // failure token -> the schedule kept for it
  std::vector<std::string> pending(fds.size());
  uint64_t executions = 0;
  double seconds = 0;
  // A bounded search is as far along as its least finished share.
  SearchState search = a.strategy == "bounded" ? SearchState::complete : SearchState::none;
  size_t open = fds.size();
  auto handle = [&](const std::string& line) {
    if (line.rfind("F\t", 0) == 0) {
      std::vector<std::string> f = split_tabs(line.substr(2), 3);
      if (f.size() != 3) return;
      auto [it, fresh] = kept.emplace(f[0], f[1]);
      if (fresh) {
        std::printf("%s\n", f[2].c_str());
        std::fflush(stdout);
      } else if (f[1] != it->second) {
        ::unlink(f[1].c_str());  // the same failure as an earlier job's
      }
    } else if (line.rfind("D\t", 0) == 0) {
      std::vector<std::string> f = split_tabs(line.substr(2), 3);
      executions += std::strtoull(f[0].c_str(), nullptr, 10);
      if (f.size() >= 2) seconds = std::max(seconds, std::strtod(f[1].c_str(), nullptr));
      if (f.size() == 3 && search != SearchState::none) {
        search = std::min(search, static_cast<SearchState>(std::strtoul(f[2].c_str(), nullptr, 10) & 3));
      }
    }
  };
  while (open > 0) {
    if (::poll(fds.data(), fds.size(), -1) < 0) continue;
    for (size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buf[4096];
      ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n <= 0) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open;
        continue;
      }
      pending[i].append(buf, static_cast<size_t>(n));
      size_t nl;
      while ((nl = pending[i].find('\n')) != std::string::npos) {
        handle(pending[i].substr(0, nl));
        pending[i].erase(0, nl + 1);
      }
    }
  }
  bool failed_job = false;
  for (size_t i = 0; i < pids.size(); ++i) {
    int status = 0;
    ::waitpid(pids[i], &status, 0);
    if (!WIFEXITED(status) || (WEXITSTATUS(status) != kExitPass && WEXITSTATUS(status) != kExitFailure)) {
      std::fprintf(stderr, "%s: job %zu (seed %" PRIu64 ") ended abnormally\n", program_name(), i, a.seed + i);
      failed_job = true;
    }
  }
  char what[128];
  if (a.strategy == "bounded") {
    std::snprintf(what, sizeof what, "strategy=bounded preemptions<=%u memory_choices<=%u", a.max_preemptions,
                  a.max_memory_choices);
  } else {
    std::snprintf(what, sizeof what, "strategy=%s seeds=%" PRIu64 "..%" PRIu64, a.strategy.c_str(), a.seed,
                  a.seed + a.jobs - 1);
  }
  std::printf("DONE %s %s %s jobs=%u executions=%" PRIu64 " exec/s=%.0f distinct_failures=%zu%s\n",
              a.target.c_str(), a.variant.c_str(), what, a.jobs, executions,
              seconds > 0 ? executions / seconds : 0.0, kept.size(), search_summary(search).c_str());
  if (failed_job) return kExitUsage;
  return kept.empty() ? kExitPass : kExitFailure;
}

}  // namespace sf::cli
