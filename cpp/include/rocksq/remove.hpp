// Deleting a queue's files.
#ifndef ROCKSQ_REMOVE_HPP_
#define ROCKSQ_REMOVE_HPP_

#include <string>

namespace rocksq {

// Deletes the files of the closed FIFO queue at path.  Does nothing if path
// does not exist.  Throws AlreadyOpenError if the queue is open (in this
// process or another one) and Error if path holds something else than a
// queue or cannot be removed.
void remove_queue(const std::string& path);

// The same for an MPMC queue.
void remove_mpmc_queue(const std::string& path);

}  // namespace rocksq

#endif  // ROCKSQ_REMOVE_HPP_
