// SharedLink: how a process uses a queue that several processes share.
//
// One process, the owner, has the queue open (it holds the directory lock and
// RocksDB) and serves the others over <queue>/rocksq.sock; the others are its
// clients and send it their operations, which it runs as its own: through
// its worker, in its group commits, so a client's operation is acknowledged
// only once it is in the owner's write-ahead log.  There is no second copy
// of the data.
//
// Takeover: when the owner closes or dies the kernel frees its lock; each
// client that sees its connection end tries to open the queue itself, and
// the one that gets the lock becomes the owner (it reopens RocksDB, which
// recovers from the log, and starts serving) while the others connect to it.
// Callers see nothing of it but a pause, except for their operations that
// were in flight when the owner died: those fail with OwnerLostError (they
// may or may not have taken effect).  An owner that closes tells each client
// which of its requests it ran (goodbye): the others are sent again to the
// next owner, so a clean handover loses nothing.
//
// One thread per shared queue in every process: a client's reads the
// owner's answers; an owner's accepts clients and serves their requests
// (the same thread, once a client takes over).
#ifndef ROCKSQ_SRC_REMOTE_SHARED_LINK_HPP_
#define ROCKSQ_SRC_REMOTE_SHARED_LINK_HPP_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "rocksq/queue_control.hpp"
#include "runtime/service.hpp"
#include "storage/database.hpp"
#include "unix_socket.hpp"
#include "wire.hpp"

namespace rocksq {
namespace internal {

class SharedLink {
 public:
  // An operation the owner runs for a client: ready() once its result is
  // there; put_result writes it (an ErrorKind, then the value or the error).
  struct Pending {
    std::function<bool()> ready;
    std::function<void(wire::Writer&)> put_result;
    std::function<void()> abandon;  // see Future::abandon
  };
  // Opens the queue in this process (takes its lock); throws
  // AlreadyOpenError while another process has it.
  using OpenLocal = std::function<std::shared_ptr<ServiceBase>()>;
  // Submits operation code with its encoded arguments to the owner's local
  // service.  Throws wire::MalformedFrame on bad arguments.
  using Dispatch =
      std::function<Pending(ServiceBase& local, std::uint32_t code, wire::Reader& args)>;
  // Sets a client's result from an answer; must not throw.
  using Complete = std::function<void(wire::ErrorKind kind, wire::Reader& result)>;

  // What a client says it opened; the owner refuses a client whose
  // parameter (max_elements or ttl) differs from its own, or that wants
  // durable writes from an owner that does not make them.
  struct Hello {
    std::uint8_t kind = 0;
    std::uint64_t parameter = 0;
    const char* parameter_name = "";
    bool durable = false;
  };

  // Opens the queue at path shared: as its owner if no process has it,
  // else as a client of the process that does.  Throws AlreadyOpenError if
  // it is open in this process, or in another one that does not share it.
  SharedLink(std::string path, std::size_t max_inflight, Hello hello, OpenLocal open_local,
             Dispatch dispatch);
  ~SharedLink();
  SharedLink(const SharedLink&) = delete;
  SharedLink& operator=(const SharedLink&) = delete;

  // The local service while this process owns the queue, else null.
  std::shared_ptr<ServiceBase> local() const;

  // A request frame for operation code; the caller appends the arguments.
  static std::string request_frame(std::uint32_t code);
  // Sends a request frame to the owner, waiting for room (max_inflight
  // requests unanswered) and through a takeover; complete gets the answer.
  // False if this process owns the queue now: nothing was sent, the caller
  // runs the operation itself.  Throws ClosedError, or the error that
  // broke the link.
  bool send(std::string frame, Complete complete);

  std::size_t inflight() const;
  std::size_t max_inflight() const { return max_inflight_; }
  void set_completion_callback(std::function<void()> callback);
  void set_room_wait(RoomWait room_wait);
  void set_caller_runs(bool caller_runs);
  void hold();
  void release();
  // Waits for this process's requests, then leaves: an owner stops
  // serving, tells its clients (goodbye) and closes the queue.  Idempotent.
  void close();
  // In a forked child: forget everything, touching nothing.
  void abandon();

 private:
  enum class State { kClient, kRecovering, kOwner, kBroken, kClosed };
  struct Outstanding {
    std::shared_ptr<const std::string> frame;
    Complete complete;
    bool sent = true;  // false: writing it failed, the owner did not get it
  };
  struct Connection;
  class Server;

  // Connects and says hello; invalid if nobody answers.  Throws the
  // owner's refusal.
  FileDescriptor connect_to_owner();
  void become_owner(std::shared_ptr<ServiceBase> local);
  void apply_settings(ServiceBase& local);
  void run_client() noexcept;
  // After the connection to the owner ended: take over or reconnect.
  // True if this process is the owner now.
  bool recover() noexcept;
  void fail_link(std::exception_ptr error);
  bool ready_to_send() const;  // under mutex_
  void notify_completion() const;

  const std::string path_;
  const std::size_t max_inflight_;
  const Hello hello_;
  const OpenLocal open_local_;
  const Dispatch dispatch_;
  std::unique_ptr<PathClaim> claim_;  // this process's claim on the path
  std::mutex close_mutex_;

  mutable std::mutex mutex_;
  std::condition_variable changed_;  // state_ or outstanding_ changed
  State state_ = State::kRecovering;
  std::exception_ptr broken_;
  std::shared_ptr<ServiceBase> local_;
  FileDescriptor connection_;
  std::map<std::uint64_t, Outstanding> outstanding_;
  std::uint64_t next_id_ = 0;
  bool goodbye_ = false;
  std::uint64_t goodbye_last_ = 0;
  bool closing_ = false;
  std::function<void()> completion_callback_;
  RoomWait room_wait_;
  bool caller_runs_ = false;

  std::mutex write_mutex_;  // orders request frames on the connection
  Wakeup wakeup_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
};

}  // namespace internal
}  // namespace rocksq

#endif  // ROCKSQ_SRC_REMOTE_SHARED_LINK_HPP_
