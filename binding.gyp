# node-gyp / prebuildify build of the addon: the same sources as the cmake-js build
# (native/addon/gyp-sources.js reads them from the CMake targets).
#   AF_STATIC_DEPS=/prefix  link libjpeg.a, libpng16.a and libz.a from /prefix/lib (PIC builds made
#                           by scripts in cmake/static-deps.sh; used for prebuilds) instead of the
#                           system's shared libjpeg, libpng and zlib.
{
  "variables": {
    "af_static_deps%": "<!(node -p \"process.env.AF_STATIC_DEPS || ''\")",
    "af_have_engine%": "<!(node native/addon/gyp-sources.js have-engine)"
  },
  "target_defaults": {
    "include_dirs": [
      "<!(node -p \"require('node-addon-api').include_dir\")",
      "native"
    ],
    "defines": [
      "NAPI_VERSION=8",
      "NODE_ADDON_API_CPP_EXCEPTIONS",
      "NODE_ADDON_API_DISABLE_DEPRECATED",
      "AF_HAVE_ENGINE=<(af_have_engine)"
    ],
    "cflags!": ["-fno-exceptions"],
    "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17", "-std=gnu++20"],
    "cflags": ["-fvisibility=hidden", "-O2"],
    "cflags_cc": ["-std=c++17", "-fexceptions", "-frtti", "-fvisibility-inlines-hidden"],
    "xcode_settings": {
      "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
      "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
      "GCC_SYMBOLS_PRIVATE_EXTERN": "YES"
    },
    "conditions": [
      ["af_static_deps!=''", {
        "include_dirs": ["<(af_static_deps)/include"]
      }]
    ]
  },
  "targets": [
    {
      "target_name": "af_avx2",
      "type": "static_library",
      "sources": ["<!@(node native/addon/gyp-sources.js avx2)"],
      "conditions": [
        ["target_arch=='x64'", {
          "cflags": ["-mavx2", "-mfma"],
          "xcode_settings": { "OTHER_CFLAGS": ["-mavx2", "-mfma"] }
        }]
      ]
    },
    {
      "target_name": "analyze_face",
      "dependencies": ["af_avx2"],
      "sources": [
        "native/addon/addon.cc",
        "native/addon/analyze.cc",
        "native/addon/common.cc",
        "<!@(node native/addon/gyp-sources.js base)"
      ],
      "conditions": [
        ["af_static_deps!=''", {
          "libraries": [
            "<(af_static_deps)/lib/libpng16.a",
            "<(af_static_deps)/lib/libjpeg.a",
            "<(af_static_deps)/lib/libz.a"
          ]
        }, {
          "libraries": ["-lpng16", "-ljpeg", "-lz"]
        }],
        ["OS=='linux'", {
          "ldflags": ["-Wl,--exclude-libs,ALL", "-Wl,--as-needed",
                      "-Wl,--version-script=<(module_root_dir)/native/addon/exports.map"]
        }]
      ]
    }
  ]
}
