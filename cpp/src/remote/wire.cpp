#include "wire.hpp"

#include <stdexcept>

#include "rocksq/error.hpp"

namespace rocksq {
namespace internal {
namespace wire {

void put_error(Writer& w, const std::exception_ptr& e) {
  ErrorKind kind = ErrorKind::kError;
  std::string message = "rocksq: unknown error";
  try {
    std::rethrow_exception(e);
  } catch (const QueueFullError& x) {
    kind = ErrorKind::kQueueFull, message = x.what();
  } catch (const ClosedError& x) {
    kind = ErrorKind::kClosed, message = x.what();
  } catch (const AlreadyOpenError& x) {
    kind = ErrorKind::kAlreadyOpen, message = x.what();
  } catch (const CorruptionError& x) {
    kind = ErrorKind::kCorruption, message = x.what();
  } catch (const LeaseError& x) {
    kind = ErrorKind::kLease, message = x.what();
  } catch (const DiskFullError& x) {
    kind = ErrorKind::kDiskFull, message = x.what();
  } catch (const OwnerLostError& x) {
    kind = ErrorKind::kOwnerLost, message = x.what();
  } catch (const Error& x) {
    message = x.what();
  } catch (const std::invalid_argument& x) {
    kind = ErrorKind::kInvalidArgument, message = x.what();
  } catch (const std::exception& x) {
    message = x.what();
  } catch (...) {
  }
  w.put(static_cast<std::uint8_t>(kind));
  w.put(message);
}

std::exception_ptr get_error(ErrorKind kind, Reader& r) {
  const std::string message = r.get<std::string>();
  switch (kind) {
    case ErrorKind::kInvalidArgument:
      return std::make_exception_ptr(std::invalid_argument(message));
    case ErrorKind::kQueueFull:
      return std::make_exception_ptr(QueueFullError(message));
    case ErrorKind::kClosed:
      return std::make_exception_ptr(ClosedError(message));
    case ErrorKind::kAlreadyOpen:
      return std::make_exception_ptr(AlreadyOpenError(message));
    case ErrorKind::kCorruption:
      return std::make_exception_ptr(CorruptionError(message));
    case ErrorKind::kLease:
      return std::make_exception_ptr(LeaseError(message));
    case ErrorKind::kDiskFull:
      return std::make_exception_ptr(DiskFullError(message));
    case ErrorKind::kOwnerLost:
      return std::make_exception_ptr(OwnerLostError(message));
    case ErrorKind::kNone:
    case ErrorKind::kError:
      break;
  }
  return std::make_exception_ptr(Error(message));
}

}  // namespace wire
}  // namespace internal
}  // namespace rocksq
