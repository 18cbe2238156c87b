#include "cli/usage.h"

#include <fmt/core.h>

#include <iostream>

#include "core/release.h"
#include "core/suggest.h"

namespace weft::cli {
namespace {

std::vector<std::string> CommandNames(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
    names.push_back(sub->get_name());
  return names;
}

// The long option names a command and its parents take.
std::vector<std::string> OptionNames(const CLI::App* app) {
  std::vector<std::string> names;
  for (; app != nullptr; app = app->get_parent()) {
    for (const CLI::Option* o : app->get_options()) {
      for (const std::string& l : o->get_lnames()) names.push_back("--" + l);
    }
  }
  return names;
}

// The deepest command the line reached.
const CLI::App* Deepest(const CLI::App& app) {
  const CLI::App* at = &app;
  for (;;) {
    auto subs = at->get_subcommands();
    if (subs.empty()) return at;
    at = subs.front();
  }
}

}  // namespace

void PrepareApp(CLI::App& app) {
  app.set_version_flag("--version",
                       fmt::format("weft {} (Release {}: stores and peers of Release {} only)",
                                   WEFT_VERSION, kRelease, kRelease),
                       "print the version and the Release, then exit");
}

void RegisterHelpCommand(CLI::App& app, int& exit_code) {
  auto* help = app.add_subcommand("help", "help on weft or on one command");
  auto command = std::make_shared<std::vector<std::string>>();
  help->add_option("command", *command, "a command, e.g. `sync` or `sync check`");
  help->callback([&app, &exit_code, command] {
    const CLI::App* at = &app;
    std::string path = "weft";
    for (const std::string& word : *command) {
      const CLI::App* next = nullptr;
      for (const CLI::App* sub : at->get_subcommands([](const CLI::App*) { return true; })) {
        if (sub->get_name() == word) next = sub;
      }
      if (next == nullptr) {
        std::cerr << "weft: no command '" << word << "'"
                  << DidYouMean(Nearest(word, CommandNames(*at))) << " (see `weft help`)\n";
        exit_code = 1;
        return;
      }
      at = next;
      path += " " + word;
    }
    // The formatter itself: App::help() would show the help of `help`, the
    // command being run.
    std::cout << at->get_formatter()->make_help(at, path, CLI::AppFormatMode::Normal);
  });
}

std::vector<std::string> HoistGlobalOptions(const CLI::App& app, int argc, char** argv) {
  std::vector<std::string> global;
  std::vector<std::string> rest;
  bool literal = false;
  const CLI::App* command = &app;  // the command the words so far reached
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (literal || arg == "--" || !arg.starts_with("--")) {
      literal = literal || arg == "--";
      if (!literal) {
        for (const CLI::App* sub : command->get_subcommands([](const CLI::App*) { return true; }))
          if (sub->get_name() == arg) command = sub;
      }
      rest.push_back(arg);
      continue;
    }
    const std::string name = arg.substr(0, arg.find('='));
    const CLI::Option* o = app.get_option_no_throw(name);
    // Not global; --help and --version, which belong where they are; or a flag
    // the command takes itself (`serve --quiet`).
    const bool flag = o != nullptr && o->get_expected_min() == 0;
    if (o == nullptr || name == "--help" || name == "--version" ||
        (flag && command != &app && command->get_option_no_throw(name) != nullptr)) {
      rest.push_back(arg);
      continue;
    }
    global.push_back(arg);
    if (!flag && arg.find('=') == std::string::npos && i + 1 < argc) global.push_back(argv[++i]);
  }
  std::vector<std::string> out{argv[0]};
  out.insert(out.end(), global.begin(), global.end());
  out.insert(out.end(), rest.begin(), rest.end());
  return out;
}

std::optional<std::string> UnknownCommand(const CLI::App& app, int argc, char** argv) {
  const std::vector<std::string> commands = CommandNames(app);
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--") return std::nullopt;
    if (arg.starts_with("-")) {
      // A top-level option's value is not the command.
      const CLI::Option* o = nullptr;
      try {
        if (arg.starts_with("--") && arg.find('=') == std::string_view::npos)
          o = app.get_option_no_throw(std::string(arg));
      } catch (...) {
      }
      if (o != nullptr && o->get_expected_min() != 0) ++i;
      continue;
    }
    for (const std::string& c : commands) {
      if (c == arg) return std::nullopt;
    }
    return fmt::format("unknown command '{}'{} (see `weft help`)", arg,
                       DidYouMean(Nearest(arg, commands)));
  }
  return std::nullopt;
}

std::string ExplainParseError(const CLI::App& app, const CLI::ParseError& e) {
  std::string what = e.what();
  for (char& c : what) {
    if (c == '\n') c = ' ';
  }
  const CLI::App* at = Deepest(app);
  for (const std::string& extra : app.remaining(true)) {
    if (!extra.starts_with("--")) continue;
    const std::string name = extra.substr(0, extra.find('='));
    const std::string hint = DidYouMean(Nearest(name, OptionNames(at)));
    if (!hint.empty()) return fmt::format("unknown option {}{}", name, hint);
  }
  const std::string command = at == &app ? "weft" : "weft " + at->get_name();
  return fmt::format("{} (see `{} --help`)", what, command == "weft" ? "weft" : command);
}

}  // namespace weft::cli
