#include "daemon/service.h"

#include <fcntl.h>
#include <pwd.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "core/hash.h"

extern char** environ;

namespace weft::daemon {
namespace {

constexpr std::string_view kLingerMark = "# weft: lingering enabled by install --boot";

// systemd expands %-specifiers in ExecStart and paths: a literal % is %%.
std::string Escaped(const std::string& s) {
  std::string out;
  for (char c : s) out += c == '%' ? std::string("%%") : std::string(1, c);
  return out;
}

// One ExecStart word, quoted when it holds a space, a quote or a backslash.
std::string Word(const std::string& s) {
  if (s.find_first_of(" \t\"'\\") == std::string::npos) return Escaped(s);
  std::string out = "\"";
  for (char c : Escaped(s)) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

struct ToolRun {
  int status = -1;
  std::string output;
};

// Runs a tool found on PATH, its output (stdout and stderr) captured.
ToolRun RunTool(const std::vector<std::string>& argv) {
  ToolRun run;
  int pipefd[2];
  if (::pipe2(pipefd, O_CLOEXEC) != 0) return run;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipefd[1], 1);
  posix_spawn_file_actions_adddup2(&actions, pipefd[1], 2);
  std::vector<std::string> args = argv;
  std::vector<char*> cargv;
  for (auto& a : args) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, cargv[0], &actions, nullptr, cargv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipefd[1]);
  if (spawned != 0) {
    ::close(pipefd[0]);
    run.output = fmt::format("{} is not installed", argv[0]);
    return run;
  }
  std::array<char, 4096> buf{};
  ssize_t n = 0;
  while ((n = ::read(pipefd[0], buf.data(), buf.size())) > 0 && run.output.size() < 64 * 1024) {
    run.output.append(buf.data(), static_cast<std::size_t>(n));
  }
  ::close(pipefd[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  while (!run.output.empty() && (run.output.back() == '\n' || run.output.back() == ' ')) {
    run.output.pop_back();
  }
  for (char& c : run.output) {
    if (c == '\n') c = ' ';
  }
  return run;
}

std::string Command(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& a : argv) out += (out.empty() ? "" : " ") + a;
  return out;
}

Status Tool(const std::vector<std::string>& argv, const std::string& done_so_far) {
  ToolRun r = RunTool(argv);
  if (r.status == 0) return {};
  return Fail(ErrorCode::kUnavailable, "{}; `{}` failed{}{}", done_so_far, Command(argv),
              r.output.empty() ? "" : ": ", r.output);
}

std::string UserName() {
  if (const passwd* pw = ::getpwuid(::getuid()); pw != nullptr) return pw->pw_name;
  const char* user = std::getenv("USER");
  return user != nullptr ? user : "";
}

}  // namespace

std::string UnitName(const std::string& store_dir) {
  const std::string abs = std::filesystem::absolute(store_dir).lexically_normal().string();
  return "weft-daemon-" + DigestToHex(Sha256Of(AsBytes(abs))).substr(0, 8) + ".service";
}

Result<std::string> UnitText(const UnitRequest& r) {
  for (const std::string* s : {&r.exe, &r.store_dir, &r.listen}) {
    if (s->find_first_of("\n\r") != std::string::npos) {
      return Fail(ErrorCode::kInvalidArgument, "a systemd unit cannot hold a path with a newline");
    }
  }
  const std::string log = (std::filesystem::path(r.store_dir) / "daemon.log").string();
  std::string exec = Word(r.exe) + " --store " + Word(r.store_dir) + " daemon run";
  if (!r.listen.empty()) exec += " --listen " + Word(r.listen);
  if (r.tls) exec += " --tls";
  std::ostringstream out;
  out << "# Made by `weft daemon install`; removed by `weft daemon uninstall`.\n";
  if (r.boot) out << kLingerMark << "\n";
  out << "[Unit]\n"
      << "Description=weft daemon for " << Escaped(r.store_dir) << "\n"
      << "\n[Service]\n"
      << "Type=simple\n"
      << "ExecStart=" << exec << "\n"
      << "Restart=on-failure\n"
      << "RestartSec=5\n"
      << "StandardOutput=append:" << Escaped(log) << "\n"
      << "StandardError=append:" << Escaped(log) << "\n"
      << "\n[Install]\n"
      << "WantedBy=default.target\n";
  return out.str();
}

Result<std::string> UserUnitDir() {
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg != nullptr && *xdg == '/') {
    return (std::filesystem::path(xdg) / "systemd" / "user").string();
  }
  const char* home = std::getenv("HOME");
  if (home == nullptr || *home != '/') {
    return Fail(ErrorCode::kFailedPrecondition,
                "HOME is not set; cannot find the user unit "
                "directory");
  }
  return (std::filesystem::path(home) / ".config" / "systemd" / "user").string();
}

Result<InstallReport> InstallUnit(const UnitRequest& request) {
  InstallReport report;
  report.unit = UnitName(request.store_dir);
  WEFT_ASSIGN_OR_RETURN(std::string dir, UserUnitDir());
  report.unit_path = (std::filesystem::path(dir) / report.unit).string();
  UnitRequest r = request;
  // Lingering already on is not ours to turn off at uninstall.
  if (r.boot) {
    ToolRun shown = RunTool({"loginctl", "show-user", UserName(), "--property=Linger"});
    r.boot = !(shown.status == 0 && shown.output.find("Linger=yes") != std::string::npos);
    report.lingering = r.boot;
  }
  WEFT_ASSIGN_OR_RETURN(std::string text, UnitText(r));
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Fail(ErrorCode::kIo, "cannot create {}: {}", dir, ec.message());
  const std::string tmp = report.unit_path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << text;
    if (!out.flush()) return Fail(ErrorCode::kIo, "cannot write {}", tmp);
  }
  std::filesystem::rename(tmp, report.unit_path, ec);
  if (ec) return Fail(ErrorCode::kIo, "cannot write {}: {}", report.unit_path, ec.message());
  const std::string wrote = fmt::format("wrote {}", report.unit_path);
  WEFT_TRY(Tool({"systemctl", "--user", "daemon-reload"}, wrote));
  WEFT_TRY(Tool({"systemctl", "--user", "enable", "--now", report.unit}, wrote));
  if (request.boot) {
    WEFT_TRY(Tool({"loginctl", "enable-linger", UserName()},
                  wrote + " and enabled it (it starts at login)"));
  }
  return report;
}

Result<InstallReport> UninstallUnit(const std::string& store_dir) {
  InstallReport report;
  report.unit = UnitName(store_dir);
  WEFT_ASSIGN_OR_RETURN(std::string dir, UserUnitDir());
  report.unit_path = (std::filesystem::path(dir) / report.unit).string();
  std::ifstream in(report.unit_path);
  if (!in) {
    return Fail(ErrorCode::kNotFound, "no daemon unit is installed for {} ({} does not exist)",
                store_dir, report.unit_path);
  }
  std::string text((std::istreambuf_iterator<char>(in)), {});
  report.lingering = text.find(kLingerMark) != std::string::npos;
  WEFT_TRY(Tool({"systemctl", "--user", "disable", "--now", report.unit}, "nothing was removed"));
  std::error_code ec;
  std::filesystem::remove(report.unit_path, ec);
  if (ec) return Fail(ErrorCode::kIo, "cannot remove {}: {}", report.unit_path, ec.message());
  const std::string removed = fmt::format("removed {}", report.unit_path);
  WEFT_TRY(Tool({"systemctl", "--user", "daemon-reload"}, removed));
  if (report.lingering) WEFT_TRY(Tool({"loginctl", "disable-linger", UserName()}, removed));
  return report;
}

}  // namespace weft::daemon
