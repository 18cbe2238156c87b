// weft edit NAME: opens $VISUAL or $EDITOR (default vi) on a name's source and
// stages what is saved. Source that does not parse comes back in the editor with
// the error as comments at the top; saving the same broken text twice, or an
// editor that fails, stops with the error and leaves the file in place.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>

#include "cli/add_report.h"
#include "cli/context.h"
#include "cli/json_out.h"
#include "workspace/names.h"

namespace weft::cli {
namespace {

constexpr int kMaxRounds = 20;
constexpr std::string_view kNote = "-- weft: ";

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

Result<std::string> ReadAll(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return Fail(ErrorCode::kIo, "cannot read {}", p.string());
  return std::string(std::istreambuf_iterator<char>(in), {});
}

Status WriteAll(const std::filesystem::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out.flush()) return Fail(ErrorCode::kIo, "cannot write {}", p.string());
  return {};
}

// The text without the error notes this command put at its top.
std::string WithoutNotes(const std::string& text) {
  std::size_t at = 0;
  while (text.compare(at, kNote.size(), kNote) == 0) {
    const std::size_t nl = text.find('\n', at);
    if (nl == std::string::npos) return "";
    at = nl + 1;
  }
  return text.substr(at);
}

std::string Notes(const std::string& error) {
  std::string out;
  std::size_t start = 0;
  while (start <= error.size()) {
    const std::size_t nl = error.find('\n', start);
    out += std::string(kNote) + error.substr(start, nl - start) + "\n";
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return out + std::string(kNote) + "fix the definition below and save; this note is dropped\n";
}

Status Edit(Context& ctx, const std::string& name, bool json) {
  auto store = ctx.Open();
  if (!store) return {};
  WEFT_ASSIGN_OR_RETURN(workspace::ItemReport item, workspace::ShowItem(*store, name));
  std::string dir_template = (std::filesystem::temp_directory_path() / "weft-edit-XXXXXX").string();
  if (::mkdtemp(dir_template.data()) == nullptr)
    return Fail(ErrorCode::kIo, "cannot make a directory for the file to edit");
  const std::filesystem::path dir = dir_template;
  const std::filesystem::path file = dir / (name + ".weft");
  const std::string original = item.source + "\n";
  WEFT_TRY(WriteAll(file, original));
  const char* visual = std::getenv("VISUAL");
  const char* editor = std::getenv("EDITOR");
  const std::string command = visual && *visual ? visual : (editor && *editor ? editor : "vi");
  std::string last_failed;
  for (int round = 0; round < kMaxRounds; ++round) {
    const int rc = std::system((command + " " + ShellQuote(file.string())).c_str());
    if (rc != 0) {
      return Fail(ErrorCode::kInvalidArgument,
                  "the editor ({}) failed (status {}); nothing staged, the file is kept at {}",
                  command, rc, file.string());
    }
    WEFT_ASSIGN_OR_RETURN(std::string saved, ReadAll(file));
    const std::string text = WithoutNotes(saved);
    if (text == original) {
      if (json) {
        PrintJson(AddReportJson(*store, {}));
      } else {
        std::cout << "no change to " << name << "; nothing staged\n";
      }
      std::filesystem::remove_all(dir);
      return {};
    }
    auto added = workspace::AddSource(*store, text, file.string());
    if (added) {
      if (json) {
        PrintJson(AddReportJson(*store, *added));
      } else {
        PrintAddReport(*added);
      }
      std::filesystem::remove_all(dir);
      return {};
    }
    if (added.error().code() != ErrorCode::kInvalidArgument || text == last_failed) {
      ctx.Report(added.error());
      return Fail(added.error().code(), "nothing staged; your text is kept at {}", file.string());
    }
    last_failed = text;
    std::cerr << "weft: " << added.error().message() << "\nweft: opening the editor again\n";
    WEFT_TRY(WriteAll(file, Notes(added.error().message()) + text));
  }
  return Fail(ErrorCode::kInvalidArgument, "gave up after {} rounds; your text is kept at {}",
              kMaxRounds, file.string());
}

}  // namespace

void RegisterEditCommand(CLI::App& app, Context& ctx) {
  auto* edit =
      app.add_subcommand("edit", "edit a name's source in $VISUAL or $EDITOR and stage it");
  auto name = std::make_shared<std::string>();
  edit->add_option("name", *name, "a bound (or staged) name")->required();
  auto json = AddWriteJsonFlag(*edit);
  edit->callback([&ctx, name, json] {
    if (auto st = Edit(ctx, *name, *json); !st) ctx.Report(st.error());
  });
}

}  // namespace weft::cli
