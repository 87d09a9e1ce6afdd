// rocksq::nonblocking::MpmcQueue: declared with the blocking flavour in
// rocksq/mpmc_queue.hpp.
#ifndef ROCKSQ_NONBLOCKING_MPMC_QUEUE_HPP_
#define ROCKSQ_NONBLOCKING_MPMC_QUEUE_HPP_

#include "rocksq/mpmc_queue.hpp"

#endif  // ROCKSQ_NONBLOCKING_MPMC_QUEUE_HPP_
