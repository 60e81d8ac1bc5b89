# The four layers of src/ (base < resolver < probe < supervisor), each a
# static library, and the rule that a layer sees only itself and the layers
# below it.
#
# Includes are written from src/ ("probe/url.h"). Each layer's library gets
# an include root of its own, build/layers/LAYER/, holding one symbolic link,
# LAYER -> src/LAYER; it passes that root on to the layers above it, never
# down. So a source file or header of the probe layer that includes
# "supervisor/..." does not compile: that path exists in no include root the
# probe layer has. The header check below compiles every header alone, in
# its own layer, so that a header no source file includes is held to the
# rule too. tests/check-layers.sh proves both (CI runs it).
option(VIGIL_CHECK_HEADERS "Compile every header of src/ on its own, in its layer" OFF)

# vigil_layer(LAYER [BELOW LIBRARY]): makes the library vigil_LAYER (already
# added with its sources) a layer on top of LIBRARY.
function(vigil_layer layer)
    cmake_parse_arguments(PARSE_ARGV 1 LAYER "" "BELOW" "")
    set(target vigil_${layer})
    set(root "${PROJECT_BINARY_DIR}/layers/${layer}")
    file(MAKE_DIRECTORY "${root}")
    file(CREATE_LINK "${CMAKE_CURRENT_SOURCE_DIR}" "${root}/${layer}" SYMBOLIC)
    target_include_directories(${target} PUBLIC "${root}")
    if(LAYER_BELOW)
        target_link_libraries(${target} PUBLIC ${LAYER_BELOW})
    endif()
    vigil_target_flags(${target})

    if(NOT VIGIL_CHECK_HEADERS)
        return()
    endif()
    file(GLOB headers RELATIVE "${CMAKE_CURRENT_SOURCE_DIR}" CONFIGURE_DEPENDS
        "${CMAKE_CURRENT_SOURCE_DIR}/*.h")
    set(checks "")
    foreach(header IN LISTS headers)
        set(check "${PROJECT_BINARY_DIR}/layers/header-checks/${layer}/${header}.cpp")
        file(CONFIGURE OUTPUT "${check}" CONTENT "#include \"${layer}/${header}\"\n")
        list(APPEND checks "${check}")
    endforeach()
    add_library(${target}_headers OBJECT ${checks})
    target_link_libraries(${target}_headers PRIVATE ${target})
    vigil_target_flags(${target}_headers)
endfunction()
