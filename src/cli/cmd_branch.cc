// weft branch [list | create NAME | switch NAME]
#include <iostream>

#include "cli/context.h"
#include "fold/ledger.h"
#include "fold/queries.h"
#include "model/names.h"
#include "store/wip.h"

namespace weft::cli {
namespace {

Status List(Context& ctx, bool json) {
  auto store = ctx.Open();
  if (!store) return {};
  WEFT_ASSIGN_OR_RETURN(auto branches, ListBranches(store->db()));
  if (json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& b : branches) {
      out.push_back(
          {{"name", b.name}, {"current", b.name == store->branch()}, {"heads", HexList(b.heads)}});
    }
    PrintJson(out);
    return {};
  }
  for (const auto& b : branches) {
    std::cout << (b.name == store->branch() ? "* " : "  ") << fmt::format("{:<24}", b.name)
              << (b.heads.empty() ? " (no changes)" : " heads " + ShortList(b.heads)) << "\n";
  }
  return {};
}

Status Create(Context& ctx, const std::string& name) {
  WEFT_TRY(ValidateBranchName(name));
  auto store = ctx.Open();
  if (!store) return {};
  WEFT_ASSIGN_OR_RETURN(bool exists, BranchExists(store->db(), name));
  if (exists) return Fail(ErrorCode::kFailedPrecondition, "branch {} already exists", name);
  WEFT_ASSIGN_OR_RETURN(auto staged, LoadStaged(store->db(), store->branch()));
  if (!staged.empty()) {
    return Fail(ErrorCode::kFailedPrecondition,
                "commit or discard the {} staged ops before creating a branch", staged.size());
  }
  WEFT_ASSIGN_OR_RETURN(EncodedChange c,
                        Ledger(*store).AuthorChange({CreateBranch{name}}, "create branch " + name));
  std::cout << "created branch " << name << " from " << store->branch() << " at " << c.hash.Short()
            << " (switch with `weft branch switch " << name << "`)\n";
  return {};
}

Status Switch(Context& ctx, const std::string& name) {
  WEFT_TRY(ValidateBranchName(name));
  auto store = ctx.Open();
  if (!store) return {};
  WEFT_ASSIGN_OR_RETURN(bool exists, BranchExists(store->db(), name));
  if (!exists) return Fail(ErrorCode::kNotFound, "no branch named {}", name);
  WEFT_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(store->db()));
  WEFT_TRY(store->SetBranch(name));
  WEFT_TRY(tx.Commit());
  std::cout << "on branch " << name << "\n";
  return {};
}

}  // namespace

void RegisterBranchCommands(CLI::App& app, Context& ctx) {
  auto* branch = app.add_subcommand("branch", "list, create or switch branches");
  auto json = std::make_shared<bool>(false);
  branch->add_flag("--json", *json, "print one JSON document (list)");
  auto* list = branch->add_subcommand("list", "every branch and its heads");
  list->add_flag("--json", *json, "print one JSON document");
  auto* create = branch->add_subcommand("create", "start a branch from the current heads");
  auto* sw = branch->add_subcommand("switch", "make another branch current");
  auto name = std::make_shared<std::string>();
  create->add_option("name", *name)->required();
  sw->add_option("name", *name)->required();
  branch->callback([&ctx, create, sw, name, json] {
    Status st;
    if (create->parsed()) {
      st = Create(ctx, *name);
    } else if (sw->parsed()) {
      st = Switch(ctx, *name);
    } else {
      st = List(ctx, *json);
    }
    if (!st) ctx.Report(st.error());
  });
}

}  // namespace weft::cli
