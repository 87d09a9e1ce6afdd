// rocksq::nonblocking::PersistentQueueWithCapacity: declared with the
// blocking flavour in rocksq/persistent_queue.hpp.
#ifndef ROCKSQ_NONBLOCKING_PERSISTENT_QUEUE_HPP_
#define ROCKSQ_NONBLOCKING_PERSISTENT_QUEUE_HPP_

#include "rocksq/persistent_queue.hpp"

#endif  // ROCKSQ_NONBLOCKING_PERSISTENT_QUEUE_HPP_
