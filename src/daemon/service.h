// `weft daemon install`: a systemd user unit that runs the daemon for one store,
// restarted on failure, started at login, or at boot with lingering (--boot).
#pragma once

#include <string>

#include "core/error.h"

namespace weft::daemon {

struct UnitRequest {
  std::string exe;        // absolute path of the weft binary
  std::string store_dir;  // absolute
  std::string listen;     // --listen for the daemon; empty: its default
  bool tls = false;       // --tls
  bool boot = false;      // enable lingering: start at boot, not only at login
};

// weft-daemon-<8 hex of the store path's SHA-256>.service
std::string UnitName(const std::string& store_dir);
// The unit file's text. kInvalidArgument for a path systemd cannot hold (a newline).
Result<std::string> UnitText(const UnitRequest& request);
// ~/.config/systemd/user (or $XDG_CONFIG_HOME/systemd/user).
Result<std::string> UserUnitDir();

struct InstallReport {
  std::string unit_path;
  std::string unit;
  bool lingering = false;  // enabled by this install
};
// Writes the unit, reloads systemd, enables and starts it; with `boot`, enables
// lingering for this user. kUnavailable, saying what was done and what to run,
// when systemctl or loginctl fail (no user session manager, say).
Result<InstallReport> InstallUnit(const UnitRequest& request);
// Stops and disables the unit, removes it, and disables lingering when the
// install enabled it. kNotFound when it is not installed.
Result<InstallReport> UninstallUnit(const std::string& store_dir);

}  // namespace weft::daemon
