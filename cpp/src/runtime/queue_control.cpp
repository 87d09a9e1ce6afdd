#include "rocksq/queue_control.hpp"

#include <utility>

#include "service.hpp"

namespace rocksq {

QueueControl::QueueControl(std::unique_ptr<internal::ServiceBase> service)
    : service_(std::move(service)) {}

QueueControl::~QueueControl() = default;

std::size_t QueueControl::inflight_ops() const {
  return service_->worker().inflight() + service_->waiting();
}

std::size_t QueueControl::max_inflight_ops() const { return service_->worker().max_inflight(); }

void QueueControl::set_completion_callback(std::function<void()> callback) {
  service_->worker().set_completion_callback(std::move(callback));
}

void QueueControl::set_room_wait(RoomWait room_wait) {
  service_->worker().set_room_wait(std::move(room_wait));
}

void QueueControl::set_caller_runs(bool caller_runs) {
  service_->worker().set_caller_runs(caller_runs);
}

void QueueControl::close() { service_->close(); }

const std::string& QueueControl::path() const { return service_->path(); }

QueueControl::Hold::Hold(QueueControl& queue) : queue_(queue) { queue_.service_->worker().hold(); }

QueueControl::Hold::~Hold() { queue_.service_->worker().release(); }

}  // namespace rocksq
