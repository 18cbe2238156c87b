// weft add | eval | run
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>

#include "cli/add_report.h"
#include "cli/context.h"
#include "cli/json_out.h"
#include "cli/text.h"
#include "workspace/authoring.h"
#include "workspace/evaluate.h"
#include "workspace/peers.h"
#include "workspace/remote_eval.h"

namespace weft::cli {
namespace {

constexpr std::size_t kMaxSource = 16 << 20;

// The text to add and the name errors should use for it.
Result<std::pair<std::string, std::string>> SourceOf(const std::string& arg) {
  std::string text;
  std::string file = arg;
  if (arg == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), {});
    file = "<stdin>";
  } else if (std::error_code ec; std::filesystem::is_regular_file(arg, ec)) {
    std::ifstream in(arg, std::ios::binary);
    if (!in) return Fail(ErrorCode::kNotFound, "cannot read {}", arg);
    text.assign(std::istreambuf_iterator<char>(in), {});
  } else {
    std::string_view trimmed = arg;
    while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.front())))
      trimmed.remove_prefix(1);
    if (!(trimmed.starts_with("fn ") || trimmed.starts_with("val ") ||
          trimmed.starts_with("type "))) {
      return Fail(ErrorCode::kNotFound,
                  "no such file: {} (to add a definition, start it with fn, val or type)", arg);
    }
    text = arg;
    file = "<argument>";
  }
  if (text.size() > kMaxSource)
    return Fail(ErrorCode::kInvalidArgument, "{} is larger than 16 MiB", file);
  return std::make_pair(std::move(text), std::move(file));
}

Status Add(Context& ctx, const std::string& arg, bool json) {
  WEFT_ASSIGN_OR_RETURN(auto src, SourceOf(arg));
  auto store = ctx.Open();
  if (!store) return {};
  WEFT_ASSIGN_OR_RETURN(workspace::AddReport r,
                        workspace::AddSource(*store, src.first, src.second));
  if (json) {
    PrintJson(AddReportJson(*store, r));
    return {};
  }
  PrintAddReport(r);
  return {};
}

struct EvalOptions {
  std::uint64_t max_steps = lang::EvalLimits{}.max_steps;
  std::uint32_t max_depth = lang::EvalLimits{}.max_depth;
  std::size_t max_memory_mib = lang::EvalLimits{}.max_memory >> 20;
  bool json = false;
  std::string on;  // a peer to run it on
  double timeout = 10;
  bool no_sync = false;
};

void Print(const workspace::EvalResult& r, const EvalOptions& opts) {
  if (opts.json) {
    // The value as JSON where it maps (null otherwise), its weft source beside it.
    PrintJson({{"value", r.json.empty() ? nlohmann::json(nullptr) : nlohmann::json::parse(r.json)},
               {"source", r.text},
               {"type", r.type},
               {"steps", r.steps}});
  } else {
    std::cout << r.text << "\n";
  }
}

lang::EvalLimits LimitsOf(const EvalOptions& opts) {
  return lang::EvalLimits{opts.max_steps, opts.max_depth, opts.max_memory_mib << 20};
}

// On a peer: our heads go there first (or are known to be there), then the code
// runs there against them.
Status EvaluateOn(Context& ctx, workspace::RemoteRunRequest request, const EvalOptions& opts) {
  auto store = ctx.Open();
  if (!store) return {};
  WEFT_ASSIGN_OR_RETURN(auto targets, workspace::ResolveTargets(*store, opts.on));
  request.timeout_s = opts.timeout;
  request.sync = !opts.no_sync;
  request.limits = LimitsOf(opts);
  WEFT_ASSIGN_OR_RETURN(auto r, workspace::RunOnPeer(*store, targets.front(), request));
  if (r.staged > 0) {
    std::cerr << "note: " << r.staged << " staged op" << (r.staged == 1 ? " is" : "s are")
              << " not committed here; " << r.peer << " ran the committed code\n";
  }
  if (opts.json) {
    // A peer's answer carries the value's source text only (docs/wire-format.md).
    PrintJson({{"value", nullptr},
               {"source", r.answer.value},
               {"type", r.answer.type},
               {"steps", r.answer.steps},
               {"peer", r.peer},
               {"required_heads", HexList(r.required)},
               {"synced", r.synced},
               {"waited_ms", r.answer.waited_ms}});
  } else {
    std::cout << r.answer.value << "\n";
  }
  return {};
}

// Parsed before the store is opened: a typo is reported as one either way.
Status Evaluate(Context& ctx, const Result<workspace::Evaluation>& what, const EvalOptions& opts) {
  if (!what) return Fail(what.error());
  auto store = ctx.Open(Store::Access::kReadOnly);
  if (!store) return {};
  WEFT_ASSIGN_OR_RETURN(auto r, workspace::Evaluate(*store, *what, LimitsOf(opts)));
  Print(r, opts);
  return {};
}

Status Eval(Context& ctx, const std::string& text, const EvalOptions& opts) {
  if (!opts.on.empty()) {
    workspace::RemoteRunRequest r;
    r.expression = text;
    return EvaluateOn(ctx, std::move(r), opts);
  }
  return Evaluate(ctx, workspace::ParseEvaluation(text), opts);
}

Status Run(Context& ctx, const std::string& name, const std::vector<std::string>& args,
           const EvalOptions& opts) {
  if (!opts.on.empty()) {
    workspace::RemoteRunRequest r;
    r.call = name;
    r.args = args;
    return EvaluateOn(ctx, std::move(r), opts);
  }
  return Evaluate(ctx, workspace::ParseCall(name, args), opts);
}

void AddLimitOptions(CLI::App* cmd, EvalOptions& opts) {
  cmd->add_option("--max-steps", opts.max_steps,
                  "stop after this many evaluation steps (default 50,000,000)");
  cmd->add_option("--max-depth", opts.max_depth,
                  "stop when calls nest deeper than this (default 20,000, at most 100,000)")
      ->check(CLI::Range(std::uint32_t{1}, lang::kMaxEvalDepth));
  cmd->add_option("--max-memory", opts.max_memory_mib,
                  "stop when values take more than this many MiB (default 1024)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 20));
  cmd->add_flag("--json", opts.json, "print one JSON document");
  cmd->add_option("--on", opts.on,
                  "run it on this peer, once it holds our heads (its daemon or weft serve)");
  cmd->add_option("--timeout", opts.timeout,
                  "with --on: seconds to sync and for the peer to hold our heads (default 10)")
      ->check(CLI::PositiveNumber);
  cmd->add_flag("--no-sync", opts.no_sync,
                "with --on: do not sync first; wait for a daemon to bring our heads there");
}

}  // namespace

void RegisterCodeCommands(CLI::App& app, Context& ctx) {
  auto* add = app.add_subcommand(
      "add", "parse definitions and stage them (FILE, - for stdin, or the text)");
  auto what = std::make_shared<std::string>();
  add->add_option("source", *what, "a file, -, or a definition such as 'fn Demo.M.f x = x'")
      ->required();
  auto add_json = AddWriteJsonFlag(*add);
  add->callback([&ctx, what, add_json] {
    if (auto st = Add(ctx, *what, *add_json); !st) ctx.Report(st.error());
  });

  auto* eval = app.add_subcommand("eval", "evaluate an expression on the current branch");
  auto expr = std::make_shared<std::string>();
  auto eval_opts = std::make_shared<EvalOptions>();
  eval->add_option("expression", *expr)->required();
  AddLimitOptions(eval, *eval_opts);
  eval->callback([&ctx, expr, eval_opts] {
    if (auto st = Eval(ctx, *expr, *eval_opts); !st) ctx.Report(st.error());
  });

  auto* run = app.add_subcommand("run", "call a function with literal arguments");
  auto name = std::make_shared<std::string>();
  auto run_opts = std::make_shared<EvalOptions>();
  run->add_option("name", *name)->required();
  // The arguments are taken from what CLI11 leaves over, each whole: as an option
  // it would split `[1, 2]` at the comma and drop `[]` (item 10 of issue 9).
  run->allow_extras();
  run->footer("ARGS: each argument is one weft expression, such as 20, \"text\", [1, 2] or -5");
  AddLimitOptions(run, *run_opts);
  run->callback([&ctx, run, name, run_opts] {
    if (auto st = Run(ctx, *name, run->remaining(), *run_opts); !st) ctx.Report(st.error());
  });
}

}  // namespace weft::cli
