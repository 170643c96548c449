# cmake/pgo.cmake: profile-guided optimization of the engine library, sf_core (included right after
# sf_core is defined).
#
# The build trains it itself: a second build of schedfuzz with an instrumented engine (in
# pgo-training/ under the build folder), run over the bundled models by tools/pgo_train.sh, gives
# the profile that sf_core is compiled with. The training is deterministic, so a rebuild that leaves
# the engine as it was gives the same profile and recompiles nothing; an edit to the engine is
# trained again. Clang's branch weights and hot/cold split then follow how the engine really runs:
# 1-6% fewer instructions per execution on the bench tests, and less CPU time in every set of
# alternated pairs measured (README, "Then (2026-12-07, 02:20 ..."). Executions are unchanged (the
# same steps and failures on every bench test, 8 seeds, three memory modes).
#
# SF_PGO: on by default in an optimized build of this tree as a project of its own, with clang and
# the llvm-profdata of its version; off under sanitizers and inside another project
# (add_subdirectory), where the extra build would surprise. SF_PGO_GENERATE (internal): this build
# is the instrumented one.
if(SF_PGO_GENERATE)
  target_compile_options(sf_core PRIVATE -fprofile-instr-generate)
  target_link_options(sf_core INTERFACE -fprofile-instr-generate)
  return()
endif()
if(NOT SF_PGO)
  return()
endif()
if(SF_SANITIZE OR SF_SANITIZE_THREAD OR NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang"
   OR NOT CMAKE_BUILD_TYPE MATCHES "^(Release|RelWithDebInfo)$")
  return()
endif()

# The profile's format is the compiler's: its own version of llvm-profdata, nothing else.
string(REGEX MATCH "^[0-9]+" sf_clang_major "${CMAKE_CXX_COMPILER_VERSION}")
get_filename_component(sf_compiler_dir "${CMAKE_CXX_COMPILER}" DIRECTORY)
find_program(SF_LLVM_PROFDATA NAMES llvm-profdata-${sf_clang_major})
if(NOT SF_LLVM_PROFDATA)
  find_program(SF_LLVM_PROFDATA NAMES llvm-profdata PATHS "${sf_compiler_dir}" /usr/lib/llvm-${sf_clang_major}/bin
               NO_DEFAULT_PATH)
endif()
if(NOT SF_LLVM_PROFDATA)
  message(STATUS "schedfuzz: no llvm-profdata-${sf_clang_major}: building without profile-guided optimization")
  return()
endif()

include(ExternalProject)
set(sf_training_dir "${schedfuzz_BINARY_DIR}/pgo-training")
# Link-time optimization left out: the profile is keyed by each function's source-level shape, the
# same with it or without it, and the instrumented build links faster.
ExternalProject_Add(sf_pgo_training_build
  SOURCE_DIR "${schedfuzz_SOURCE_DIR}"
  BINARY_DIR "${sf_training_dir}"
  CMAKE_ARGS -DCMAKE_CXX_COMPILER=${CMAKE_CXX_COMPILER} -DCMAKE_BUILD_TYPE=${CMAKE_BUILD_TYPE}
             -DSF_TESTS=OFF -DSF_FUZZERS=OFF -DSF_BENCH=OFF -DSF_LTO=OFF -DSF_PGO=OFF -DSF_PGO_GENERATE=ON
  BUILD_COMMAND ${CMAKE_COMMAND} --build <BINARY_DIR> --target schedfuzz
  BUILD_ALWAYS ON  # its own build decides what changed; schedfuzz is relinked only then
  BUILD_BYPRODUCTS "${sf_training_dir}/schedfuzz"
  INSTALL_COMMAND "")

# The profile changes (and sf_core recompiles) only when the training's counts do.
set(sf_profile "${schedfuzz_BINARY_DIR}/engine.profdata")
set(sf_profile_stamp "${schedfuzz_BINARY_DIR}/engine.profdata.stamp")
add_custom_command(OUTPUT "${sf_profile_stamp}"
  BYPRODUCTS "${sf_profile}"
  COMMAND bash "${schedfuzz_SOURCE_DIR}/tools/pgo_train.sh" "${sf_training_dir}/schedfuzz" "${SF_LLVM_PROFDATA}"
          "${sf_profile}.new"
  COMMAND ${CMAKE_COMMAND} -E copy_if_different "${sf_profile}.new" "${sf_profile}"
  COMMAND ${CMAKE_COMMAND} -E touch "${sf_profile_stamp}"
  DEPENDS "${sf_training_dir}/schedfuzz" "${schedfuzz_SOURCE_DIR}/tools/pgo_train.sh"
  COMMENT "Training the engine's profile (profile-guided optimization)"
  VERBATIM)
add_custom_target(sf_pgo_profile DEPENDS "${sf_profile_stamp}")
add_dependencies(sf_pgo_profile sf_pgo_training_build)  # Makefiles know the trainee only by the target
add_dependencies(sf_core sf_pgo_profile)
set_source_files_properties(${SF_CORE_SOURCES} TARGET_DIRECTORY sf_core PROPERTIES OBJECT_DEPENDS "${sf_profile}")
target_compile_options(sf_core PRIVATE "-fprofile-instr-use=${sf_profile}")
message(STATUS "schedfuzz: profile-guided optimization of the engine (${SF_LLVM_PROFDATA})")
