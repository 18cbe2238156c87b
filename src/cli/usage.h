// The command line's own help for a person: `weft --version`, `weft help
// [COMMAND]`, global options anywhere on the line, and "did you mean …" for an
// unknown command or option (core/suggest.h).
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

namespace weft::cli {

// Adds --version.
void PrepareApp(CLI::App& app);

// The command line with the top level's options (--store DIR, --busy-timeout S,
// in either `--opt value` or `--opt=value` form, and --quiet unless the command
// has its own) moved to the front, so they may be given anywhere: `weft status
// --store DIR`. Nothing after `--` moves.
std::vector<std::string> HoistGlobalOptions(const CLI::App& app, int argc, char** argv);

// Registers `weft help [COMMAND]`.
void RegisterHelpCommand(CLI::App& app, int& exit_code);

// The usage error for an unknown command, before parsing: "unknown command
// 'comit'; did you mean `commit`?". nullopt when the line names a command (or
// none, or only asks for help or the version).
std::optional<std::string> UnknownCommand(const CLI::App& app, int argc, char** argv);

// A parse error's sentence, with a suggestion when it is about an option or an
// argument that none of the parsed commands takes.
std::string ExplainParseError(const CLI::App& app, const CLI::ParseError& e);

}  // namespace weft::cli
