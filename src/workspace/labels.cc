#include "workspace/labels.h"

#include "store/peers.h"

namespace weft::workspace {

std::string AuthorLabel(Store& store, const ActorId& actor) {
  if (actor == store.actor()) return store.instance_name();
  auto own = IsOwnActor(store.db(), actor);
  if (own && *own) return store.instance_name();
  auto name = ActorName(store.db(), actor);
  if (name && *name) return **name;
  return "actor:" + actor.Hex().substr(0, 8);
}

}  // namespace weft::workspace
