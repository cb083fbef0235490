# manpage.cmake - migdev.1 and the bash completion, generated after the
# program is built from its own help texts (scripts/gen_manual.sh), and
# installed with it.
add_custom_command(
  OUTPUT ${PROJECT_BINARY_DIR}/migdev.1 ${PROJECT_BINARY_DIR}/migdev.bash
  COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=0
          sh ${PROJECT_SOURCE_DIR}/scripts/gen_manual.sh $<TARGET_FILE:migdev> ${PROJECT_BINARY_DIR}
  DEPENDS migdev ${PROJECT_SOURCE_DIR}/scripts/gen_manual.sh
  COMMENT "Generating the migdev(1) manual page and bash completion"
  VERBATIM)
add_custom_target(migdev_manual ALL
  DEPENDS ${PROJECT_BINARY_DIR}/migdev.1 ${PROJECT_BINARY_DIR}/migdev.bash)
install(FILES ${PROJECT_BINARY_DIR}/migdev.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1
  COMPONENT program)
install(FILES ${PROJECT_BINARY_DIR}/migdev.bash
  DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME migdev
  COMPONENT program)
