// weft conflicts [--all] [--json] | show ID | ack ID|all | resolve ID mine|theirs|CHANGE
#include <algorithm>
#include <iostream>
#include <sstream>

#include "cli/context.h"
#include "cli/review.h"
#include "fold/conflict_queries.h"
#include "fold/item_access.h"
#include "fold/ledger.h"
#include "store/peers.h"
#include "store/reviews.h"

namespace weft::cli {
namespace {

constexpr const char* kHint = "ack <id> · ack all · resolve <id> mine|theirs";

struct Side {
  const FrontierEntry* entry;
  DecodedOutcome outcome;
  std::string instance;
  bool mine;
};

Result<std::vector<Side>> SidesOf(Store& store, const ConflictInfo& c) {
  std::vector<Side> out;
  for (const FrontierEntry& e : c.candidates) {
    WEFT_ASSIGN_OR_RETURN(DecodedOutcome o, DecodeOutcome(e.outcome));
    WEFT_ASSIGN_OR_RETURN(bool mine, IsOwnActor(store.db(), e.actor));
    out.push_back(Side{&e, std::move(o), AuthorLabel(store, e.actor), mine});
  }
  return out;
}

std::string SideLabel(const Side& s) {
  return fmt::format("{} from {}", DescribeOutcome(s.outcome), s.instance);
}

Result<nlohmann::json> ToJson(Store& store, const ConflictInfo& c) {
  WEFT_ASSIGN_OR_RETURN(auto sides, SidesOf(store, c));
  nlohmann::json cands = nlohmann::json::array();
  for (const Side& s : sides) {
    nlohmann::json j = {{"change", s.entry->change.Hex()},
                        {"instance", s.instance},
                        {"actor", s.entry->actor.Hex()},
                        {"hlc", s.entry->hlc.ToIso()},
                        {"mine", s.mine},
                        {"outcome", DescribeOutcome(s.outcome)}};
    if (s.outcome.kind == DecodedOutcome::Kind::kBound) j["item"] = s.outcome.item.Hex();
    cands.push_back(j);
  }
  nlohmann::json out = {{"id", c.id.Hex()},         {"branch", c.branch},
                        {"slot", SlotName(c.slot)}, {"location", c.location},
                        {"state", c.state},         {"resolution", c.resolution},
                        {"acked", c.acked},         {"awaiting_review", c.AwaitingReview()},
                        {"winner", c.winner.Hex()}, {"candidates", cands}};
  if (c.resolver) out["resolver"] = c.resolver->Hex();
  out["cause"] = c.cause ? nlohmann::json(c.cause->Hex()) : nlohmann::json(nullptr);
  out["dependents"] = HexList(c.dependents);
  return out;
}

// "Demo.App.greeting  kept 3f8a92c1 from desktop over 1a2b3c4d from laptop  [ack 9e8d7c6b]"
Result<std::string> Line(Store& store, const ConflictInfo& c, bool with_state) {
  WEFT_ASSIGN_OR_RETURN(auto sides, SidesOf(store, c));
  std::string kept, over;
  for (const Side& s : sides) {
    if (s.entry->change == c.winner) {
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
  if (with_state) line += "  " + StateLabel(c);
  return line;
}

Status List(Context& ctx, bool all, bool json) {
  auto store = ctx.Open(Store::Access::kReadOnly);
  if (!store) return {};
  WEFT_ASSIGN_OR_RETURN(auto conflicts, ListConflicts(store->db(), store->branch()));
  if (!all) std::erase_if(conflicts, [](const auto& c) { return !c.AwaitingReview(); });
  // A race tied to its cause is listed under it, not on its own line.
  if (!json) std::erase_if(conflicts, [](const auto& c) { return c.cause.has_value(); });
  if (json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& c : conflicts) {
      WEFT_ASSIGN_OR_RETURN(nlohmann::json j, ToJson(*store, c));
      out.push_back(std::move(j));
    }
    PrintJson(out);
    return {};
  }
  if (conflicts.empty()) {
    std::cout << (all ? "no conflicts recorded on branch "
                      : "no conflicts awaiting review on branch ")
              << store->branch() << "\n";
    return {};
  }
  bool any_open = false;
  for (const auto& c : conflicts) {
    WEFT_ASSIGN_OR_RETURN(std::string line, Line(*store, c, all));
    std::cout << line << "\n";
    any_open = any_open || c.state == "open";
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
  WEFT_ASSIGN_OR_RETURN(ConflictInfo c, FindConflict(store->db(), id));
  WEFT_ASSIGN_OR_RETURN(auto sides, SidesOf(*store, c));
  std::vector<std::vector<std::string>> columns;
  std::vector<std::string> sources;
  for (const Side& s : sides) {
    std::string text;
    if (s.outcome.kind == DecodedOutcome::Kind::kBound) {
      auto src = PrintStoredItem(store->db(), c.branch, s.outcome.item);
      text = src ? *src : "(source unavailable: " + src.error().message() + ")";
    } else if (s.outcome.kind == DecodedOutcome::Kind::kDeprecated) {
      text = "deprecated: " + s.outcome.reason +
             (s.outcome.replacement ? "\nuse " + *s.outcome.replacement : "");
    } else {
      text = "(" + DescribeOutcome(s.outcome) + ")";
    }
    sources.push_back(text);
    std::vector<std::string> col;
    col.push_back(fmt::format("{}{} · {} · {}", s.entry->change == c.winner ? "* " : "",
                              s.mine ? "mine" : "theirs", s.instance, s.entry->hlc.ToIso()));
    col.push_back(
        fmt::format("change {} · {}", s.entry->change.Short(), DescribeOutcome(s.outcome)));
    col.push_back("");
    std::istringstream lines(text);
    for (std::string l; std::getline(lines, l);) col.push_back(l);
    columns.push_back(std::move(col));
  }
  if (json) {
    WEFT_ASSIGN_OR_RETURN(nlohmann::json j, ToJson(*store, c));
    for (std::size_t i = 0; i < sources.size(); ++i) j["candidates"][i]["source"] = sources[i];
    PrintJson(j);
    return {};
  }
  std::cout << "conflict " << c.id.Short() << " on " << c.branch << ": " << c.location << " ("
            << SlotName(c.slot) << "), " << StateLabel(c) << "\n";
  if (c.cause) {
    std::cout << "it exists only because its cause was re-pointed: resolving " << c.cause->Short()
              << " resolves it too\n";
  }
  if (!c.dependents.empty()) {
    WEFT_ASSIGN_OR_RETURN(auto all, ListConflicts(store->db(), c.branch));
    std::string names;
    std::size_t shown = 0;
    for (const auto& d : all) {
      if (!d.cause || *d.cause != c.id) continue;
      if (shown++ < 12) names += (names.empty() ? "" : ", ") + d.location;
    }
    if (shown > 12) names += fmt::format(" and {} more", shown - 12);
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
  if (c.state == "open") std::cout << "\n" << kHint << "\n";
  return {};
}

Status Ack(Context& ctx, const std::string& id) {
  auto store = ctx.Open();
  if (!store) return {};
  std::vector<ConflictInfo> targets;
  if (id == "all") {
    WEFT_ASSIGN_OR_RETURN(targets, ListConflicts(store->db(), store->branch()));
    std::erase_if(targets, [](const auto& c) { return !c.AwaitingReview(); });
  } else {
    WEFT_ASSIGN_OR_RETURN(ConflictInfo c, FindConflict(store->db(), id));
    targets.push_back(std::move(c));
  }
  WEFT_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(store->db()));
  for (const auto& c : targets) WEFT_TRY(AckConflict(store->db(), c.id));
  WEFT_TRY(tx.Commit());
  if (id == "all") {
    std::cout << "acknowledged " << targets.size()
              << (targets.size() == 1 ? " conflict" : " conflicts") << " on " << store->branch()
              << "\n";
  } else {
    std::cout << "acknowledged " << targets[0].location << " (" << targets[0].id.Short() << ")\n";
  }
  return {};
}

Status Resolve(Context& ctx, const std::string& id, const std::string& choice) {
  auto store = ctx.Open();
  if (!store) return {};
  WEFT_ASSIGN_OR_RETURN(ConflictInfo c, FindConflict(store->db(), id));
  WEFT_ASSIGN_OR_RETURN(Resolution r, ResolveConflict(*store, c, choice));
  WEFT_ASSIGN_OR_RETURN(DecodedOutcome outcome, DecodeOutcome(r.chosen.outcome));
  std::cout << "resolved " << c.location << ": kept " << DescribeOutcome(outcome) << " from "
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
  resolve->add_option("id", *id, "conflict id")->required();
  resolve->add_option("side", *choice, "mine, theirs, or a candidate's change hash")->required();
  cmd->callback([&ctx, show, ack, resolve, id, choice, all, json] {
    Status st;
    if (show->parsed()) {
      st = Show(ctx, *id, *json);
    } else if (ack->parsed()) {
      st = Ack(ctx, *id);
    } else if (resolve->parsed()) {
      st = Resolve(ctx, *id, *choice);
    } else {
      st = List(ctx, *all, *json);
    }
    if (!st) ctx.Report(st.error());
  });
}

}  // namespace weft::cli
