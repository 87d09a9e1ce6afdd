#include "rocksq/queue_control.hpp"

#include <utility>

#include "service.hpp"

namespace rocksq {

QueueControl::QueueControl(std::unique_ptr<internal::ServiceBase> service)
    : service_(std::move(service)) {}

QueueControl::~QueueControl() = default;

std::size_t QueueControl::inflight_ops() const {
  return service_->inflight();
}

std::size_t QueueControl::max_inflight_ops() const { return service_->max_inflight(); }

void QueueControl::set_completion_callback(std::function<void()> callback) {
  service_->set_completion_callback(std::move(callback));
}

void QueueControl::set_room_wait(RoomWait room_wait) {
  service_->set_room_wait(std::move(room_wait));
}

void QueueControl::set_caller_runs(bool caller_runs) {
  service_->set_caller_runs(caller_runs);
}

void QueueControl::close() { service_->close(); }

const std::string& QueueControl::path() const { return service_->path(); }

QueueControl::Hold::Hold(QueueControl& queue) : queue_(queue) { queue_.service_->hold(); }

QueueControl::Hold::~Hold() { queue_.service_->release(); }

}  // namespace rocksq
