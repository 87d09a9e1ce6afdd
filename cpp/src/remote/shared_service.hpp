// SharedService<Store>: a queue opened with Options::shared, and how an
// operation runs on it: in this process while it owns the queue, else in
// the owner's (see shared_link.hpp).
//
// Every operation is a function of the queue's Service that submits it,
// written once (persistent_queue.cpp, mpmc_queue.cpp):
//
//   Future<void> push(Service<FifoStore>& service, std::vector<std::string> items);
//
// An OpTable lists them: an operation's code on the wire is its place in
// the list, its arguments and result are encoded from their types
// (wire.hpp).  call<F, Table, fn>(service, args...) runs fn for either kind
// of queue and delivers its result as flavour F does.
#ifndef ROCKSQ_SRC_REMOTE_SHARED_SERVICE_HPP_
#define ROCKSQ_SRC_REMOTE_SHARED_SERVICE_HPP_

#include <cstdint>
#include <exception>
#include <memory>
#include <tuple>
#include <type_traits>
#include <utility>

#include "rocksq/future.hpp"
#include "runtime/flavour.hpp"
#include "runtime/service.hpp"
#include "shared_link.hpp"
#include "wire.hpp"

namespace rocksq {
namespace internal {

template <typename Fn>
struct OpTraits;
template <typename R, typename S, typename... A>
struct OpTraits<Future<R> (*)(Service<S>&, A...)> {
  using Result = R;
  using Store = S;
  using Args = std::tuple<std::decay_t<A>...>;
};

template <auto Fn>
using OpResultOf = typename OpTraits<decltype(Fn)>::Result;

template <auto A, auto B>
inline constexpr bool kSameOp =
    std::is_same_v<std::integral_constant<decltype(A), A>, std::integral_constant<decltype(B), B>>;

template <auto... Fns>
struct OpTable {
  // fn's code on the wire.
  template <auto Fn>
  static constexpr std::uint32_t code() {
    constexpr bool same[] = {kSameOp<Fn, Fns>...};
    for (std::uint32_t i = 0; i < sizeof...(Fns); ++i) {
      if (same[i]) return i;
    }
    return sizeof...(Fns);
  }

  // The owner's side: decodes the arguments of operation code and submits
  // it to local.  Throws wire::MalformedFrame.
  static SharedLink::Pending dispatch(ServiceBase& local, std::uint32_t code, wire::Reader& r) {
    return dispatch_one(local, code, r, std::make_index_sequence<sizeof...(Fns)>());
  }

 private:
  template <std::size_t... I>
  static SharedLink::Pending dispatch_one(ServiceBase& local, std::uint32_t code, wire::Reader& r,
                                          std::index_sequence<I...>) {
    SharedLink::Pending pending;
    const bool found = ((code == I ? (pending = run<Fns>(local, r), true) : false) || ...);
    if (!found) throw wire::MalformedFrame();
    return pending;
  }

  template <typename Tuple, std::size_t... I>
  static Tuple read_args(wire::Reader& r, std::index_sequence<I...>) {
    // Braces: the arguments are read in order.
    return Tuple{r.template get<std::tuple_element_t<I, Tuple>>()...};
  }

  template <auto Fn>
  static SharedLink::Pending run(ServiceBase& local, wire::Reader& r) {
    using Traits = OpTraits<decltype(Fn)>;
    using Args = typename Traits::Args;
    using R = typename Traits::Result;
    Args args = read_args<Args>(r, std::make_index_sequence<std::tuple_size_v<Args>>());
    if (!r.done()) throw wire::MalformedFrame();
    auto& service = static_cast<Service<typename Traits::Store>&>(local);
    Future<R> future = std::apply(
        [&service](auto&&... a) { return Fn(service, std::move(a)...); }, std::move(args));
    return {[future] { return future.is_ready(); },
            [future](wire::Writer& w) {
              try {
                if constexpr (std::is_void_v<R>) {
                  future.get();
                  w.put(static_cast<std::uint8_t>(wire::ErrorKind::kNone));
                } else {
                  const R& value = future.get();
                  w.put(static_cast<std::uint8_t>(wire::ErrorKind::kNone));
                  w.put(value);
                }
              } catch (...) {
                wire::put_error(w, std::current_exception());
              }
            },
            [future] { future.abandon(); }};
  }
};

template <typename Store>
class SharedService final : public ServiceBase {
 public:
  // make_local() opens the queue in this process (a Service<Store>).
  template <typename Table, typename MakeLocal>
  SharedService(Table, const std::string& path, std::size_t max_inflight,
                SharedLink::Hello hello, MakeLocal make_local)
      : ServiceBase(path),
        link_(std::make_unique<SharedLink>(
            path, max_inflight, hello,
            [make_local]() -> std::shared_ptr<ServiceBase> { return make_local(); },
            &Table::dispatch)) {}

  ~SharedService() override { close(); }

  bool is_shared() const override { return true; }

  // Runs fn(service, args...) in the process that owns the queue.
  template <typename Table, auto Fn, typename... Args>
  Future<OpResultOf<Fn>> call(Args... args) {
    using R = OpResultOf<Fn>;
    check_not_forked();
    for (;;) {
      if (auto local = link_->local()) {
        return Fn(static_cast<Service<Store>&>(*local), std::move(args)...);
      }
      std::string frame = SharedLink::request_frame(Table::template code<Fn>());
      wire::Writer w(&frame);
      (w.put(args), ...);
      auto state = std::make_shared<detail::ResultState<R>>();
      auto complete = [state, path = path()](wire::ErrorKind kind, wire::Reader& r) noexcept {
        try {
          if (kind != wire::ErrorKind::kNone) {
            state->set_error(wire::get_error(kind, r));
          } else if constexpr (!std::is_void_v<R>) {
            state->set_value(r.template get<R>());
          }
        } catch (...) {
          state->set_error(std::make_exception_ptr(
              Error("rocksq: the owner of " + path + " answered with a malformed result")));
        }
        state->publish();
      };
      // False: this process took the queue over meanwhile.
      if (link_->send(std::move(frame), std::move(complete))) return Future<R>(state);
    }
  }

  std::size_t inflight() const override { return link_->inflight(); }
  std::size_t max_inflight() const override { return link_->max_inflight(); }
  void set_completion_callback(std::function<void()> callback) override {
    link_->set_completion_callback(std::move(callback));
  }
  void set_room_wait(RoomWait room_wait) override { link_->set_room_wait(std::move(room_wait)); }
  void set_caller_runs(bool caller_runs) override { link_->set_caller_runs(caller_runs); }
  void hold() override { link_->hold(); }
  void release() override { link_->release(); }

  void close() override {
    if (!link_) return;
    if (forked()) {
      // As a local queue's: the parent's thread and database are not ours.
      link_->abandon();
      static_cast<void>(link_.release());
      return;
    }
    link_->close();
  }

 private:
  std::unique_ptr<SharedLink> link_;
};

// Runs operation fn of Table on the queue, local or shared, and delivers
// its result as Flavour does.
template <typename Flavour, typename Table, auto Fn, typename... Args>
auto call(ServiceBase& service, Args&&... args) {
  using Store = typename OpTraits<decltype(Fn)>::Store;
  if (!service.is_shared()) {
    return deliver<Flavour>(Fn(static_cast<Service<Store>&>(service), std::forward<Args>(args)...));
  }
  return deliver<Flavour>(static_cast<SharedService<Store>&>(service).template call<Table, Fn>(
      std::forward<Args>(args)...));
}

}  // namespace internal
}  // namespace rocksq

#endif  // ROCKSQ_SRC_REMOTE_SHARED_SERVICE_HPP_
