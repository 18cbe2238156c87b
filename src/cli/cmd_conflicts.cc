// weft conflicts [--all] [--json] | show ID | ack ID|all | resolve ID mine|theirs|CHANGE
#include <algorithm>
#include <iostream>
#include <sstream>

#include "cli/context.h"
#include "cli/json_out.h"
#include "cli/text.h"
#include "workspace/conflicts.h"

namespace weft::cli {
namespace {

using workspace::ConflictView;
using workspace::Side;

constexpr const char* kHint = "ack <id> · ack all · resolve <id> mine|theirs";

std::string SideLabel(const Side& s) {
  return fmt::format("{} from {}", DescribeOutcome(s.outcome), s.instance);
}

// "Demo.App.greeting  kept 3f8a92c1 from desktop over 1a2b3c4d from laptop  [ack 9e8d7c6b]"
std::string Line(const ConflictView& v, bool with_state) {
  const ConflictInfo& c = v.info;
  std::string kept, over;
  for (const Side& s : v.sides) {
    if (s.kept) {
      kept = SideLabel(s);
    } else {
      over += (over.empty() ? "" : ", ") + SideLabel(s);
    }
  }
  std::string what = c.slot == Slot::kDeprecation ? c.location + " (deprecation)"
                     : c.slot == Slot::kType      ? c.location + " (type)"
                                                  : c.location;
  std::string line = fmt::format("{:<32} kept {} over {}", what, kept, over);
  if (!c.dependents.empty()) {
    line += fmt::format(" … and {} dependent{}", c.dependents.size(),
                        c.dependents.size() == 1 ? "" : "s");
  }
  line += fmt::format("  [{} {}]", c.AwaitingReview() ? "ack" : "id", c.id.Short());
  if (with_state) line += "  " + workspace::StateLabel(c);
  return line;
}

Status List(Context& ctx, bool all, bool json) {
  auto store = ctx.Open(Store::Access::kReadOnly);
  if (!store) return {};
  // JSON lists the races tied to a cause too; text lists them under their cause.
  WEFT_ASSIGN_OR_RETURN(auto views, workspace::ListConflictViews(*store, all, json));
  if (json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& v : views) out.push_back(workspace::ConflictJson(v, false));
    PrintJson(out);
    return {};
  }
  ctx.Page();
  if (views.empty()) {
    std::cout << (all ? "no conflicts recorded on branch "
                      : "no conflicts awaiting review on branch ")
              << store->branch() << "\n";
    return {};
  }
  bool any_open = false;
  for (const auto& v : views) {
    std::cout << Line(v, all) << "\n";
    any_open = any_open || v.info.open();
  }
  if (any_open) std::cout << kHint << "\n";
  return {};
}

// Display width of UTF-8 text: one column per code point.
std::size_t Width(const std::string& s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char ch) { return (static_cast<unsigned char>(ch) & 0xC0) != 0x80; }));
}

// The candidates' sources in columns, one per candidate.
Status Show(Context& ctx, const std::string& id, bool json) {
  auto store = ctx.Open(Store::Access::kReadOnly);
  if (!store) return {};
  WEFT_ASSIGN_OR_RETURN(ConflictView v, workspace::ShowConflict(*store, id));
  if (json) {
    PrintJson(workspace::ConflictJson(v, true));
    return {};
  }
  ctx.Page();
  const ConflictInfo& c = v.info;
  std::vector<std::vector<std::string>> columns;
  for (const Side& s : v.sides) {
    std::vector<std::string> col;
    col.push_back(fmt::format("{}{} · {} · {}", s.kept ? "* " : "", s.mine ? "mine" : "theirs",
                              s.instance, LocalTime(s.entry.hlc.millis())));
    col.push_back(
        fmt::format("change {} · {}", s.entry.change.Short(), DescribeOutcome(s.outcome)));
    col.push_back("");
    std::istringstream lines(s.source);
    for (std::string l; std::getline(lines, l);) col.push_back(l);
    columns.push_back(std::move(col));
  }
  std::cout << "conflict " << c.id.Short() << " on " << c.branch << ": " << c.location << " ("
            << SlotName(c.slot) << "), " << workspace::StateLabel(c) << "\n";
  if (c.cause) {
    std::cout << "it exists only because its cause was re-pointed: resolving " << c.cause->Short()
              << " resolves it too\n";
  }
  if (!c.dependents.empty()) {
    std::string names;
    for (std::size_t i = 0; i < v.dependents.size() && i < 12; ++i)
      names += (i ? ", " : "") + v.dependents[i];
    if (v.dependents.size() > 12) names += fmt::format(" and {} more", v.dependents.size() - 12);
    std::cout << c.dependents.size() << " dependent" << (c.dependents.size() == 1 ? "" : "s")
              << " re-pointed through it follow the side chosen here: " << names << "\n";
  }
  std::cout << "\n";
  std::size_t rows = 0;
  std::vector<std::size_t> widths;
  for (const auto& col : columns) {
    rows = std::max(rows, col.size());
    std::size_t w = 0;
    for (const auto& l : col) w = std::max(w, Width(l));
    widths.push_back(std::min<std::size_t>(w, 60));
  }
  for (std::size_t r = 0; r < rows; ++r) {
    std::string line;
    for (std::size_t k = 0; k < columns.size(); ++k) {
      std::string cell = r < columns[k].size() ? columns[k][r] : "";
      if (k + 1 < columns.size()) {
        cell.append(widths[k] > Width(cell) ? widths[k] - Width(cell) : 0, ' ');
        cell += " | ";
      }
      line += cell;
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    std::cout << line << "\n";
  }
  if (c.open()) std::cout << "\n" << kHint << "\n";
  return {};
}

Status Ack(Context& ctx, const std::string& id, bool json) {
  auto store = ctx.Open();
  if (!store) return {};
  WEFT_ASSIGN_OR_RETURN(auto targets, workspace::AckConflicts(*store, id));
  if (json) {
    PrintJson(workspace::AckJson(*store, targets));
    return {};
  }
  if (id == "all") {
    std::cout << "acknowledged " << targets.size()
              << (targets.size() == 1 ? " conflict" : " conflicts") << " on " << store->branch()
              << "\n";
  } else {
    std::cout << "acknowledged " << targets[0].location << " (" << targets[0].id.Short() << ")\n";
  }
  return {};
}

Status Resolve(Context& ctx, const std::string& id, const std::string& choice, bool json) {
  auto store = ctx.Open();
  if (!store) return {};
  WEFT_ASSIGN_OR_RETURN(workspace::Resolution r, workspace::ResolveConflict(*store, id, choice));
  if (json) {
    WEFT_ASSIGN_OR_RETURN(nlohmann::json out, workspace::ResolveJson(*store, r));
    PrintJson(out);
    return {};
  }
  WEFT_ASSIGN_OR_RETURN(DecodedOutcome outcome, DecodeOutcome(r.chosen.outcome));
  std::cout << "resolved " << r.location << ": kept " << DescribeOutcome(outcome) << " from "
            << AuthorLabel(*store, r.chosen.actor);
  if (!r.dependents.empty()) {
    std::cout << ", and the same side for " << r.dependents.size() << " dependent"
              << (r.dependents.size() == 1 ? "" : "s") << " re-pointed through it";
  }
  std::cout << " (change " << r.change.hash.Short() << "; peers adopt it on their next sync)\n";
  return {};
}

}  // namespace

void RegisterConflictCommands(CLI::App& app, Context& ctx) {
  auto* cmd =
      app.add_subcommand("conflicts", "races between concurrent edits: list, show, ack, resolve");
  auto all = std::make_shared<bool>(false);
  auto json = std::make_shared<bool>(false);
  cmd->add_flag("--all", *all, "also list acknowledged, resolved and superseded conflicts");
  cmd->add_flag("--json", *json, "print one JSON document");
  auto* show = cmd->add_subcommand("show", "both candidates' source side by side");
  auto* ack = cmd->add_subcommand("ack", "mark a conflict (or all) as reviewed, here only");
  auto* resolve = cmd->add_subcommand("resolve", "commit a resolution that every peer adopts");
  auto id = std::make_shared<std::string>();
  auto choice = std::make_shared<std::string>();
  show->add_option("id", *id, "conflict id (8+ hex digits)")->required();
  show->add_flag("--json", *json, "print one JSON document");
  ack->add_option("id", *id, "conflict id, or `all`")->required();
  ack->add_flag("--json", *json, "print what it acknowledged as one JSON document");
  resolve->add_option("id", *id, "conflict id")->required();
  resolve->add_option("side", *choice, "mine, theirs, or a candidate's change hash")->required();
  resolve->add_flag("--json", *json, "print the change it committed as one JSON document");
  cmd->callback([&ctx, show, ack, resolve, id, choice, all, json] {
    Status st;
    if (show->parsed()) {
      st = Show(ctx, *id, *json);
    } else if (ack->parsed()) {
      st = Ack(ctx, *id, *json);
    } else if (resolve->parsed()) {
      st = Resolve(ctx, *id, *choice, *json);
    } else {
      st = List(ctx, *all, *json);
    }
    if (!st) ctx.Report(st.error());
  });
}

}  // namespace weft::cli
