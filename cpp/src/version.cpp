#include "rocksq/version.hpp"

namespace rocksq {

const char* version() { return ROCKSQ_VERSION; }

}  // namespace rocksq
