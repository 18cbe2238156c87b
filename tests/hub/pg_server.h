// A throwaway PostgreSQL server for the hub's C++ tests: tests/hub/pg.sh run in
// a temporary directory, stopped (and the directory removed) on destruction.
#pragma once

#include <cstdio>
#include <filesystem>
#include <string>

#include "test_util.h"

namespace weft::hub::testing {

class PgServer {
 public:
  PgServer() {
    const auto script = std::filesystem::path(__FILE__).parent_path() / "pg.sh";
    const std::string cmd = "bash -c 'source \"" + script.string() + "\" && pg_start \"" +
                            dir_.path() + "\" >/dev/null && echo \"$PGURL\"'";
    FILE* p = popen(cmd.c_str(), "r");
    if (p == nullptr) return;
    char buf[512];
    while (fgets(buf, sizeof buf, p) != nullptr) url_ += buf;
    pclose(p);
    while (!url_.empty() && (url_.back() == '\n' || url_.back() == ' ')) url_.pop_back();
  }
  ~PgServer() {
    const auto script = std::filesystem::path(__FILE__).parent_path() / "pg.sh";
    const std::string cmd = "bash -c 'source \"" + script.string() + "\" && pg_dir=\"" +
                            dir_.path() + "/pg\" && pg_stop'";
    (void)std::system(cmd.c_str());
  }
  // Empty when the server did not start.
  const std::string& url() const { return url_; }
  // The directory the cluster is in (DIR/pg), for pg.sh's other functions.
  const std::string& dir() const { return dir_.path(); }

 private:
  weft::testing::TempDir dir_;
  std::string url_;
};

}  // namespace weft::hub::testing
