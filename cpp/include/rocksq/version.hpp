#ifndef ROCKSQ_VERSION_HPP_
#define ROCKSQ_VERSION_HPP_

namespace rocksq {

// The library's version, e.g. "0.4.0".
const char* version();

}  // namespace rocksq

#endif  // ROCKSQ_VERSION_HPP_
