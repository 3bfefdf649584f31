# Finds the C++ Actor Framework as Debian ships it (0.17.6): headers and shared libraries only,
# no CMake package and no pkg-config file. Creates the imported targets upstream CAF names
# (CAF::core, CAF::io, CAF::openssl, CAF::test), so a later CAF with its own config needs no
# change to the rest of the build.
#
#   find_package(CAF REQUIRED COMPONENTS core io)
#
# Sets CAF_FOUND, CAF_VERSION (e.g. 1706), CAF_INCLUDE_DIRS.

find_path(CAF_INCLUDE_DIR NAMES caf/all.hpp caf/config.hpp)

if(CAF_INCLUDE_DIR AND EXISTS "${CAF_INCLUDE_DIR}/caf/config.hpp")
  file(STRINGS "${CAF_INCLUDE_DIR}/caf/config.hpp" _caf_version_line
       REGEX "^#define CAF_VERSION [0-9]+")
  string(REGEX REPLACE "^#define CAF_VERSION ([0-9]+).*" "\\1" CAF_VERSION "${_caf_version_line}")
endif()

if(NOT CAF_FIND_COMPONENTS)
  set(CAF_FIND_COMPONENTS core)
endif()

set(_caf_required_vars CAF_INCLUDE_DIR)
foreach(_comp IN LISTS CAF_FIND_COMPONENTS)
  if(_comp STREQUAL "test")
    # Header-only: caf/test/unit_test.hpp.
    find_path(CAF_test_INCLUDE_DIR NAMES caf/test/unit_test.hpp HINTS ${CAF_INCLUDE_DIR})
    if(CAF_test_INCLUDE_DIR)
      set(CAF_test_FOUND TRUE)
    endif()
    continue()
  endif()
  find_library(CAF_${_comp}_LIBRARY NAMES caf_${_comp})
  list(APPEND _caf_required_vars CAF_${_comp}_LIBRARY)
  if(CAF_${_comp}_LIBRARY)
    set(CAF_${_comp}_FOUND TRUE)
  endif()
endforeach()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(CAF
  REQUIRED_VARS ${_caf_required_vars}
  VERSION_VAR CAF_VERSION
  HANDLE_COMPONENTS)

if(CAF_FOUND)
  set(CAF_INCLUDE_DIRS ${CAF_INCLUDE_DIR})
  foreach(_comp IN LISTS CAF_FIND_COMPONENTS)
    if(TARGET CAF::${_comp})
      continue()
    endif()
    if(_comp STREQUAL "test")
      add_library(CAF::test INTERFACE IMPORTED)
      set_target_properties(CAF::test PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${CAF_INCLUDE_DIR}")
      continue()
    endif()
    add_library(CAF::${_comp} SHARED IMPORTED)
    set_target_properties(CAF::${_comp} PROPERTIES
      IMPORTED_LOCATION "${CAF_${_comp}_LIBRARY}"
      INTERFACE_INCLUDE_DIRECTORIES "${CAF_INCLUDE_DIR}")
  endforeach()
  # libcaf_io does not pull in libcaf_core under --as-needed: every user links both explicitly.
  if(TARGET CAF::io AND TARGET CAF::core)
    set_property(TARGET CAF::io APPEND PROPERTY INTERFACE_LINK_LIBRARIES CAF::core)
  endif()
  if(TARGET CAF::openssl AND TARGET CAF::io)
    set_property(TARGET CAF::openssl APPEND PROPERTY INTERFACE_LINK_LIBRARIES CAF::io)
  endif()
endif()

mark_as_advanced(CAF_INCLUDE_DIR CAF_test_INCLUDE_DIR)
