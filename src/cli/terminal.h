// Human output on a terminal: colour (respecting NO_COLOR) and a pager for long
// output, as git does (PAGER, else `less -FRX`). Neither applies to --json or to
// output that is not a terminal. See docs/design/cli.md.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <string_view>

namespace weft::cli {

enum class Color { kRed, kGreen, kYellow, kCyan, kBold, kDim };

// Whether output to `fd` gets colour: a terminal, NO_COLOR unset or empty, TERM
// set and not `dumb`.
bool ColorFor(int fd);
// `text` wrapped in the colour's escape sequence when `on`, else `text`.
std::string Paint(bool on, Color color, std::string_view text);

// The pager command: $PAGER (empty or `cat`: none), else `less -FRX` when less is
// on the PATH; empty for none.
std::string PagerCommand();

// Runs the pager with stdout going into it, until destroyed: then stdout is
// flushed and closed, and the pager is waited for (the person reads, then quits).
class Pager {
 public:
  // Nullptr when no pager applies or it cannot start; stdout is then unchanged.
  static std::unique_ptr<Pager> Start(const std::string& command);
  ~Pager();
  Pager(const Pager&) = delete;
  Pager& operator=(const Pager&) = delete;

 private:
  explicit Pager(pid_t pid) : pid_(pid) {}
  pid_t pid_;
};

}  // namespace weft::cli
