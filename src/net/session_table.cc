#include "net/session_table.h"

#include <algorithm>

namespace weft::net {

SessionTable::SessionTable(std::size_t capacity, std::chrono::seconds idle,
                           std::function<void(const std::string&)> log)
    : capacity_(capacity), idle_(idle), log_(std::move(log)) {}

void SessionTable::EndLocked(Map::iterator it, const char* why) {
  if (log_) log_(fmt::format("session {} ended ({})", it->first, why));
  it->second->dead = true;
  sessions_.erase(it);
}

void SessionTable::SweepLocked() {
  const auto now = std::chrono::steady_clock::now();
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    const auto next = std::next(it);
    if (it->second->IdleSince(now, idle_)) {
      EndLocked(it, "idle");
    } else if (it->second->dead) {
      EndLocked(it, "closed");
    }
    it = next;
  }
}

void SessionTable::Sweep() {
  std::lock_guard lock(mu_);
  SweepLocked();
}

std::shared_ptr<ServerSession> SessionTable::Find(const std::string& key) {
  std::lock_guard lock(mu_);
  SweepLocked();
  auto it = sessions_.find(key);
  return it == sessions_.end() ? nullptr : it->second;
}

bool SessionTable::MakeRoom(const std::string& caller) {
  const std::string prefix = caller + "/";
  const std::size_t per_caller = std::clamp<std::size_t>(capacity_ / 2, 1, 4);
  auto older = [](Map::iterator a, Map::iterator b) {
    return a->second->last_used.load() < b->second->last_used.load();
  };
  std::lock_guard lock(mu_);
  while (true) {
    std::size_t mine = 0;
    auto oldest = sessions_.end();
    for (auto it = sessions_.lower_bound(prefix);
         it != sessions_.end() && it->first.starts_with(prefix); ++it) {
      ++mine;
      if (oldest == sessions_.end() || older(it, oldest)) oldest = it;
    }
    if (mine < per_caller) break;
    EndLocked(oldest, "its caller started another");
  }
  if (sessions_.size() < capacity_) return true;
  auto idlest = sessions_.end();
  for (auto it = sessions_.begin(); it != sessions_.end(); ++it) {
    if (idlest == sessions_.end() || older(it, idlest)) idlest = it;
  }
  if (idlest != sessions_.end() &&
      idlest->second->IdleSince(std::chrono::steady_clock::now(), std::chrono::seconds(5))) {
    EndLocked(idlest, "idle, and the table is full");
  }
  return sessions_.size() < capacity_;
}

std::shared_ptr<ServerSession> SessionTable::Insert(const std::string& key,
                                                    std::shared_ptr<ServerSession> session) {
  std::lock_guard lock(mu_);
  if (auto it = sessions_.find(key); it != sessions_.end()) return it->second;
  if (sessions_.size() >= capacity_) return nullptr;
  sessions_.emplace(key, session);
  return session;
}

void SessionTable::End(const std::string& key) {
  std::lock_guard lock(mu_);
  if (auto it = sessions_.find(key); it != sessions_.end()) EndLocked(it, "closed");
}

std::size_t SessionTable::size() {
  std::lock_guard lock(mu_);
  return sessions_.size();
}

}  // namespace weft::net
