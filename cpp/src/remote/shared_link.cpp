#include "shared_link.hpp"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <stdexcept>
#include <system_error>
#include <utility>
#include <vector>

#include "runtime/worker.hpp"
#include "storage/database.hpp"
#include "storage/directory_lock.hpp"

namespace rocksq {
namespace internal {

namespace {

using Clock = std::chrono::steady_clock;
using wire::ErrorKind;
using wire::FrameType;

// How long an open waits for an owner that holds the lock to answer (it
// may be replaying its log), and how long a client whose owner went away
// tries to take over or to reach the next owner.
constexpr std::chrono::seconds kOwnerTimeout{30};
// Between attempts: an owner that just got the lock needs about as long as
// RocksDB takes to open.
constexpr std::chrono::milliseconds kFirstBackoff{1};
constexpr std::chrono::milliseconds kMaxBackoff{20};
constexpr std::size_t kReadChunk = 64 * 1024;

// Waits up to timeout for fd to be readable or the wakeup; false on error.
void sleep_unless_woken(const Wakeup& wakeup, std::chrono::milliseconds timeout) {
  pollfd fds[1] = {{wakeup.fd(), POLLIN, 0}};
  static_cast<void>(::poll(fds, 1, static_cast<int>(timeout.count())));
}

// Appends to *buffer what fd has, up to want bytes (a blocking fd waits
// for some); false at the end of the stream or on an error.  Small reads go
// through a scratch buffer: growing the string by a whole chunk would clear
// it first.
bool read_some(int fd, std::string* buffer, std::size_t want) {
  thread_local std::vector<char> scratch(kReadChunk);
  const bool direct = want > scratch.size();
  const std::size_t old_size = buffer->size();
  if (direct) buffer->resize(old_size + want);
  for (;;) {
    char* const into = direct ? buffer->data() + old_size : scratch.data();
    const ssize_t n = ::recv(fd, into, direct ? want : scratch.size(), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (direct) buffer->resize(old_size);
      return false;
    }
    if (direct) {
      buffer->resize(old_size + static_cast<std::size_t>(n));
    } else {
      buffer->append(scratch.data(), static_cast<std::size_t>(n));
    }
    return true;
  }
}

// Takes the first complete frame from *buffer: its type and body.  False
// if it is not all there yet (*need: how many bytes it lacks at least).
// Throws wire::MalformedFrame.
bool take_frame(std::string* buffer, std::size_t* offset, FrameType* type, std::string_view* body,
                std::size_t* need) {
  const std::size_t available = buffer->size() - *offset;
  if (available < wire::kHeaderBytes) {
    *need = wire::kHeaderBytes - available;
    return false;
  }
  const std::uint64_t length = wire::frame_length(buffer->data() + *offset);
  if (length == 0 || length > wire::kMaxFrameBytes) throw wire::MalformedFrame();
  if (available - 8 < length) {
    *need = static_cast<std::size_t>(length - (available - 8));
    return false;
  }
  *type = static_cast<FrameType>((*buffer)[*offset + 8]);
  *body = std::string_view(buffer->data() + *offset + wire::kHeaderBytes, length - 1);
  *offset += 8 + length;
  return true;
}

void compact(std::string* buffer, std::size_t* offset) {
  if (*offset == 0) return;
  buffer->erase(0, *offset);
  *offset = 0;
}

std::string hello_frame(const SharedLink::Hello& hello) {
  std::string frame;
  const auto start = wire::begin_frame(&frame, FrameType::kHello);
  wire::Writer w(&frame);
  w.put(wire::kMagic);
  w.put(wire::kProtocolVersion);
  w.put(hello.kind);
  w.put(hello.parameter);
  w.put(hello.durable);
  wire::end_frame(&frame, start);
  return frame;
}

std::exception_ptr owner_lost(const std::string& path) {
  return std::make_exception_ptr(OwnerLostError(
      "rocksq: the process that owned " + path +
      " ended while this operation was pending: it may or may not have taken effect"));
}

void complete_with(const SharedLink::Complete& complete, const std::exception_ptr& error) {
  std::string body;
  wire::Writer w(&body);
  wire::put_error(w, error);
  wire::Reader r(body);
  const auto kind = static_cast<ErrorKind>(r.get<std::uint8_t>());
  complete(kind, r);
}

}  // namespace

// ---- The owner's side: serving clients (on the link's thread).

struct SharedLink::Connection {
  FileDescriptor fd;  // invalid: this process's own requests (after a takeover)
  std::string in;
  std::size_t in_offset = 0;
  std::string out;
  std::size_t out_offset = 0;
  bool greeted = false;
  bool closed = false;
  std::uint64_t last_ran = 0;
  struct Running {
    std::uint64_t id;
    Pending pending;
    Complete complete;  // loopback only
  };
  std::vector<Running> running;
};

class SharedLink::Server {
 public:
  explicit Server(SharedLink& link) : link_(link) {}

  // Serves until the link closes.  resend: this process's requests that
  // the previous owner did not run.
  // Creates the socket clients connect to.  Throws Error.
  void listen() { listen_ = listen_socket(link_.path_); }

  void run(std::vector<Outstanding> resend) noexcept {
    // Clients wait for room in their own process; this thread must not
    // run the room wait of this process's callers (a Python signal check).
    Worker::set_thread_ignores_room_wait(true);
    for (auto& request : resend) run_own(std::move(request));
    loop();
  }

 private:
  void run_own(Outstanding request) {
    auto connection = std::find_if(connections_.begin(), connections_.end(),
                                   [](const auto& c) { return !c->fd.valid(); });
    if (connection == connections_.end()) {
      connections_.push_back(std::make_unique<Connection>());
      connection = connections_.end() - 1;
    }
    std::string_view frame(*request.frame);
    frame.remove_prefix(wire::kHeaderBytes);
    dispatch(**connection, frame, std::move(request.complete));
  }

  void loop() {
    for (;;) {
      bool stop = false;
      {
        std::lock_guard<std::mutex> lock(link_.mutex_);
        stop = link_.closing_;
      }
      if (stop) {
        // No new requests from here on: what clients sent later goes to the
        // next owner (goodbye says where this one stopped).
        if (listen_.valid()) {
          remove_socket(link_.path_);
          listen_.reset();
        }
        // Completes everything it runs, for clients too.
        if (std::shared_ptr<ServiceBase> closing = local()) closing->close();
        {
          std::lock_guard<std::mutex> lock(link_.mutex_);
          link_.local_.reset();
        }
        local_.reset();
        say_goodbye();
        return;
      }
      std::vector<pollfd> fds;
      fds.push_back({link_.wakeup_.fd(), POLLIN, 0});
      if (listen_.valid()) fds.push_back({listen_.get(), POLLIN, 0});
      const std::size_t first_connection = fds.size();
      for (const auto& c : connections_) {
        short events = 0;
        events |= POLLIN;
        if (c->out_offset < c->out.size()) events |= POLLOUT;
        fds.push_back({c->fd.valid() ? c->fd.get() : -1, events, 0});
      }
      if (::poll(fds.data(), fds.size(), -1) < 0 && errno != EINTR) return;
      if (fds[0].revents != 0) link_.wakeup_.drain();
      if (listen_.valid() && fds[1].revents != 0) accept_clients();
      for (std::size_t i = 0; i < connections_.size() && first_connection + i < fds.size(); ++i) {
        Connection& c = *connections_[i];
        const short revents = fds[first_connection + i].revents;
        if (revents & POLLOUT) flush(c);
        if (revents & (POLLIN | POLLHUP | POLLERR)) read_requests(c);
      }
      // Operations may be done already (run on this thread: caller_runs).
      collect_results();
      connections_.erase(std::remove_if(connections_.begin(), connections_.end(),
                                        [](const auto& c) { return c->closed; }),
                         connections_.end());
    }
  }

  void accept_clients() {
    for (;;) {
      FileDescriptor fd(::accept4(listen_.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
      if (!fd.valid()) return;
      if (!peer_is_same_user(fd.get())) continue;  // closed: another user's process
      auto connection = std::make_unique<Connection>();
      connection->fd = std::move(fd);
      connections_.push_back(std::move(connection));
    }
  }

  void read_requests(Connection& c) {
    // Made on first use: an owner nobody connects to costs no memory for it.
    if (scratch_.empty()) scratch_.resize(kReadChunk);
    for (;;) {
      const ssize_t n = ::recv(c.fd.get(), scratch_.data(), scratch_.size(), 0);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) c.closed = true;
        break;
      }
      c.in.append(scratch_.data(), static_cast<std::size_t>(n));
      if (static_cast<std::size_t>(n) < scratch_.size()) break;
    }
    try {
      FrameType type;
      std::string_view body;
      std::size_t need = 0;
      while (!c.closed && take_frame(&c.in, &c.in_offset, &type, &body, &need)) {
        if (type == FrameType::kHello && !c.greeted) {
          greet(c, body);
        } else if (type == FrameType::kRequest && c.greeted) {
          dispatch(c, body, nullptr);
        } else if (type == FrameType::kDrain && c.greeted) {
          // The client closes: its waiting reads end with what there is.
          for (auto& running : c.running) {
            if (running.pending.abandon) running.pending.abandon();
          }
          local()->end_abandoned();
        } else {
          c.closed = true;  // not our protocol
        }
      }
      compact(&c.in, &c.in_offset);
    } catch (const wire::MalformedFrame&) {
      c.closed = true;
    }
    flush(c);
  }

  void greet(Connection& c, std::string_view body) {
    wire::Reader r(body);
    std::exception_ptr refusal;
    const auto magic = r.get<std::uint32_t>();
    const auto version = r.get<std::uint32_t>();
    if (magic != wire::kMagic || version != wire::kProtocolVersion) {
      refusal = std::make_exception_ptr(Error(
          "rocksq: cannot open " + link_.path_ +
          ": the process that owns it runs another version of rocksq (protocol " +
          std::to_string(wire::kProtocolVersion) + ", asked " + std::to_string(version) + ")"));
    } else {
      const auto kind = r.get<std::uint8_t>();
      const auto parameter = r.get<std::uint64_t>();
      const bool durable = r.get<bool>();
      const Hello& mine = link_.hello_;
      if (kind != mine.kind) {
        refusal = std::make_exception_ptr(Error(
            "rocksq: cannot open " + link_.path_ +
            ": the process that owns it opened it as a queue of another kind"));
      } else if (parameter != mine.parameter) {
        refusal = std::make_exception_ptr(std::invalid_argument(
            "rocksq: cannot open " + link_.path_ + " with " + mine.parameter_name + "=" +
            std::to_string(parameter) + ": the process that owns it opened it with " +
            mine.parameter_name + "=" + std::to_string(mine.parameter)));
      } else if (durable && !mine.durable) {
        refusal = std::make_exception_ptr(std::invalid_argument(
            "rocksq: cannot open " + link_.path_ +
            " with durable=True: the process that owns it opened it with durable=False"));
      }
    }
    const auto start = wire::begin_frame(&c.out, refusal ? FrameType::kRefused : FrameType::kWelcome);
    if (refusal) {
      wire::Writer w(&c.out);
      wire::put_error(w, refusal);
    }
    wire::end_frame(&c.out, start);
    c.greeted = true;
  }

  void dispatch(Connection& c, std::string_view body, Complete complete) {
    wire::Reader r(body);
    const auto id = r.get<std::uint64_t>();
    const auto code = r.get<std::uint32_t>();
    Pending pending;
    try {
      pending = link_.dispatch_(*local(), code, r);
    } catch (const wire::MalformedFrame&) {
      throw;
    } catch (...) {
      const std::exception_ptr error = std::current_exception();
      pending.ready = [] { return true; };
      pending.put_result = [error](wire::Writer& w) { wire::put_error(w, error); };
      pending.abandon = nullptr;
    }
    c.last_ran = id;
    c.running.push_back({id, std::move(pending), std::move(complete)});
  }

  std::shared_ptr<ServiceBase> local() {
    if (!local_) {
      std::lock_guard<std::mutex> lock(link_.mutex_);
      local_ = link_.local_;
    }
    return local_;
  }

  // Answers the requests whose results are there.
  void collect_results() {
    for (auto& c : connections_) {
      if (c->running.empty()) continue;
      auto kept = c->running.begin();
      for (auto it = c->running.begin(); it != c->running.end(); ++it) {
        if (!it->pending.ready()) {
          if (kept != it) *kept = std::move(*it);
          ++kept;
          continue;
        }
        if (c->fd.valid()) {
          const auto start = wire::begin_frame(&c->out, FrameType::kResponse);
          wire::Writer w(&c->out);
          w.put(it->id);
          it->pending.put_result(w);
          wire::end_frame(&c->out, start);
        } else {
          std::string body;
          wire::Writer w(&body);
          it->pending.put_result(w);
          wire::Reader r(body);
          const auto kind = static_cast<ErrorKind>(r.get<std::uint8_t>());
          it->complete(kind, r);
          own_completed_ = true;
        }
      }
      c->running.erase(kept, c->running.end());
      if (c->fd.valid()) flush(*c);
    }
    if (own_completed_) {
      own_completed_ = false;
      link_.notify_completion();
    }
  }

  void flush(Connection& c) {
    while (c.fd.valid() && c.out_offset < c.out.size()) {
      const ssize_t n = ::send(c.fd.get(), c.out.data() + c.out_offset, c.out.size() - c.out_offset,
                               MSG_NOSIGNAL);
      if (n < 0) {
        if (errno == EINTR) continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) c.closed = true;
        break;
      }
      c.out_offset += static_cast<std::size_t>(n);
    }
    if (c.out_offset == c.out.size()) {
      c.out.clear();
      c.out_offset = 0;
    }
  }

  // The queue is closed: every request run has its answer; tell each client
  // where this owner stopped, then hang up.
  void say_goodbye() {
    collect_results();
    for (auto& c : connections_) {
      if (!c->fd.valid() || c->closed) continue;
      const auto start = wire::begin_frame(&c->out, FrameType::kGoodbye);
      wire::Writer w(&c->out);
      w.put(c->last_ran);
      wire::end_frame(&c->out, start);
      // Blocking now: the client reads (its thread does nothing else).
      const int flags = ::fcntl(c->fd.get(), F_GETFL);
      ::fcntl(c->fd.get(), F_SETFL, flags & ~O_NONBLOCK);
      static_cast<void>(write_all(c->fd.get(), c->out.data() + c->out_offset,
                                  c->out.size() - c->out_offset));
      ::shutdown(c->fd.get(), SHUT_RDWR);
    }
    connections_.clear();
  }

 private:
  SharedLink& link_;
  FileDescriptor listen_;
  std::vector<std::unique_ptr<Connection>> connections_;
  std::shared_ptr<ServiceBase> local_;
  bool own_completed_ = false;
  std::vector<char> scratch_;
};

// ---- Opening.

SharedLink::SharedLink(std::string path, std::size_t max_inflight, Hello hello,
                       OpenLocal open_local, Dispatch dispatch)
    : path_(std::move(path)),
      max_inflight_(max_inflight),
      hello_(hello),
      open_local_(std::move(open_local)),
      dispatch_(std::move(dispatch)) {
  check_path(path_);
  if (max_inflight_ == 0) {
    throw std::invalid_argument("rocksq: max_inflight_ops must be at least 1");
  }
  claim_ = std::make_unique<PathClaim>(path_);
  std::error_code ec;
  std::filesystem::create_directories(path_, ec);  // errors: the open below says them
  if (!ec) check_shared_directory(path_);
  const auto deadline = Clock::now() + kOwnerTimeout;
  auto backoff = kFirstBackoff;
  for (;;) {
    try {
      become_owner(open_local_());
      return;
    } catch (const AlreadyOpenError& e) {
      if (!DirectoryLock::probe(path_).shared) {
        throw AlreadyOpenError("rocksq: cannot open " + path_ +
                               ": it is open in another process that does not share it "
                               "(shared=False there)");
      }
    }
    FileDescriptor connection = connect_to_owner();
    if (connection.valid()) {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        connection_ = std::move(connection);
        state_ = State::kClient;
      }
      thread_ = std::thread([this] { run_client(); });
      return;
    }
    if (Clock::now() >= deadline) {
      throw AlreadyOpenError("rocksq: cannot open " + path_ +
                             ": another process holds it and does not answer at " +
                             kSocketFileName);
    }
    std::this_thread::sleep_for(backoff);
    backoff = std::min(backoff * 2, kMaxBackoff);
  }
}

SharedLink::~SharedLink() { close(); }

FileDescriptor SharedLink::connect_to_owner() {
  FileDescriptor fd = connect_socket(path_);
  if (!fd.valid()) return fd;
  const std::string hello = hello_frame(hello_);
  if (!write_all(fd.get(), hello.data(), hello.size())) return FileDescriptor();
  std::string buffer;
  std::size_t offset = 0;
  FrameType type;
  std::string_view body;
  std::size_t need = wire::kHeaderBytes;
  try {
    while (!take_frame(&buffer, &offset, &type, &body, &need)) {
      if (!read_some(fd.get(), &buffer, need)) return FileDescriptor();  // it went away
    }
    if (type == FrameType::kRefused) {
      wire::Reader r(body);
      const auto kind = static_cast<ErrorKind>(r.get<std::uint8_t>());
      std::rethrow_exception(wire::get_error(kind, r));
    }
  } catch (const wire::MalformedFrame&) {
    throw Error("rocksq: cannot open " + path_ + ": its owner answered nonsense");
  }
  if (type != FrameType::kWelcome) {
    throw Error("rocksq: cannot open " + path_ + ": its owner answered nonsense");
  }
  return fd;
}

void SharedLink::become_owner(std::shared_ptr<ServiceBase> local) {
  apply_settings(*local);
  auto new_server = std::make_unique<Server>(*this);
  try {
    new_server->listen();
  } catch (...) {
    local->close();
    throw;
  }
  Server* server = nullptr;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    local_ = std::move(local);
    state_ = State::kOwner;
    server_ = std::move(new_server);
    server = server_.get();
  }
  changed_.notify_all();
  thread_ = std::thread([server] { server->run({}); });
}

void SharedLink::apply_settings(ServiceBase& local) {
  std::function<void()> user_callback;
  RoomWait room_wait;
  bool caller_runs = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    user_callback = completion_callback_;
    room_wait = room_wait_;
    caller_runs = caller_runs_;
  }
  // The server learns of results through the callback too.
  const Wakeup* const wakeup = &wakeup_;
  local.set_completion_callback([wakeup, user_callback] {
    wakeup->notify();
    if (user_callback) user_callback();
  });
  local.set_room_wait(std::move(room_wait));
  local.set_caller_runs(caller_runs);
}

std::shared_ptr<ServiceBase> SharedLink::local() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return local_;
}

// ---- The client's side.

std::string SharedLink::request_frame(std::uint32_t code) {
  std::string frame;
  wire::begin_frame(&frame, FrameType::kRequest);
  wire::Writer w(&frame);
  w.put(std::uint64_t{0});  // the id, set by send()
  w.put(code);
  return frame;
}

bool SharedLink::ready_to_send() const {
  return state_ == State::kOwner || state_ == State::kBroken || state_ == State::kClosed ||
         closing_ || (state_ == State::kClient && outstanding_.size() < max_inflight_);
}

bool SharedLink::send(std::string frame, Complete complete) {
  wire::end_frame(&frame, 0);
  auto shared_frame = std::make_shared<std::string>(std::move(frame));
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      while (!ready_to_send()) {
        if (room_wait_) {
          const RoomWait room_wait = room_wait_;
          lock.unlock();
          room_wait([this](std::chrono::nanoseconds timeout) {
            std::unique_lock<std::mutex> wait_lock(mutex_);
            return changed_.wait_for(wait_lock, timeout, [this] { return ready_to_send(); });
          });
          lock.lock();
        } else {
          changed_.wait(lock);
        }
      }
      if (state_ == State::kOwner) return false;
      if (state_ == State::kBroken) std::rethrow_exception(broken_);
      if (state_ == State::kClosed || closing_) {
        throw ClosedError("rocksq: queue " + path_ + " is closed");
      }
    }
    std::lock_guard<std::mutex> write_lock(write_mutex_);
    int fd = -1;
    std::uint64_t id_sent = 0;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (state_ != State::kClient || outstanding_.size() >= max_inflight_) continue;
      const std::uint64_t id = ++next_id_;
      for (int i = 0; i < 8; ++i) {
        (*shared_frame)[wire::kHeaderBytes + i] = static_cast<char>(id >> (8 * i));
      }
      outstanding_.emplace(id, Outstanding{shared_frame, std::move(complete)});
      id_sent = id;
      fd = connection_.get();
    }
    // A failed write is the owner going away: the reader thread sees it,
    // and sends the request again to the next owner (this one did not get
    // all of it, so it did not run it).
    if (!write_all(fd, shared_frame->data(), shared_frame->size())) {
      std::lock_guard<std::mutex> lock(mutex_);
      auto it = outstanding_.find(id_sent);
      if (it != outstanding_.end()) it->second.sent = false;
    }
    return true;
  }
}

void SharedLink::notify_completion() const {
  std::function<void()> callback;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    callback = completion_callback_;
  }
  if (callback) callback();
}

void SharedLink::run_client() noexcept {
  std::string buffer;
  std::size_t offset = 0;
  std::size_t want = kReadChunk;
  for (;;) {
    int fd = -1;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (closing_ && outstanding_.empty()) return;
      fd = connection_.get();
    }
    pollfd fds[2] = {{fd, POLLIN, 0}, {wakeup_.fd(), POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0 && errno != EINTR) break;
    if (fds[1].revents != 0) wakeup_.drain();
    if (fds[0].revents == 0) continue;
    bool ended = !read_some(fd, &buffer, want);
    bool answered = false;
    try {
      FrameType type;
      std::string_view body;
      std::size_t need = 0;
      while (take_frame(&buffer, &offset, &type, &body, &need)) {
        wire::Reader r(body);
        if (type == FrameType::kResponse) {
          const auto id = r.get<std::uint64_t>();
          const auto kind = static_cast<ErrorKind>(r.get<std::uint8_t>());
          Complete complete;
          {
            std::lock_guard<std::mutex> lock(mutex_);
            auto it = outstanding_.find(id);
            if (it == outstanding_.end()) throw wire::MalformedFrame();
            complete = std::move(it->second.complete);
            outstanding_.erase(it);
          }
          changed_.notify_all();
          complete(kind, r);
          answered = true;
        } else if (type == FrameType::kGoodbye) {
          std::lock_guard<std::mutex> lock(mutex_);
          goodbye_ = true;
          goodbye_last_ = r.get<std::uint64_t>();
        } else {
          throw wire::MalformedFrame();
        }
      }
      compact(&buffer, &offset);
      // The rest of a big answer is read straight into place.
      want = std::max(need, kReadChunk);
    } catch (const wire::MalformedFrame&) {
      ended = true;
    }
    if (answered) notify_completion();
    if (!ended) continue;
    buffer.clear();
    offset = 0;
    want = kReadChunk;
    if (recover()) {
      std::vector<Outstanding> resend;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        for (auto& [id, request] : outstanding_) resend.push_back(std::move(request));
        outstanding_.clear();
      }
      changed_.notify_all();
      Server* server = nullptr;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        server = server_.get();
      }
      server->run(std::move(resend));
      return;
    }
    std::lock_guard<std::mutex> lock(mutex_);
    if (state_ != State::kClient) return;
  }
}

bool SharedLink::recover() noexcept {
  std::vector<Outstanding> lost;
  {
    // After any write under way: it marks its request if it failed.
    std::lock_guard<std::mutex> write_lock(write_mutex_);
    std::lock_guard<std::mutex> lock(mutex_);
    connection_.reset();
    state_ = State::kRecovering;
    // What the owner ran before it went is answered.  With a goodbye the
    // rest was never run; without one, a request it did not get whole was
    // not either: those go to the next owner.  The others are unknowable.
    for (auto it = outstanding_.begin(); it != outstanding_.end();) {
      if (it->second.sent && (!goodbye_ || it->first <= goodbye_last_)) {
        lost.push_back(std::move(it->second));
        it = outstanding_.erase(it);
      } else {
        ++it;
      }
    }
    goodbye_ = false;
  }
  changed_.notify_all();
  const std::exception_ptr error = owner_lost(path_);
  for (auto& request : lost) complete_with(request.complete, error);
  if (!lost.empty()) notify_completion();

  const auto deadline = Clock::now() + kOwnerTimeout;
  auto backoff = kFirstBackoff;
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (closing_ && outstanding_.empty()) {
        state_ = State::kClosed;
        changed_.notify_all();
        return false;
      }
    }
    try {
      try {
        std::shared_ptr<ServiceBase> local = open_local_();
        apply_settings(*local);
        auto server = std::make_unique<Server>(*this);
        try {
          server->listen();
        } catch (...) {
          // Serving nobody (the others time out), the queue still works here.
        }
        std::lock_guard<std::mutex> lock(mutex_);
        local_ = std::move(local);
        state_ = State::kOwner;
        server_ = std::move(server);
        return true;
      } catch (const AlreadyOpenError&) {
        if (!DirectoryLock::probe(path_).shared) {
          throw AlreadyOpenError("rocksq: " + path_ +
                                 " was taken over by a process that does not share it "
                                 "(shared=False there)");
        }
      }
      FileDescriptor connection = connect_to_owner();
      if (connection.valid()) {
        std::lock_guard<std::mutex> write_lock(write_mutex_);
        {
          std::lock_guard<std::mutex> lock(mutex_);
          // Sent again under new ids, in their order.
          std::map<std::uint64_t, Outstanding> renumbered;
          for (auto& [old_id, request] : outstanding_) {
            const std::uint64_t id = ++next_id_;
            auto frame = std::make_shared<std::string>(*request.frame);
            for (int i = 0; i < 8; ++i) {
              (*frame)[wire::kHeaderBytes + i] = static_cast<char>(id >> (8 * i));
            }
            renumbered.emplace(id, Outstanding{std::move(frame), std::move(request.complete)});
          }
          outstanding_ = std::move(renumbered);
          const int fd = connection.get();
          connection_ = std::move(connection);
          state_ = State::kClient;
          bool written = true;
          for (auto& [id, request] : outstanding_) {
            written = written && write_all(fd, request.frame->data(), request.frame->size());
            request.sent = written;
          }
        }
        changed_.notify_all();
        return false;
      }
    } catch (...) {
      fail_link(std::current_exception());
      return false;
    }
    if (Clock::now() >= deadline) {
      fail_link(std::make_exception_ptr(OwnerLostError(
          "rocksq: the process that owned " + path_ + " ended and no process took over within " +
          std::to_string(kOwnerTimeout.count()) + " s")));
      return false;
    }
    sleep_unless_woken(wakeup_, backoff);
    backoff = std::min(backoff * 2, kMaxBackoff);
  }
}

void SharedLink::fail_link(std::exception_ptr error) {
  std::map<std::uint64_t, Outstanding> failed;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    state_ = State::kBroken;
    broken_ = error;
    failed.swap(outstanding_);
  }
  changed_.notify_all();
  for (auto& [id, request] : failed) complete_with(request.complete, error);
  if (!failed.empty()) notify_completion();
}

// ---- What every queue has.

std::size_t SharedLink::inflight() const {
  std::shared_ptr<ServiceBase> local;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!local_) return outstanding_.size();
    local = local_;
  }
  return local->inflight();
}

void SharedLink::set_completion_callback(std::function<void()> callback) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    completion_callback_ = std::move(callback);
  }
  if (auto local = this->local()) apply_settings(*local);
}

void SharedLink::set_room_wait(RoomWait room_wait) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    room_wait_ = std::move(room_wait);
  }
  if (auto local = this->local()) apply_settings(*local);
}

void SharedLink::set_caller_runs(bool caller_runs) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    caller_runs_ = caller_runs;
  }
  if (auto local = this->local()) apply_settings(*local);
}

void SharedLink::hold() {
  if (auto local = this->local()) local->hold();
}

void SharedLink::release() {
  if (auto local = this->local()) local->release();
}

void SharedLink::close() {
  std::lock_guard<std::mutex> close_lock(close_mutex_);
  {
    std::unique_lock<std::mutex> lock(mutex_);
    if (state_ == State::kClosed && !thread_.joinable()) return;
    if (state_ == State::kClient && !outstanding_.empty()) {
      // Reads waiting in the owner end now, as a local queue's do at close.
      lock.unlock();
      std::string drain;
      wire::end_frame(&drain, wire::begin_frame(&drain, FrameType::kDrain));
      {
        std::lock_guard<std::mutex> write_lock(write_mutex_);
        int fd = -1;
        {
          std::lock_guard<std::mutex> state_lock(mutex_);
          fd = connection_.get();
        }
        if (fd >= 0) static_cast<void>(write_all(fd, drain.data(), drain.size()));
      }
      lock.lock();
    }
    // This process's requests first (a closing queue completes them).
    changed_.wait(lock, [this] {
      return outstanding_.empty() || state_ == State::kBroken || state_ == State::kOwner;
    });
    closing_ = true;
  }
  changed_.notify_all();
  wakeup_.notify();
  // The thread ends as a client, or, as the owner (perhaps since a
  // takeover that was under way), after closing the queue.
  if (thread_.joinable()) thread_.join();
  std::shared_ptr<ServiceBase> local;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    state_ = State::kClosed;
    local = std::move(local_);
  }
  if (local) local->close();  // the thread failed to
  claim_.reset();
}

void SharedLink::abandon() {
  // The thread exists in the parent only; its object must not be joined.
  if (thread_.joinable()) thread_.detach();
}

}  // namespace internal
}  // namespace rocksq
