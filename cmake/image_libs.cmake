# libjpeg-turbo, libpng and zlib. Prefer static archives (prebuilds must not depend on system
# image libraries); fall back to the shared ones when no PIC archive is available.
find_package(JPEG REQUIRED)
find_package(PNG REQUIRED)
find_package(ZLIB REQUIRED)
set(AF_IMAGE_LIBS PNG::PNG JPEG::JPEG ZLIB::ZLIB)
