#include "rocksq/persistent_queue.hpp"

#include "locked_fifo.hpp"

namespace rocksq {

using internal::FifoStore;

PersistentQueueWithCapacity::PersistentQueueWithCapacity(const std::string& path,
                                                         std::size_t max_elements,
                                                         const Options& options)
    : queue_(std::make_unique<internal::LockedFifo>(path, max_elements, options)) {}

PersistentQueueWithCapacity::~PersistentQueueWithCapacity() = default;

void PersistentQueueWithCapacity::push(const std::vector<std::string>& items) {
  push(std::vector<std::string>(items));
}

void PersistentQueueWithCapacity::push(std::vector<std::string>&& items) {
  queue_->run("push", [&](FifoStore& store) { store.push(std::move(items)); });
}

std::vector<std::string> PersistentQueueWithCapacity::pop(std::size_t max_elements) {
  return queue_->run("pop", [&](FifoStore& store) { return store.pop(max_elements); });
}

std::size_t PersistentQueueWithCapacity::len() const {
  return queue_->run("len", [](FifoStore& store) { return store.len(); });
}

bool PersistentQueueWithCapacity::is_empty() const { return len() == 0; }

std::uint64_t PersistentQueueWithCapacity::payload_size() const {
  return queue_->run("payload_size", [](FifoStore& store) { return store.payload_size(); });
}

std::uint64_t PersistentQueueWithCapacity::disk_size() const {
  return queue_->run("disk_size", [](FifoStore& store) { return store.disk_size(); });
}

void PersistentQueueWithCapacity::close() { queue_->close(); }

const std::string& PersistentQueueWithCapacity::path() const { return queue_->path(); }

std::size_t PersistentQueueWithCapacity::max_elements() const { return queue_->max_elements(); }

}  // namespace rocksq
