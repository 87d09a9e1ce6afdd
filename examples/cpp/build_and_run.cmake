# ctest driver (cmake -P): builds and runs examples/cpp against rocksq.
#   MODE=find_package      installs the rocksq build in ROCKSQ_BUILD_DIR into a
#                          prefix, then configures the example against it
#   MODE=add_subdirectory  builds rocksq from SOURCE_DIR inside the example
# Also: SOURCE_DIR (rocksq's source tree), WORK_DIR (scratch, wiped first).
function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}")
  endif()
endfunction()

file(REMOVE_RECURSE ${WORK_DIR})
if(MODE STREQUAL "find_package")
  run(${CMAKE_COMMAND} --install ${ROCKSQ_BUILD_DIR} --prefix ${WORK_DIR}/prefix)
  set(use_rocksq -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix)
elseif(MODE STREQUAL "add_subdirectory")
  set(use_rocksq -DROCKSQ_SOURCE_DIR=${SOURCE_DIR})
else()
  message(FATAL_ERROR "MODE must be find_package or add_subdirectory, not '${MODE}'")
endif()
run(${CMAKE_COMMAND} -S ${SOURCE_DIR}/examples/cpp -B ${WORK_DIR}/build
    -DCMAKE_BUILD_TYPE=Release ${use_rocksq})
run(${CMAKE_COMMAND} --build ${WORK_DIR}/build --parallel 2)
run(${WORK_DIR}/build/rocksq_example ${WORK_DIR}/queues)
