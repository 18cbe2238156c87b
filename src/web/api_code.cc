// The dashboard's routes over code: races, names, items and the log (web/api.h).
#include "web/api.h"
#include "workspace/conflicts.h"
#include "workspace/documents.h"
#include "workspace/find.h"
#include "workspace/history.h"
#include "workspace/line_diff.h"
#include "workspace/names.h"

namespace weft::web {
namespace {

using Json = Result<nlohmann::json>;

// {"conflict": `conflicts show --json`, "diff": for two sides the line diff from
// the side kept to the other, else null}.
Json ConflictWithDiff(Store& s, const std::string& id) {
  WEFT_ASSIGN_OR_RETURN(workspace::ConflictView v, workspace::ShowConflict(s, id));
  nlohmann::json doc = {{"conflict", workspace::ConflictJson(v, true)}, {"diff", nullptr}};
  if (v.sides.size() == 2) {
    const bool first_kept = v.sides[0].kept;
    const auto& kept = v.sides[first_kept ? 0 : 1];
    const auto& other = v.sides[first_kept ? 1 : 0];
    doc["diff"] = workspace::LineDiff(kept.source, other.source);
  }
  return doc;
}

// {"item": `show --json`, "dependencies" and "dependents": `show --deps` and
// `--dependents --json`, "history": `log NAME --json` when the name is bound}.
Json Item(Store& s, const std::string& name) {
  WEFT_ASSIGN_OR_RETURN(workspace::ItemReport r, workspace::ShowItem(s, name));
  nlohmann::json doc = {{"item", workspace::ItemJson(r)}};
  for (const bool dependents : {false, true}) {
    WEFT_ASSIGN_OR_RETURN(auto linked, workspace::ItemLinks(s, name, dependents));
    doc[dependents ? "dependents" : "dependencies"] =
        workspace::LinksJson(r.hash, linked, dependents);
  }
  doc["history"] = nullptr;
  if (r.binding) {
    WEFT_ASSIGN_OR_RETURN(auto log, workspace::LogOfName(s, r.binding->location));
    doc["history"] = workspace::NameLogJson(s, r.binding->location, log.changes, log.races);
  }
  return doc;
}

std::string Param(const httplib::Request& q, const std::string& name) {
  return q.has_param(name) ? q.get_param_value(name) : "";
}

}  // namespace

void MountCodeApi(httplib::Server& http, const std::shared_ptr<Gate>& gate, const ApiOptions& o) {
  http.Get("/v1/conflicts", Route(gate, o, false, [](Store& s, const httplib::Request& q) -> Json {
             const bool all = Param(q, "all") == "1";
             WEFT_ASSIGN_OR_RETURN(auto views, workspace::ListConflictViews(s, all, true));
             nlohmann::json out = nlohmann::json::array();
             for (const auto& v : views) out.push_back(workspace::ConflictJson(v, false));
             return out;
           }));
  http.Get(R"(/v1/conflicts/([0-9a-fA-F]{4,64}))",
           Route(gate, o, false, [](Store& s, const httplib::Request& q) {
             return ConflictWithDiff(s, q.matches[1].str());
           }));
  http.Post(R"(/v1/conflicts/([0-9a-fA-F]{4,64})/ack)",
            Route(gate, o, true, [](Store& s, const httplib::Request& q) -> Json {
              WEFT_ASSIGN_OR_RETURN(auto acked, workspace::AckConflicts(s, q.matches[1].str()));
              return workspace::AckJson(s, acked);
            }));
  http.Post(R"(/v1/conflicts/([0-9a-fA-F]{4,64})/resolve)",
            Route(gate, o, true, [](Store& s, const httplib::Request& q) -> Json {
              auto body = nlohmann::json::parse(q.body, nullptr, false);
              if (!body.is_object() || !body.contains("choice") || !body["choice"].is_string()) {
                return Fail(ErrorCode::kInvalidArgument,
                            "a resolution is {{\"choice\": \"mine\"|\"theirs\"|CHANGE}}");
              }
              WEFT_ASSIGN_OR_RETURN(workspace::Resolution r,
                                    workspace::ResolveConflict(s, q.matches[1].str(),
                                                               body["choice"].get<std::string>()));
              return workspace::ResolveJson(s, r);
            }));
  http.Get("/v1/modules", Route(gate, o, false, [](Store& s, const httplib::Request&) -> Json {
             WEFT_ASSIGN_OR_RETURN(auto modules, workspace::Modules(s));
             nlohmann::json out = nlohmann::json::array();
             for (const auto& m : modules) out.push_back(workspace::ModuleJson(m));
             return out;
           }));
  http.Get("/v1/names", Route(gate, o, false, [](Store& s, const httplib::Request& q) -> Json {
             WEFT_ASSIGN_OR_RETURN(auto limit, IntParam(q, "limit", 500, 1, 5000));
             WEFT_ASSIGN_OR_RETURN(auto rows,
                                   workspace::NameRows(s, Param(q, "prefix"), Param(q, "after"),
                                                       static_cast<int>(limit)));
             nlohmann::json out = nlohmann::json::array();
             for (const auto& r : rows) out.push_back(workspace::NameRowJson(r));
             return out;
           }));
  http.Get("/v1/find", Route(gate, o, false, [](Store& s, const httplib::Request& q) -> Json {
             WEFT_ASSIGN_OR_RETURN(auto limit, IntParam(q, "limit", 50, 1, 1000));
             WEFT_ASSIGN_OR_RETURN(auto found,
                                   workspace::FindNames(s, Param(q, "q"), Param(q, "source") == "1",
                                                        static_cast<std::size_t>(limit)));
             nlohmann::json out = nlohmann::json::array();
             for (const auto& f : found) out.push_back(workspace::FoundJson(f));
             return out;
           }));
  http.Get("/v1/item", Route(gate, o, false, [](Store& s, const httplib::Request& q) {
             return Item(s, Param(q, "name"));
           }));
  http.Get("/v1/log", Route(gate, o, false, [](Store& s, const httplib::Request& q) -> Json {
             WEFT_ASSIGN_OR_RETURN(auto limit, IntParam(q, "limit", 50, 1, 1000));
             WEFT_ASSIGN_OR_RETURN(
                 auto entries, workspace::RecentLog(s, static_cast<int>(limit),
                                                    {Param(q, "branch"), Param(q, "instance")}));
             return workspace::LogJson(s, entries);
           }));
}

}  // namespace weft::web
