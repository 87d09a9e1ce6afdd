#include "rocksq/remove.hpp"

#include "storage/database.hpp"

namespace rocksq {

void remove_queue(const std::string& path) {
  internal::remove_database(path, internal::QueueKind::kFifo);
}

void remove_mpmc_queue(const std::string& path) {
  internal::remove_database(path, internal::QueueKind::kMpmc);
}

}  // namespace rocksq
