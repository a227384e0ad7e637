# libjpeg-turbo, libpng and zlib for af_image (and so for the addon, tools and tests).
#
# With AF_STATIC_DEPS (a CMake variable or environment variable) naming a prefix built by
# cmake/static-deps.sh, the PIC static archives in <prefix>/lib are linked (what the prebuilt
# binary uses: no run-time dependency on the system's image libraries). Otherwise the system's
# libraries are found as usual (shared: Debian's .a files are not PIC and cannot go into the
# addon).
if(NOT AF_STATIC_DEPS AND DEFINED ENV{AF_STATIC_DEPS})
  set(AF_STATIC_DEPS "$ENV{AF_STATIC_DEPS}")
endif()

if(AF_STATIC_DEPS)
  foreach(lib jpeg png16 z)
    if(NOT EXISTS "${AF_STATIC_DEPS}/lib/lib${lib}.a")
      message(FATAL_ERROR "AF_STATIC_DEPS=${AF_STATIC_DEPS}: lib/lib${lib}.a is missing (run cmake/static-deps.sh)")
    endif()
  endforeach()
  add_library(af_static_z STATIC IMPORTED)
  set_target_properties(af_static_z PROPERTIES
    IMPORTED_LOCATION "${AF_STATIC_DEPS}/lib/libz.a"
    INTERFACE_INCLUDE_DIRECTORIES "${AF_STATIC_DEPS}/include")
  add_library(af_static_png STATIC IMPORTED)
  set_target_properties(af_static_png PROPERTIES
    IMPORTED_LOCATION "${AF_STATIC_DEPS}/lib/libpng16.a"
    INTERFACE_INCLUDE_DIRECTORIES "${AF_STATIC_DEPS}/include"
    INTERFACE_LINK_LIBRARIES "af_static_z;m")
  add_library(af_static_jpeg STATIC IMPORTED)
  set_target_properties(af_static_jpeg PROPERTIES
    IMPORTED_LOCATION "${AF_STATIC_DEPS}/lib/libjpeg.a"
    INTERFACE_INCLUDE_DIRECTORIES "${AF_STATIC_DEPS}/include")
  set(AF_IMAGE_LIBS af_static_png af_static_jpeg af_static_z)
  message(STATUS "analyze-face: static image libraries from ${AF_STATIC_DEPS}")
else()
  find_package(JPEG REQUIRED)
  find_package(PNG REQUIRED)
  find_package(ZLIB REQUIRED)
  set(AF_IMAGE_LIBS PNG::PNG JPEG::JPEG ZLIB::ZLIB)
endif()
