// Errors raised by rocksq.
//
// Every failure is reported as an exception derived from rocksq::Error, whose
// message names the queue's path and the operation that failed.  Invalid
// arguments raise std::invalid_argument.  Non-blocking queues deliver the same
// exceptions through their futures.
#ifndef ROCKSQ_ERROR_HPP_
#define ROCKSQ_ERROR_HPP_

#include <stdexcept>
#include <string>

namespace rocksq {

// Base class of every rocksq failure (storage, state or capacity).
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A push would make the queue hold more than its max_elements; nothing was
// written.
class QueueFullError : public Error {
 public:
  using Error::Error;
};

// The queue was closed (or its process forked) and cannot be used any more.
class ClosedError : public Error {
 public:
  using Error::Error;
};

// The database is already open, by this process or another one.
class AlreadyOpenError : public Error {
 public:
  using Error::Error;
};

// The stored data failed a consistency check; nothing was served from it.
class CorruptionError : public Error {
 public:
  using Error::Error;
};

// ack() or release() named a lease that is not open: unknown, already acked
// or released, or expired (released by itself).  Nothing was changed.
class LeaseError : public Error {
 public:
  using Error::Error;
};

// The disk holding the queue is full: nothing of the failed operation was
// written.  Writes that store items are refused while the disk keeps less
// than a small headroom free, which stays for consumers: pops and reads go
// on, and the queue accepts items again by itself once there is room.
class DiskFullError : public Error {
 public:
  using Error::Error;
};

// A queue shared by several processes (Options::shared) lost the process
// that owned it while this operation was pending: it may or may not have
// taken effect.  The queue itself goes on, owned by another process.
class OwnerLostError : public Error {
 public:
  using Error::Error;
};

}  // namespace rocksq

#endif  // ROCKSQ_ERROR_HPP_
