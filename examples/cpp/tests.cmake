# ctest builds and runs examples/cpp both ways a C++ project uses rocksq:
# find_package after cmake --install, and add_subdirectory.
foreach(mode find_package add_subdirectory)
  add_test(NAME cpp_example_${mode}
    COMMAND ${CMAKE_COMMAND} -DMODE=${mode} -DSOURCE_DIR=${PROJECT_SOURCE_DIR}
      -DROCKSQ_BUILD_DIR=${PROJECT_BINARY_DIR} -DWORK_DIR=${CMAKE_CURRENT_BINARY_DIR}/example-${mode}
      -P ${CMAKE_CURRENT_LIST_DIR}/build_and_run.cmake)
  set_tests_properties(cpp_example_${mode} PROPERTIES TIMEOUT 900)
endforeach()
